/**
 * Receiving: read and verify a package's header, decide what its sender is
 * to this reader (services/sender-decision.ts), and open exactly that
 * package: the open job carries the previewed header hash and refuses any
 * other file found at the path by then (PACKAGE_CHANGED), so what was shown
 * is what is saved and recorded. Every refusal is audited here, once.
 */
import { checkGossip } from './directory-gossip.js';
import type { ContactRecord, SenderTrust } from '../contacts/contact-record.js';
import { firstFreeName, ReservedNames, takenNames } from '../fs/keep-both.js';
import type { ContactCard } from '../identity/contact-card.js';
import { isMedSealError, codeOf } from '../errors/medseal-error.js';
import { fingerprintHex } from '../identity/fingerprint.js';
import type { PackageMetadata } from '../package/metadata.js';
import { openPackage } from '../package/open.js';
import {
  chunkWorkersFor,
  openJobKeysOf,
  type OpenJobResult,
  type PackageJobs,
  type RunningJob,
} from './package-runner.js';
import type { ProfileSession } from './profile-session.js';
import { assertMayOpen, verdictFor, type OpenConsent, type OpenVerdict } from './sender-decision.js';
import { recordUnlessLocked, type JobProgressHooks } from './send.js';
import { AlreadyOpened, SenderAlreadyKnown, SenderTrustChanged, SenderUsesYourEmail } from './errors.js';
import { emergencyAccessView } from './emergency-access-view.js';
import type { EmergencyAccessView } from '../texts/protection-texts.js';

/** A verified header: who sealed it, for whom, what is inside; the keys are already wiped. */
export interface PackagePreview {
  readonly path: string;
  /** Who sealed it, as this reader knows them: the contact book's card for known keys, never the package's text. */
  readonly sender: ContactCard;
  /** The package's own card when it claims another identity than the contact book's (identity-mismatch). */
  readonly claimedSender: ContactCard | null;
  readonly packageHash: string;
  readonly metadata: PackageMetadata;
  readonly totalBytes: number;
  readonly trust: SenderTrust;
  readonly verdict: OpenVerdict;
  readonly senderFingerprint: string;
  /** The organisation recovery key that can also open it (FORMAT.md §2.12), or null. */
  readonly emergencyAccess: EmergencyAccessView | null;
  /** When this profile last opened this very package (same header), or null: opening again needs the reader's confirmation. */
  readonly openedBefore: string | null;
}

/** A file of the package whose name the chosen folder already has: its position, and the name keeping both would give it (null: every numbered name is taken). */
export interface NameConflict {
  readonly index: number;
  readonly keptAs: string | null;
}

/** The card to show for a sender: the contact's when the keys are the contact's, else the package's (unknown, or keys not the contact's). */
function shownSender(trust: SenderTrust, packageCard: ContactCard): ContactCard {
  return trust.kind === 'unknown' || trust.kind === 'key-mismatch' ? packageCard : trust.contact.card;
}

export class ReceiveService {
  constructor(
    private readonly session: ProfileSession,
    private readonly runner: PackageJobs,
  ) {}

  /**
   * Verifies the header and the sender's signature; a package that fails is audited as refused
   * (not while an inbox is only being listed: `auditRefusal` false, or every poll would add one).
   */
  async preview(path: string, options: { auditRefusal?: boolean } = {}): Promise<PackagePreview> {
    const profile = this.session.requireUnlocked();
    let opened;
    try {
      opened = await openPackage(path, profile.identity);
    } catch (error) {
      if (isMedSealError(error) && options.auditRefusal !== false) profile.recordOpenRefused(error.code);
      throw error;
    }
    try {
      const read = {
        path,
        packageHash: opened.packageHash,
        metadata: opened.metadata,
        totalBytes: opened.totalBytes,
        senderFingerprint: fingerprintHex(opened.metadata.sender.fingerprint),
        emergencyAccess: emergencyAccessView(opened.metadata.recovery, this.session.policy),
      };
      const judged = await this.judged(read);
      // The directory head the sender carried (FORMAT.md §11): a fork stops its organisation's
      // vouching at once, so the sender is judged again without it.
      if ((await checkGossip(this.session, opened.metadata.directoryHead, opened.metadata.sender)) === 'fork')
        return this.judged(read);
      return judged;
    } finally {
      await opened.close();
    }
  }

  /**
   * Throws (audited as a refused package) unless the sender is still trusted as the preview showed
   * (SenderTrustChanged: a contact removed, re-keyed or revoked since) and the reader's consent fits.
   */
  async checkConsent(preview: PackagePreview, consent: OpenConsent): Promise<void> {
    const profile = this.session.requireUnlocked();
    // Not a refusal of the package (nothing is audited or answered): the reader has its files already.
    if (preview.openedBefore !== null && !consent.openAgain) throw new AlreadyOpened(preview.openedBefore);
    try {
      if ((await profile.contacts.trustOf(preview.metadata.sender)).kind !== preview.trust.kind)
        throw new SenderTrustChanged();
      assertMayOpen(preview.trust.kind, consent);
    } catch (error) {
      if (isMedSealError(error)) profile.recordOpenRefused(error.code, preview.senderFingerprint);
      throw error;
    }
  }

  /**
   * The same previewed package, judged again against the contacts as they are now (after its
   * sender was added, say): the file is not read again, so what is saved stays what was shown.
   */
  async withCurrentTrust(preview: PackagePreview): Promise<PackagePreview> {
    return this.judged(preview);
  }

  private async judged(
    read: Omit<PackagePreview, 'sender' | 'claimedSender' | 'trust' | 'verdict' | 'openedBefore'>,
  ): Promise<PackagePreview> {
    const { path, packageHash, metadata, totalBytes, senderFingerprint, emergencyAccess } = read;
    const profile = this.session.requireUnlocked();
    const trust = await profile.contacts.trustOf(metadata.sender);
    const sender = shownSender(trust, metadata.sender);
    return {
      path,
      packageHash,
      metadata,
      totalBytes,
      senderFingerprint,
      emergencyAccess,
      sender,
      claimedSender: trust.kind === 'identity-mismatch' ? trust.claimed : null,
      trust,
      verdict: verdictFor(trust.kind),
      openedBefore: profile.history.openedAt(packageHash),
    };
  }

  /**
   * The package's files whose names `folder` already holds, each with the name "keep both" would
   * save it as now (a file created meanwhile moves it to the next number).
   */
  async nameConflicts(preview: Pick<PackagePreview, 'metadata'>, folder: string): Promise<NameConflict[]> {
    const names = preview.metadata.files.map((file) => file.name);
    const conflicts: NameConflict[] = [];
    const chosen = new ReservedNames(names);
    for (const index of await takenNames(folder, names)) {
      const keptAs = await firstFreeName(folder, names[index]!, chosen);
      if (keptAs) chosen.add(keptAs);
      conflicts.push({ index, keptAs });
    }
    return conflicts;
  }

  /**
   * Adds a package's unknown sender to the contacts from the card the package carries, as an
   * unverified contact (audited as contact.imported); their safety number must still be compared.
   * Only for a sender the contacts do not know at all: anything else (a known contact, new keys
   * for a known e-mail) goes through the contact screens, where a key change is shown as one.
   * A sender who could be mistaken for a contact, or whose e-mail mixes alphabets, is refused
   * (LookAlikeNotAdded, with the look-alikes to show) unless the reader confirmed it
   * (`acceptLookAlike`), which is audited (detail `look-alike-accepted`).
   */
  async addSender(preview: PackagePreview, options: { acceptLookAlike?: boolean } = {}): Promise<ContactRecord> {
    const profile = this.session.requireUnlocked();
    const card = preview.metadata.sender;
    if (card.profile.email.toLowerCase() === profile.identity.card.profile.email.toLowerCase())
      throw new SenderUsesYourEmail();
    if ((await profile.contacts.trustOf(card)).kind !== 'unknown') throw new SenderAlreadyKnown();
    return (await profile.contacts.importCard(card, options.acceptLookAlike === true ? 'accept' : 'refuse')).contact;
  }

  /**
   * Saves the previewed package's files into `folder` once the reader's consent fits the
   * sender's trust; records it as opened, or as refused with the reason.
   */
  async start(
    preview: PackagePreview,
    folder: string,
    consent: OpenConsent,
    hooks: JobProgressHooks = {},
    options: { keepBoth?: boolean; workers?: number } = {},
  ): Promise<RunningJob<OpenJobResult>> {
    await this.checkConsent(preview, consent);
    const profile = this.session.requireUnlocked();
    const job = this.runner.run(
      {
        kind: 'open',
        ...openJobKeysOf(profile.identity),
        packagePath: preview.path,
        folder,
        expectedPackageHash: preview.packageHash,
        keepBoth: options.keepBoth === true,
        workers: chunkWorkersFor(this.session.policy.effective, options.workers),
      },
      { onProgress: hooks.onProgress, tempFiles: profile.tempFiles },
    );
    const done = job.done.then(
      (result) => {
        const overridden = preview.verdict === 'alarm' && Boolean(consent.overrideAlarm);
        recordUnlessLocked(() => this.session.requireUnlocked().recordOpened(preview, preview.trust, overridden));
        return result;
      },
      (error: unknown) => {
        const code = codeOf(error);
        try {
          this.session.requireUnlocked().recordOpenRefused(code, preview.senderFingerprint);
        } catch {
          // locked meanwhile, or the store failed too: the job's own error is the one to report
        }
        throw error;
      },
    );
    return { done, cancel: () => job.cancel() };
  }
}
