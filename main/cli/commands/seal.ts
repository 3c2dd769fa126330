/**
 * `medseal seal`: files for contacts into one package (with a subject, and the package it answers,
 * when given), or one package per line of a batch manifest; delivered on request. With
 * `--to-passphrase`, also (or only) for a partner without MedSeal: the passphrase MedSeal drew is
 * printed once, or written to a new 0600 file (`--passphrase-out`), and kept nowhere.
 */
import { WORKERS_FLAGS, WORKERS_HELP, workersOption } from '../workers-option.js';
import type { Command } from 'commander';
import { dirname, resolve } from 'node:path';
import { counted } from '../../texts/counts.js';
import { UsageError } from '../../errors/usage-error.js';
import type { CliContext } from '../context.js';
import { describeCard, formatBytes } from '../format-text.js';
import type { Handle } from './identity.js';
import { readTextInput } from '../read-input.js';
import { forTerminal } from '../terminal-text.js';
import { fingerprintHex } from '../../identity/fingerprint.js';
import { deliveryFailure } from '../../services/delivery/delivery-failure.js';
import { deliveredLines, problemJson, warnDelivery } from '../delivery-output.js';
import { classicalOnly } from '../../services/recipients.js';
import { cautionLines, recipientCautions } from '../../services/recipient-cautions.js';
import { sealBatch } from '../../services/batch-seal.js';
import { BatchIncomplete } from '../../services/errors.js';
import type { ErrorCategory } from '../../errors/medseal-error.js';
import { classicalOnlyText, emergencyAccessText, formatVersionText } from '../../texts/protection-texts.js';
import { progressPrinter, threadLines } from './packages.js';
import { writeNewFile } from '../../fs/write-new-file.js';
import { rm } from 'node:fs/promises';
import { describePassphraseRecipient } from '../../package/passphrase-recipient.js';
import { PASSPHRASE_HANDOVER, PASSPHRASE_SHOWN_ONCE } from '../../texts/passphrase-texts.js';
import type { PreparedSeal } from '../../services/send.js';

interface SealOptions {
  to?: string[];
  output?: string;
  note?: string;
  noteFile?: string;
  requireVerified?: boolean;
  deliver?: boolean;
  batch?: string;
  replyTo?: string;
  subject?: string;
  toPassphrase?: string;
  passphraseOut?: string;
  workers?: number;
}

/**
 * "NAME,EMAIL[,PHONE]": the e-mail is the first part after the name with an @ in it, so a name may
 * hold commas ("Smith, Sam"); what follows it is the phone number.
 */
export function parsePassphraseRecipient(text: string): { name: string; email: string; phone: string | null } {
  const parts = text.split(',');
  const at = parts.findIndex((part, index) => index > 0 && part.includes('@'));
  if (at < 1 || parts.length > at + 2)
    throw new UsageError(
      'Give --to-passphrase as "NAME,EMAIL" or "NAME,EMAIL,PHONE" (the name, their e-mail address, optionally a phone number).',
    );
  return { name: parts.slice(0, at).join(','), email: parts[at]!, phone: parts[at + 1] ?? null };
}

async function sealCommand(context: CliContext, files: readonly string[], options: SealOptions) {
  if (options.batch !== undefined) return batchCommand(context, files, options.batch, options);
  if (files.length === 0) throw new UsageError('Give at least one file to seal (or --batch MANIFEST).');
  if ((!options.to && !options.toPassphrase) || !options.output)
    throw new UsageError('Give the recipients with --to (or --to-passphrase) and the package to create with -o.');
  if (options.passphraseOut && !options.toPassphrase)
    throw new UsageError('--passphrase-out goes with --to-passphrase.');
  if (options.deliver && !options.to)
    throw new UsageError(
      '--deliver reaches contacts through the exchanges; a partner without MedSeal gets the package from you directly.',
    );
  return sealOne(context, files, { ...options, to: options.to ?? [], output: options.output });
}

/** `seal --batch MANIFEST.jsonl`: one unlock, one JSON line per manifest line, the rest sealed whatever one line's fate. */
async function batchCommand(context: CliContext, files: readonly string[], manifestPath: string, options: SealOptions) {
  if (
    files.length > 0 ||
    options.to ||
    options.output ||
    options.note !== undefined ||
    options.noteFile ||
    options.replyTo !== undefined ||
    options.subject !== undefined ||
    options.toPassphrase !== undefined ||
    options.passphraseOut !== undefined
  ) {
    throw new UsageError(
      '--batch takes the files, recipients, note and output of each package from the manifest: give nothing else but --require-verified and --deliver (a passphrase package is sealed on its own).',
    );
  }
  const manifest = await readTextInput(manifestPath, 'the batch file');
  await context.unlock();
  const send = await context.sender();
  let firstFailure: ErrorCategory | null = null;
  const failed = await sealBatch(send, manifest, {
    folder: manifestPath === '-' ? process.cwd() : dirname(resolve(manifestPath)),
    requireVerified: Boolean(options.requireVerified),
    workers: options.workers,
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
    replyTo: options.replyTo ?? null,
    subject: options.subject ?? null,
    passphraseRecipient: options.toPassphrase ? parsePassphraseRecipient(options.toPassphrase) : null,
    workers: options.workers,
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
  // The passphrase file is written first (never over a file): a package whose passphrase is lost opens for nobody.
  if (options.passphraseOut && prepared.passphrase)
    await writeNewFile(options.passphraseOut, `${prepared.passphrase}\n`, 'the passphrase', 0o600);
  let result;
  try {
    result = await context.untilDone(
      send.start(prepared, options.output, { onProgress: progressPrinter(!context.out.json) }),
    );
  } catch (error) {
    // Nothing was sealed: the passphrase file goes too (already gone is fine; any other failure is told).
    if (options.passphraseOut && prepared.passphrase) await rm(options.passphraseOut, { force: true });
    throw error;
  }
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
      ...passphraseJson(prepared, options.passphraseOut),
      delivery: delivery && {
        delivered: delivery.delivered,
        queued: delivery.queued,
        unreached: delivery.unreached,
        problems: delivery.problems.map(problemJson),
        notUsed: delivery.notUsed,
      },
    },
    () => [
      `Sealed ${counted('file', result.fileCount)}, ${formatBytes(result.totalBytes)}, for ${counted('recipient', prepared.recipients.length + (prepared.passphraseRecipient ? 1 : 0))}, format ${formatVersionText(result.formatVersion)}.`,
      ...prepared.recipients.map((recipient) => `  to ${describeCard(recipient.card)} [${recipient.state}]`),
      ...threadLines(context.profileIfUnlocked(), result),
      ...deliveredLines(delivery?.delivered ?? [], nameOf),
      ...passphraseLines(prepared, options.passphraseOut),
    ],
  );
  if (delivery) {
    // A changed host key is the error (exit 6); a queued recipient is none: it will be tried again.
    const failure = deliveryFailure(delivery.problems, delivery.unreached.map(nameOf));
    warnDelivery(context.out, delivery, nameOf, failure);
    if (failure) throw failure;
  }
}

/** What `--json` says of the passphrase: the words themselves, or the file they were written to. */
function passphraseJson(prepared: PreparedSeal, file: string | undefined): object {
  if (!prepared.passphraseRecipient || !prepared.passphrase) return {};
  return {
    passphraseRecipient: prepared.passphraseRecipient,
    ...(file ? { passphraseFile: file } : { passphrase: prepared.passphrase }),
  };
}

/** The lines that hand the passphrase over, once: printed, or the file named. */
function passphraseLines(prepared: PreparedSeal, file: string | undefined): string[] {
  if (!prepared.passphraseRecipient || !prepared.passphrase) return [];
  const who = forTerminal(describePassphraseRecipient(prepared.passphraseRecipient));
  return [
    `  to ${who} [passphrase: no MedSeal needed]`,
    '',
    file
      ? `The passphrase for ${who} is in ${forTerminal(file)} (readable by you only).`
      : `Passphrase for ${who}:\n\n    ${prepared.passphrase}\n`,
    PASSPHRASE_HANDOVER,
    PASSPHRASE_SHOWN_ONCE,
    'Send them the package itself as usual (e-mail attachment, file transfer): they open it with MedSeal or MedSeal Reader and the passphrase.',
  ];
}

export function registerSealCommand(program: Command, handle: Handle): void {
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
    .option(
      '--subject <text>',
      'a one-line subject, up to 200 characters (encrypted like the note; visible in process lists while sealing)',
    )
    .option(
      '--reply-to <id>',
      'the package this one answers: its number (#) from `packages list`, or at least 8 hex digits of its id (an inbox id works)',
    )
    .option(
      '--to-passphrase <recipient>',
      'also seal for a partner without MedSeal, "NAME,EMAIL[,PHONE]": MedSeal generates a six-word passphrase and prints it once (read it to them or send it by text message, never with the package)',
    )
    .option(
      '--passphrase-out <file>',
      'with --to-passphrase: write the passphrase to this new file (0600, never over an existing file) instead of printing it',
    )
    .option('--require-verified', 'refuse recipients whose safety number was not compared')
    .option(WORKERS_FLAGS, WORKERS_HELP, workersOption)
    .option(
      '--deliver',
      "also deliver it to each recipient's inbox through the exchanges; queued and tried again when an exchange is down (exit 7 naming whoever no exchange reaches, 6 when a server's host key changed)",
    )
    .option(
      '--batch <manifest>',
      'seal many packages with one unlock: a file of JSON lines {"files":[…],"to":[…],"noteFile":"…","output":"….medseal"} (paths relative to it); one JSON result per line on stdout',
    );
  handle(seal, (context) => sealCommand(context, seal.args, seal.opts()));
}
