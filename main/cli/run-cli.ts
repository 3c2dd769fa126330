/**
 * The `medseal` command line: for IT scripting, automation and tests. It
 * uses the same core modules as the app. Exit codes: cli/exit-codes.ts.
 * Two entries run it: medseal.ts on Node (development, tests) and the app
 * binary's `--cli` (main/launcher/, what installers put on the PATH).
 */
import { Command, CommanderError } from 'commander';
import { loadSodium } from '../crypto/sodium.js';
import { CliContext, type GlobalOptions } from './context.js';
import { EXIT } from './exit-codes.js';
import { Output } from './output.js';
import { registerContactCommands } from './commands/contacts.js';
import { registerIdentityCommands, type Handle } from './commands/identity.js';
import { registerPackageCommands } from './commands/packages.js';
import { registerSealCommand } from './commands/seal.js';
import { registerAuditCommands } from './commands/audit.js';
import { registerHistoryCommands } from './commands/history.js';
import { registerPolicyCommands } from './commands/policy.js';
import { registerDoctorCommand } from './commands/doctor.js';
import { registerOrgCommands } from './commands/org.js';
import { registerExchangeCommands } from './commands/exchange.js';
import { registerInboxCommands } from './commands/inbox.js';
import { registerWatchCommand } from './commands/watch.js';
import type { PolicyState } from '../policy/load-policy.js';

declare const MEDSEAL_VERSION: string | undefined;

/** How `runCli` reads the machine's policy: tests that run the CLI in-process give their own. */
export interface CliOptions {
  readonly loadPolicy?: () => Promise<PolicyState>;
}

export async function runCli(argv: readonly string[], options: CliOptions = {}): Promise<number> {
  const program = new Command('medseal')
    .description('MedSeal: seal patient records for named, verified partners')
    .version(typeof MEDSEAL_VERSION === 'string' ? MEDSEAL_VERSION : 'development')
    .option('--home <folder>', 'profile folder (default: MEDSEAL_HOME or the per-user MedSeal folder)')
    .option('--passphrase-file <file>', 'read the passphrase from this file (else MEDSEAL_PASSPHRASE or a prompt)')
    .option('--json', 'print results as JSON for scripts')
    .exitOverride()
    .showHelpAfterError();

  let exitCode: number = EXIT.ok;
  /** `inbox open` → `inbox-open`: a short code for the audit log (letters and dashes only). */
  const commandNameOf = (command: Command) => {
    const names: string[] = [];
    for (let current: Command | null = command; current && current !== program; current = current.parent)
      names.unshift(current.name());
    return (
      names
        .join('-')
        .replace(/[^a-z-]/g, '')
        .slice(0, 40) || 'cli'
    );
  };
  const handle: Handle = (command, body) => {
    command.action(async () => {
      const cancel = new AbortController();
      const onSignal = () => {
        if (cancel.signal.aborted) process.exit(EXIT.cancelled); // a second Ctrl-C: stop at once
        cancel.abort();
      };
      process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
      const context = new CliContext(
        command.optsWithGlobals<GlobalOptions>(),
        cancel.signal,
        commandNameOf(command),
        options.loadPolicy,
      );
      try {
        await loadSodium();
        await context.folder.removeStrayTempFiles();
        await body(context);
      } catch (error) {
        exitCode = context.out.error(error);
      } finally {
        await context.backupIfDue();
        await context.forwardAudit();
        context.close();
        process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
      }
    });
  };
  registerIdentityCommands(program, handle);
  registerContactCommands(program, handle, (code) => {
    exitCode = code;
  });
  registerSealCommand(program, handle);
  registerPackageCommands(program, handle);
  registerAuditCommands(program, handle);
  registerHistoryCommands(program, handle);
  registerPolicyCommands(program, handle);
  registerOrgCommands(program, handle);
  registerExchangeCommands(program, handle);
  registerInboxCommands(program, handle);
  registerWatchCommand(program, handle);
  registerDoctorCommand(program, handle, (code) => {
    exitCode = code;
  });

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      const benign =
        error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version' ||
        error.code === 'commander.help';
      return benign ? EXIT.ok : EXIT.usage;
    }
    return new Output(Boolean(program.opts<GlobalOptions>().json)).error(error);
  }
  return exitCode;
}

/**
 * Runs the CLI and returns its exit code, whatever happens: what fails outside a command (the audit
 * forwarding after it, setting up) is said like any error.
 */
export async function runCliToExitCode(argv: readonly string[], options: CliOptions = {}): Promise<number> {
  try {
    return await runCli(argv, options);
  } catch (error) {
    return reportCliFailure(error);
  }
}

/** Says an error that escaped the CLI (in the app binary's `--cli`), and returns its exit code. */
export function reportCliFailure(error: unknown): number {
  return new Output(process.argv.includes('--json')).error(error);
}
