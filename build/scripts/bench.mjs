/**
 * `npm run bench [-- OPTIONS]`: the benchmarks (never timed tests), after the
 * build. In-process by default: seal/open throughput beside age (its JSON in
 * docs/bench/results.json), history search, the event loop during a job, and
 * the header cost of post-quantum stanzas, and 100 small packages through
 * `seal --batch` and `watch` against separate calls, and the backup of a
 * profile with 10,000 packages, and emergency access (a 3-of-5 split, a
 * package under the recovery key, opening it with three shares). With `--cli`, whole commands
 * instead: the built CLI exactly as a user runs it, beside age
 * (dist/bench/whole-command.mjs; its options follow, e.g. `--sizes-mib 1024`).
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const args = process.argv.slice(2);

function run(script, scriptArgs = []) {
  const result = spawnSync(process.execPath, [join(root, 'dist', 'bench', script), ...scriptArgs], {
    stdio: 'inherit',
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

if (args.includes('--cli')) {
  run(
    'whole-command.mjs',
    args.filter((arg) => arg !== '--cli'),
  );
} else {
  run('seal-open-throughput.mjs', ['--json', join(root, 'docs', 'bench', 'results.json'), ...args]);
  run('history-search.mjs');
  run('event-loop.mjs');
  run('header-cost.mjs');
  run('batch-vs-separate.mjs');
  run('backup-size.mjs');
  run('break-glass.mjs');
}
