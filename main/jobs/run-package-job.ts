/** Runs one job in the current thread: the common body of the worker and the in-process runner. */
import { decodeCard } from '../identity/contact-card.js';
import { UnlockedIdentity } from '../identity/unlocked-identity.js';
import type { PackageReader } from '../package/header.js';
import { openPackage } from '../package/open.js';
import { sealPackage } from '../package/seal.js';
import { PackageChanged } from '../services/errors.js';
import { chunkThreadOptions, type JobHooks, type OpenJobResult, type PackageJob } from '../services/package-runner.js';
import type { SealResult } from '../package/seal.js';

export async function runPackageJob(
  job: PackageJob,
  hooks: JobHooks,
  signal: AbortSignal,
): Promise<SealResult | OpenJobResult> {
  const onProgress = hooks.onProgress
    ? ({ bytesDone, bytesTotal }: { bytesDone: number; bytesTotal: number }) =>
        hooks.onProgress?.(bytesDone, bytesTotal)
    : undefined;
  if (job.kind === 'open-passphrase') {
    // No identity at all: the reader is the passphrase's Argon2id key (docs/FORMAT.md §2.13).
    const key = { kdf: job.passphraseKey.kdf, key: Uint8Array.from(job.passphraseKey.key) };
    try {
      return await openAndExtract(job, { passphraseKey: key }, onProgress, hooks, signal);
    } finally {
      key.key.fill(0);
    }
  }
  // Jobs never touch the database, so the identity here carries no master key, and only the one
  // secret key the job's kind uses: the other is empty, so any use of it fails loudly.
  const signing = job.kind === 'seal' ? Uint8Array.from(job.signingSecretKey) : new Uint8Array(0);
  const encryption = job.kind === 'open' ? Uint8Array.from(job.encryptionSecretKey) : new Uint8Array(0);
  const pqSecret = job.kind === 'open' && job.pqSecretKey ? Uint8Array.from(job.pqSecretKey) : null;
  const identity = new UnlockedIdentity(decodeCard(job.card), signing, encryption, new Uint8Array(0), pqSecret);
  const passphraseKey =
    job.kind === 'seal' && job.passphrase
      ? { kdf: job.passphrase.key.kdf, key: Uint8Array.from(job.passphrase.key.key) }
      : null;
  try {
    if (job.kind === 'seal') {
      return await sealPackage({
        sender: identity,
        recipients: job.recipientCards.map((card) => decodeCard(card)),
        recoveryKey: job.recoveryCard ? decodeCard(job.recoveryCard) : null,
        passphrase:
          job.passphrase && passphraseKey ? { recipient: job.passphrase.recipient, key: passphraseKey } : null,
        files: job.files,
        note: job.note,
        replyTo: job.replyTo ?? null,
        subject: job.subject ?? null,
        directoryHead: job.directoryHead ?? null,
        output: job.output,
        ...chunkThreadOptions(job.workers),
        onProgress,
        signal,
        tempFiles: hooks.tempFiles,
      });
    }
    return await openAndExtract(job, identity, onProgress, hooks, signal);
  } finally {
    identity.wipe();
    passphraseKey?.key.fill(0);
  }
}

async function openAndExtract(
  job: Extract<PackageJob, { kind: 'open' | 'open-passphrase' }>,
  reader: PackageReader,
  onProgress: ((progress: { bytesDone: number; bytesTotal: number }) => void) | undefined,
  hooks: JobHooks,
  signal: AbortSignal,
): Promise<OpenJobResult> {
  const opened = await openPackage(job.packagePath, reader);
  try {
    if (opened.packageHash !== job.expectedPackageHash) throw new PackageChanged();
    const result = await opened.extractTo(job.folder, {
      onProgress,
      signal,
      tempFiles: hooks.tempFiles,
      keepBoth: job.keepBoth === true,
      ...chunkThreadOptions(job.workers),
    });
    return { paths: result.paths, totalBytes: result.totalBytes, packageFile: opened.file };
  } finally {
    await opened.close();
  }
}
