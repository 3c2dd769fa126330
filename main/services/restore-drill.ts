/**
 * The restore drill (`medseal doctor --restore-drill`): the newest backup is
 * restored into a temporary folder with the passphrase and checked as a
 * real restore would need it: the keys unlock, the audit chain verifies, the
 * contacts and the history read back. The live profile is never touched and
 * the temporary copy is removed, whatever happens.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProfileFolder } from '../profile/profile-folder.js';
import { PolicyGate } from './policy-gate.js';
import { ProfileSession } from './profile-session.js';
import { restoreBackup } from './restore.js';

export interface DrillReport {
  readonly backupMadeAt: string;
  readonly auditVerified: boolean;
  readonly auditEntries: number;
  readonly contacts: number;
  readonly verifiedContacts: number;
  readonly packages: number;
}

export async function restoreDrill(backup: string, passphrase: string): Promise<DrillReport> {
  const temp = await mkdtemp(join(tmpdir(), 'medseal-drill-'));
  try {
    // The drill checks the backup, not this machine's rules: no policy applies to a throw-away copy.
    const session = new ProfileSession(new ProfileFolder(join(temp, 'profile')), PolicyGate.none());
    try {
      const { profile, createdAt, auditVerified } = await restoreBackup(session, backup, { passphrase });
      const contacts = await profile.contacts.list();
      return {
        backupMadeAt: createdAt,
        auditVerified,
        auditEntries: profile.audit.entries().length,
        contacts: contacts.length,
        verifiedContacts: contacts.filter((contact) => contact.state === 'verified').length,
        packages: profile.history.list().length,
      };
    } finally {
      session.close();
    }
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}
