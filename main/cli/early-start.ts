/**
 * What the command line starts before anything else of it loads: for a
 * command that will ask to unlock the profile, the Argon2id worker readies
 * itself (crypto/kdf-prewarm.ts), for the memory the profile's keystore
 * asks for (none without a keystore), while the rest of MedSeal loads and the
 * passphrase is read, so that about 0.2 s of each such command's fixed cost
 * overlaps with that loading instead of following it. Each entry calls it
 * from a module it imports first, with its own command line:
 * early-start-node.ts (cli/medseal.ts) and launcher/early-start-electron.ts
 * (`MedSeal --cli`; the desktop app readies nothing).
 */
import { readFileSync } from 'node:fs';
import { prewarmKdfWorker } from '../crypto/kdf-prewarm.js';
import { kdfParamsAcceptable } from '../crypto/kdf-strength.js';
import { isSystemError } from '../errors/node-error.js';
import { ProfileFolder, resolveProfileFolder } from '../profile/profile-folder.js';

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

/** The profile folder a command line names (`--home X`, `--home=X`), else MEDSEAL_HOME or the default. */
function homeOf(args: readonly string[]): string {
  const at = args.indexOf('--home');
  const inline = args.find((arg) => arg.startsWith('--home='));
  return resolveProfileFolder(at >= 0 ? args[at + 1] : inline?.slice('--home='.length));
}

/**
 * The Argon2id memory the profile's keystore asks for (the worker is readied for exactly that), or
 * null when there is no keystore to unlock there (no identity: nothing to ready) or it is not one.
 * Read by hand, not with identity/keystore.ts's parser: this runs before the rest of MedSeal loads,
 * and the unlock checks the whole keystore anyway (the worker is only a head start).
 */
export function keystoreMemoryOf(folder: string): number | null {
  let text: string;
  try {
    text = readFileSync(new ProfileFolder(folder).keystorePath, 'utf8');
  } catch (error) {
    if (isSystemError(error)) return null; // none there, or not readable: the command will say so
    throw error;
  }
  try {
    const kdf = (JSON.parse(text) as { kdf?: { opsLimit?: unknown; memLimitBytes?: unknown } }).kdf;
    const params = { opsLimit: Number(kdf?.opsLimit), memLimitBytes: Number(kdf?.memLimitBytes) };
    return kdfParamsAcceptable(params) ? params.memLimitBytes : null;
  } catch (error) {
    if (error instanceof SyntaxError) return null; // not a keystore: the unlock will say so
    throw error;
  }
}

/** Readies the Argon2id worker, for the keystore's memory, when the command line `args` (the CLI's own) unlocks first. */
export function readyArgon2idFor(args: readonly string[]): void {
  if (!unlocksFirst(args)) return;
  const memory = keystoreMemoryOf(homeOf(args));
  if (memory !== null) prewarmKdfWorker(memory);
}
