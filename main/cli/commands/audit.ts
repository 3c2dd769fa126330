/** `medseal audit verify | export` */
import type { Command } from 'commander';
import { exportVerifiedAudit, verifyAuditExport } from '../../services/audit-export.js';
import { actionsNamed, sinceTime, type AuditFilter } from '../../audit/audit-filter.js';
import { formatLocalTime } from '../format-text.js';
import { parseArmoredCard } from '../../identity/contact-card.js';
import { readTextInput } from '../read-input.js';
import { AuditLogTampered } from '../../audit/errors.js';
import { UsageError } from '../../errors/usage-error.js';
import { writeNewFile } from '../../fs/write-new-file.js';
import { counted } from '../../texts/counts.js';
import type { Handle } from './identity.js';

export function registerAuditCommands(program: Command, handle: Handle): void {
  const audit = program.command('audit').description('the signed, hash-chained log of security events');

  const verify = audit
    .command('verify')
    .description('check every entry; exits 5 and names the first bad entry if the log was changed');
  handle(verify, async (context) => {
    const result = (await context.unlock()).audit.verify();
    if (!result.ok) throw new AuditLogTampered(result.firstBadSeq, result.problem);
    context.out.result({ ok: true, entries: result.entries }, () => [
      `Audit log intact: ${counted('entry', result.entries)}, all signed and chained.`,
    ]);
  });

  const exportCommand = audit
    .command('export')
    .description(
      'export the log for compliance (csv) or SIEM tools (jsonl), all of it or the entries chosen by --action and --since',
    )
    .requiredOption('--format <format>', 'csv or jsonl')
    .option('-o, --output <file>', 'file to create (must not exist); default stdout')
    .option('--action <actions...>', 'only these actions (package.opened) or groups (package, contact, identity, …)')
    .option(
      '--since <time>',
      'only entries from then on: a day (2026-11-01), a time with its zone (2026-11-01T08:00Z) or a span back from now (7d, 12h)',
    );
  handle(exportCommand, async (context) => {
    const options = exportCommand.opts<{ format: string; output?: string; action?: string[]; since?: string }>();
    if (options.format !== 'csv' && options.format !== 'jsonl') throw new UsageError('--format must be csv or jsonl.');
    const filter: AuditFilter = {
      ...(options.action ? { actions: actionsNamed(options.action) } : {}),
      ...(options.since ? { since: sinceTime(options.since) } : {}),
    };
    const { text, entries } = await exportVerifiedAudit(await context.unlock(), options.format, filter);
    if (options.output) {
      await writeNewFile(options.output, text, 'the audit export');
      context.out.result({ written: true, entries }, () => [
        `Audit log exported: ${entries} ${entries === 1 ? 'entry' : 'entries'}.`,
      ]);
    } else process.stdout.write(text);
  });

  const verifyExport = audit
    .command('verify-export')
    .description(
      'check an exported copy offline (every entry and the signed head at its end); exits 5 if it was changed or cut short',
    )
    .argument('<file>', 'the exported .csv or .jsonl file')
    .option('--card <file>', "the exporting clinician's contact card (default: this profile's own)");
  handle(verifyExport, async (context) => {
    const cardFile = verifyExport.opts<{ card?: string }>().card;
    const signer = cardFile
      ? parseArmoredCard(await readTextInput(cardFile, 'the card file'))
      : await context.identities.publicCard();
    const checked = verifyAuditExport(await readTextInput(verifyExport.args[0]!, 'the audit export'), signer);
    if (!checked.filter) {
      const entries = checked.entries;
      context.out.result({ ok: true, entries, filtered: false }, () => [
        `Audit export intact: ${counted('entry', entries)}, all signed and chained, ending with the signed head.`,
      ]);
      return;
    }
    const { entries, leftOut, filter } = checked;
    const chosen = [
      filter.actions.length > 0 ? `actions ${filter.actions.join(', ')}` : '',
      filter.since ? `since ${formatLocalTime(filter.since)}` : '',
    ]
      .filter(Boolean)
      .join(', ');
    context.out.result(
      { ok: true, entries, filtered: true, leftOut, filter: { actions: filter.actions, since: filter.since } },
      () => [
        `Filtered audit export (${chosen}): each of its ${counted('entry', entries)} is intact and signed, and the signed head ends it.`,
        `The ${counted('entry', leftOut)} the filter left out cannot be checked from this copy; a full export (without --action and --since) proves the whole log.`,
      ],
    );
  });
}
