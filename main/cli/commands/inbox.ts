/** `medseal inbox [open ID]` and `medseal receipts import FILE`: packages and receipts that came through the exchanges. */
import type { Command } from 'commander';
import { mkdir, readFile } from 'node:fs/promises';
import { isMedSealError } from '../../errors/medseal-error.js';
import { toIoError } from '../../errors/io-error.js';
import { trustLabel } from '../../texts/trust-texts.js';
import { PASSPHRASE_OPENED_TEXT } from '../../texts/delivery-texts.js';
import { describeCard, formatBytes, formatLocalTime } from '../format-text.js';
import { forTerminal } from '../terminal-text.js';
import { announceSender, consentFrom, listFilesOnConflict, printOpened } from './packages.js';
import type { Handle } from './identity.js';
import type { ReceiptFate } from '../../services/delivery/inbox.js';
import type { ReceiptTally } from '../../services/delivery/receipt-intake.js';

const RECEIPT_TEXT: Readonly<Record<ReceiptFate, string>> = {
  sent: 'The sender was sent a signed receipt.',
  queued:
    'A signed receipt for the sender waits in your outbox: no exchange took it now; it goes with the next `medseal inbox`.',
  none: 'No receipt was sent (receipts go only to contacts whose keys signed the package, and only where your organisation allows them).',
};

export function registerInboxCommands(program: Command, handle: Handle): void {
  const inbox = program
    .command('inbox')
    .description('packages waiting for you in the exchanges (receipts waiting there are taken in)');
  handle(inbox, async (context) => {
    const profile = await context.unlock();
    const listing = await (await context.inbox()).list();
    const names = new Map(
      (await profile.contacts.list()).map((contact) => [contact.fingerprint, contact.card.profile.name]),
    );
    for (const problem of listing.problems)
      context.out.warn(
        `${forTerminal(problem.exchange)}: ${isMedSealError(problem.error) ? problem.error.userMessage : 'an unexpected error occurred'}`,
      );
    const packages = listing.packages.map((entry) => ({
      id: entry.id,
      exchanges: entry.exchanges,
      size: entry.size,
      arrivedAt: entry.arrivedAt,
      sender: entry.preview
        ? {
            name: entry.preview.sender.profile.name,
            organisation: entry.preview.sender.profile.organisation,
            email: entry.preview.sender.profile.email,
            fingerprint: entry.preview.senderFingerprint,
          }
        : null,
      trust: entry.preview?.trust.kind ?? null,
      sealedAt: entry.preview?.metadata.createdAt ?? null,
      subject: entry.preview?.metadata.subject ?? null,
      openedBefore: entry.preview?.openedBefore ?? null,
      problem: entry.problem ? { code: entry.problem.code, message: entry.problem.userMessage } : null,
    }));
    context.out.result({ packages, receipts: listing.receipts, cardsOffered: listing.cardsOffered }, () => [
      ...(packages.length === 0 ? ['Nothing is waiting.'] : []),
      ...listing.packages.map((entry) =>
        entry.preview
          ? `${entry.id}  ${describeCard(entry.preview.sender)} — ${trustLabel(entry.preview.trust.kind, 'contact' in entry.preview.trust ? entry.preview.trust.contact.vouchedBy : null)}  ${formatLocalTime(entry.preview.metadata.createdAt)}${entry.preview.metadata.subject === null ? '' : `  "${forTerminal(entry.preview.metadata.subject)}"`}  ${formatBytes(entry.size)}  ${waitsIn(entry.exchanges)}${entry.preview.openedBefore ? `  (you opened it on ${formatLocalTime(entry.preview.openedBefore)})` : ''}`
          : `${entry.id}  (cannot be read: ${entry.problem?.userMessage ?? 'unknown problem'})  ${formatBytes(entry.size)}  ${waitsIn(entry.exchanges)}`,
      ),
      ...receiptLines(listing.receipts, (fingerprint) => names.get(fingerprint) ?? 'A recipient'),
      ...(packages.length > 0 ? [`Open one: ${context.commandLine('inbox open ID -o FOLDER')}`] : []),
      ...(listing.cardsOffered > 0
        ? [
            `${listing.cardsOffered === 1 ? 'A contact card' : `${listing.cardsOffered} contact cards`} came by e-mail: ${context.commandLine('contacts offers')}`,
          ]
        : []),
    ]);
  });

  const open = inbox
    .command('open')
    .description('verify a waiting package, save its files, archive it and send the sender a receipt')
    .argument('<id>')
    .requiredOption('-o, --output <folder>', 'folder to save the files in (created if missing)')
    .option('--require-verified', 'save nothing unless the sender is a verified contact')
    .option(
      '--accept-changed-keys',
      'save even when the keys and the identity of the sender do not belong together (possible impersonation; recorded in the audit log)',
    )
    .option(
      '--keep-both',
      'when the folder already has a file of the same name, save the new one as "name (2).ext" beside it',
    )
    .option('--again', 'save the files of a package you already opened before (no second receipt is sent)');
  handle(open, async (context) => {
    const options = open.opts<{
      output: string;
      requireVerified?: boolean;
      acceptChangedKeys?: boolean;
      keepBoth?: boolean;
      again?: boolean;
    }>();
    await context.unlock();
    await mkdir(options.output, { recursive: true, mode: 0o700 }).catch((error: unknown) => {
      throw toIoError('the output folder', error);
    });
    const { preview, job } = await (
      await context.inbox()
    ).open(
      open.args[0]!,
      options.output,
      consentFrom(options),
      { onProgress: undefined },
      { keepBoth: options.keepBoth === true },
    );
    announceSender(context, preview);
    const result = await context.untilDone(job).catch((error: unknown) => {
      listFilesOnConflict(context, preview, error);
      throw error;
    });
    printOpened(context, preview, result.paths, { receipt: result.receipt }, [RECEIPT_TEXT[result.receipt]]);
  });

  const receipts = program.command('receipts').description('signed receipts from the recipients of your packages');
  const importReceipt = receipts
    .command('import')
    .description('take in a receipt a recipient handed back as a file')
    .argument('<file>');
  handle(importReceipt, async (context) => {
    await context.unlock();
    const bytes = await readFile(importReceipt.args[0]!).catch((error: unknown) => {
      throw toIoError('the receipt file', error);
    });
    const taken = await (await context.receipts()).takeIn(bytes);
    if (taken.kind === 'withdrawal') {
      context.out.result({ withdrawal: taken.notice }, () => [
        `Withdrawal notice taken in: its sender took the package back at ${formatLocalTime(taken.notice.at)}.`,
      ]);
      return;
    }
    const { body, alreadyTakenIn, confirmedBy } = taken;
    const opened = confirmedBy === 'package-key' ? PASSPHRASE_OPENED_TEXT : 'opened';
    context.out.result({ receipt: body, alreadyTakenIn, confirmedBy }, () => [
      alreadyTakenIn
        ? 'This receipt was taken in before; nothing changed.'
        : `Receipt taken in: ${body.outcome === 'opened' ? opened : `refused (${body.reason ?? ''})`} at ${formatLocalTime(body.at)}.`,
    ]);
  });
}

/** "on Lab SFTP" or "on Lab SFTP and Shared folder": where a package waits. */
function waitsIn(exchanges: readonly string[]): string {
  const names = exchanges.map((name) => forTerminal(name));
  return `on ${names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)!}` : names[0]!}`;
}

/** What the receipts of this look came to, in words: who opened or refused what, and what came twice or was refused. */
function receiptLines(receipts: ReceiptTally, nameOf: (fingerprint: string) => string): string[] {
  return [
    ...receipts.answers.map((answer) =>
      answer.outcome === 'opened'
        ? `${forTerminal(nameOf(answer.recipient))} opened a package you sent (${formatLocalTime(answer.at)}); \`medseal packages list\` shows which.`
        : `${forTerminal(nameOf(answer.recipient))} could not open a package you sent (${forTerminal(answer.reason ?? 'no reason given')}, ${formatLocalTime(answer.at)}); \`medseal packages list\` shows which.`,
    ),
    ...receipts.withdrawals.map(
      (notice) =>
        `${forTerminal(nameOf(notice.sender))} withdrew a package they had sent you from one of your exchange inboxes (${formatLocalTime(notice.at)}).`,
    ),
    ...(receipts.alreadyTakenIn > 0
      ? [
          `${receipts.alreadyTakenIn === 1 ? 'One receipt' : `${receipts.alreadyTakenIn} receipts`} came a second time, through another exchange, and changed nothing.`,
        ]
      : []),
    ...(receipts.refused > 0
      ? [
          `${receipts.refused === 1 ? 'One receipt was' : `${receipts.refused} receipts were`} refused: not a valid answer to a package you sent (recorded in the audit log).`,
        ]
      : []),
  ];
}
