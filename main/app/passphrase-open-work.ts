/**
 * "Open a package with a passphrase" in the running app (lock screen and
 * first run): a partner who got a package and six words from a clinician
 * opens it here without any identity, as `medseal open --passphrase-file`
 * does, on the shared PassphraseOpenService. The words come in once, with the
 * preview; main keeps the derived key (inside the service) until the files
 * are saved or the preview is dropped, never the words. The sender is shown
 * as written in the package, never as verified. Nothing is recorded: there
 * may be no profile, and a locked one is not touched.
 */
import { basename } from 'node:path';
import { personView } from '../services/views.js';
import { emergencyAccessView } from '../services/emergency-access-view.js';
import { PassphraseOpenService, type PassphrasePreview } from '../services/passphrase-open.js';
import type { PackageJobs } from '../services/package-runner.js';
import { ReceiveService } from '../services/receive.js';
import { PreviewRequired } from '../services/errors.js';
import { UnknownJob } from './errors.js';
import type { Host } from './host.js';
import type { JobOutput, OpenConflict, PackageWork } from './package-work.js';
import type { Session } from './session.js';
import { chunkWorkersFor } from '../services/package-runner.js';

export class PassphraseOpenWork {
  private readonly opener: PassphraseOpenService;
  private readonly receive: ReceiveService;
  private readonly previews = new Map<string, PassphrasePreview>();
  /** The folder chosen when names there were taken, for "keep both" without asking again. */
  private readonly conflictFolders = new Map<string, string>();
  /** Jobs started here: only their files are shown in a folder by 'passphrase.reveal'. */
  private readonly jobs = new Set<string>();

  constructor(
    private readonly session: Session,
    private readonly host: Host,
    private readonly work: PackageWork,
    runner: PackageJobs,
  ) {
    this.opener = new PassphraseOpenService(runner);
    this.receive = new ReceiveService(session.profiles, runner);
    session.onLock(() => {
      for (const token of [...this.previews.keys()]) this.discard(token);
      this.jobs.clear();
    });
  }

  /** A package chosen in main's own dialog, as a file token. */
  async pick() {
    const path = await this.host.dialogs.choosePackage();
    return path ? this.session.files.ref(await this.session.files.register(path)) : null;
  }

  /** Checks the words and the package (typed errors: wrong passphrase, a word named by position, not a passphrase package, damaged). */
  async preview(token: string, words: string) {
    const file = this.session.files.get(token);
    this.discard(token); // a second try replaces the first preview (its key wiped)
    const preview = await this.opener.preview(file.path, words);
    this.previews.set(token, preview);
    const { metadata } = preview;
    const sender = personView(preview.sender);
    return {
      token,
      sender: { name: sender.name, organisation: sender.organisation, role: sender.role, email: sender.email },
      passphraseRecipient: metadata.passphraseRecipient ?? null,
      createdAt: metadata.createdAt,
      files: metadata.files.map((entry) => ({ name: entry.name, size: entry.size })),
      note: metadata.note,
      subject: metadata.subject,
      totalBytes: preview.totalBytes,
      emergencyAccess: emergencyAccessView(metadata.recovery, this.session.policy),
    };
  }

  /** Asks where to save, then saves; names already in that folder start nothing (`conflict`), as Receive does. */
  async open(token: string, keepBoth: boolean): Promise<{ jobId: string | null; conflict: OpenConflict | null }> {
    this.session.files.get(token); // the token must still be valid
    const preview = this.previews.get(token);
    if (!preview) throw new PreviewRequired(); // the files are saved only after the reader saw whom they are from
    const folder =
      (keepBoth ? this.conflictFolders.get(token) : undefined) ??
      (await this.host.dialogs.chooseFolderForOpenedFiles());
    if (!folder) return { jobId: null, conflict: null };
    const conflicts = keepBoth ? [] : await this.receive.nameConflicts(preview, folder);
    if (conflicts.length > 0) {
      this.conflictFolders.set(token, folder);
      return { jobId: null, conflict: { folder: basename(folder), files: conflicts } };
    }
    this.conflictFolders.delete(token);
    this.previews.delete(token); // its key goes with the job
    const saved: JobOutput = { path: folder, recipients: [], folder, renamed: [], outgoing: false };
    const { jobId } = await this.work.startJob(
      'open',
      (onProgress) =>
        this.opener.start(
          preview,
          folder,
          { onProgress },
          { keepBoth, workers: chunkWorkersFor(this.session.profiles.policy.effective) },
        ),
      (result) => {
        saved.path = result.paths[0] ?? folder;
        saved.renamed = result.paths.flatMap((path, index) =>
          basename(path) === preview.metadata.files[index]?.name ? [] : [{ index, savedAs: basename(path) }],
        );
        return result.paths.length;
      },
      saved,
    );
    this.jobs.add(jobId);
    return { jobId, conflict: null };
  }

  discard(token: string): void {
    const preview = this.previews.get(token);
    if (preview) this.opener.discard(preview);
    this.previews.delete(token);
    this.conflictFolders.delete(token);
  }

  reveal(jobId: string): void {
    if (!this.jobs.has(jobId)) throw new UnknownJob();
    this.work.reveal(jobId);
  }
}
