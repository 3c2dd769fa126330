// esbuild options shared by build.mjs (the app and the CLI) and build-extras.mjs (benchmarks, smoke).
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const appPackage = JSON.parse(await readFile(join(root, 'app', 'package.json'), 'utf8'));
export const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  define: { MEDSEAL_VERSION: JSON.stringify(appPackage.version), MEDSEAL_BUNDLED: 'true' },
  external: JSON.parse(await readFile(join(root, 'build', 'scripts', 'bundle-externals.json'), 'utf8')).externals,
};

// ES module bundles (the benchmarks) get require and __dirname as CommonJS bundles have them.
export const esm = {
  ...common,
  format: 'esm',
  banner: {
    js: "import { createRequire } from 'node:module'; import { dirname as __dirnameOf } from 'node:path'; import { fileURLToPath as __pathOf } from 'node:url'; const require = createRequire(import.meta.url); const __dirname = __dirnameOf(__pathOf(import.meta.url));",
  },
};
// The bundles that ship in the app keep esbuild's metafile: the SBOM marks exactly those packages as shipped.
// They are minified (names kept, so errors and classes are named as in the source; text as UTF-8 instead of
// \u escapes): the packed app is about 5 MB smaller (test/release/packed-app.test.ts measures it). Their
// source maps stay beside them in app/dist and are not packed.
export const shipped = { ...common, metafile: true, minify: true, keepNames: true, charset: 'utf8' };
