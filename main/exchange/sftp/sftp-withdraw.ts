/**
 * Withdrawing a package from an inbox on an SFTP server (transport.ts,
 * `withdraw`): its sender takes it back before the recipient picked it up.
 * SFTP has neither an unlink by descriptor nor inode numbers, so a file is
 * removed only when nobody else can have planted or swapped it, the rule
 * the transport already trusts before resuming an upload (isOwnFile): a
 * regular file (lstat; a link is never followed, and unlink removes a
 * name, never what it points to), this account's, writable by nobody else,
 * in a sticky inbox (other accounts can neither rename nor delete it). A
 * file of another account under the same name is left alone. A copy of
 * ours in the recipient's archive means it was taken in: reported as
 * picked up, and nothing is touched.
 */
import { TransportWriteRefused } from '../errors.js';
import { DELIVERY_NAMES, deliveryName, type WithdrawOutcome } from '../transport.js';
import { isOwnFile, SFTP_STATUS, statusOf, type SftpSession } from './sftp-session.js';

/**
 * Takes our copies of the delivery out of `inbox`. `ownUid`: this account's user id when the inbox
 * is sticky, null otherwise (then nothing in it is provably ours: whatever has its name is left).
 */
export async function withdrawFromSftpInbox(
  session: SftpSession,
  inbox: string,
  deliveryId: string,
  ownUid: number | null,
): Promise<WithdrawOutcome> {
  if (ownUid !== null && (await pickedUp(session, `${inbox}/archive`, deliveryId, ownUid))) return 'picked-up';
  let removed = 0;
  let left = 0;
  for (let attempt = 0; attempt < DELIVERY_NAMES; attempt++) {
    const path = `${inbox}/${deliveryName(deliveryId, 'package', attempt)}`;
    const found = await session.lstat(path);
    if (!isOwnFile(found, ownUid)) {
      if (found !== null) left++; // another account's, a link, or an inbox others may change: never removed
      continue;
    }
    const gone = await session.unlink(path).then(
      () => true,
      (error: unknown) => {
        const status = statusOf(error);
        if (status === SFTP_STATUS.noSuchFile) return false; // taken in or removed meanwhile
        if (status === SFTP_STATUS.permissionDenied || status === SFTP_STATUS.failure)
          throw new TransportWriteRefused(session.server, { cause: error });
        throw error;
      },
    );
    if (gone) removed++;
  }
  return removed > 0 ? 'withdrawn' : left > 0 ? 'left' : 'not-found';
}

/** Whether the recipient's archive holds our copy of the delivery (archived as `[n-]<name>`). */
async function pickedUp(session: SftpSession, archive: string, deliveryId: string, ownUid: number): Promise<boolean> {
  const [folder, inbox] = [
    await session.lstat(archive),
    await session.lstat(archive.slice(0, archive.lastIndexOf('/'))),
  ];
  if (!folder?.isFolder || !inbox) return false; // none yet, or a link: never followed
  // Only the inbox owner's own archive tells: one another account made first could hold or hide anything.
  if (folder.uid !== inbox.uid || (folder.mode & 0o022) !== 0) return false;
  const entries = await session.list(archive).catch((error: unknown) => {
    const status = statusOf(error);
    if (status === SFTP_STATUS.permissionDenied || status === SFTP_STATUS.noSuchFile) return []; // not listable for us: it cannot be told
    throw error;
  });
  const archived = new RegExp(`^(?:[0-9]-)?${deliveryId}(?:-[0-9])?\\.medseal$`);
  return entries.some((entry) => archived.test(entry.name) && isOwnFile(entry, ownUid));
}
