/**
 * Opening a passphrase package (docs/FORMAT.md §2.13) without any profile:
 * the person has the package and the six words the sender read to them, and
 * perhaps no MedSeal identity at all. The words are checked and tidied first
 * (a mistyped word is named by position before a second is spent), the
 * Argon2id key is derived in the KDF worker under the parameters the package
 * carries (refused when weaker than allowed), and the header is verified as
 * for any reader: the sender's signature too. The sender is shown as written
 * in the package, never as verified, since no contact book vouches for them.
 * The open job then gets the key (never the words) and the previewed header
 * hash, as a contact's open does. Nothing is recorded: there is no profile
 * to record in, and the passphrase is never kept, logged or audited.
 */
import type { ContactCard } from '../identity/contact-card.js';
import { fingerprintHex } from '../identity/fingerprint.js';
import { NotARecipient } from '../package/errors.js';
import { passphraseKdfOf } from '../package/inspect.js';
import type { PackageMetadata } from '../package/metadata.js';
import { openPackage } from '../package/open.js';
import type { PassphraseKey } from '../package/passphrase-stanza.js';
import { derivePassphraseKey } from '../package/passphrase-key.js';
import { parsePackagePassphrase } from '../package/passphrase-words.js';
import type { JobProgressHooks } from './send.js';
import type { ChunkWorkers, OpenJobResult, PackageJobs, RunningJob } from './package-runner.js';

/** A package whose header opened with the passphrase: what to show before anything is saved. */
export interface PassphrasePreview {
  readonly path: string;
  readonly packageHash: string;
  readonly metadata: PackageMetadata;
  readonly totalBytes: number;
  /** The card in the package, as written there: its signatures verified, its identity not. */
  readonly sender: ContactCard;
  readonly senderFingerprint: string;
}

export class PassphraseOpenService {
  /** The derived keys of previews not yet opened or discarded, wiped by `start` or `discard`. */
  private readonly keys = new WeakMap<PassphrasePreview, PassphraseKey>();

  constructor(private readonly runner: PackageJobs) {}

  /** Checks the words, derives the key and verifies the header; the typed error says what failed. */
  async preview(path: string, typed: string): Promise<PassphrasePreview> {
    const passphrase = parsePackagePassphrase(typed);
    const kdf = await passphraseKdfOf(path);
    if (!kdf) throw new NotARecipient('passphrase');
    const key = await derivePassphraseKey(passphrase, kdf);
    try {
      const opened = await openPackage(path, { passphraseKey: key });
      try {
        const preview: PassphrasePreview = {
          path,
          packageHash: opened.packageHash,
          metadata: opened.metadata,
          totalBytes: opened.totalBytes,
          sender: opened.metadata.sender,
          senderFingerprint: fingerprintHex(opened.metadata.sender.fingerprint),
        };
        this.keys.set(preview, key);
        return preview;
      } finally {
        await opened.close();
      }
    } catch (error) {
      key.key.fill(0);
      throw error;
    }
  }

  /** Saves exactly the previewed package's files into `folder` (PACKAGE_CHANGED for any other file). */
  start(
    preview: PassphrasePreview,
    folder: string,
    hooks: JobProgressHooks = {},
    /** `workers`: what the caller's policy allows (chunkWorkersFor); absent: by cores. */
    options: { keepBoth?: boolean; workers?: ChunkWorkers } = {},
  ): RunningJob<OpenJobResult> {
    const key = this.keys.get(preview);
    if (!key) throw new Error('a passphrase preview is opened once');
    this.keys.delete(preview);
    const job = this.runner.run(
      {
        kind: 'open-passphrase',
        passphraseKey: key,
        packagePath: preview.path,
        folder,
        expectedPackageHash: preview.packageHash,
        keepBoth: options.keepBoth === true,
        ...(options.workers ? { workers: options.workers } : {}),
      },
      { onProgress: hooks.onProgress },
    );
    const done = job.done.finally(() => key.key.fill(0));
    return { done, cancel: () => job.cancel() };
  }

  /** Forgets a preview that will not be opened (its key wiped). */
  discard(preview: PassphrasePreview): void {
    this.keys.get(preview)?.key.fill(0);
    this.keys.delete(preview);
  }
}
