/**
 * Where a package that goes to the exchanges is sealed, and the copy kept of
 * it. "Seal and send" asks no Save dialog: the package is sealed into the
 * profile's private `outgoing/` folder, delivered from there, and dropped once
 * every recipient has it. Whoever wants a copy of what was sent chooses a
 * folder once (Settings, `sentCopyFolder`), or IT sets one by policy that
 * the user cannot turn off; each sent package is then copied there under a
 * neutral name, with the rules of every published file (copyToNewFile).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { toIoError } from '../../errors/io-error.js';
import { keepBothCandidates } from '../../fs/keep-both.js';
import { copyToNewFile } from '../../fs/write-new-file.js';
import { ManagedSetting } from '../policy-gate.js';
import type { ProfileSession } from '../profile-session.js';

export interface SentCopyFolder {
  readonly path: string;
  /** Set by the organisation's policy: the user cannot change or turn it off. */
  readonly managed: boolean;
}

/** What a copy is called in errors ("The folder for a copy of the package…"). */
export const COPY = 'a copy of the package';

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
   * taken, never replacing a file: fs/write-new-file.ts); returns its path, or null when none is kept.
   */
  async keep(packagePath: string): Promise<string | null> {
    const folder = await this.folder();
    if (!folder) return null;
    const stamp = new Date().toISOString().slice(0, 16).replace(/[-:T]/g, '');
    return copyToNewFile(packagePath, folder.path, keepBothCandidates(`medseal-package-${stamp}.medseal`), COPY);
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
