/** `medseal audit verify | export` */
import type { Command } from 'commander';
import type { AuditExportFormat } from '../../audit/audit-export.js';
import { exportVerifiedAudit } from '../../services/audit-export.js';
import { AuditLogTampered } from '../../audit/errors.js';
import { UsageError } from '../../errors/usage-error.js';
import { writeNewTextFile } from '../../fs/write-new-text-file.js';
import type { Handle } from './identity.js';

export function registerAuditCommands(program: Command, handle: Handle): void {
  const audit = program.command('audit').description('the signed, hash-chained log of security events');

  const verify = audit.command('verify').description('check every entry; exits 5 and names the first bad entry if the log was changed');
  handle(verify, async (context) => {
    const result = (await context.unlock()).audit.verify();
    if (!result.ok) throw new AuditLogTampered(result.firstBadSeq, result.problem);
    context.out.result({ ok: true, entries: result.entries }, () => [`Audit log intact: ${result.entries} entries, all signed and chained.`]);
  });

  const exportCommand = audit
    .command('export')
    .description('export the log for compliance (csv) or SIEM tools (jsonl)')
    .requiredOption('--format <format>', 'csv or jsonl')
    .option('-o, --output <file>', 'file to create (must not exist); default stdout');
  handle(exportCommand, async (context) => {
    const options = exportCommand.opts<{ format: string; output?: string }>();
    if (options.format !== 'csv' && options.format !== 'jsonl') throw new UsageError('--format must be csv or jsonl.');
    const { text, entries } = exportVerifiedAudit(await context.unlock(), options.format as AuditExportFormat);
    if (options.output) {
      await writeNewTextFile(options.output, text, 'the audit export');
      context.out.result({ written: true, entries }, () => ['Audit log exported.']);
    } else process.stdout.write(text);
  });
}
