// Bundles the TypeScript sources with esbuild (type checking is `tsc`, run before this).
//   app/dist/main.cjs, app/dist/preload.cjs, app/dist/renderer/  – the Electron app (packaged; main.cjs is
//                                                                  also the CLI, as `MedSeal --cli`)
//   dist/cli/medseal.cjs                                         – the Node CLI (root bin): a small entry that runs
//   dist/cli/medseal-main.cjs (+ .v8-cache)                        its bundle with a V8 code cache made here
//   app/dist/medseal-reader.html                                 – MedSeal Reader (build-reader.mjs)
// Two outputs, two module trees: the app resolves native modules from app/node_modules
// (built for Electron), the CLI and tests from the root node_modules (built for Node).
// Benchmarks and the Electron smoke script are not built here: build/scripts/build-extras.mjs.
import { build } from 'esbuild';
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { common, root, shipped } from './bundle-options.mjs';
import { buildReader } from './build-reader.mjs';

// Worker threads start from bundled entry files of their own, never from eval'd source. Each is
// bundled once (with the shipped bundles' metafile) and copied beside every bundle that starts it.
const WORKERS = {
  'chunk-worker': 'main/package/payload/chunk-workers/chunk-worker.ts',
  // Argon2id runs in a short-lived worker whose WebAssembly memory goes when it ends (main/crypto/kdf-worker.ts).
  'kdf-worker': 'main/crypto/kdf-worker.ts',
  'package-worker': 'main/jobs/package-worker.ts',
  'transport-worker': 'main/jobs/transport-worker.ts',
};
const worker = (name) =>
  build({ ...shipped, entryPoints: [join(root, WORKERS[name])], outfile: join(root, 'app/dist', `${name}.cjs`) });
/** Where each worker is copied to: the app's (built there), the CLI's, the tests'. */
const WORKER_COPIES = {
  'chunk-worker': ['dist/cli', 'dist/workers'],
  'kdf-worker': ['dist/cli', 'dist/workers'],
  'package-worker': ['dist/workers'],
  'transport-worker': ['dist/workers'],
};

await rm(join(root, 'app', 'dist'), { recursive: true, force: true });
await rm(join(root, 'dist'), { recursive: true, force: true });
const bundles = await Promise.all([
  build({
    ...common,
    entryPoints: {
      medseal: join(root, 'main/cli/medseal-entry.ts'),
      'medseal-main': join(root, 'main/cli/medseal.ts'),
    },
    outdir: join(root, 'dist/cli'),
    outExtension: { '.js': '.cjs' },
  }),
  build({
    ...shipped,
    entryPoints: [join(root, 'main/launcher/electron-main.ts')],
    outfile: join(root, 'app/dist/main.cjs'),
  }),
  build({
    ...shipped,
    entryPoints: [join(root, 'main/shell/preload.ts')],
    outfile: join(root, 'app/dist/preload.cjs'),
    sourcemap: false,
  }),
  ...Object.keys(WORKERS).map(worker),
]);
// MedSeal Reader: the page a partner without MedSeal opens passphrase packages with (build-reader.mjs).
const reader = await buildReader();
for (const [name, folders] of Object.entries(WORKER_COPIES)) {
  for (const folder of folders) {
    await mkdir(join(root, folder), { recursive: true });
    for (const suffix of ['.cjs', '.cjs.map'])
      await cp(join(root, 'app/dist', `${name}${suffix}`), join(root, folder, `${name}${suffix}`));
  }
}
// The Node CLI's code cache (main/cli/code-cache.ts): its bundle loaded once here, running no command, and the
// code V8 compiled for it written beside it. Every command then starts without compiling the 7.8 MB bundle.
process.env.MEDSEAL_CLI_NO_AUTORUN = '1';
createRequire(import.meta.url)(join(root, 'dist/cli/medseal.cjs')).writeCodeCache();
delete process.env.MEDSEAL_CLI_NO_AUTORUN;
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
for (const { metafile } of [...bundles, renderer, reader]) {
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
await writeFile(
  join(root, 'dist', 'release', 'bundled-packages.json'),
  `${JSON.stringify([...packages].sort(), null, 2)}\n`,
);
