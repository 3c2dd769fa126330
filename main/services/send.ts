/**
 * Sending: check the recipients (services/recipients.ts) and what the
 * package answers and its subject (services/threads.ts), seal through the
 * package runner, and record the package in the history and the audit log
 * once it is complete. The app and the CLI both send through here; they
 * differ only in where the output path comes from and how progress shows.
 * A package may also be for a partner without MedSeal (docs/FORMAT.md
 * §2.13): `prepare` checks the policy and what the sender typed for them and
 * draws the passphrase (six words; the sender never chooses it); `start`
 * derives its Argon2id key in the KDF worker and hands only that key to the
 * job. The passphrase is the caller's to show once; nothing here keeps,
 * logs or audits it.
 */
import { ownDirectoryHead } from './directory-gossip.js';
import type { ContactRecord } from '../contacts/contact-record.js';
import type { SealInputFile } from '../package/input-files.js';
import type { SealResult } from '../package/seal.js';
import { ProfileLocked } from './errors.js';
import { chunkWorkersFor, sealJobKeysOf, type PackageJobs, type RunningJob, type SealJob } from './package-runner.js';
import type { ProfileSession } from './profile-session.js';
import { resolveRecipients, type RecipientRequest } from './recipients.js';
import { emergencyAccessView } from './emergency-access-view.js';
import type { EmergencyAccessView } from '../texts/protection-texts.js';
import { InvalidPackageRequest } from '../package/errors.js';
import { MAX_SUBJECT_CHARACTERS } from '../package/format.js';
import { subjectProblem } from '../package/thread-fields.js';
import { resolvePackageRef } from './threads.js';
import {
  normalisePassphraseRecipient,
  passphraseRecipientProblem,
  type PassphraseRecipient,
} from '../package/passphrase-recipient.js';
import { newPackagePassphrase } from '../package/passphrase-words.js';
import { newPassphraseKdf, passphraseReceiptKey } from '../package/passphrase-stanza.js';
import { derivePassphraseKey } from '../package/passphrase-key.js';
import { OperationCancelled } from '../errors/usage-error.js';
import { contactLabel } from '../texts/contact-texts.js';
import type { PolicyGate } from './policy-gate.js';

export interface SealRequest extends RecipientRequest {
  readonly files: readonly SealInputFile[];
  readonly note: string;
  /** The package this one answers, as a person names it: `#12`, or the start of its header hash (services/threads.ts). */
  readonly replyTo?: string | null;
  /** A one-line subject; spaces around it are dropped, and an empty one is none. */
  readonly subject?: string | null;
  /** A partner without MedSeal, as the sender typed them: the package gets a passphrase for them. */
  readonly passphraseRecipient?: {
    readonly name: string;
    readonly email: string;
    readonly phone?: string | null;
  } | null;
  /** Chunk worker threads asked for (`--workers N`; 0: none), within the policy's cap; absent: by cores. */
  readonly workers?: number;
}

/** A request whose recipients passed every check: ready to seal once an output path is chosen. */
export interface PreparedSeal {
  readonly request: SealRequest;
  readonly recipients: readonly ContactRecord[];
  /** The organisation recovery key the policy adds to every package, shown before sealing; or null. */
  readonly emergencyAccess: EmergencyAccessView | null;
  /** The header hash of the package it answers (a package of this history), or null. */
  readonly replyTo: string | null;
  /** The subject as it will be sealed, or null. */
  readonly subject: string | null;
  /** The partner without MedSeal (tidied and checked), or null. */
  readonly passphraseRecipient: PassphraseRecipient | null;
  /**
   * The passphrase generated for them (six words), or null: the caller shows it once, after
   * sealing, and keeps it nowhere.
   */
  readonly passphrase: string | null;
}

export interface JobProgressHooks {
  readonly onProgress?: (bytesDone: number, bytesTotal: number) => void;
}

export class SendService {
  constructor(
    private readonly session: ProfileSession,
    private readonly runner: PackageJobs,
  ) {}

  async prepare(request: SealRequest): Promise<PreparedSeal> {
    const profile = this.session.requireUnlocked();
    const { policy } = this.session;
    const subject = request.subject?.trim() || null;
    const problem = subject === null ? null : subjectProblem(subject);
    if (problem) throw new InvalidPackageRequest({ problem, max: MAX_SUBJECT_CHARACTERS }, { variant: 'subject' });
    const replyTo = request.replyTo == null ? null : resolvePackageRef(profile, request.replyTo);
    const passphraseRecipient = request.passphraseRecipient
      ? checkedPassphraseRecipient(policy, request.passphraseRecipient)
      : null;
    if (!passphraseRecipient && request.recipients.length === 0)
      throw new InvalidPackageRequest({}, { variant: 'no-recipients' });
    const recipients = await resolveRecipients(profile.contacts, policy, request);
    if (passphraseRecipient) assertPostQuantumBesidePassphrase(recipients);
    return {
      request,
      recipients,
      emergencyAccess: emergencyAccessView(policy.recoveryKey(), policy),
      replyTo,
      subject,
      passphraseRecipient,
      passphrase: passphraseRecipient ? newPackagePassphrase() : null,
    };
  }

  /** Seals into `output` (which must not exist); the package is recorded once it is complete. */
  start(prepared: PreparedSeal, output: string, hooks: JobProgressHooks = {}): RunningJob<SealResult> {
    const profile = this.session.requireUnlocked();
    const run = (passphrase: SealJob['passphrase']) =>
      this.runner.run(
        {
          kind: 'seal',
          ...sealJobKeysOf(profile.identity),
          recipientCards: prepared.recipients.map((contact) => contact.card.bytes),
          recoveryCard: this.session.policy.recoveryKey()?.bytes ?? null,
          files: prepared.request.files,
          note: prepared.request.note,
          replyTo: prepared.replyTo,
          subject: prepared.subject,
          directoryHead: ownDirectoryHead(this.session),
          passphrase,
          output,
          workers: chunkWorkersFor(this.session.policy.effective, prepared.request.workers),
        },
        { onProgress: hooks.onProgress, tempFiles: profile.tempFiles },
      );
    let job: RunningJob<SealResult> | null = null;
    let cancelled = false;
    const { passphrase, passphraseRecipient } = prepared;
    // The passphrase reader's receipt key is kept (package/passphrase-receipt.ts); the passphrase is not.
    let receiptKey: Buffer | null = null;
    const sealed =
      passphrase && passphraseRecipient
        ? derivePassphraseKey(passphrase, newPassphraseKdf()).then((key) => {
            if (cancelled) throw new OperationCancelled();
            receiptKey = passphraseReceiptKey(key);
            job = run({ recipient: passphraseRecipient, key });
            return job.done.finally(() => key.key.fill(0));
          })
        : (job = run(null)).done;
    const done = sealed
      .then((result) => {
        recordUnlessLocked(() =>
          this.session.requireUnlocked().recordSealed(result, prepared.request.note, receiptKey),
        );
        return result;
      })
      .finally(() => receiptKey?.fill(0));
    return {
      done,
      cancel: () => {
        cancelled = true;
        job?.cancel();
      },
    };
  }
}

/**
 * What the sender typed for a partner without MedSeal, tidied and checked: the policy allows such a
 * package, the name, address and phone are well formed, the address is in an allowed domain. The
 * typed error says which (the app shows it at the field).
 */
export function checkedPassphraseRecipient(
  policy: PolicyGate,
  typed: NonNullable<SealRequest['passphraseRecipient']>,
): PassphraseRecipient {
  const recipient = normalisePassphraseRecipient(typed);
  policy.assertPassphrasePackagesAllowed();
  const field = passphraseRecipientProblem(recipient);
  if (field) throw new InvalidPackageRequest({ field }, { variant: 'passphrase-recipient' });
  policy.checkRecipientDomains([{ email: recipient.email, who: recipient.name }]);
  return recipient;
}

/** Beside a passphrase the package is version 2 (FORMAT.md §2.13): every contact needs an X-Wing key, said before anything is drawn. */
export function assertPostQuantumBesidePassphrase(recipients: readonly ContactRecord[]): void {
  const classical = recipients.filter((contact) => !contact.card.pqKey);
  if (classical.length > 0)
    throw new InvalidPackageRequest(
      { who: classical.map((contact) => contactLabel(contact.card.profile)).join('; ') },
      { variant: 'passphrase-post-quantum-named' },
    );
}

/** Records an outcome; when the profile was locked meanwhile its keys are gone and there is nothing to record with. */
export function recordUnlessLocked(record: () => void): void {
  try {
    record();
  } catch (error) {
    if (!(error instanceof ProfileLocked)) throw error;
  }
}
