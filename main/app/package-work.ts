/**
 * Sending and receiving in the running app: checks recipients and senders,
 * asks main's own dialogs where to write, runs the work in worker threads,
 * reports progress, records the outcome (history + audit) and tells the
 * window. Locking cancels every job and drops every preview.
 */
import { randomBytes } from 'node:crypto';
import { RecipientKeyChanged, RecipientUnverified, UntrustedSender } from '../contacts/errors.js';
import type { SenderTrust } from '../contacts/contact-record.js';
import { isMedSealError } from '../errors/medseal-error.js';
import { fingerprintHex } from '../identity/fingerprint.js';
import type { PackageJobs, RunningJob } from '../jobs/package-jobs.js';
import { openPackage, type OpenedPackage } from '../package/open.js';
import { UnknownJob } from './errors.js';
import { silentLogger, type Logger } from '../logging/logger.js';
import type { ExchangeService } from './exchange-service.js';
import type { Host } from './host.js';
import type { Session } from './session.js';
import { profileView } from './views.js';

interface Preview {
  readonly opened: OpenedPackage;
  readonly trust: SenderTrust;
}

export class PackageWork {
  private readonly previews = new Map<string, Preview>();
  private readonly running = new Map<string, RunningJob<unknown>>();
  /** Where each finished seal job wrote its package, for "show in folder". Forgotten on lock. */
  private readonly outputs = new Map<string, { path: string; recipients: string[] }>();

  constructor(
    private readonly session: Session,
    private readonly jobs: PackageJobs,
    private readonly host: Host,
    private readonly exchange?: ExchangeService,
    private readonly log: Logger = silentLogger(),
  ) {
    session.onLock(() => {
      for (const job of this.running.values()) job.cancel();
      for (const preview of this.previews.values()) void preview.opened.close();
      this.previews.clear();
      this.outputs.clear();
    });
  }

  async seal(request: { files: string[]; recipients: string[]; note: string; confirmUnverified: boolean }): Promise<{ jobId: string | null }> {
    const profile = this.session.requireProfile();
    const files = request.files.map((token) => this.session.files.get(token));
    const recipients = await profile.contacts.recipientsFor(request.recipients, false);
    const requireVerified = this.session.policy.effective.requireVerifiedRecipients;
    recipients.forEach((contact, index) => {
      if (contact.state === 'key-changed') throw new RecipientKeyChanged(index + 1);
      if (contact.state === 'unverified' && (requireVerified || !request.confirmUnverified)) throw new RecipientUnverified(index + 1);
    });
    this.session.policy.checkRecipientDomains(recipients.map((contact) => contact.card.profile.email));
    const stamp = new Date().toISOString().slice(0, 16).replace(/[-:T]/g, '');
    const output = await this.host.dialogs.chooseSaveLocation('package', `medseal-package-${stamp}.medseal`); // no patient data in the default name
    if (!output) return { jobId: null };
    const identity = profile.identity;
    return this.start('seal', (onProgress) =>
      this.jobs.run(
        {
          kind: 'seal',
          card: identity.card.bytes,
          signingSecretKey: identity.signingSecretKey,
          encryptionSecretKey: identity.encryptionSecretKey,
          recipientCards: recipients.map((contact) => contact.card.bytes),
          files: files.map((file) => ({ path: file.path, name: file.name })),
          note: request.note,
          output,
        },
        { onProgress, tempFiles: profile.tempFiles },
      ),
      (result) => {
        profile.recordSealed(result, request.note);
        return result.fileCount;
      },
      undefined,
      { path: output, recipients: recipients.map((contact) => contact.fingerprint) },
    );
  }

  /** Verifies the header and the sender's signature, and shows who sent it before anything is saved. */
  async preview(token: string) {
    const profile = this.session.requireProfile();
    const file = this.session.files.get(token);
    let opened: OpenedPackage;
    try {
      opened = await openPackage(file.path, profile.identity);
    } catch (error) {
      if (isMedSealError(error)) profile.recordOpenRefused(error.code);
      throw error;
    }
    const trust = await profile.contacts.trustOf(opened.metadata.sender);
    await this.previews.get(token)?.opened.close();
    this.previews.set(token, { opened, trust });
    const { metadata } = opened;
    return {
      token,
      sender: { ...profileView(metadata.sender), trust: trust.kind },
      createdAt: metadata.createdAt,
      files: metadata.files.map((entry) => ({ name: entry.name, size: entry.size })),
      note: metadata.note,
      recipientCount: metadata.recipients.length,
      totalBytes: opened.totalBytes,
    };
  }

  async open(request: { token: string; confirmUntrusted: boolean }): Promise<{ jobId: string | null }> {
    const profile = this.session.requireProfile();
    const file = this.session.files.get(request.token);
    if (!this.previews.has(request.token)) await this.preview(request.token);
    const preview = this.previews.get(request.token)!;
    const sender = fingerprintHex(preview.opened.metadata.sender.fingerprint);
    if (preview.trust.kind !== 'verified' && preview.trust.kind !== 'org-verified' && !request.confirmUntrusted) throw new UntrustedSender(preview.trust.kind);
    const folder = await this.host.dialogs.chooseFolderForOpenedFiles();
    if (!folder) return { jobId: null };
    const identity = profile.identity;
    return this.start(
      'open',
      (onProgress) =>
        this.jobs.run(
          { kind: 'open', card: identity.card.bytes, signingSecretKey: identity.signingSecretKey, encryptionSecretKey: identity.encryptionSecretKey, packagePath: file.path, folder },
          { onProgress, tempFiles: profile.tempFiles },
        ),
      (result) => {
        profile.recordOpened(preview.opened, preview.trust);
        void this.exchange?.archiveIfFromInbox(file.path).catch(() => undefined); // a failed open never moves anything
        return result.paths.length;
      },
      (code) => profile.recordOpenRefused(code, sender),
    );
  }

  /** Shows the package a finished seal job wrote in the system's file manager. */
  reveal(jobId: string): void {
    const output = this.outputs.get(jobId);
    if (!output) throw new UnknownJob();
    this.host.desktop.revealInFolder(output.path);
  }

  /** Delivers the package a finished seal job wrote to its recipients' inboxes in every exchange folder. */
  async deliver(jobId: string): Promise<number> {
    this.session.requireProfile();
    const output = this.outputs.get(jobId);
    if (!output || !this.exchange) throw new UnknownJob();
    return this.exchange.deliver(output.path, output.recipients);
  }

  cancel(jobId: string): void {
    const job = this.running.get(jobId);
    if (!job) throw new UnknownJob();
    job.cancel();
  }

  private start<T>(
    kind: 'seal' | 'open',
    launch: (onProgress: (done: number, total: number) => void) => RunningJob<T>,
    onSuccess: (result: T) => number,
    onFailure?: (code: string) => void,
    output?: { path: string; recipients: string[] },
  ): { jobId: string } {
    const jobId = randomBytes(12).toString('hex');
    const started = Date.now();
    this.log.info({ jobId, kind }, 'job started');
    const job = launch((bytesDone, bytesTotal) => {
      const seconds = (Date.now() - started) / 1000;
      this.host.emit('job.progress', { jobId, bytesDone, bytesTotal, bytesPerSecond: seconds > 0 ? Math.round(bytesDone / seconds) : 0 });
    });
    this.running.set(jobId, job);
    job.done.then(
      (result) => {
        this.running.delete(jobId);
        if (output) this.outputs.set(jobId, output);
        let fileCount: number | null = null;
        try {
          fileCount = onSuccess(result);
        } catch {
          // the files are written; a store error (e.g. the app locked meanwhile) must not hide that
        }
        this.log.info({ jobId, kind, fileCount, ms: Date.now() - started }, 'job finished');
        this.host.emit('job.finished', { jobId, kind, ok: true, error: null, fileCount });
      },
      (error: unknown) => {
        this.running.delete(jobId);
        const code = isMedSealError(error) ? error.code : 'INTERNAL';
        const message = isMedSealError(error) ? error.userMessage : 'MedSeal ran into an internal problem. Nothing was saved.';
        try {
          onFailure?.(code);
        } catch {
          // locked meanwhile: nothing more to record
        }
        this.log.warn({ jobId, kind, code, ms: Date.now() - started }, 'job failed');
        this.host.emit('job.finished', { jobId, kind, ok: false, error: { code, message }, fileCount: null });
      },
    );
    return { jobId };
  }
}
