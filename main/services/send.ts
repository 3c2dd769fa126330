/**
 * Sending: check the recipients (services/recipients.ts) and what the
 * package answers and its subject (services/threads.ts), seal through the
 * package runner, and record the package in the history and the audit log
 * once it is complete. The app and the CLI both send through here; they
 * differ only in where the output path comes from and how progress shows.
 */
import type { ContactRecord } from '../contacts/contact-record.js';
import type { SealInputFile } from '../package/input-files.js';
import type { SealResult } from '../package/seal.js';
import { ProfileLocked } from './errors.js';
import { sealJobKeysOf, type PackageJobs, type RunningJob } from './package-runner.js';
import type { ProfileSession } from './profile-session.js';
import { resolveRecipients, type RecipientRequest } from './recipients.js';
import { emergencyAccessView } from './emergency-access-view.js';
import type { EmergencyAccessView } from '../texts/protection-texts.js';
import { InvalidPackageRequest } from '../package/errors.js';
import { MAX_SUBJECT_CHARACTERS } from '../package/format.js';
import { subjectProblem } from '../package/thread-fields.js';
import { resolvePackageRef } from './threads.js';

export interface SealRequest extends RecipientRequest {
  readonly files: readonly SealInputFile[];
  readonly note: string;
  /** The package this one answers, as a person names it: `#12`, or the start of its header hash (services/threads.ts). */
  readonly replyTo?: string | null;
  /** A one-line subject; spaces around it are dropped, and an empty one is none. */
  readonly subject?: string | null;
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
    return {
      request,
      recipients: await resolveRecipients(profile.contacts, policy, request),
      emergencyAccess: emergencyAccessView(policy.recoveryKey(), policy),
      replyTo,
      subject,
    };
  }

  /** Seals into `output` (which must not exist); the package is recorded once it is complete. */
  start(prepared: PreparedSeal, output: string, hooks: JobProgressHooks = {}): RunningJob<SealResult> {
    const profile = this.session.requireUnlocked();
    const job = this.runner.run(
      {
        kind: 'seal',
        ...sealJobKeysOf(profile.identity),
        recipientCards: prepared.recipients.map((contact) => contact.card.bytes),
        recoveryCard: this.session.policy.recoveryKey()?.bytes ?? null,
        files: prepared.request.files,
        note: prepared.request.note,
        replyTo: prepared.replyTo,
        subject: prepared.subject,
        output,
      },
      { onProgress: hooks.onProgress, tempFiles: profile.tempFiles },
    );
    const done = job.done.then((result) => {
      recordUnlessLocked(() => this.session.requireUnlocked().recordSealed(result, prepared.request.note));
      return result;
    });
    return { done, cancel: () => job.cancel() };
  }
}

/** Records an outcome; when the profile was locked meanwhile its keys are gone and there is nothing to record with. */
export function recordUnlessLocked(record: () => void): void {
  try {
    record();
  } catch (error) {
    if (!(error instanceof ProfileLocked)) throw error;
  }
}
