/**
 * `medseal open PKG -o DIR --passphrase-file F` for a passphrase package
 * (docs/FORMAT.md §2.13): opened with the six words, without any profile.
 * Which secret `--passphrase-file` holds is decided by the package, the file
 * and the profile: for a package with a passphrase stanza, a file of six
 * passphrase words is the package's, and so is any file where the profile
 * has no identity; otherwise it is the profile's passphrase, as for every
 * other command. Without the file, a profile that has no identity asks for
 * the package's words on the terminal. Nothing is audited (there is
 * no profile to audit in) and the words are printed nowhere.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { toIoError } from '../../errors/io-error.js';
import { UsageError } from '../../errors/usage-error.js';
import { isMedSealError } from '../../errors/medseal-error.js';
import { inspectPackage } from '../../package/inspect.js';
import { isPackagePassphrase } from '../../package/passphrase-words.js';
import { describePassphraseRecipient } from '../../package/passphrase-recipient.js';
import { emergencyAccessView } from '../../services/emergency-access-view.js';
import type { PassphrasePreview } from '../../services/passphrase-open.js';
import { counted } from '../../texts/counts.js';
import { PASSPHRASE_SENDER_LABEL, PASSPHRASE_SENDER_WARNING } from '../../texts/passphrase-texts.js';
import { emergencyAccessText } from '../../texts/protection-texts.js';
import type { CliContext } from '../context.js';
import { cardJson, describeCard, formatBytes, formatLocalTime } from '../format-text.js';
import { obtainPassphrase } from '../passphrase.js';
import { forTerminal } from '../terminal-text.js';
import { chunkWorkersFor } from '../../services/package-runner.js';

export interface PassphraseOpenOptions {
  output: string;
  keepBoth?: boolean;
  requireVerified?: boolean;
  receiptOut?: string;
  addSender?: boolean;
  workers?: number;
}

/**
 * The words to open `path` with, or null when this is an ordinary open (the package has no
 * passphrase stanza, or the passphrase source is the profile's).
 */
export async function packagePassphraseFor(context: CliContext, path: string): Promise<string | null> {
  const hasIdentity = () =>
    context.identities.publicCard().then(
      () => true,
      (error: unknown) => {
        if (isMedSealError(error) && error.code === 'IDENTITY_MISSING') return false;
        throw error;
      },
    );
  let info;
  try {
    info = await inspectPackage(path);
  } catch (error) {
    // With an identity, the ordinary open says what is wrong with the package, audited as a refusal;
    // without one, that would only say "no identity": the package's own error is the answer.
    if (await hasIdentity()) return null;
    throw error;
  }
  if (!info.passphrase) return null;
  const file = context.options.passphraseFile;
  const text = file
    ? await readFile(file, 'utf8').catch((error: unknown) => {
        throw toIoError('the passphrase file', error);
      })
    : null;
  if (text !== null && isPackagePassphrase(text)) return text;
  if (await hasIdentity()) return null; // the file (or the prompt) is the profile's passphrase
  // No identity here: whatever was given can only be the package's words (a typo is named by position).
  if (text !== null) return text;
  return obtainPassphrase({
    envVar: 'MEDSEAL_PACKAGE_PASSPHRASE',
    prompt: 'The six words of the package passphrase: ',
    asked: { option: '--passphrase-file', thing: 'package passphrase (six words)' },
  });
}

export async function openWithPassphrase(
  context: CliContext,
  path: string,
  words: string,
  options: PassphraseOpenOptions,
  inFolder: <T>(folder: string, work: () => Promise<T>) => Promise<T>,
  onProgress: ((done: number, total: number) => void) | undefined,
): Promise<void> {
  if (options.receiptOut || options.addSender || options.requireVerified)
    throw new UsageError(
      'A package opened with a passphrase has no verified sender and no profile to answer from: --require-verified, --receipt-out and --add-sender do not apply.',
    );
  const opener = context.passphraseOpener();
  const preview = await opener.preview(path, words);
  if (!context.out.json) process.stdout.write(`From: ${describeCard(preview.sender)} — ${PASSPHRASE_SENDER_LABEL}\n`);
  context.out.warn(PASSPHRASE_SENDER_WARNING);
  const policy = await context.policy();
  const emergency = emergencyAccessView(preview.metadata.recovery, policy);
  if (emergency && !context.out.json) process.stdout.write(`${forTerminal(emergencyAccessText(emergency))}\n`);
  let result;
  try {
    result = await inFolder(options.output, () =>
      context.untilDone(
        opener.start(
          preview,
          options.output,
          { onProgress },
          {
            keepBoth: options.keepBoth === true,
            workers: chunkWorkersFor(policy.effective, options.workers),
          },
        ),
      ),
    );
  } catch (error) {
    opener.discard(preview);
    throw error;
  }
  printPassphraseOpened(context, preview, result.paths);
}

function printPassphraseOpened(context: CliContext, preview: PassphrasePreview, paths: readonly string[]): void {
  const { files, note, createdAt, subject, passphraseRecipient } = preview.metadata;
  context.out.result(
    {
      sender: { ...cardJson(preview.sender), trust: 'not-verified' },
      openedWith: 'passphrase',
      passphraseRecipient,
      createdAt,
      files: files.map((file, index) => ({ ...file, path: paths[index] })),
      note,
      subject,
    },
    () => [
      `Sealed: ${formatLocalTime(createdAt)}`,
      ...(passphraseRecipient
        ? [`For: ${forTerminal(describePassphraseRecipient(passphraseRecipient))} (as the sender wrote it)`]
        : []),
      ...(subject === null ? [] : [`Subject: ${forTerminal(subject)}`]),
      ...files.map((file, index) => {
        const savedAs = paths[index] === undefined ? file.name : basename(paths[index]);
        return `  ${forTerminal(file.name)} (${formatBytes(file.size)})${savedAs === file.name ? '' : `, saved as "${forTerminal(savedAs)}"`}`;
      }),
      ...(note ? ['Note:', forTerminal(note, { keepNewlines: true })] : []),
      `All ${counted('file', files.length)} verified and saved.`,
    ],
  );
}
