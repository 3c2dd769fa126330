/**
 * Every folder MedSeal acts in — the hot folder's outbox, exchange roots and
 * inboxes, output folders, the directory share, backup and log folders — is
 * pinned when first opened and checked again before each action
 * (docs/SECURITY.md, "Folders MedSeal works in").
 *
 * A pin remembers what the folder is (device and inode), who owns it and its
 * mode. `check()` then proves that the path still leads to that very folder
 * with that owner and mode, and that no folder above it, up to `/`, can be
 * changed by another account: each is owned by root or by this account and
 * is not writable by group or others unless sticky. Another account that
 * could rename a folder above, or the folder itself, could swap it for its
 * own between two actions (a hot folder that seals the attacker's file under
 * the clinician's name; an output folder the attacker reads). A folder that
 * changes stops the work with FolderChanged; one that is unsafe from the
 * start is refused with FolderNotSafe. Windows: folders are protected by
 * their ACLs (set by IT, docs/DEPLOYMENT.md); identity (volume and file id)
 * is still pinned, modes and owners are not checked.
 */
import { lstat, realpath } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { FolderChanged, FolderNotSafe } from './errors.js';

export { FolderChanged, FolderNotSafe };

/** Who else may write in the pinned folder itself. */
export type FolderSharing =
  /** Only this account: owned by it, no group or other write bits (outbox, output, backups, logs). */
  | 'private'
  /** Shared on purpose (an exchange root, its inboxes folder): any owner and mode, both pinned. */
  | 'shared'
  /** Any owner; others may write only with the sticky bit (an output folder on a team share). */
  | 'team';

export interface FolderRules {
  /** What the folder is, in the person's words ("the outbox folder"); never a path. */
  readonly what: string;
  readonly sharing: FolderSharing;
  /**
   * A folder above this one that another pin already guards: the chain is checked only up to it
   * (an inbox below its exchange root). Default: up to `/`.
   */
  readonly within?: PinnedFolder;
}

interface Pin {
  readonly dev: number;
  readonly ino: number;
  readonly uid: number;
  readonly mode: number;
}

const GROUP_OR_OTHER_WRITE = 0o022;
const STICKY = 0o1000;

export class PinnedFolder {
  private constructor(
    /** The path as given (absolute). */
    readonly path: string,
    /** The path with every link above it resolved: the chain that is checked. */
    private readonly real: string,
    private readonly pin: Pin,
    private readonly rules: FolderRules,
    private readonly platform: NodeJS.Platform,
  ) {}

  get what(): string {
    return this.rules.what;
  }

  /** Pins `path` (which must be a folder, not a link to one) after checking it and its parents. */
  static async pin(
    path: string,
    rules: FolderRules,
    platform: NodeJS.Platform = process.platform,
  ): Promise<PinnedFolder> {
    const absolute = resolve(path);
    const info = await lstat(absolute).catch((error: NodeJS.ErrnoException) => {
      throw error.code === 'ENOENT' || error.code === 'ENOTDIR' ? new FolderNotSafe(rules.what, 'missing') : error;
    });
    if (info.isSymbolicLink()) throw new FolderNotSafe(rules.what, 'link');
    if (!info.isDirectory()) throw new FolderNotSafe(rules.what, 'not-a-folder');
    const pinned = new PinnedFolder(
      absolute,
      await realpath(absolute),
      { dev: info.dev, ino: info.ino, uid: info.uid, mode: info.mode },
      rules,
      platform,
    );
    if (platform !== 'win32') {
      pinned.assertOwnRules();
      await pinned.assertChain();
    }
    return pinned;
  }

  /** Throws FolderChanged unless the path still leads to the pinned folder, unchanged, below safe parents. */
  async check(): Promise<void> {
    const now = await lstat(this.path).catch(goneAsNull);
    if (
      now === null ||
      now.isSymbolicLink() ||
      !now.isDirectory() ||
      now.dev !== this.pin.dev ||
      now.ino !== this.pin.ino
    )
      throw new FolderChanged(this.rules.what, 'replaced');
    if (this.platform === 'win32') return;
    if (now.uid !== this.pin.uid || now.mode !== this.pin.mode) throw new FolderChanged(this.rules.what, 'permissions');
    if ((await realpath(this.path).catch(goneAsNull)) !== this.real)
      throw new FolderChanged(this.rules.what, 'replaced');
    await this.assertChain().catch((error: unknown) => {
      throw error instanceof FolderNotSafe ? new FolderChanged(this.rules.what, 'parent') : error;
    });
  }

  /** `name` inside this folder (one component: never a path that leaves it). */
  child(name: string): string {
    if (
      name === '' ||
      name === '.' ||
      name === '..' ||
      name.includes('/') ||
      name.includes('\\') ||
      name.includes('\0')
    )
      throw new Error('not a single name');
    return join(this.path, name);
  }

  /** The pinned permission bits (with set-id and sticky bits). */
  get mode(): number {
    return this.pin.mode & 0o7777;
  }

  /** The pinned owner (uid), for folders whose owner is compared with an announcement. */
  get ownerUid(): number {
    return this.pin.uid;
  }

  private assertOwnRules(): void {
    const me = process.getuid?.() ?? -1;
    if (this.rules.sharing === 'team') {
      // A folder's owner can rename or remove anything in it, sticky bit or not.
      if (this.pin.uid !== 0 && this.pin.uid !== me) throw new FolderNotSafe(this.rules.what, 'owner');
      if ((this.pin.mode & GROUP_OR_OTHER_WRITE) !== 0 && (this.pin.mode & STICKY) === 0)
        throw new FolderNotSafe(this.rules.what, 'writable');
    }
    if (this.rules.sharing !== 'private') return;
    if (this.pin.uid !== me) throw new FolderNotSafe(this.rules.what, 'owner');
    if ((this.pin.mode & GROUP_OR_OTHER_WRITE) !== 0) throw new FolderNotSafe(this.rules.what, 'writable');
  }

  /**
   * Every folder above, up to `/` or the `within` pin, both along the path as given and along the
   * path its links lead to: root's or ours, not writable by others unless sticky. (A link above
   * the folder in a folder others can change could be pointed elsewhere between two actions.)
   */
  private async assertChain(): Promise<void> {
    if (this.rules.within) await this.rules.within.check();
    await this.assertAncestors(this.real, this.rules.within?.real);
    if (this.path !== this.real) await this.assertAncestors(this.path, this.rules.within?.path);
  }

  private async assertAncestors(path: string, stop: string | undefined): Promise<void> {
    const me = process.getuid?.() ?? -1;
    for (let folder = dirname(path); ; folder = dirname(folder)) {
      if (stop !== undefined && folder === stop) return;
      const info = await lstat(folder).catch(goneAsNull);
      if (info === null || !(info.isDirectory() || info.isSymbolicLink()))
        throw new FolderNotSafe(this.rules.what, 'parent');
      // A link's own mode means nothing: the folder holding it (checked next) decides who can change it.
      if (info.isDirectory()) {
        if (info.uid !== 0 && info.uid !== me) throw new FolderNotSafe(this.rules.what, 'parent');
        if ((info.mode & GROUP_OR_OTHER_WRITE) !== 0 && (info.mode & STICKY) === 0)
          throw new FolderNotSafe(this.rules.what, 'parent');
      }
      if (folder === dirname(folder)) return;
    }
  }
}

/** A path that leads nowhere (now) as null; any other failure (permissions, I/O) is thrown as it is. */
function goneAsNull(error: NodeJS.ErrnoException): null {
  if (error.code === 'ENOENT' || error.code === 'ENOTDIR' || error.code === 'ELOOP') return null;
  throw error;
}

/** The pins of one piece of work, made on first use and checked before each action. */
export class FolderPins {
  private readonly pins = new Map<string, PinnedFolder>();

  constructor(private readonly platform: NodeJS.Platform = process.platform) {}

  /** The pin of `path` (made now if it is new, else checked). */
  async checked(path: string, rules: FolderRules): Promise<PinnedFolder> {
    const key = resolve(path);
    const known = this.pins.get(key);
    if (known) {
      await known.check();
      return known;
    }
    const pinned = await PinnedFolder.pin(key, rules, this.platform);
    this.pins.set(key, pinned);
    return pinned;
  }
}
