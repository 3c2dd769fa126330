/**
 * `MedSeal --cli …` in the main process, against the fake `electron`: which
 * command lines are the CLI's, that it runs with no window and no
 * single-instance lock, that the process exits with the CLI's own code once
 * its output is written, and that an error escaping it is said on stderr (not
 * in Electron's error dialog). test/cli/app-binary-cli.test.ts runs the built
 * entry as a process, with stdin, stdout and a terminal.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', async () => import('../fakes/electron.js'));
const fake = await import('../fakes/electron.js');
const { cliArgumentsOf, runCliMode } = await import('../../main/shell/cli-mode.js');
const { runCliToExitCode, reportCliFailure } = await import('../../main/cli/run-cli.js');
const { EXIT } = await import('../../main/cli/exit-codes.js');

let written: string[];
beforeEach(() => {
  fake.resetFakeElectron();
  written = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array, ...rest: unknown[]) => {
    written.push(String(chunk));
    const callback = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined;
    callback?.();
    return true;
  });
});
afterEach(() => {
  vi.restoreAllMocks();
  process.removeAllListeners('uncaughtException');
  process.removeAllListeners('unhandledRejection');
});

describe('which command lines are the CLI', () => {
  it('the packaged binary: --cli first, or after Chromium switches, with or without --', () => {
    expect(cliArgumentsOf(['/opt/MedSeal/medseal', '--cli', 'doctor'], false)).toEqual(['doctor']);
    expect(cliArgumentsOf(['/opt/MedSeal/medseal', '--cli', '--', '--version'], false)).toEqual(['--version']);
    expect(
      cliArgumentsOf(['medseal', '--ozone-platform=headless', '--disable-gpu', '--cli', '--', 'seal', '--json'], false),
    ).toEqual(['seal', '--json']);
    expect(cliArgumentsOf(['medseal', '--cli'], false)).toEqual([]);
  });

  it('development (`electron app/ --cli …`): the app folder comes first', () => {
    expect(cliArgumentsOf(['electron', 'app/', '--cli', 'policy', 'show'], true)).toEqual(['policy', 'show']);
  });

  it('anything else starts the window: a file to open, --cli after an argument or after --', () => {
    expect(cliArgumentsOf(['medseal'], false)).toBeNull();
    expect(cliArgumentsOf(['medseal', 'referral.medseal'], false)).toBeNull();
    expect(cliArgumentsOf(['medseal', 'referral.medseal', '--cli', 'doctor'], false)).toBeNull();
    expect(cliArgumentsOf(['medseal', '--', '--cli'], false)).toBeNull();
  });
});

describe('running it', () => {
  it('exits with the CLI code after its output, with no window and no instance lock', async () => {
    await runCliMode(['--version'], { run: runCliToExitCode, report: reportCliFailure });
    expect(fake.recorded.exitCode).toBe(EXIT.ok);
    expect(written.join('')).toMatch(/^(development|\d+\.\d+\.\d+)\n/);
    expect(fake.recorded.windows).toHaveLength(0);
    expect(fake.recorded.sandboxEnabled).toBe(false);
    expect(fake.recorded.quitCalled).toBe(false);
  });

  it("keeps the CLI's exit code (a usage error is 2)", async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((_chunk, ...rest: unknown[]) => {
      (rest.find((arg) => typeof arg === 'function') as (() => void) | undefined)?.();
      return true;
    });
    await runCliMode(['no-such-command'], { run: runCliToExitCode, report: reportCliFailure });
    expect(fake.recorded.exitCode).toBe(EXIT.usage);
    expect(stderr).toHaveBeenCalled();
  });

  it('an error that escapes the CLI is reported and ends the process with its code, once', async () => {
    const reported: unknown[] = [];
    let finish!: (code: number) => void;
    const running = runCliMode([], {
      run: () => new Promise<number>((resolve) => (finish = resolve)),
      report: (error) => {
        reported.push(error);
        return EXIT.internal;
      },
    });
    process.listeners('uncaughtException').forEach((listener) => listener(new Error('a bug'), 'uncaughtException'));
    await vi.waitFor(() => expect(fake.recorded.exitCode).toBe(EXIT.internal));
    finish(EXIT.ok);
    await running;
    expect(fake.recorded.exitCode).toBe(EXIT.internal);
    expect(reported).toHaveLength(1);
  });
});
