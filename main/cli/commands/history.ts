/** `medseal packages list [--search TEXT]`: sent and received packages (each with its #), searched in memory. */
import type { Command } from 'commander';
import { UsageError } from '../../errors/usage-error.js';
import { formatBytes, formatLocalTime } from '../format-text.js';
import { forTerminal } from '../terminal-text.js';
import type { Handle } from './identity.js';
import { searchPackages } from '../../services/package-search.js';
import { recipientStatuses, type NamedRecipientStatus } from '../../services/delivery/recipient-status.js';
import { registerWithdrawCommand } from './withdraw.js';
import { nextTryText, queuedStatusText } from '../../texts/queue-texts.js';

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
            : `${entry.status}${entry.at ? ` ${formatLocalTime(entry.at)}` : ''}`
        }`,
    )
    .join('');
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
    .option('--limit <n>', 'at most this many', '50')
    .option('--fingerprints', "show each partner's fingerprint beside their name");
  handle(list, async (context) => {
    const options = list.opts<{ search?: string; limit: string; fingerprints?: boolean }>();
    const limit = Number(options.limit);
    if (!Number.isSafeInteger(limit) || limit < 1) throw new UsageError('--limit must be a positive whole number.');
    const profile = await context.unlock();
    const found = options.search ? await searchPackages(profile, options.search, limit) : profile.history.recent(limit);
    const statuses = await recipientStatuses(profile, found);
    const names = new Map(
      (await profile.contacts.list()).map((contact) => [contact.fingerprint, contact.card.profile.name]),
    );
    const nameOf = naming(options.fingerprints === true);
    const packages = found.map((summary) => ({
      ...summary,
      recipients:
        statuses.get(summary.id) ??
        summary.recipients.map((fingerprint) => ({
          fingerprint,
          name: null,
          status: 'received',
          at: null,
          detail: null,
          nextTryAt: null,
        })),
    }));
    context.out.result({ packages }, () =>
      found.length === 0
        ? ['No packages.']
        : found.map(
            (summary) =>
              `#${summary.id}  ${formatLocalTime(summary.recordedAt)}  ${summary.direction === 'sent' ? 'sent to' : 'from'} ${nameOf(summary.counterpart, names.get(summary.counterpart) ?? null)}  ${summary.fileCount} file(s), ${formatBytes(summary.totalBytes)}: ${forTerminal(summary.files.map((file) => file.name).join(', '))}${statusLine(statuses.get(summary.id), nameOf)}`,
          ),
    );
  });
  registerWithdrawCommand(packages, handle);
}
