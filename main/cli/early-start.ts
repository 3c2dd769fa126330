/**
 * What the command line starts before anything else of it loads (imported
 * first by both entries: cli/medseal.ts, and launcher/electron-main.ts for
 * `MedSeal --cli`): for a command that will ask to unlock the profile, the
 * Argon2id worker readies itself (crypto/kdf-prewarm.ts) while the rest of
 * MedSeal loads and the passphrase is read. About 0.25 s of each such
 * command's fixed cost overlaps with that loading instead of following it.
 */
import { prewarmKdfWorker } from '../crypto/kdf-prewarm.js';

/** Commands that unlock the profile before anything else (the ones where the start-up cost shows). */
const UNLOCKING = new Set(['seal', 'open', 'inbox', 'receipts', 'packages', 'watch', 'withdraw']);
/** The global options that take a value (cli/run-cli.ts): their value is not the command. */
const WITH_VALUE = new Set(['--home', '--passphrase-file']);

/** The command word of a command line (global options and their values skipped), or null. */
export function commandWordOf(args: readonly string[]): string | null {
  for (let at = 0; at < args.length; at++) {
    const arg = args[at]!;
    if (WITH_VALUE.has(arg)) at++;
    else if (!arg.startsWith('-')) return arg;
  }
  return null;
}

/** Whether this command line will ask to unlock first, so that readying the Argon2id worker pays. */
export function unlocksFirst(args: readonly string[]): boolean {
  const word = commandWordOf(args);
  return word !== null && UNLOCKING.has(word) && !args.includes('--help') && !args.includes('-h');
}

const at = process.argv.indexOf('--cli');
if (unlocksFirst(at >= 0 ? process.argv.slice(at + 1) : process.argv.slice(2))) prewarmKdfWorker();
