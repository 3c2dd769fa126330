/**
 * `MedSeal --cli …`: the command line through the app binary, handled in the main process before
 * anything of the desktop app starts. No single-instance lock (the CLI runs beside an open app),
 * no window, no Dock icon; stdin, stdout, stderr and the terminal (passphrase prompts) are the
 * process's own, and the process ends with the CLI's exit code once its output is written.
 */
import { app } from 'electron';

export const CLI_SWITCH = '--cli';

/**
 * The CLI's arguments when the binary was started as `[switches…] --cli [--] args…`, else null.
 * Chromium's switches may come first (the Linux `medseal` wrapper gives `--ozone-platform=headless`);
 * a `--` after `--cli` keeps Chromium from taking the CLI's own options for its switches.
 * `defaultApp`: started as `electron app/ …` (development), where the app's folder is argv[1].
 */
export function cliArgumentsOf(argv: readonly string[], defaultApp = process.defaultApp === true): string[] | null {
  const given = argv.slice(defaultApp ? 2 : 1);
  const at = given.indexOf(CLI_SWITCH);
  if (at < 0 || given.slice(0, at).some((arg) => arg === '--' || !arg.startsWith('--'))) return null;
  const rest = given.slice(at + 1);
  return rest[0] === '--' ? rest.slice(1) : rest;
}

export interface CliRunner {
  /** Runs the CLI and returns its exit code (it reports its own errors). */
  readonly run: (args: readonly string[]) => Promise<number>;
  /** Says an error that escaped the CLI, as the CLI says errors, and returns the exit code for it. */
  readonly report: (error: unknown) => number;
}

/** Resolves once everything written to `stream` so far has been handed to the OS (or the stream failed). */
function drained(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    // An error here (a closed pipe: `medseal … | head`) is the stream's own 'error' event, handled below.
    stream.write('', () => resolve());
  });
}

export async function runCliMode(args: readonly string[], cli: CliRunner): Promise<void> {
  let exiting = false;
  const exit = async (code: number) => {
    if (exiting) return;
    exiting = true;
    await Promise.all([drained(process.stdout), drained(process.stderr)]);
    app.exit(code);
  };
  // Electron would show an error dialog for these; a command line says them on stderr and exits.
  process.on('uncaughtException', (error) => void exit(cli.report(error)));
  process.on('unhandledRejection', (reason) => void exit(cli.report(reason)));
  for (const stream of [process.stdout, process.stderr])
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') void exit(cli.report(error));
      // EPIPE: the reader went away (`medseal … | head`); the command still ends with its own code.
    });
  if (process.platform === 'darwin') app.dock?.hide();
  await exit(await cli.run(args));
}
