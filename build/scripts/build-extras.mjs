// `node build/scripts/build-extras.mjs bench|smoke …`: bundles what is not part of the app or the
// CLI, after `npm run build` (whose workers it copies): the benchmarks (dist/bench/, `npm run bench`)
// and the real-Electron smoke script (dist/smoke/, `npm run smoke`). Never removes anything else.
import { build } from 'esbuild';
import { cp, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { common, esm, root } from './bundle-options.mjs';

const BENCHMARKS = [
  'seal-open-throughput',
  'history-search',
  'event-loop',
  'whole-command',
  'app-path',
  'header-cost',
  'batch-vs-separate',
  'backup-size',
  'break-glass',
  'referral-loop',
  'mail-round-trip',
  'reader-open',
  'kdf-prewarm',
  'rss-phases',
  'directory-refresh',
];
const wanted = new Set(process.argv.slice(2));
for (const name of wanted)
  if (name !== 'bench' && name !== 'smoke') throw new Error(`build-extras: unknown target ${name} (bench, smoke)`);

if (wanted.has('bench')) {
  await mkdir(join(root, 'dist/bench'), { recursive: true });
  // The benchmarks start the same workers as the CLI: copied from the build, not bundled again.
  for (const name of ['chunk-worker', 'kdf-worker'])
    for (const suffix of ['.cjs', '.cjs.map'])
      await cp(join(root, 'dist/cli', `${name}${suffix}`), join(root, 'dist/bench', `${name}${suffix}`));
  await Promise.all(
    BENCHMARKS.map((name) =>
      build({
        ...esm,
        entryPoints: [join(root, `test/bench/${name}.ts`)],
        outfile: join(root, `dist/bench/${name}.mjs`),
        external: [...common.external, 'playwright-core'], // the Reader's benchmark drives Chromium
      }),
    ),
  );
}
if (wanted.has('smoke')) {
  await build({
    ...esm,
    entryPoints: [join(root, 'test/smoke/electron-smoke.ts')],
    outfile: join(root, 'dist/smoke/electron-smoke.mjs'),
    external: [...common.external, 'playwright-core'],
  });
}
