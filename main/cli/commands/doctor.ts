/** `medseal doctor [--restore-drill [BACKUP]]`: every health check with OK or the fix; exit 1 when any fails. */
import type { Command } from 'commander';
import { isMedSealError } from '../../errors/medseal-error.js';
import { backupFolderFor, listBackups } from '../../services/automatic-backups.js';
import { runDoctor, type HealthCheck } from '../../services/doctor.js';
import { restoreDrill } from '../../services/restore-drill.js';
import { fingerprintHex } from '../../identity/fingerprint.js';
import type { CliContext } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { formatLocalTime } from '../format-text.js';
import type { Handle } from './identity.js';

/** The backup to drill: the one named, else the newest automatic backup of this identity. */
async function backupToDrill(context: CliContext, named: string | true): Promise<string | null> {
  if (named !== true) return named;
  const { backupFolder } = (await context.policy()).effective;
  if (!backupFolder) return null;
  const card = await context.identities.publicCard();
  return (
    (await listBackups(backupFolderFor(backupFolder, card.fingerprint), fingerprintHex(card.fingerprint)))[0]?.path ??
    null
  );
}

async function drillCheck(context: CliContext, named: string | true): Promise<HealthCheck> {
  const name = 'restore drill';
  try {
    const backup = await backupToDrill(context, named);
    if (!backup)
      return {
        name,
        ok: false,
        detail: 'no backup to restore: name one (--restore-drill FILE) or set the policy backupFolder',
      };
    const report = await restoreDrill(backup, await context.passphrase());
    return {
      name,
      ok: report.auditVerified,
      detail: `backup made ${formatLocalTime(report.backupMadeAt)} restored into a temporary folder and removed: keys unlock; audit chain ${report.auditVerified ? 'verifies' : 'DOES NOT verify'} (${report.auditEntries} entries); ${report.contacts} contacts (${report.verifiedContacts} verified); ${report.packages} packages in the history`,
    };
  } catch (error) {
    return {
      name,
      ok: false,
      detail: isMedSealError(error) ? error.userMessage : 'the backup could not be restored (internal problem)',
    };
  }
}

export function registerDoctorCommand(program: Command, handle: Handle, setExitCode: (code: number) => void): void {
  const doctor = program
    .command('doctor')
    .description('check this workstation: profile, database, audit chain, policy, exchange folders, SIEM, backups')
    .option(
      '--restore-drill [backup]',
      'also restore the newest automatic backup (or BACKUP) into a temporary folder and check it; asks for the passphrase',
    );
  handle(doctor, async (context) => {
    const results = await runDoctor(context.folder, { loadPolicyState: () => context.machinePolicy() });
    const drill = doctor.opts<{ restoreDrill?: string | true }>().restoreDrill;
    if (drill !== undefined) results.push(await drillCheck(context, drill));
    context.out.result({ ok: results.every((result) => result.ok), checks: results }, () =>
      results.map((result) => `${result.ok ? 'OK  ' : 'FAIL'}  ${result.name}: ${result.detail}`),
    );
    if (!results.every((result) => result.ok)) setExitCode(EXIT.internal);
  });
}
