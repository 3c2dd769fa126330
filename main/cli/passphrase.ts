/**
 * Where the CLI gets a passphrase: --passphrase-file, then the environment
 * variable, then a silent prompt on the terminal. Never from an argument
 * (arguments show up in process lists and shell history).
 */
import { readFile } from 'node:fs/promises';
import { read } from 'read';
import { toIoError } from '../errors/io-error.js';
import { UsageError } from '../errors/usage-error.js';

export interface PassphraseSource {
  readonly file?: string;
  readonly envVar: string;
  readonly prompt: string;
  /** Ask twice on a terminal (for a new passphrase). */
  readonly confirm?: boolean;
  /** What is asked for, in the error when it cannot be: the file option's name and the thing (default: the passphrase). */
  readonly asked?: { readonly option: string; readonly thing: string };
}

export async function obtainPassphrase(
  source: PassphraseSource,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  if (source.file) {
    const text = await readFile(source.file, 'utf8').catch((error: unknown) => {
      throw toIoError('the passphrase file', error);
    });
    return text.replace(/\r?\n$/, '');
  }
  const fromEnv = env[source.envVar];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  if (!process.stdin.isTTY) {
    const { option, thing } = source.asked ?? { option: '--passphrase-file', thing: 'passphrase' };
    throw new UsageError(`A ${thing} is needed: give ${option} or set ${source.envVar} (no terminal to ask on).`);
  }
  const first = await read({ prompt: source.prompt, silent: true, replace: '', output: process.stderr });
  if (source.confirm) {
    const second = await read({ prompt: 'Type it again: ', silent: true, replace: '', output: process.stderr });
    if (first !== second) throw new UsageError('The two passphrases differ. Nothing was changed.');
  }
  return first;
}

/** Whether a passphrase can be had without asking in vain: a file, the variable, or a terminal to ask on. */
export function passphraseAvailable(
  source: Pick<PassphraseSource, 'file' | 'envVar'>,
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  return Boolean(source.file) || (env[source.envVar] ?? '') !== '' || process.stdin.isTTY === true;
}
