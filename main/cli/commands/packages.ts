/**
 * `medseal open | inspect`, and what `open`, `inbox open` and `seal` print alike: who sealed a
 * package, its subject and the package it answers, the files saved. (`seal` is in seal.ts.)
 */
import { cleanUp } from '../../errors/clean-up.js';
import { WORKERS_FLAGS, WORKERS_HELP, workersOption } from '../workers-option.js';
import type { Command } from 'commander';
import { mkdir, rmdir } from 'node:fs/promises';
import { counted } from '../../texts/counts.js';
import { toIoError } from '../../errors/io-error.js';
import { inspectPackage } from '../../package/inspect.js';
import type { CliContext } from '../context.js';
import { identityMismatchText, SENDER_WARNING, trustLabel } from '../../texts/trust-texts.js';
import { basename } from 'node:path';
import { cardJson, describeCard, formatBytes, formatLocalTime } from '../format-text.js';
import type { Handle } from './identity.js';
import { forTerminal } from '../terminal-text.js';
import { isMedSealError } from '../../errors/medseal-error.js';
import type { PackagePreview } from '../../services/receive.js';
import { writeNewFile } from '../../fs/write-new-file.js';
import { emergencyAccessText, formatVersionText } from '../../texts/protection-texts.js';
import { LookAlikeNotAdded } from '../../contacts/errors.js';
import { lookAlikeLines } from './contacts.js';
import { openedBeforeText } from '../../texts/delivery-texts.js';
import { AlreadyOpened } from '../../services/errors.js';
import type { UnlockedProfile } from '../../store/unlocked-profile.js';
import { openWithPassphrase, packagePassphraseFor } from './open-passphrase.js';
import { describePassphraseRecipient } from '../../package/passphrase-recipient.js';

export function progressPrinter(enabled: boolean): ((bytesDone: number, bytesTotal: number) => void) | undefined {
  if (!enabled || !process.stderr.isTTY) return undefined;
  let last = -1;
  return (bytesDone, bytesTotal) => {
    const percent = bytesTotal === 0 ? 100 : Math.floor((bytesDone / bytesTotal) * 100);
    if (percent === last) return;
    last = percent;
    process.stderr.write(`\r${percent}%${percent === 100 ? '\n' : ''}`);
  };
}

/** Creates `folder` if missing; runs `work`; removes the folder again if `work` fails and it was created here. */
async function inOutputFolder<T>(folder: string, work: () => Promise<T>): Promise<T> {
  const created = await mkdir(folder, { recursive: true, mode: 0o700 }).catch((error: unknown) => {
    throw toIoError('the output folder', error);
  });
  try {
    return await work();
  } catch (error) {
    if (created) await cleanUp(rmdir(folder));
    throw error;
  }
}

/**
 * The subject of a package and which package of this history it answers ("In reply to #3"), for
 * the lines `seal` and `open` print; nothing when it has neither.
 */
export function threadLines(
  profile: UnlockedProfile | null,
  thread: { readonly subject: string | null; readonly replyTo: string | null },
): string[] {
  const answered = thread.replyTo === null ? [] : (profile?.history.threads.rowsWithHash(thread.replyTo) ?? []);
  return [
    ...(thread.subject === null ? [] : [`Subject: ${forTerminal(thread.subject)}`]),
    ...(thread.replyTo === null
      ? []
      : [
          answered.length > 0
            ? `In reply to #${answered.join(' / #')} (medseal packages list --thread ${answered[0]})`
            : 'In reply to a package that is not in your history',
        ]),
  ];
}

/** Prints who sealed a package and every warning its trust calls for, before anything is saved. */
export function announceSender(context: CliContext, preview: PackagePreview): void {
  const { sender, claimedSender } = preview;
  if (!context.out.json)
    process.stdout.write(
      `From: ${describeCard(sender)} — ${trustLabel(preview.trust.kind, 'contact' in preview.trust ? preview.trust.contact.vouchedBy : null)}\n`,
    );
  const warning = SENDER_WARNING[preview.verdict];
  if (warning) context.out.warn(warning);
  if (claimedSender) context.out.warn(identityMismatchText(describeCard(sender), describeCard(claimedSender)));
  if (preview.emergencyAccess && !context.out.json)
    process.stdout.write(`${forTerminal(emergencyAccessText(preview.emergencyAccess))}\n`);
  if (preview.openedBefore !== null)
    context.out.warn(`${openedBeforeText(formatLocalTime(preview.openedBefore))} To save it again: --again.`);
}

/**
 * When a file of the package is already in the folder, the error names it by number only (names
 * never go into errors): the package's numbered list, printed first, says which one it is.
 */
export function listFilesOnConflict(context: CliContext, preview: PackagePreview, error: unknown): void {
  if (context.out.json || !isMedSealError(error) || error.code !== 'DESTINATION_EXISTS') return;
  process.stdout.write(
    `The package holds:\n${preview.metadata.files.map((file, index) => `  ${index + 1}. ${forTerminal(file.name)}`).join('\n')}\n`,
  );
  process.stdout.write('Add --keep-both to save the new file as "name (2).ext" beside the one already there.\n');
}

/** What `open` and `inbox open` print once the files are saved. */
export function printOpened(
  context: CliContext,
  preview: PackagePreview,
  paths: readonly string[],
  extra: object = {},
  lines: string[] = [],
): void {
  const { files, note, createdAt, subject, replyTo } = preview.metadata;
  const { sender, claimedSender } = preview;
  const answers = threadLines(context.profileIfUnlocked(), { subject, replyTo });
  context.out.result(
    {
      sender: {
        ...cardJson(sender),
        trust: preview.trust.kind,
        claimed: claimedSender ? cardJson(claimedSender) : null,
      },
      createdAt,
      files: files.map((file, index) => ({ ...file, path: paths[index] })),
      note,
      subject,
      replyTo,
      emergencyAccess: preview.emergencyAccess,
      passphraseRecipient: preview.metadata.passphraseRecipient,
      ...extra,
    },
    () => [
      `Sealed: ${formatLocalTime(createdAt)}`,
      ...answers,
      ...(preview.metadata.passphraseRecipient
        ? [
            `Also for: ${forTerminal(describePassphraseRecipient(preview.metadata.passphraseRecipient))}, with a passphrase (no MedSeal needed; as the sender wrote it)`,
          ]
        : []),
      ...files.map((file, index) => {
        const savedAs = paths[index] === undefined ? file.name : basename(paths[index]);
        return `  ${forTerminal(file.name)} (${formatBytes(file.size)})${savedAs === file.name ? '' : `, saved as "${forTerminal(savedAs)}" (a file of that name was already there)`}`;
      }),
      ...(note ? ['Note:', forTerminal(note, { keepNewlines: true })] : []),
      `All ${counted('file', files.length)} verified and saved.`,
      ...lines,
    ],
  );
}

export function consentFrom(options: { requireVerified?: boolean; acceptChangedKeys?: boolean; again?: boolean }) {
  return {
    confirmUntrusted: true,
    overrideAlarm: Boolean(options.acceptChangedKeys),
    requireVerified: Boolean(options.requireVerified),
    openAgain: Boolean(options.again),
  };
}

interface OpenOptions {
  output: string;
  again?: boolean;
  requireVerified?: boolean;
  acceptChangedKeys?: boolean;
  receiptOut?: string;
  keepBoth?: boolean;
  addSender?: boolean;
  acceptLookAlike?: boolean;
  workers?: number;
}

async function openCommand(context: CliContext, path: string, options: OpenOptions) {
  // A passphrase package opened with its six words needs no profile (open-passphrase.ts).
  const words = await packagePassphraseFor(context, path);
  if (words !== null)
    return openWithPassphrase(context, path, words, options, inOutputFolder, progressPrinter(!context.out.json));
  await context.unlock();
  const receive = await context.receiver();
  let preview = await receive.preview(path);
  announceSender(context, preview);
  if (options.addSender && preview.trust.kind === 'unknown') {
    const contact = await receive
      .addSender(preview, { acceptLookAlike: options.acceptLookAlike === true })
      .catch((error: unknown) => {
        if (error instanceof LookAlikeNotAdded)
          for (const line of lookAlikeLines(preview.metadata.sender, error)) context.out.warn(line);
        throw error;
      });
    context.out.warn(
      `Added ${forTerminal(describeCard(contact.card))} to your contacts, not verified: compare the safety number (medseal contacts show ${forTerminal(contact.card.profile.email)}) before trusting them.`,
    );
    preview = await receive.withCurrentTrust(preview); // the package already shown, never the file read again
    announceSender(context, preview);
  }
  const receipts = await context.receipts();
  if (options.receiptOut) receipts.assertMayAnswer(preview.trust.kind); // before anything is saved
  const writeReceipt = async (error: unknown) => {
    if (!options.receiptOut || preview.openedBefore !== null || error instanceof AlreadyOpened) return; // the sender was answered the first time

    const outcome = error === null ? 'opened' : 'refused';
    const receipt = receipts.make(
      preview.sender,
      preview.packageHash,
      outcome,
      isMedSealError(error) ? error.code : null,
    );
    await writeNewFile(options.receiptOut, receipt, 'the receipt file', 0o644);
    (await context.unlock()).recordReceiptSent(preview.senderFingerprint, outcome, 'file');
  };
  let result;
  try {
    result = await inOutputFolder(options.output, async () =>
      context.untilDone(
        await receive.start(
          preview,
          options.output,
          consentFrom(options),
          { onProgress: progressPrinter(!context.out.json) },
          { keepBoth: options.keepBoth === true, workers: options.workers },
        ),
      ),
    );
  } catch (error) {
    listFilesOnConflict(context, preview, error);
    if (receipts.isRefusal(error))
      await writeReceipt(error).catch((failed: unknown) =>
        context.out.warn(
          `no receipt was written: ${isMedSealError(failed) ? failed.userMessage : 'an internal problem'}`,
        ),
      );
    throw error;
  }
  await writeReceipt(null);
  printOpened(
    context,
    preview,
    result.paths,
    options.receiptOut ? { receipt: options.receiptOut } : {},
    options.receiptOut ? ['A signed receipt for the sender was written; send it back to them.'] : [],
  );
}

export function registerPackageCommands(program: Command, handle: Handle): void {
  const open = program
    .command('open')
    .description('verify a package, show its sender, and save its files into a folder')
    .argument('<package>')
    .requiredOption('-o, --output <folder>', 'folder to save the files in (created if missing)')
    .addHelpText(
      'after',
      '\nA package sealed with a passphrase (seal --to-passphrase) opens without any profile: give its six words with --passphrase-file FILE (or type them when asked, where this profile has no identity).',
    )
    .option('--require-verified', 'save nothing unless the sender is a verified contact')
    .option(
      '--accept-changed-keys',
      'save even when the keys and the identity of the sender do not belong together (possible impersonation; recorded in the audit log)',
    )
    .option(
      '--receipt-out <file>',
      'also write a signed receipt (opened, or refused with the reason) for the sender to this file',
    )
    .option('--again', 'save the files of a package you already opened before (no second receipt is made)')
    .option(WORKERS_FLAGS, WORKERS_HELP, workersOption)
    .option(
      '--keep-both',
      'when the folder already has a file of the same name, save the new one as "name (2).ext" beside it',
    )
    .option(
      '--add-sender',
      'add a sender who is not in your contacts, from the card in the package, as an unverified contact (compare the safety number before trusting them)',
    )
    .option(
      '--accept-look-alike',
      'with --add-sender: add the sender even though they could be mistaken for one of your contacts (recorded in the audit log)',
    );
  handle(open, (context) => openCommand(context, open.args[0]!, open.opts()));

  const inspect = program
    .command('inspect')
    .description('show what anyone can see of a package without a key')
    .argument('<package>');
  handle(inspect, async (context) => {
    const info = await inspectPackage(inspect.args[0]!);
    context.out.result(info, () => [
      `MedSeal package, format ${formatVersionText(info.formatVersion)}`,
      info.hasRecoveryStanza
        ? `Recipients:    ${info.recipientCount - 1}, and an organisation recovery key (which one is encrypted)`
        : `Recipients:    ${info.recipientCount}`,
      ...(info.passphrase
        ? [
            `Passphrase:    yes, for someone without MedSeal (Argon2id, ${info.passphrase.opsLimit} passes, ${formatBytes(info.passphrase.memLimitBytes)})`,
          ]
        : []),
      `Package size:  ${formatBytes(info.packageBytes)}`,
      `Content size:  ${info.contentBytes === null ? 'unknown (package incomplete)' : formatBytes(info.contentBytes)}`,
      `Chunk size:    ${formatBytes(info.chunkSizeBytes)}`,
      'Everything else (sender, file names, note, subject, the package it answers) is encrypted.',
    ]);
  });
}
