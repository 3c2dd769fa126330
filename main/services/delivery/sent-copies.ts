/**
 * Where a package that goes to the exchanges is sealed, and the copy kept of
 * it. "Seal and send" asks no Save dialog: the package is sealed into the
 * profile's private `outgoing/` folder, delivered from there, and dropped once
 * every recipient has it. Whoever wants a copy of what was sent chooses a
 * folder once (Settings, `sentCopyFolder`), or IT sets one by policy that
 * the user cannot turn off; each sent package is then copied there under a
 * neutral name, with the rules of every published file (publishCopy).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { toIoError } from '../../errors/io-error.js';
import { isMedSealError } from '../../errors/medseal-error.js';
import { tempPathBeside } from '../../fs/atomic-write.js';
import { DestinationExists } from '../../fs/errors.js';
import { openRegularFile } from '../../fs/open-regular-file.js';
import {
  assertNoOtherWriters,
  copyContent,
  createExclusive,
  publishWithoutReplacing,
  TargetExists,
} from '../../fs/publish-file.js';
import { keepBothCandidates } from '../../fs/keep-both.js';
import { ManagedSetting } from '../policy-gate.js';
import type { ProfileSession } from '../profile-session.js';

export interface SentCopyFolder {
  readonly path: string;
  /** Set by the organisation's policy: the user cannot change or turn it off. */
  readonly managed: boolean;
}

export class SentCopies {
  constructor(private readonly session: ProfileSession) {}

  /** The private folder packages are sealed into before they go to the exchanges. */
  get outgoingFolder(): string {
    return join(this.session.folder.path, 'outgoing');
  }

  /** A new path in the private outgoing folder, named by time only (never patient data). */
  async newOutgoingPath(): Promise<string> {
    await mkdir(this.outgoingFolder, { recursive: true, mode: 0o700 }).catch((error: unknown) => {
      throw toIoError('the outgoing folder', error);
    });
    const stamp = new Date().toISOString().slice(0, 19).replace(/[-:T]/g, '');
    return join(this.outgoingFolder, `medseal-package-${stamp}-${randomBytes(3).toString('hex')}.medseal`);
  }

  /** Where sent packages are also kept: the organisation's folder, else the user's choice; null when neither. */
  async folder(): Promise<SentCopyFolder | null> {
    const managed = this.session.policy.effective.sentCopyFolder;
    if (managed) return { path: managed, managed: true };
    const chosen = (await this.session.openStore()).settings.get('sentCopyFolder');
    return chosen ? { path: chosen, managed: false } : null;
  }

  /** Refuses (before any dialog is shown) where the policy decides where copies go. */
  assertUserChooses(): void {
    if (this.session.policy.effective.sentCopyFolder) throw new ManagedSetting({}, { variant: 'sent-copy-folder' });
  }

  /** Chooses (a folder) or stops (null) keeping copies; refused where the policy decides. */
  async choose(folder: string | null): Promise<SentCopyFolder | null> {
    this.assertUserChooses();
    if (folder !== null && !isAbsolute(folder)) throw new TypeError('a chosen folder is an absolute path');
    (await this.session.openStore()).settings.set('sentCopyFolder', folder ?? '');
    return this.folder();
  }

  /**
   * Copies a sent package into the copy folder as "medseal-package-<time>.medseal" (numbered when
   * taken); returns the copy's path, or null when no copy is kept. See `publishCopy`.
   */
  async keep(packagePath: string): Promise<string | null> {
    const folder = await this.folder();
    if (!folder) return null;
    const stamp = new Date().toISOString().slice(0, 16).replace(/[-:T]/g, '');
    return publishCopy(packagePath, folder.path, keepBothCandidates(`medseal-package-${stamp}.medseal`));
  }

  /** Drops a package from the private outgoing folder once every recipient has it (no other path is touched). */
  async release(packagePath: string): Promise<void> {
    if (!packagePath.startsWith(this.outgoingFolder + '/') && !packagePath.startsWith(this.outgoingFolder + '\\'))
      return;
    await rm(packagePath, { force: true }).catch((error: unknown) => {
      throw toIoError('the outgoing folder', error);
    });
  }
}

/**
 * Copies `source` into `folder` under the first free name of `names`, as every published file is:
 * the folder must be this account's or root's and not writable by others without the sticky bit
 * (else another account could rename its own file over the copy, which the person then attaches to
 * an e-mail); written to a temp file of ours, synced, then linked under its name, never replacing
 * a file or following a link. DestinationExists when every name is taken.
 */
export async function publishCopy(source: string, folder: string, names: Iterable<string>): Promise<string> {
  const what = 'the folder for a copy of the package';
  await assertNoOtherWriters(folder, 'The folder for a copy of the package');
  const input = await openRegularFile(source).catch((error: unknown) => {
    throw toIoError('the sealed package', error);
  });
  const temp = tempPathBeside(join(folder, 'copy'));
  try {
    const output = await createExclusive(temp, 0o644).catch((error: unknown) => {
      throw toIoError(what, error);
    });
    try {
      await copyContent(input, output);
      await output.sync();
      for (const name of names) {
        try {
          await publishWithoutReplacing(output, temp, join(folder, name));
          return join(folder, name);
        } catch (error) {
          if (!(error instanceof TargetExists)) throw isMedSealError(error) ? error : toIoError(what, error);
        }
      }
      throw new DestinationExists(what);
    } finally {
      await output.close();
    }
  } finally {
    await input.close();
    await rm(temp, { force: true }); // gone once published; left only by a failure
  }
}
