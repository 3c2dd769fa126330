/** Settings → the recovery kit and moving to another workstation (a backup). */
import { useEffect, useState } from 'react';
import { call } from '../api.js';
import { ActionError } from '../components/ActionError.js';
import { Notice } from '../components/Notice.js';
import { formatBytes, formatDate } from '../format.js';
import { useAction } from '../useAction.js';

export function ContinuitySettings() {
  const [kitMadeAt, setKitMadeAt] = useState<string | null | undefined>(undefined);
  const [done, setDone] = useState<string | null>(null);
  const { busy, error, run, fail } = useAction();
  useEffect(() => {
    call('identity.recoveryKitStatus', {}).then((status) => setKitMadeAt(status.madeAt), fail);
  }, [fail]);
  const act = async (work: () => Promise<string | null>) => {
    setDone(null);
    const outcome = await run(work);
    if (outcome.ok && outcome.value) setDone(outcome.value);
  };
  const makeKit = () =>
    act(async () => {
      const result = await call('identity.makeRecoveryKit', {});
      if (!result.saved) return null;
      setKitMadeAt(result.madeAt);
      return 'Recovery kit saved. Open it, print it, keep the printout locked away, then delete the file.';
    });
  const saveBackup = () =>
    act(async () => {
      const result = await call('backup.save', {});
      if (!result.saved) return null;
      return `Backup saved (${formatBytes(result.bytes ?? 0)}). On the new workstation, choose "Restore from a backup" before creating an identity.`;
    });
  return (
    <section aria-labelledby="continuity-title">
      <h3 id="continuity-title">Recovery kit and backups</h3>
      <ActionError error={error} />
      {done && (
        <Notice kind="success" focus>
          {done}
        </Notice>
      )}
      <p>
        {kitMadeAt === undefined
          ? ''
          : kitMadeAt
            ? `Your recovery kit was made on ${formatDate(kitMadeAt)}. Its 24 words open your identity if you forget your passphrase.`
            : 'You have no recovery kit yet. Without one, a forgotten passphrase means losing this identity and everything sent to it.'}
      </p>
      <p className="hint">
        Anyone with the kit can open your identity: keep the printout like a prescription pad.
        {kitMadeAt ? ' A new kit replaces the old one; backups made before still open with the old one.' : ''}
      </p>
      <button type="button" className="secondary" disabled={busy} onClick={() => void makeKit()}>
        {kitMadeAt ? 'Make a new recovery kit…' : 'Make a recovery kit…'}
      </button>
      <h4>Move to another workstation</h4>
      <p>
        A backup holds your keys, contacts, history and audit log, encrypted. Your passphrase or your recovery kit opens
        it.
      </p>
      <button type="button" className="secondary" disabled={busy} onClick={() => void saveBackup()}>
        Save a backup…
      </button>
    </section>
  );
}
