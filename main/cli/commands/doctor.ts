/** `medseal doctor [--restore-drill [BACKUP]]`: every health check with OK or the fix; exit 1 when any fails. */
import { ownDirectoryAlarmChecks, partnerChecks } from '../../services/doctor-partners.js';
import { PartnerDirectories } from '../../services/partner-organisations.js';
import type { Command } from 'commander';
import { isMedSealError } from '../../errors/medseal-error.js';
import { backupFolderFor, listBackups } from '../../services/automatic-backups.js';
import { runDoctor, type ExchangeTests, type HealthCheck } from '../../services/doctor.js';
import { restoreDrill } from '../../services/restore-drill.js';
import { fingerprintHex } from '../../identity/fingerprint.js';
import type { CliContext } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { formatLocalTime } from '../format-text.js';
import { passphraseAvailable } from '../passphrase.js';
import { forTerminal } from '../terminal-text.js';
import { counted } from '../../texts/counts.js';
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
      detail: `backup made ${formatLocalTime(report.backupMadeAt)} restored into a temporary folder and removed: keys unlock; audit chain ${report.auditVerified ? 'verifies' : 'DOES NOT verify'} (${counted('entry', report.auditEntries)}); ${counted('contact', report.contacts)} (${report.verifiedContacts} verified); ${counted('package', report.packages)} in the history`,
    };
  } catch (error) {
    return {
      name,
      ok: false,
      detail: isMedSealError(error) ? error.userMessage : 'the backup could not be restored (internal problem)',
    };
  }
}

/**
 * Every exchange tried with the identity unlocked (SFTP logins and the person's own exchanges are
 * in the encrypted profile), when a passphrase can be had; undefined where there is nothing to
 * try with (no readable identity, a policy in error: their own lines say so).
 */
async function exchangeTests(context: CliContext): Promise<ExchangeTests | undefined> {
  if ((await context.machinePolicy()).state === 'error') return undefined;
  const card = await context.identities.publicCard().catch((error: unknown) => {
    if (isMedSealError(error)) return null; // missing or damaged: the identity line says which
    throw error;
  });
  if (!card) return undefined;
  if (!passphraseAvailable({ file: context.options.passphraseFile, envVar: 'MEDSEAL_PASSPHRASE' }))
    return { state: 'not-tested', reason: 'no-passphrase' };
  try {
    await context.unlock();
    return { state: 'tested', checks: await (await context.exchanges()).checkAll() };
  } catch (error) {
    // A wrong passphrase, a damaged database or audit log: the exchanges could not be tried, and the
    // reason is the line (the database and audit lines say more).
    if (isMedSealError(error)) return { state: 'not-tested', reason: 'unlock-failed', problem: error.userMessage };
    throw error;
  }
}

export function registerDoctorCommand(program: Command, handle: Handle, setExitCode: (code: number) => void): void {
  const doctor = program
    .command('doctor')
    .description(
      'check this workstation: profile, database, audit chain, policy, every exchange, SIEM, backups (asks for the passphrase to log in to the exchanges)',
    )
    .option(
      '--restore-drill [backup]',
      'also restore the newest automatic backup (or BACKUP) into a temporary folder and check it; asks for the passphrase',
    );
  handle(doctor, async (context) => {
    const results = await runDoctor(context.folder, {
      loadPolicyState: () => context.machinePolicy(),
      testExchanges: () => exchangeTests(context),
      commandLine: (rest) => context.commandLine(rest),
    });
    // Partner organisations are in the encrypted profile: listed when the exchanges' check unlocked it.
    if ((await context.machinePolicy()).state !== 'error') {
      const session = await context.session();
      if (session.isUnlocked) {
        results.push(...ownDirectoryAlarmChecks(session.ownDirectoryGossip()?.alarm() ?? null));
        results.push(...partnerChecks(new PartnerDirectories(session).list()));
      }
    }
    const drill = doctor.opts<{ restoreDrill?: string | true }>().restoreDrill;
    if (drill !== undefined) results.push(await drillCheck(context, drill));
    context.out.result({ ok: results.every((result) => result.ok), checks: results }, () =>
      results.map((result) =>
        forTerminal(`${result.ok ? (result.warning ? 'WARN' : 'OK  ') : 'FAIL'}  ${result.name}: ${result.detail}`),
      ),
    );
    if (!results.every((result) => result.ok)) setExitCode(EXIT.internal);
  });
}
