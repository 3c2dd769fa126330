/**
 * The hot folder (`medseal watch --outbox DIR`): a scanner or an EHR export
 * drops a file into `DIR/<contact e-mail or fingerprint prefix>/`; it is
 * sealed for that contact with every rule of a single seal (SendService),
 * delivered through the exchanges (queued in the delivery queue while its
 * exchange is down, and tried again from there: `retryQueued`), and the
 * source moved to `DIR/sent/<date>/<package id>-<name>` beside its package,
 * or to `DIR/failed/<date>/` with `<name>.reason.txt` in plain words. A file
 * dropped into `DIR` itself goes to `failed/` too: it names no contact.
 *
 * Crash-safe without a database: a file is first claimed by renaming it
 * into `DIR/.medseal-work/<id>/` (atomic; a file still being written is
 * never claimed: the watcher waits until its size stops changing). A
 * package is written there complete or not at all. After a restart, each
 * claim is finished: delivered and moved if its package exists, sealed
 * otherwise. So no file is sealed twice and none is lost.
 */
import { randomBytes } from 'node:crypto';
import { lstat, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { toIoError } from '../errors/io-error.js';
import { isNodeError } from '../errors/node-error.js';
import { FolderChanged, FolderNotSafe, FolderPins, PinnedFolder } from '../fs/pinned-folder.js';
import { NotARegularFile, NotInContactFolder } from './errors.js';
import { countsAsVerified } from './recipients.js';
import { fingerprintHex } from '../identity/fingerprint.js';
import { packageHeaderHash } from '../package/inspect.js';
import type { DeliveryQueue } from './delivery/delivery-queue.js';
import { deliveryFailure } from './delivery/delivery-failure.js';
import { RecipientsNotReached } from './delivery/errors.js';
import type { ProfileSession } from './profile-session.js';
import { recordUnlessLocked, type SendService } from './send.js';
import { nextTryText, queuedText } from '../texts/queue-texts.js';
import { failed, retryOutcomes, type HotFolderOutcome } from './hot-folder-outcome.js';
import {
  absent,
  dropOf,
  FAILED_FOLDER,
  freeName,
  isReservedFolder,
  pinIn,
  pinOutbox,
  rootDropOf,
  SENT_FOLDER,
  WORK_FOLDER,
} from './hot-folder-outbox.js';

export { dropOf, FAILED_FOLDER, isReservedFolder, pinOutbox, rootDropOf, SENT_FOLDER, WORK_FOLDER };
export type { HotFolderOutcome };
const RECIPIENT_FILE = 'recipient';
const PACKAGE_FILE = 'package.medseal';

export class HotFolder {
  private queue: Promise<void> = Promise.resolve();
  private readonly pins = new FolderPins();
  private pinnedOutbox: PinnedFolder | undefined;
  /** Set when a folder changed under the hot folder: nothing more is done, until a restart. */
  private stoppedBy: FolderChanged | FolderNotSafe | undefined;

  constructor(
    private readonly outbox: string,
    private readonly session: ProfileSession,
    private readonly send: SendService,
    private readonly delivery: DeliveryQueue,
    private readonly onOutcome: (outcome: HotFolderOutcome) => void,
    private readonly now: () => Date = () => new Date(),
    /** Told once when the hot folder stopped because a folder changed (the watcher should end). */
    private readonly onStopped: (error: FolderChanged | FolderNotSafe) => void = () => undefined,
  ) {}

  get stopped(): boolean {
    return this.stoppedBy !== undefined;
  }

  /** Finishes what a previous run claimed (after a crash or a stop). Call once before watching. */
  async recover(): Promise<void> {
    const outbox = await pinOutbox(this.outbox, this.pins);
    this.pinnedOutbox = outbox;
    for (const folder of [WORK_FOLDER, SENT_FOLDER, FAILED_FOLDER]) {
      await outbox.check();
      await mkdir(outbox.child(folder), { mode: 0o700 }).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'EEXIST') throw error;
      });
      await pinIn(this.pins, outbox, folder);
    }
    const work = join(this.outbox, WORK_FOLDER);
    for (const id of (await readdir(work)).sort()) await this.enqueue(() => this.process(join(work, id)));
  }

  /** Claims and processes a file dropped into the outbox (one at a time, in arrival order). */
  dropped(path: string): Promise<void> {
    const drop = dropOf(this.outbox, path);
    if (!drop) {
      const name = rootDropOf(this.outbox, path);
      return name === null ? Promise.resolve() : this.enqueue(() => this.refuseAtRoot(path, name), { name, to: '' });
    }
    return this.enqueue(async () => {
      if (this.stoppedBy) return;
      // The outbox, this contact folder and the work folder are still what they were (a folder
      // swapped for another account's, or for a link, stops the hot folder: nothing is sealed).
      await this.guarded(async () => {
        await this.folder(drop.to);
        await this.folder(WORK_FOLDER);
      });
      if (this.stoppedBy) return;
      const claim = join(this.outbox, WORK_FOLDER, `${this.now().getTime()}-${randomBytes(6).toString('hex')}`);
      try {
        await mkdir(claim, { recursive: true, mode: 0o700 });
        await writeFile(join(claim, RECIPIENT_FILE), drop.to);
      } catch (error) {
        await rm(claim, { recursive: true, force: true }).catch(() => {
          // Clean-up after the failure told below: a claim left empty is removed at the next start.
        });
        this.onOutcome(failed(drop.name, drop.to, toIoError('the outbox folder', error))); // the file was left where it is
        return;
      }
      try {
        await rename(path, join(claim, drop.name));
      } catch (error) {
        await rm(claim, { recursive: true, force: true });
        if (isNodeError(error, 'ENOENT')) return; // gone meanwhile (someone took it back): nothing to do
        throw toIoError('the outbox folder', error); // told as this file's outcome; the file stays where it is
      }
      await this.process(claim);
    }, drop);
  }

  /** The outbox's folder `name`, checked (pinned on first use) together with the outbox itself. */
  private async folder(name: string): Promise<PinnedFolder> {
    const outbox = this.pinnedOutbox ?? (this.pinnedOutbox = await pinOutbox(this.outbox, this.pins));
    await outbox.check();
    return pinIn(this.pins, outbox, name);
  }

  /** Runs `work`; a folder that changed stops the hot folder instead of failing one file. */
  private async guarded(work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      if (error instanceof FolderChanged || error instanceof FolderNotSafe) this.stop(error);
      else throw error;
    }
  }

  private stop(error: FolderChanged | FolderNotSafe): void {
    if (this.stoppedBy) return;
    this.stoppedBy = error;
    const change = error instanceof FolderChanged ? error.change : error.problem;
    recordUnlessLocked(() => this.session.requireUnlocked().recordFolderChanged('outbox', change));
    this.onOutcome({ ok: false, file: '', to: '', code: error.code, message: error.userMessage });
    this.onStopped(error);
  }

  private allowsUnverified(): boolean {
    const policy = this.session.policy.state;
    return (
      policy.state !== 'error' &&
      policy.effective.hotFolderAllowUnverified &&
      !policy.effective.requireVerifiedRecipients
    );
  }

  /** Waits until everything queued so far is done. */
  idle(): Promise<void> {
    return this.queue;
  }

  /** Queues `work`; a failure of one never stops the queue: each tells its outcome, or it is told here for `drop`. */
  private enqueue(work: () => Promise<void>, drop = { name: '', to: '' }): Promise<void> {
    this.queue = this.queue.then(work).catch((error: unknown) => this.onOutcome(failed(drop.name, drop.to, error)));
    return this.queue;
  }

  private async process(claim: string): Promise<void> {
    // No recipient file: a crash right after the claim was made, before anything was moved in.
    const to = ((await readFile(join(claim, RECIPIENT_FILE), 'utf8').catch(absent)) || '').trim();
    const name = (await readdir(claim)).find(
      (entry) => entry !== RECIPIENT_FILE && entry !== PACKAGE_FILE && !entry.startsWith('.'),
    );
    if (!name) {
      await rm(claim, { recursive: true, force: true }); // an empty claim: the crash came before the file was moved in
      return;
    }
    const source = join(claim, name);
    const pkg = join(claim, PACKAGE_FILE);
    try {
      // Only a regular file dropped there is sealed: a symbolic link (to a file the dropper may not
      // read, or another patient's record) is refused, never followed. The link itself was moved.
      if (!(await lstat(source)).isFile()) throw new NotARegularFile();
      const sealed = await stat(pkg).then(() => true, absent);
      await this.folder(WORK_FOLDER);
      let packageHash: string;
      let recipients: readonly string[];
      if (sealed) {
        // Sealed before a crash or stop: the package is complete (written whole or not at all).
        packageHash = await packageHeaderHash(pkg);
        recipients = [fingerprintHex((await this.session.requireUnlocked().contacts.find(to)).card.fingerprint)];
      } else {
        const prepared = await this.send.prepare({
          files: [{ path: source, name }],
          recipients: [to],
          note: '',
          confirmUnverified: this.allowsUnverified(),
        });
        const result = await this.send.start(prepared, pkg).done;
        for (const contact of prepared.recipients) {
          // No person confirmed an unverified recipient here: the policy did, and that is on record.
          if (!countsAsVerified(contact.state, this.session.policy.effective, false))
            this.session.requireUnlocked().recordUnverifiedAllowed(contact.fingerprint, 'hot-folder');
        }
        packageHash = result.packageHash;
        recipients = result.recipientFingerprints;
      }
      const delivery = await this.delivery.send(pkg, packageHash, recipients);
      // A changed host key, or nobody reached: the package goes to failed/ with its source. Queued is sent: it waits in the profile.
      if (delivery.unreached.length > 0)
        throw deliveryFailure(delivery.problems, [to]) ?? new RecipientsNotReached([to], []);
      const queued = delivery.queued[0];
      const day = join((await this.folder(SENT_FOLDER)).path, this.now().toISOString().slice(0, 10));
      await mkdir(day, { recursive: true, mode: 0o700 });
      const id = packageHash.slice(0, 16);
      await rename(pkg, join(day, `${id}.medseal`));
      await rename(source, join(day, `${id}-${name}`));
      await rm(claim, { recursive: true, force: true });
      this.onOutcome({
        ok: true,
        file: name,
        to,
        packageId: id,
        delivered: delivery.delivered.length,
        ...(queued && {
          queued: {
            nextTryAt: queued.nextTryAt,
            message: queuedText(to, queued.exchange, nextTryText(queued.nextTryAt, this.now())),
          },
        }),
      });
    } catch (error) {
      if (error instanceof FolderChanged || error instanceof FolderNotSafe) {
        this.stop(error); // the claim stays in the work folder, for the next start after IT checked the outbox
        return;
      }
      const outcome = failed(name, to, error);
      const moved = await this.fail(claim, source, name, `${outcome.code}: ${outcome.message}\n`).then(
        () => '',
        (moveError: unknown) => {
          if (moveError instanceof FolderChanged || moveError instanceof FolderNotSafe) this.stop(moveError);
          return ` Moving it to ${FAILED_FOLDER}/ did not finish (${failed(name, to, moveError).message}): what is left in ${WORK_FOLDER} is finished at the next start.`;
        },
      );
      this.onOutcome({ ...outcome, message: `${outcome.message}${moved}` });
    }
  }

  /** A file dropped into the outbox itself names no contact: it goes to failed/ with the reason, never sealed. */
  private async refuseAtRoot(path: string, name: string): Promise<void> {
    if (this.stoppedBy || !(await lstat(path).then(() => true, absent))) return; // gone meanwhile: nothing to do
    const error = new NotInContactFolder();
    await this.guarded(() => this.fail(null, path, name, `${error.code}: ${error.userMessage}\n`));
    if (!this.stoppedBy) this.onOutcome(failed(name, '', error));
  }

  /**
   * Works through the delivery queue, in turn with the dropped files: what is due, or everything
   * (`all`, as at a start). A package delivered from it, or given up on (no exchange reaches the
   * contact, a changed host key), is told as an outcome marked `retried`; one still waiting is not.
   */
  retryQueued(all = false): Promise<void> {
    return this.enqueue(async () => {
      if (this.stoppedBy) return;
      const report = await this.delivery.retry({ all });
      const contacts = await this.session.requireUnlocked().contacts.list();
      const folderOf = (fingerprint: string) =>
        contacts.find((contact) => contact.fingerprint === fingerprint)?.card.profile.email ?? fingerprint.slice(0, 16);
      for (const outcome of retryOutcomes(report, folderOf)) this.onOutcome(outcome);
    });
  }

  /** Moves the source to failed/ with the reason beside it, and the package too when it was sealed; the claim (if any) goes. */
  private async fail(claim: string | null, source: string, name: string, reason: string): Promise<void> {
    const day = join((await this.folder(FAILED_FOLDER)).path, this.now().toISOString().slice(0, 10));
    await mkdir(day, { recursive: true, mode: 0o700 });
    const target = await freeName(day, name);
    await rename(source, target);
    if (claim) await rename(join(claim, PACKAGE_FILE), `${target}.medseal`).catch(absent); // none when sealing failed
    await writeFile(`${target}.reason.txt`, reason, { flag: 'wx' }).catch((error: unknown) => {
      // Never over an existing file; a full disk: the file is in failed/ all the same, its reason told as its outcome.
      if (!isNodeError(error, 'EEXIST', 'ENOSPC', 'EDQUOT')) throw error;
    });
    if (claim) await rm(claim, { recursive: true, force: true });
  }
}
