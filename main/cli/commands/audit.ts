/** `medseal audit verify | export` */
import type { Command } from 'commander';
import { exportVerifiedAudit, verifyAuditExport } from '../../services/audit-export.js';
import { parseArmoredCard } from '../../identity/contact-card.js';
import { readTextInput } from '../read-input.js';
import { AuditLogTampered } from '../../audit/errors.js';
import { UsageError } from '../../errors/usage-error.js';
import { writeNewFile } from '../../fs/write-new-file.js';
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
    const { text, entries } = exportVerifiedAudit(await context.unlock(), options.format);
    if (options.output) {
      await writeNewFile(options.output, text, 'the audit export');
      context.out.result({ written: true, entries }, () => ['Audit log exported.']);
    } else process.stdout.write(text);
  });

  const verifyExport = audit
    .command('verify-export')
    .description('check an exported copy offline (every entry and the signed head at its end); exits 5 if it was changed or cut short')
    .argument('<file>', 'the exported .csv or .jsonl file')
    .option('--card <file>', "the exporting clinician's contact card (default: this profile's own)");
  handle(verifyExport, async (context) => {
    const cardFile = verifyExport.opts<{ card?: string }>().card;
    const signer = cardFile ? parseArmoredCard(await readTextInput(cardFile, 'the card file')) : await context.identities.publicCard();
    const entries = verifyAuditExport(await readTextInput(verifyExport.args[0]!, 'the audit export'), signer);
    context.out.result({ ok: true, entries }, () => [`Audit export intact: ${entries} entries, all signed and chained, ending with the signed head.`]);
  });
}
