/**
 * `medseal packages list [--search TEXT | --thread ID]`: sent and received packages (each with its
 * #), searched in memory, or one referral thread with its replies (services/threads.ts).
 */
import { PASSPHRASE_OPENED_TEXT } from '../../texts/delivery-texts.js';
import type { Command } from 'commander';
import { UsageError } from '../../errors/usage-error.js';
import { formatBytes, formatLocalTime } from '../format-text.js';
import { forTerminal } from '../terminal-text.js';
import type { Handle } from './identity.js';
import { searchPackages } from '../../services/package-search.js';
import { recipientStatuses, type NamedRecipientStatus } from '../../services/delivery/recipient-status.js';
import { registerWithdrawCommand } from './withdraw.js';
import { nextTryText, queuedStatusText } from '../../texts/queue-texts.js';
import { threadOf, threadsOf, type Thread } from '../../services/threads.js';
import { THREAD_STATE_TEXT } from '../../texts/thread-texts.js';
import type { PackageSummary } from '../../store/package-history.js';
import { describePassphraseRecipient } from '../../package/passphrase-recipient.js';
import type { CliContext } from '../context.js';

/** A partner by name as the contacts know them; the fingerprint only when asked for, or when there is no name. */
type Naming = (fingerprint: string, name: string | null) => string;

function naming(showFingerprints: boolean): Naming {
  return (fingerprint, name) =>
    name === null
      ? fingerprint.slice(0, 16)
      : showFingerprints
        ? `${forTerminal(name)} [${fingerprint}]`
        : forTerminal(name);
}

function statusLine(statuses: readonly NamedRecipientStatus[] | undefined, nameOf: Naming): string {
  if (!statuses) return '';
  return statuses
    .map(
      (entry) =>
        `\n    ${nameOf(entry.fingerprint, entry.name)}: ${
          entry.status === 'queued' && entry.nextTryAt
            ? queuedStatusText(nextTryText(entry.nextTryAt))
            : `${entry.passphrase && entry.status === 'opened' ? PASSPHRASE_OPENED_TEXT : entry.status}${entry.at ? ` ${formatLocalTime(entry.at)}` : ''}`
        }`,
    )
    .join('');
}

/** One package in one line: its #, when, with whom, its files and its subject. */
function packageLine(summary: PackageSummary, names: ReadonlyMap<string, string>, nameOf: Naming): string {
  const passphrase = summary.passphraseRecipient
    ? `passphrase package to ${forTerminal(describePassphraseRecipient(summary.passphraseRecipient))}`
    : null;
  const partner =
    summary.direction === 'sent' && summary.recipients.length === 0 && passphrase
      ? passphrase
      : `${nameOf(summary.counterpart, names.get(summary.counterpart) ?? null)}${passphrase && summary.direction === 'sent' ? ` and ${passphrase}` : ''}`;
  const subject = summary.subject === null ? '' : `  "${forTerminal(summary.subject)}"`;
  return `#${summary.id}  ${formatLocalTime(summary.recordedAt)}  ${summary.direction === 'sent' ? 'sent to' : 'from'} ${partner}${subject}  ${summary.fileCount} file(s), ${formatBytes(summary.totalBytes)}: ${forTerminal(summary.files.map((file) => file.name).join(', '))}`;
}

function threadNote(thread: { rootId: number; size: number } | undefined): string {
  return thread ? `  (thread of #${thread.rootId}, ${thread.size} packages: --thread ${thread.rootId})` : '';
}

/** `packages list --thread ID`: the thread newest first, each package with its state (and each recipient's, for a sent one). */
function printThread(context: CliContext, thread: Thread, names: ReadonlyMap<string, string>, nameOf: Naming): void {
  context.out.result(
    {
      thread: {
        rootId: thread.rootId,
        packages: thread.entries.map((entry) => ({
          ...entry.summary,
          state: entry.state,
          answers: entry.answers,
          recipients:
            entry.summary.direction === 'sent'
              ? entry.deliveries
              : entry.summary.recipients.map((fingerprint) => ({ fingerprint, name: names.get(fingerprint) ?? null })),
        })),
      },
    },
    () => [
      `Thread of #${thread.rootId}, ${thread.entries.length} package(s), newest first:`,
      ...thread.entries.map(
        (entry) =>
          `${packageLine(entry.summary, names, nameOf)}  [${THREAD_STATE_TEXT[entry.state]}]${entry.answers === null ? '' : `  answers #${entry.answers}`}${entry.summary.direction === 'sent' ? statusLine(entry.deliveries, nameOf) : ''}`,
      ),
    ],
  );
}

export function registerHistoryCommands(program: Command, handle: Handle): void {
  const packages = program.command('packages').description('what this profile sealed and opened');
  const list = packages
    .command('list')
    .description('list sent and received packages, newest first')
    .option(
      '--search <text>',
      'only packages with this text in a file name, or in the name, organisation or e-mail of the sender or a recipient',
    )
    .option(
      '--thread <id>',
      'only the thread of this package (its # or at least 8 hex digits of its id): the referral and every reply, newest first, with their state',
    )
    .option('--limit <n>', 'at most this many', '50')
    .option('--fingerprints', "show each partner's fingerprint beside their name");
  handle(list, async (context) => {
    const options = list.opts<{ search?: string; thread?: string; limit: string; fingerprints?: boolean }>();
    const limit = Number(options.limit);
    if (!Number.isSafeInteger(limit) || limit < 1) throw new UsageError('--limit must be a positive whole number.');
    if (options.search !== undefined && options.thread !== undefined)
      throw new UsageError('Give either --search or --thread, not both.');
    const profile = await context.unlock();
    const names = new Map(
      (await profile.contacts.list()).map((contact) => [contact.fingerprint, contact.card.profile.name]),
    );
    const nameOf = naming(options.fingerprints === true);
    if (options.thread !== undefined)
      return printThread(context, await threadOf(profile, options.thread), names, nameOf);
    const found = options.search ? await searchPackages(profile, options.search, limit) : profile.history.recent(limit);
    const statuses = await recipientStatuses(profile, found);
    const threads = threadsOf(profile, found);
    const packages = found.map((summary) => ({
      ...summary,
      thread: threads.get(summary.id) ?? null,
      recipients:
        statuses.get(summary.id) ??
        summary.recipients.map((fingerprint) => ({
          fingerprint,
          name: null,
          status: 'received',
          at: null,
          detail: null,
          nextTryAt: null,
          passphrase: false,
        })),
    }));
    context.out.result({ packages }, () =>
      found.length === 0
        ? ['No packages.']
        : found.map(
            (summary) =>
              `${packageLine(summary, names, nameOf)}${threadNote(threads.get(summary.id))}${statusLine(statuses.get(summary.id), nameOf)}`,
          ),
    );
  });
  registerWithdrawCommand(packages, handle);
}
