/**
 * `medseal doctor`: the health check IT runs on a workstation. Each check
 * says OK, or what is wrong and how to fix it; nothing here needs the
 * passphrase (the audit chain verifies with the public key alone).
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { inspectDatabase } from '../store/database-health.js';
import { IdentityStore } from '../identity/identity-store.js';
import { loadMachinePolicy, type PolicyState } from '../policy/load-policy.js';
import { loadDirectory } from '../directory/org-directory.js';
import type { ProfileFolder } from '../profile/profile-folder.js';
import { parseSiemAddress } from '../siem/siem-address.js';
import { probeSiemServer, type SiemProbe } from '../siem/siem-sender.js';
import { fingerprintHex } from '../identity/fingerprint.js';
import { isMedSealError } from '../errors/medseal-error.js';
import { isNodeError } from '../errors/node-error.js';
import { readEmergencyLog } from '../org-recovery/emergency-log.js';
import { parseRecoveryCard } from '../org-recovery/recovery-key.js';
import { backupCheck } from './doctor-backups.js';
import { exchangeCheckLines, untestedExchangeLines, type CommandLine, type ExchangeTests } from './doctor-exchanges.js';
import { check, reasonOf, type HealthCheck } from './health-check.js';
import { counted } from '../texts/counts.js';

export type { HealthCheck, ExchangeTests };

/** Under `orgRecoveryKey`: whose key it is, and that its emergency-access log is where uses will be recorded, and intact. */
async function emergencyAccessCheck(recoveryKey: string, logFolder: string | null): Promise<HealthCheck> {
  const card = parseRecoveryCard(recoveryKey);
  const which = `${card.profile.organisation}'s recovery key ${fingerprintHex(card.fingerprint).slice(0, 16)}`;
  if (!logFolder)
    return check(
      'emergency access',
      false,
      `${which}: no directoryFolder in the policy, so uses would be recorded nowhere IT chose (set directoryFolder)`,
    );
  try {
    const { records } = await readEmergencyLog(logFolder, card);
    return check(
      'emergency access',
      true,
      `${which}: its log verifies, ${counted('use', records.length - 1)} recorded`,
    );
  } catch (error) {
    return check(
      'emergency access',
      false,
      `${which}: ${isMedSealError(error) ? error.userMessage : 'its log cannot be read'}`,
    );
  }
}

async function folderPermissions(folder: ProfileFolder): Promise<HealthCheck> {
  if (process.platform === 'win32')
    return check('profile folder permissions', true, 'Windows: protected by the user profile ACLs');
  const info = await stat(folder.path).catch((error: unknown) => {
    if (isNodeError(error, 'ENOENT')) return null;
    throw error; // the identity file was found in it just before: this is not a health finding
  });
  if (!info)
    return check('profile folder permissions', false, `no profile at ${folder.path}: create an identity first`);
  const loose: string[] = [];
  if ((info.mode & 0o077) !== 0)
    loose.push(`folder is ${(info.mode & 0o777).toString(8)} (fix: chmod 700 "${folder.path}")`);
  for (const name of await readdir(folder.path)) {
    const file = await stat(join(folder.path, name));
    if (file.isFile() && (file.mode & 0o077) !== 0 && !name.startsWith('.'))
      loose.push(`${name} is ${(file.mode & 0o777).toString(8)} (fix: chmod 600)`);
  }
  return check(
    'profile folder permissions',
    loose.length === 0,
    loose.length === 0 ? '0700, files 0600' : loose.join('; '),
  );
}

function databaseChecks(folder: ProfileFolder, signingKey: Uint8Array | null): HealthCheck[] {
  const health = inspectDatabase(folder.databasePath, signingKey);
  if (!health.opened)
    return [
      check(
        'database integrity',
        false,
        `no database yet or it cannot be opened (${health.reason}: unlock the app once; restore from backup if it persists)`,
      ),
    ];
  const { integrity, audit } = health;
  const results = [
    check(
      'database integrity',
      integrity === 'ok',
      integrity === 'ok' ? 'PRAGMA integrity_check: ok' : `integrity_check: ${integrity} (restore from backup)`,
    ),
  ];
  if (audit)
    results.push(
      check(
        'audit chain',
        audit.ok,
        audit.ok
          ? `${counted('entry', audit.entries)}, signed and chained`
          : `entry ${audit.firstBadSeq}: ${audit.problem} (keep the profile as is and escalate)`,
      ),
    );
  return results;
}

/** Whether the SIEM server answers (a connection, and for TLS a verified handshake); nothing is sent. */
async function siemCheck(server: string, caFile: string | null, probe: SiemProbe): Promise<HealthCheck> {
  try {
    const ca = caFile ? await readFile(caFile) : undefined;
    await probe(parseSiemAddress(server), { ca, timeoutMs: 5_000 });
    return check('SIEM server', true, `${server} answers`);
  } catch (error) {
    return check(
      'SIEM server',
      false,
      `${server} cannot be reached${caFile ? ' or its certificate is not signed by the CA in syslogCaFile' : ''} (${reasonOf(error)}; audit events wait in the audit log until it can)`,
    );
  }
}

/** Days before the revocation list's expiry from which the health check warns (IT then has time to re-sign it). */
export const REVOCATION_WARNING_DAYS = 7;

/** The directory's cards, and whether its revocation list expires soon (after which no directory card is trusted). */
async function directoryChecks(directoryFolder: string, orgPublicKey: string, now: Date): Promise<HealthCheck[]> {
  const directory = await loadDirectory(
    directoryFolder,
    new Uint8Array(Buffer.from(orgPublicKey, 'base64')),
    null,
    now,
  );
  const { warnings, cards, revocationsValidUntil: validUntil } = directory;
  const results = [
    check(
      'organisation directory',
      warnings.length === 0,
      warnings.length === 0
        ? `${cards.length} vetted cards`
        : `${cards.length} vetted cards; ignored: ${warnings.join('; ')}`,
    ),
  ];
  if (validUntil !== null) {
    const days = (Date.parse(validUntil) - now.getTime()) / 86_400_000;
    const soon = days <= REVOCATION_WARNING_DAYS;
    const when = `${validUntil.slice(0, 10)}, in ${days < 1 ? 'less than a day' : counted('day', Math.floor(days))}`;
    results.push(
      check(
        'revocation list expiry',
        !soon,
        soon
          ? `the signed revocation list expires on ${when}: IT must sign it again (medseal org refresh-revocations), or no directory card is trusted after that`
          : `valid until ${when}`,
      ),
    );
  }
  return results;
}

export interface DoctorOptions {
  readonly loadPolicyState?: () => Promise<PolicyState>;
  readonly probeSiem?: SiemProbe;
  readonly now?: Date;
  /**
   * Every exchange tried with the identity unlocked, or why it could not be (the CLI unlocks when it
   * can): asked only once the profile's files and database were looked at as they were.
   */
  readonly testExchanges?: () => Promise<ExchangeTests | undefined>;
  /** How a suggested command is written (the CLI keeps the run's --home). */
  readonly commandLine?: CommandLine;
}

export async function runDoctor(folder: ProfileFolder, options: DoctorOptions = {}): Promise<HealthCheck[]> {
  const results: HealthCheck[] = [];
  const policy = await (options.loadPolicyState ?? (() => loadMachinePolicy()))();
  results.push(
    policy.state === 'error'
      ? check('policy', false, `${policy.source}: ${policy.problem}`)
      : check(
          'policy',
          true,
          policy.state === 'ok'
            ? `${policy.source}: valid (${policy.managed.join(', ') || 'no keys'})`
            : `none at ${policy.source}; defaults apply`,
        ),
  );
  const identities = new IdentityStore(folder);
  let cardProblem = 'the identity file cannot be read (restore it from a backup)';
  const card = await identities.publicCard().catch((error: unknown) => {
    // KeystoreMalformed, IoError… in its own words (IdentityMissing: a fresh workstation, below).
    cardProblem = isMedSealError(error) ? error.userMessage : reasonOf(error);
    return null;
  });
  if (!card && !(await identities.exists())) {
    // A fresh workstation: nothing is wrong yet, the clinician has not started.
    results.push(
      check(
        'identity',
        true,
        'no identity on this workstation yet: the clinician creates one in the app (or: medseal identity create --name … --org … --email …)',
      ),
    );
  } else {
    results.push(await folderPermissions(folder));
    results.push(check('identity', card !== null, card ? 'keystore readable, contact card valid' : cardProblem));
    results.push(...databaseChecks(folder, card?.signingKey ?? null));
  }
  results.push(
    check(
      'OS keychain',
      true,
      'checked by the desktop app (Settings shows whether "remember on this device" is available)',
    ),
  );
  if (policy.state !== 'error') {
    const tests = await options.testExchanges?.();
    if (tests?.state === 'tested')
      results.push(...exchangeCheckLines(tests.checks, options.commandLine ?? ((rest) => `medseal ${rest}`)));
    else
      results.push(
        ...(await untestedExchangeLines(
          policy.effective.exchangeFolders,
          tests ?? (card ? { state: 'not-tested', reason: 'no-passphrase' } : null),
        )),
      );
    if (policy.effective.backupFolder && (card || (await identities.exists())))
      results.push(
        await backupCheck(
          policy.effective.backupFolder,
          policy.effective.backupIntervalHours,
          card,
          options.now ?? new Date(),
        ),
      );
    if (policy.effective.syslogServer)
      results.push(
        await siemCheck(
          policy.effective.syslogServer,
          policy.effective.syslogCaFile,
          options.probeSiem ?? probeSiemServer,
        ),
      );
    if (policy.effective.orgRecoveryKey)
      results.push(await emergencyAccessCheck(policy.effective.orgRecoveryKey, policy.effective.directoryFolder));
    const { directoryFolder, orgPublicKey } = policy.effective;
    if (directoryFolder && orgPublicKey)
      results.push(...(await directoryChecks(directoryFolder, orgPublicKey, options.now ?? new Date())));
  }
  return results;
}
