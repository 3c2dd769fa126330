// Bundles the TypeScript sources with esbuild (type checking is `tsc`, run before this).
//   app/dist/main.cjs, app/dist/preload.cjs, app/dist/renderer/  – the Electron app (packaged)
//   dist/cli/medseal.cjs                                         – the Node CLI (root bin)
// Two outputs, two module trees: the app resolves native modules from app/node_modules
// (built for Electron), the CLI and tests from the root node_modules (built for Node).
import { build } from 'esbuild';
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const appPackage = JSON.parse(await readFile(join(root, 'app', 'package.json'), 'utf8'));
const common = {
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
const esm = {
  ...common,
  format: 'esm',
  banner: {
    js: "import { createRequire } from 'node:module'; import { dirname as __dirnameOf } from 'node:path'; import { fileURLToPath as __pathOf } from 'node:url'; const require = createRequire(import.meta.url); const __dirname = __dirnameOf(__pathOf(import.meta.url));",
  },
};
const optionsFor = (folder) => (folder === 'app/dist' ? shipped : common);
// Worker threads start from bundled entry files of their own, never from eval'd source.
const chunkWorker = (folder) => build({ ...optionsFor(folder), entryPoints: [join(root, 'main/package/payload/chunk-workers/chunk-worker.ts')], outfile: join(root, folder, 'chunk-worker.cjs') });
// Argon2id runs in a short-lived worker whose WebAssembly memory goes when it ends (main/identity/kdf-worker.ts).
const kdfWorker = (folder) => build({ ...optionsFor(folder), entryPoints: [join(root, 'main/identity/kdf-worker.ts')], outfile: join(root, folder, 'kdf-worker.cjs') });
// The bundles that ship in the app keep esbuild's metafile: the SBOM marks exactly those packages as shipped.
const shipped = { ...common, metafile: true };

await rm(join(root, 'app', 'dist'), { recursive: true, force: true });
await rm(join(root, 'dist'), { recursive: true, force: true });
const bundles = await Promise.all([
  build({ ...common, entryPoints: [join(root, 'main/cli/medseal.ts')], outfile: join(root, 'dist/cli/medseal.cjs') }),
  build({ ...shipped, entryPoints: [join(root, 'main/shell/main.ts')], outfile: join(root, 'app/dist/main.cjs') }),
  build({ ...esm, entryPoints: [join(root, 'test/bench/seal-open-throughput.ts')], outfile: join(root, 'dist/bench/seal-open-throughput.mjs') }),
  build({ ...esm, entryPoints: [join(root, 'test/bench/history-search.ts')], outfile: join(root, 'dist/bench/history-search.mjs') }),
  build({ ...esm, entryPoints: [join(root, 'test/bench/event-loop.ts')], outfile: join(root, 'dist/bench/event-loop.mjs') }),
  build({ ...esm, entryPoints: [join(root, 'test/bench/whole-command.ts')], outfile: join(root, 'dist/bench/whole-command.mjs') }),
  build({ ...esm, entryPoints: [join(root, 'test/bench/header-cost.ts')], outfile: join(root, 'dist/bench/header-cost.mjs') }),
  build({ ...esm, entryPoints: [join(root, 'test/bench/batch-vs-separate.ts')], outfile: join(root, 'dist/bench/batch-vs-separate.mjs') }),
  build({ ...esm, entryPoints: [join(root, 'test/bench/backup-size.ts')], outfile: join(root, 'dist/bench/backup-size.mjs') }),
  build({ ...esm, entryPoints: [join(root, 'test/bench/break-glass.ts')], outfile: join(root, 'dist/bench/break-glass.mjs') }),
  build({ ...esm, entryPoints: [join(root, 'test/smoke/electron-smoke.ts')], outfile: join(root, 'dist/smoke/electron-smoke.mjs'), external: [...common.external, 'playwright-core'] }),
  build({ ...shipped, entryPoints: [join(root, 'main/jobs/package-worker.ts')], outfile: join(root, 'app/dist/package-worker.cjs') }),
  build({ ...common, entryPoints: [join(root, 'main/jobs/package-worker.ts')], outfile: join(root, 'dist/workers/package-worker.cjs') }),
  build({ ...shipped, entryPoints: [join(root, 'main/jobs/transport-worker.ts')], outfile: join(root, 'app/dist/transport-worker.cjs') }),
  build({ ...common, entryPoints: [join(root, 'main/jobs/transport-worker.ts')], outfile: join(root, 'dist/workers/transport-worker.cjs') }),
  build({ ...shipped, entryPoints: [join(root, 'main/shell/preload.ts')], outfile: join(root, 'app/dist/preload.cjs'), sourcemap: false }),
  ...['app/dist', 'dist/cli', 'dist/workers', 'dist/bench'].map(chunkWorker),
  ...['app/dist', 'dist/cli', 'dist/workers', 'dist/bench'].map(kdfWorker),
]);
await mkdir(join(root, 'app/dist/renderer'), { recursive: true });
await cp(join(root, 'renderer/static'), join(root, 'app/dist/renderer'), { recursive: true });
// The renderer: React bundled by esbuild like everything else (one bundler, no plugin needed for JSX).
const renderer = await build({
  entryPoints: [join(root, 'renderer/src/main.tsx')],
  metafile: true,
  outfile: join(root, 'app/dist/renderer/app.js'),
  bundle: true,
  platform: 'browser',
  format: 'iife',
  target: 'chrome130',
  jsx: 'automatic',
  minify: true,
  sourcemap: false,
  legalComments: 'none',
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel: 'warning',
});

// Which packages (name@version) the app's bundles contain, for the SBOM (build/scripts/release-manifest.mjs).
const packageFolders = new Set();
for (const { metafile } of [...bundles, renderer]) {
  for (const input of Object.keys(metafile?.inputs ?? {})) {
    const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (match) packageFolders.add(match[1]);
  }
}
const packages = new Set();
for (const folder of packageFolders) {
  const { name, version } = JSON.parse(await readFile(join(root, folder, 'package.json'), 'utf8'));
  packages.add(`${name}@${version}`);
}
await mkdir(join(root, 'dist', 'release'), { recursive: true });
await writeFile(join(root, 'dist', 'release', 'bundled-packages.json'), `${JSON.stringify([...packages].sort(), null, 2)}\n`);
