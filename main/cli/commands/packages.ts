/** `medseal seal | open | inspect` */
import type { Command } from 'commander';
import { mkdir, rmdir } from 'node:fs/promises';
import { counted } from '../../texts/counts.js';
import { toIoError } from '../../errors/io-error.js';
import { UsageError } from '../../errors/usage-error.js';
import { inspectPackage } from '../../package/inspect.js';
import type { CliContext } from '../context.js';
import { identityMismatchText, SENDER_WARNING, TRUST_LABEL } from '../../texts/trust-texts.js';
import { basename } from 'node:path';
import { cardJson, describeCard, formatBytes, formatLocalTime } from '../format-text.js';
import type { Handle } from './identity.js';
import { readTextInput } from '../read-input.js';
import { forTerminal } from '../terminal-text.js';
import { isMedSealError } from '../../errors/medseal-error.js';
import { fingerprintHex } from '../../identity/fingerprint.js';
import type { PackagePreview } from '../../services/receive.js';
import { deliveryFailure } from '../../services/delivery/delivery-failure.js';
import { deliveredLines, problemJson, warnDelivery } from '../delivery-output.js';
import { writeNewFile } from '../../fs/write-new-file.js';
import { classicalOnly } from '../../services/recipients.js';
import { cautionLines, recipientCautions } from '../../services/recipient-cautions.js';
import { sealBatch } from '../../services/batch-seal.js';
import { BatchIncomplete } from '../../services/errors.js';
import type { ErrorCategory } from '../../errors/medseal-error.js';
import { dirname, resolve } from 'node:path';
import { classicalOnlyText, emergencyAccessText, formatVersionText } from '../../texts/protection-texts.js';
import { LookAlikeNotAdded } from '../../contacts/errors.js';
import { lookAlikeLines } from './contacts.js';
import { openedBeforeText } from '../../texts/delivery-texts.js';
import { AlreadyOpened } from '../../services/errors.js';

function progressPrinter(enabled: boolean): ((bytesDone: number, bytesTotal: number) => void) | undefined {
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
    if (created) await rmdir(folder).catch(() => undefined);
    throw error;
  }
}

interface SealOptions {
  to?: string[];
  output?: string;
  note?: string;
  noteFile?: string;
  requireVerified?: boolean;
  deliver?: boolean;
  batch?: string;
}

async function sealCommand(context: CliContext, files: readonly string[], options: SealOptions) {
  if (options.batch !== undefined) return batchCommand(context, files, options.batch, options);
  if (files.length === 0) throw new UsageError('Give at least one file to seal (or --batch MANIFEST).');
  if (!options.to || !options.output)
    throw new UsageError('Give the recipients with --to and the package to create with -o.');
  return sealOne(context, files, { ...options, to: options.to, output: options.output });
}

/** `seal --batch MANIFEST.jsonl`: one unlock, one JSON line per manifest line, the rest sealed whatever one line's fate. */
async function batchCommand(context: CliContext, files: readonly string[], manifestPath: string, options: SealOptions) {
  if (files.length > 0 || options.to || options.output || options.note !== undefined || options.noteFile) {
    throw new UsageError(
      '--batch takes the files, recipients, note and output of each package from the manifest: give nothing else but --require-verified and --deliver.',
    );
  }
  const manifest = await readTextInput(manifestPath, 'the batch file');
  await context.unlock();
  const send = await context.sender();
  let firstFailure: ErrorCategory | null = null;
  const failed = await sealBatch(send, manifest, {
    folder: manifestPath === '-' ? process.cwd() : dirname(resolve(manifestPath)),
    requireVerified: Boolean(options.requireVerified),
    queue: options.deliver ? await context.deliveryQueue() : undefined,
    readNote: (path) => readTextInput(path, 'a note file'),
    untilDone: (job) => context.untilDone(job),
    onOutcome: (outcome) => {
      if (!outcome.ok && firstFailure === null) firstFailure = outcome.category;
      process.stdout.write(`${JSON.stringify(outcome)}\n`);
    },
  });
  if (failed > 0) throw new BatchIncomplete(firstFailure ?? 'invalid-input', failed);
}

async function sealOne(
  context: CliContext,
  files: readonly string[],
  options: SealOptions & { to: string[]; output: string },
) {
  if (options.note !== undefined && options.noteFile)
    throw new UsageError('Give either --note or --note-file, not both.');
  const note = options.noteFile ? await readTextInput(options.noteFile, 'the note file') : (options.note ?? '');
  await context.unlock();
  const send = await context.sender();
  // The CLI has no tick box: unverified recipients are accepted with a warning unless --require-verified or the policy says otherwise.
  const prepared = await send.prepare({
    files: files.map((path) => ({ path })),
    recipients: options.to,
    note,
    confirmUnverified: true,
    requireVerified: Boolean(options.requireVerified),
  });
  for (const recipient of prepared.recipients) {
    if (recipient.state === 'unverified') context.out.warn(`${describeCard(recipient.card)} is not verified yet.`);
  }
  const classical = classicalOnly(prepared.recipients);
  if (classical.length > 0) context.out.warn(classicalOnlyText(classical.map((contact) => describeCard(contact.card))));
  const cautions = await recipientCautions(await context.unlock(), prepared.recipients);
  for (const line of cautionLines(cautions)) context.out.warn(forTerminal(line));
  if (prepared.emergencyAccess && !context.out.json)
    process.stderr.write(`${forTerminal(emergencyAccessText(prepared.emergencyAccess))}\n`);
  const result = await context.untilDone(
    send.start(prepared, options.output, { onProgress: progressPrinter(!context.out.json) }),
  );
  const delivery = options.deliver
    ? await (await context.deliveryQueue()).send(options.output, result.packageHash, result.recipientFingerprints)
    : null;
  const nameOf = (fingerprint: string) =>
    describeCard(
      prepared.recipients.find((recipient) => fingerprintHex(recipient.card.fingerprint) === fingerprint)!.card,
    );
  context.out.result(
    {
      sealed: true,
      ...result,
      files: undefined,
      cautions: cautions.map((caution) => ({
        recipient: fingerprintHex(caution.recipient.card.fingerprint),
        firstPackage: caution.firstPackage,
        lookAlikes: caution.lookAlikes.map((alike) => ({
          fingerprint: fingerprintHex(alike.contact.card.fingerprint),
          reason: alike.reason,
        })),
      })),
      emergencyAccess: prepared.emergencyAccess,
      delivery: delivery && {
        delivered: delivery.delivered,
        queued: delivery.queued,
        unreached: delivery.unreached,
        problems: delivery.problems.map(problemJson),
        notUsed: delivery.notUsed,
      },
    },
    () => [
      `Sealed ${counted('file', result.fileCount)}, ${formatBytes(result.totalBytes)}, for ${counted('recipient', prepared.recipients.length)}, format ${formatVersionText(result.formatVersion)}.`,
      ...prepared.recipients.map((recipient) => `  to ${describeCard(recipient.card)} [${recipient.state}]`),
      ...deliveredLines(delivery?.delivered ?? [], nameOf),
    ],
  );
  if (delivery) {
    // A changed host key is the error (exit 6); a queued recipient is none: it will be tried again.
    const failure = deliveryFailure(delivery.problems, delivery.unreached.map(nameOf));
    warnDelivery(context.out, delivery, nameOf, failure);
    if (failure) throw failure;
  }
}

/** Prints who sealed a package and every warning its trust calls for, before anything is saved. */
export function announceSender(context: CliContext, preview: PackagePreview): void {
  const { sender, claimedSender } = preview;
  if (!context.out.json) process.stdout.write(`From: ${describeCard(sender)} — ${TRUST_LABEL[preview.trust.kind]}\n`);
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
  const { files, note, createdAt } = preview.metadata;
  const { sender, claimedSender } = preview;
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
      emergencyAccess: preview.emergencyAccess,
      ...extra,
    },
    () => [
      `Sealed: ${formatLocalTime(createdAt)}`,
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
}

async function openCommand(context: CliContext, path: string, options: OpenOptions) {
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
          { keepBoth: options.keepBoth === true },
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
  const seal = program
    .command('seal')
    .description('seal files for one or more contacts into a .medseal package')
    .argument('[files...]')
    .option('--to <contacts...>', 'recipients: e-mail or fingerprint prefix')
    .option('-o, --output <file>', 'package to create (must not exist)')
    .option(
      '--note <text>',
      'a note for the recipients (encrypted; visible in process lists while sealing: prefer --note-file)',
    )
    .option('--note-file <file>', 'read the note from a file, or from stdin with -')
    .option('--require-verified', 'refuse recipients whose safety number was not compared')
    .option(
      '--deliver',
      "also deliver it to each recipient's inbox through the exchanges; queued and tried again when an exchange is down (exit 7 naming whoever no exchange reaches, 6 when a server's host key changed)",
    )
    .option(
      '--batch <manifest>',
      'seal many packages with one unlock: a file of JSON lines {"files":[…],"to":[…],"noteFile":"…","output":"….medseal"} (paths relative to it); one JSON result per line on stdout',
    );
  handle(seal, (context) => sealCommand(context, seal.args, seal.opts()));

  const open = program
    .command('open')
    .description('verify a package, show its sender, and save its files into a folder')
    .argument('<package>')
    .requiredOption('-o, --output <folder>', 'folder to save the files in (created if missing)')
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
      `Package size:  ${formatBytes(info.packageBytes)}`,
      `Content size:  ${info.contentBytes === null ? 'unknown (package incomplete)' : formatBytes(info.contentBytes)}`,
      `Chunk size:    ${formatBytes(info.chunkSizeBytes)}`,
      'Everything else (sender, file names, note) is encrypted.',
    ]);
  });
}
