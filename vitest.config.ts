import { cpus, loadavg } from 'node:os';
import { configDefaults, defineConfig } from 'vitest/config';
import { policyIsolationUnavailable } from './test/helpers/machine-policy.js';

// Timeouts scale with how busy the machine is when the run starts (or MEDSEAL_TEST_TIME_SCALE);
// test/helpers/time.ts reads the same factor for the waits inside tests.
const busy = Math.min(4, Math.max(1, (loadavg()[0] ?? 0) / Math.max(1, cpus().length)));
const scale = Number(process.env.MEDSEAL_TEST_TIME_SCALE ?? busy) || 1;
process.env.MEDSEAL_TEST_TIME_SCALE = String(scale);

// Spawned CLIs must not see this machine's policy (test/helpers/machine-policy.ts); where that cannot
// be arranged, their suites are left out and the run says why.
const isolation = policyIsolationUnavailable();
if (isolation) console.warn(`medseal tests: the spawned-CLI suites are skipped: ${isolation}`);
const SPAWNED_CLI_SUITES = ['test/cli/**', 'test/crash/**', 'test/package/worker-bundle.test.ts'];

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: [...configDefaults.exclude, ...(isolation ? SPAWNED_CLI_SUITES : [])],
    setupFiles: ['test/setup/chunk-worker.ts'],
    testTimeout: Math.round(60_000 * scale),
    hookTimeout: Math.round(60_000 * scale),
    pool: 'forks',
    // One test file per core and one more: many files spend much of their time waiting on a spawned
    // CLI, Chromium or a server (a fresh-clone CI run on 2 cores used 147 % of its 200 % with one per
    // core); the extra file fills that. Waits inside tests scale with the load (test/helpers/time.ts).
    maxWorkers: Math.max(1, cpus().length + 1),
    reporters: ['default', './test/summary-reporter.ts'],
  },
});
