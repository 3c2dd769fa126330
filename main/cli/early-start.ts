/**
 * What the command line starts before anything else of it loads: for a
 * command that will ask to unlock the profile, the Argon2id worker readies
 * itself (crypto/kdf-prewarm.ts) while the rest of MedSeal loads and the
 * passphrase is read, so that about 0.2 s of each such command's fixed cost
 * overlaps with that loading instead of following it. Each entry calls it
 * from a module it imports first, with its own command line:
 * early-start-node.ts (cli/medseal.ts) and launcher/early-start-electron.ts
 * (`MedSeal --cli`; the desktop app readies nothing).
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

/** Readies the Argon2id worker when the command line `args` (the CLI's own) unlocks first. */
export function readyArgon2idFor(args: readonly string[]): void {
  if (unlocksFirst(args)) prewarmKdfWorker();
}
