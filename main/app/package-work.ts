/**
 * Sending and receiving in the running app: the window's requests become
 * calls to the shared send and receive services, with main's own dialogs
 * for where to write, progress and completion told to the window, and
 * delivery through the exchanges. Locking cancels every job and drops every
 * preview.
 */
import { randomBytes } from 'node:crypto';
import { basename } from 'node:path';
import { isMedSealError, codeOf } from '../errors/medseal-error.js';
import type { PackageJobs, RunningJob } from '../services/package-runner.js';
import { ReceiveService, type NameConflict, type PackagePreview } from '../services/receive.js';
import { SendService } from '../services/send.js';
import { Receipts } from '../services/delivery/receipts.js';
import { writeNewFile } from '../fs/write-new-file.js';
import { UnknownJob } from './errors.js';
import { PreviewRequired } from '../services/errors.js';
import { silentLogger, type Logger } from '../logging/logger.js';
import type { ExchangeService } from './exchange-service.js';
import type { FileIdentity } from '../fs/publish-file.js';
import type { Host } from './host.js';
import type { Session } from './session.js';
import { contactView, personView, vouchedByOf } from '../services/views.js';
import { SentCopies } from '../services/delivery/sent-copies.js';
import { SentPackageWork, type SealedOutput } from './sent-package-work.js';
import { replyDraftFor } from '../services/threads.js';

/** What a finished job wrote: the file to show in its folder, and for an open job the folder and any file saved under a numbered name. */
export interface JobOutput extends SealedOutput {
  folder?: string;
  renamed?: { index: number; savedAs: string }[];
}

/** The files of a package whose names the chosen folder already has, and the folder's name. */
export interface OpenConflict {
  readonly folder: string;
  readonly files: NameConflict[];
}

export class PackageWork {
  private readonly previews = new Map<string, PackagePreview>();
  /** Tokens of packages opened in this session (a receipt says "opened" only for those). */
  private readonly opened = new Set<string>();
  private readonly running = new Map<string, RunningJob<unknown>>();
  /** Where each finished seal job wrote its package, for "show in folder". Forgotten on lock. */
  private readonly outputs = new Map<string, JobOutput>();
  /** The folder chosen for a package when names there were taken, for "keep both" without asking again. Forgotten on lock. */
  private readonly conflictFolders = new Map<string, string>();
  private readonly send: SendService;
  private readonly receive: ReceiveService;
  private readonly receipts: Receipts;
  private readonly sentCopies: SentCopies;
  /** After a seal job: delivery, the copy kept, saving for e-mail. */
  readonly sent: SentPackageWork;

  constructor(
    private readonly session: Session,
    jobs: PackageJobs,
    private readonly host: Host,
    private readonly exchange?: ExchangeService,
    private readonly log: Logger = silentLogger(),
  ) {
    this.send = new SendService(session.profiles, jobs);
    this.receive = new ReceiveService(session.profiles, jobs);
    this.receipts = new Receipts(session.profiles);
    this.sentCopies = new SentCopies(session.profiles);
    this.sent = new SentPackageWork(session, host, this.sentCopies, (jobId) => this.outputs.get(jobId), exchange);
    session.onLock(() => {
      for (const job of this.running.values()) job.cancel();
      this.previews.clear();
      this.opened.clear();
      this.outputs.clear();
      this.conflictFolders.clear();
    });
  }

  async seal(request: {
    files: string[];
    recipients: string[];
    note: string;
    confirmUnverified: boolean;
    subject?: string;
    replyTo?: number;
    passphraseRecipient?: { name: string; email: string; phone?: string };
  }): Promise<{ jobId: string | null; passphrase: string | null }> {
    const files = request.files.map((token) => this.session.files.get(token));
    const prepared = await this.send.prepare({
      files: files.map((file) => ({ path: file.path, name: file.name })),
      recipients: request.recipients,
      note: request.note,
      confirmUnverified: request.confirmUnverified,
      subject: request.subject ?? null,
      replyTo: request.replyTo === undefined ? null : `#${request.replyTo}`,
      passphraseRecipient: request.passphraseRecipient ?? null,
    });
    // Through the exchanges when one is set up: sealed privately and sent, no dialog. Else saved
    // where the person chooses (null: they closed the dialog, nothing was sealed). A package for a
    // partner without MedSeal is always saved where the person chooses: they hand it over themselves.
    const outgoing = !prepared.passphraseRecipient && ((await this.exchange?.sendsThroughExchanges()) ?? false);
    const stamp = new Date().toISOString().slice(0, 16).replace(/[-:T]/g, '');
    const output = outgoing
      ? await this.sentCopies.newOutgoingPath()
      : await this.host.dialogs.chooseSaveLocation('package', `medseal-package-${stamp}.medseal`); // no patient data in the default name
    if (!output) return { jobId: null, passphrase: null }; // nothing sealed: the words drawn are dropped unseen
    const recipients = prepared.recipients.map((contact) => contact.fingerprint);
    const written: JobOutput = { path: output, recipients, packageHash: undefined, outgoing };
    const started = await this.startJob(
      'seal',
      (onProgress) => this.send.start(prepared, output, { onProgress }),
      (result) => {
        written.packageHash = result.packageHash;
        return result.fileCount;
      },
      written,
    );
    // The one time the passphrase leaves main: in this answer, for the window to show once the package is sealed.
    return { ...started, passphrase: prepared.passphrase };
  }

  /** Verifies the header and the sender's signature, and shows who sent it before anything is saved. */
  async preview(token: string) {
    const file = this.session.files.get(token);
    const preview = await this.receive.preview(file.path);
    this.previews.set(token, preview);
    this.conflictFolders.delete(token); // a folder is remembered for the package as last shown only
    return this.previewView(token, preview, file.path);
  }

  private previewView(token: string, preview: PackagePreview, path: string) {
    const { metadata } = preview;
    return {
      token,
      sender: {
        ...personView(preview.sender),
        trust: preview.trust.kind,
        verdict: preview.verdict,
        claimed: preview.claimedSender ? personView(preview.claimedSender) : null,
        vouchedBy: vouchedByOf(preview.trust),
      },
      createdAt: metadata.createdAt,
      files: metadata.files.map((entry) => ({ name: entry.name, size: entry.size })),
      note: metadata.note,
      subject: metadata.subject,
      recipientCount: metadata.recipients.length,
      totalBytes: preview.totalBytes,
      emergencyAccess: preview.emergencyAccess,
      receipt:
        !this.receipts.mayAnswer(preview.trust.kind) || preview.openedBefore !== null
          ? ('none' as const)
          : this.exchange?.isFromInbox(path)
            ? ('automatic' as const)
            : ('on-request' as const),
      openedBefore: preview.openedBefore,
    };
  }

  /**
   * Asks where to save, then saves. A folder that already has files of the package's names starts
   * nothing: the answer names them, and "keep both" (`keepBoth`) then saves into that same folder,
   * as "name (2).ext", without asking again.
   */
  async open(request: {
    token: string;
    confirmUntrusted: boolean;
    overrideAlarm?: boolean;
    keepBoth?: boolean;
    openAgain?: boolean;
  }): Promise<{ jobId: string | null; conflict: OpenConflict | null }> {
    this.session.requireProfile();
    this.session.files.get(request.token); // the token must still be valid
    const preview = this.previews.get(request.token);
    if (!preview) throw new PreviewRequired(); // consent is given to a sender the reader was shown
    const consent = {
      confirmUntrusted: request.confirmUntrusted,
      overrideAlarm: Boolean(request.overrideAlarm),
      openAgain: Boolean(request.openAgain),
    };
    await this.receive.checkConsent(preview, consent); // before asking where to save
    const keepBoth = request.keepBoth === true;
    const folder =
      (keepBoth ? this.conflictFolders.get(request.token) : undefined) ??
      (await this.host.dialogs.chooseFolderForOpenedFiles());
    if (!folder) return { jobId: null, conflict: null };
    const conflicts = keepBoth ? [] : await this.receive.nameConflicts(preview, folder);
    if (conflicts.length > 0) {
      this.conflictFolders.set(request.token, folder);
      return { jobId: null, conflict: { folder: basename(folder), files: conflicts } };
    }
    this.conflictFolders.delete(request.token);
    const saved: JobOutput = { path: folder, recipients: [], folder, renamed: [], outgoing: false };
    const started = await this.startJob(
      'open',
      (onProgress) => this.receive.start(preview, folder, consent, { onProgress }, { keepBoth }),
      (result) => {
        this.opened.add(request.token);
        this.settle(preview, null, result.packageFile);
        saved.path = result.paths[0] ?? folder; // "Show in folder" selects the first file saved
        saved.renamed = result.paths.flatMap((path, index) =>
          basename(path) === preview.metadata.files[index]?.name ? [] : [{ index, savedAs: basename(path) }],
        ); // kept both
        return result.paths.length;
      },
      saved,
      (error) => this.settle(preview, error, null),
    );
    return { ...started, conflict: null };
  }

  /**
   * Adds the previewed package's unknown sender to the contacts, unverified (services/receive.ts),
   * and answers the same package judged again: the file is not read again, so what is saved stays
   * what was shown.
   */
  async addSender(token: string, acceptLookAlike = false) {
    const preview = this.previews.get(token);
    if (!preview) throw new PreviewRequired();
    const contact = await this.receive.addSender(preview, { acceptLookAlike });
    const judged = await this.receive.withCurrentTrust(preview);
    this.previews.set(token, judged);
    return { contact: contactView(contact), preview: this.previewView(token, judged, preview.path) };
  }

  /** Reply to a package opened here (services/threads.ts): what the Send form starts with. */
  async replyDraft(token: string) {
    const preview = this.previews.get(token);
    if (!preview) throw new PreviewRequired();
    return replyDraftFor(this.session.requireProfile(), { ...preview, subject: preview.metadata.subject });
  }

  /** A package from our inbox: archived once opened (a failed open never moves anything), and its sender answered with a receipt. */
  private settle(preview: PackagePreview, error: unknown, opened: FileIdentity | null): void {
    void this.exchange
      ?.settle(preview, error, opened)
      .catch((failure: unknown) => this.log.warn({ code: codeOf(failure) }, 'settling an inbox package failed'));
  }

  /** Shows what a finished job wrote in the system's file manager: the package (seal), the first file saved (open). */
  reveal(jobId: string): void {
    const output = this.outputs.get(jobId);
    const path = output && (output.folder ? output.path : this.sent.shownPath(output));
    if (!path) throw new UnknownJob(); // a package that went only to the exchanges has no file here to show
    this.host.desktop.revealInFolder(path);
  }

  /** Saves a signed "opened" receipt for the sender of a package opened from a file (it came by e-mail or USB stick, so it goes back that way). */
  async saveReceipt(token: string): Promise<{ saved: boolean }> {
    const profile = this.session.requireProfile();
    const preview = this.previews.get(token);
    if (!preview) throw new PreviewRequired();
    if (!this.opened.has(token)) throw new UnknownJob(); // only for a package that was opened here
    this.receipts.assertMayAnswer(preview.trust.kind);
    const path = await this.host.dialogs.chooseSaveLocation(
      'receipt',
      `receipt-${new Date().toISOString().slice(0, 10)}.medseal-receipt`,
    ); // no patient data in the name
    if (!path) return { saved: false };
    await writeNewFile(
      path,
      this.receipts.make(preview.sender, preview.packageHash, 'opened', null),
      'the receipt',
      0o644,
    );
    profile.recordReceiptSent(preview.senderFingerprint, 'opened', 'file');
    return { saved: true };
  }

  /** Starts dragging the package a finished seal job wrote out of the window (into an e-mail). */
  startDrag(jobId: string): void {
    const output = this.outputs.get(jobId);
    const path = output && (output.path ?? output.copy);
    if (!path) throw new UnknownJob();
    this.host.desktop.startDrag(path);
  }

  cancel(jobId: string): void {
    const job = this.running.get(jobId);
    if (!job) throw new UnknownJob();
    job.cancel();
  }

  /** Runs a package job, telling the window its progress and how it finished (`job.progress`, `job.finished`). */
  async startJob<T>(
    kind: 'seal' | 'open',
    launch: (onProgress: (done: number, total: number) => void) => RunningJob<T> | Promise<RunningJob<T>>,
    onSuccess: (result: T) => number,
    output?: JobOutput,
    onFailure?: (error: unknown) => void,
  ): Promise<{ jobId: string }> {
    const jobId = randomBytes(12).toString('hex');
    const started = Date.now();
    this.log.info({ jobId, kind }, 'job started');
    const job = await launch((bytesDone, bytesTotal) => {
      const seconds = (Date.now() - started) / 1000;
      this.host.emit('job.progress', {
        jobId,
        bytesDone,
        bytesTotal,
        bytesPerSecond: seconds > 0 ? Math.round(bytesDone / seconds) : 0,
      });
    });
    this.running.set(jobId, job);
    job.done.then(
      (result) => {
        this.running.delete(jobId);
        if (output) this.outputs.set(jobId, output);
        const fileCount = onSuccess(result);
        this.log.info({ jobId, kind, fileCount, ms: Date.now() - started }, 'job finished');
        this.host.emit('job.finished', {
          jobId,
          kind,
          ok: true,
          error: null,
          fileCount,
          savedIn: output?.folder ? basename(output.folder) : null,
          renamed: output?.renamed ?? [],
        });
      },
      (error: unknown) => {
        this.running.delete(jobId);
        onFailure?.(error);
        const known = isMedSealError(error);
        const failure = known
          ? { code: error.code, category: error.category, message: error.userMessage }
          : {
              code: 'INTERNAL',
              category: 'internal' as const,
              message: 'MedSeal ran into an internal problem. Nothing was saved.',
            };
        this.log.warn({ jobId, kind, code: failure.code, ms: Date.now() - started }, 'job failed');
        this.host.emit('job.finished', {
          jobId,
          kind,
          ok: false,
          error: failure,
          fileCount: null,
          savedIn: null,
          renamed: [],
        });
      },
    );
    return { jobId };
  }
}
