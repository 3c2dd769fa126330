/**
 * The IPC calls that keep an identity through a forgotten passphrase and a
 * new workstation: the recovery kit, recovery, backup and restore. The work
 * is the shared services'; here are only the dialogs and the file tokens.
 */
import { rm } from 'node:fs/promises';
import { writeNewFile } from '../fs/write-new-file.js';
import type { Handlers } from '../ipc/dispatcher.js';
import { writeBackup } from '../services/backup.js';
import { makeRecoveryKit } from '../services/recovery-kit.js';
import { describeBackup } from '../services/restore.js';
import { personView } from '../services/views.js';
import { UsageError } from '../errors/usage-error.js';
import type { Host } from './host.js';
import type { Session } from './session.js';

type ContinuityChannel =
  | 'identity.recoveryKitStatus'
  | 'identity.makeRecoveryKit'
  | 'identity.recover'
  | 'backup.save'
  | 'backup.pick'
  | 'backup.restore';

/** Today as YYYY-MM-DD, for default file names (never a name or other patient data). */
const today = () => new Date().toISOString().slice(0, 10);

export function createContinuityHandlers(session: Session, host: Host): Pick<Handlers, ContinuityChannel> {
  return {
    'identity.recoveryKitStatus': async () => ({ madeAt: await session.profiles.identities.recoveryKitMadeAt() }),
    'identity.makeRecoveryKit': async () => {
      const path = await host.dialogs.chooseSaveLocation('recovery-kit', `MedSeal recovery kit ${today()}.html`);
      if (!path) return { saved: false, madeAt: null };
      const { madeAt } = await makeRecoveryKit(session.profiles, async ({ html }) => {
        await writeNewFile(path, html, 'the recovery kit');
        return () => rm(path, { force: true });
      });
      return { saved: true, madeAt };
    },
    'identity.recover': ({ code, newPassphrase }) => session.recover(code, newPassphrase),
    'backup.save': async () => {
      const path = await host.dialogs.chooseSaveLocation('backup', `MedSeal backup ${today()}.medseal-backup`);
      if (!path) return { saved: false, bytes: null, createdAt: null };
      const written = await writeBackup(session.profiles, path);
      return { saved: true, bytes: written.bytes, createdAt: written.createdAt };
    },
    'backup.pick': async () => {
      const path = await host.dialogs.chooseBackup();
      if (!path) return null;
      const entry = await session.files.register(path);
      const { owner, createdAt } = await describeBackup(path);
      const view = personView(owner);
      return {
        token: session.files.ref(entry).token,
        owner: { name: view.name, organisation: view.organisation, email: view.email, fingerprint: view.fingerprint },
        createdAt,
      };
    },
    'backup.restore': async ({ token, passphrase, recoveryCode, newPassphrase }) => {
      const { path } = session.files.get(token);
      if ((passphrase === undefined) === (recoveryCode === undefined))
        throw new UsageError({ variant: 'backup-unlock' });
      return session.restore(
        path,
        passphrase !== undefined ? { passphrase } : { recoveryCode: recoveryCode! },
        newPassphrase,
      );
    },
  };
}
