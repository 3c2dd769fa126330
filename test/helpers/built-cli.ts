/**
 * The built CLI run as a person would run it, with --json: its own HOME in
 * the test's work folder, a passphrase from the environment, nothing else
 * inherited. Used by the CLI flows that read its JSON answers.
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { EXIT } from '../../main/cli/exit-codes.js';
import { underTestPolicy } from './machine-policy.js';

export const BUILT_CLI = join(process.cwd(), 'dist', 'cli', 'medseal.cjs');

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function assertCliBuilt(): void {
  if (!existsSync(BUILT_CLI))
    throw new Error('dist/cli/medseal.cjs is missing: run "npm run build" first (npm test does).');
}

/** `medseal --home WORK/HOME --json ARGS` in WORK, with `env` (e.g. MEDSEAL_PASSPHRASE) and PATH only. */
export function runCliJson(
  work: string,
  home: string,
  args: readonly string[],
  env: Record<string, string>,
): CliResult {
  const result = spawnSync(...underTestPolicy([BUILT_CLI, '--home', join(work, home), '--json', ...args]), {
    cwd: work,
    env: { PATH: process.env.PATH ?? '', HOME: work, ...env },
    encoding: 'utf8',
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * The same without blocking this process, for a test that runs a server in it (an HTTPS server the
 * CLI fetches from would never answer while spawnSync holds the event loop).
 */
export function runCliJsonAsync(
  work: string,
  home: string,
  args: readonly string[],
  env: Record<string, string>,
): Promise<CliResult> {
  const [command, argv] = underTestPolicy([BUILT_CLI, '--home', join(work, home), '--json', ...args]);
  return new Promise((resolve, reject) => {
    execFile(
      command,
      argv,
      {
        cwd: work,
        env: { PATH: process.env.PATH ?? '', HOME: work, ...env },
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        // A non-zero exit is an answer (its code is the result); only a failure to run at all is an error.
        if (error && typeof error.code !== 'number') reject(error);
        else resolve({ code: error ? (error.code as number) : 0, stdout, stderr });
      },
    );
  });
}

/** The JSON answer of a command that must have succeeded (its stderr is the failure message). */
export function okJson(result: CliResult): Record<string, unknown> {
  expect(result.code, result.stderr).toBe(EXIT.ok);
  return JSON.parse(result.stdout) as Record<string, unknown>;
}
