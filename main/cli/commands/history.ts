/** `medseal packages list [--search TEXT]`: sent and received packages, searched in memory. */
import type { Command } from 'commander';
import { UsageError } from '../../errors/usage-error.js';
import { formatBytes, formatLocalTime } from '../format-text.js';
import { forTerminal } from '../terminal-text.js';
import type { Handle } from './identity.js';
import { searchPackages } from '../../services/package-search.js';
import { recipientStatuses, type NamedRecipientStatus } from '../../services/delivery/recipient-status.js';

function statusLine(statuses: readonly NamedRecipientStatus[] | undefined): string {
  if (!statuses) return '';
  return statuses.map((entry) => `\n    ${forTerminal(entry.name ?? entry.fingerprint.slice(0, 16))}: ${entry.status}${entry.at ? ` ${entry.at}` : ''}`).join('');
}

export function registerHistoryCommands(program: Command, handle: Handle): void {
  const packages = program.command('packages').description('what this profile sealed and opened');
  const list = packages
    .command('list')
    .description('list sent and received packages, newest first')
    .option('--search <text>', 'only packages with this text in a file name, or in the name, organisation or e-mail of the sender or a recipient')
    .option('--limit <n>', 'at most this many', '50');
  handle(list, async (context) => {
    const options = list.opts<{ search?: string; limit: string }>();
    const limit = Number(options.limit);
    if (!Number.isSafeInteger(limit) || limit < 1) throw new UsageError('--limit must be a positive whole number.');
    const profile = await context.unlock();
    const found = options.search ? await searchPackages(profile, options.search, limit) : profile.history.recent(limit);
    const statuses = await recipientStatuses(profile, found);
    const packages = found.map((summary) => ({
      ...summary,
      recipients: statuses.get(summary.id) ?? summary.recipients.map((fingerprint) => ({ fingerprint, name: null, status: 'received', at: null, detail: null })),
    }));
    context.out.result({ packages }, () =>
      found.length === 0
        ? ['No packages.']
        : found.map(
            (summary) =>
              `${formatLocalTime(summary.recordedAt)}  ${summary.direction.padEnd(8)}  ${summary.counterpart.slice(0, 16)}  ${summary.fileCount} file(s), ${formatBytes(summary.totalBytes)}: ${forTerminal(summary.files.map((file) => file.name).join(', '))}${statusLine(statuses.get(summary.id))}`,
          ),
    );
  });
}
