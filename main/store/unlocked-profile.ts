/**
 * The profile's data while its identity is unlocked: contacts, package
 * history, temp-file records and the audit log, with the operations that
 * must change data and write the audit entry in one transaction.
 */
import { DirectoryForked, DirectoryRefused, DirectoryRolledBack, type DirectoryProblem } from '../directory/errors.js';
import { AuditLog } from './audit-log.js';
import { ContactBook } from '../contacts/contact-book.js';
import type { SenderTrust } from '../contacts/contact-record.js';
import { fingerprintHex } from '../identity/fingerprint.js';
import type { UnlockedIdentity } from '../identity/unlocked-identity.js';
import type { OpenedPackage } from '../package/open.js';
import type { SealResult } from '../package/seal.js';
import type { Db } from './database.js';
import { StoreTampered, storeErrorFrom } from './errors.js';
import { FieldCipher } from './field-cipher.js';
import { PackageHistory } from './package-history.js';
import { passphraseRecipientId } from './package-passphrase-recipients.js';
import { PackageIndex } from './package-index.js';
import { SqliteContactStorage } from './sqlite-contact-storage.js';
import { SqliteTempFileRegistry } from './sqlite-temp-file-registry.js';
import { Deliveries } from './deliveries.js';
import { SftpExchanges } from './sftp-exchanges.js';
import { MailboxStore } from './mailbox.js';
import { PartnerOrganisations } from './partner-organisations.js';
import { DeliveryQueueStore } from './delivery-queue.js';
import type { DirectorySource } from '../directory/directory-source.js';

export class UnlockedProfile {
  readonly audit: AuditLog;
  readonly contacts: ContactBook;
  readonly history: PackageHistory;
  readonly tempFiles: SqliteTempFileRegistry;
  readonly deliveries: Deliveries;
  readonly sftpExchanges: SftpExchanges;
  readonly mailbox: MailboxStore;
  readonly partners: PartnerOrganisations;
  /** Sent packages waiting for an exchange that was down (services/delivery/delivery-queue.ts). */
  readonly deliveryQueue: DeliveryQueueStore;
  private readonly cipher: FieldCipher;
  private readonly contactStorage: SqliteContactStorage;

  constructor(
    private readonly db: Db,
    readonly identity: UnlockedIdentity,
    fieldKey: Uint8Array,
    readonly contactMacKey: Uint8Array,
    directory?: DirectorySource,
  ) {
    this.cipher = new FieldCipher(fieldKey);
    this.audit = new AuditLog(db, identity);
    this.history = new PackageHistory(db, this.cipher);
    this.tempFiles = new SqliteTempFileRegistry(db, this.cipher);
    this.deliveries = new Deliveries(db);
    this.sftpExchanges = new SftpExchanges(db, this.cipher);
    this.mailbox = new MailboxStore(db, this.cipher);
    this.partners = new PartnerOrganisations(db, this.cipher);
    this.deliveryQueue = new DeliveryQueueStore(db);
    this.contactStorage = new SqliteContactStorage(db, contactMacKey, identity.card.signingKey);
    this.contacts = new ContactBook(
      this.contactStorage,
      identity.card,
      () => new Date(),
      (action, fingerprint, detail) =>
        this.audit.append({ action, counterparts: [fingerprint], ...(detail === undefined ? {} : { detail }) }),
      directory,
    );
  }

  private get me(): string {
    return fingerprintHex(this.identity.card.fingerprint);
  }

  private inTransaction<T>(work: () => T): T {
    try {
      return this.db.transaction(work)();
    } catch (error) {
      throw storeErrorFrom(error);
    }
  }

  /**
   * A package for a partner without MedSeal is audited with the passphrase recipient's id among the
   * counterparts (store/package-passphrase-recipients.ts: the export names them) and detail
   * `passphrase`; the passphrase is never given to the profile.
   */
  recordSealed(result: SealResult, note: string, passphraseReceiptKey: Uint8Array | null = null): void {
    const recipients = result.recipientFingerprints;
    const passphraseIds = result.passphraseRecipient ? [passphraseRecipientId(result.packageHash)] : [];
    this.inTransaction(() => {
      this.history.record({
        packageHash: result.packageHash,
        direction: 'sent',
        counterpart: recipients[0] ?? passphraseIds[0] ?? this.me,
        recipients,
        files: result.files,
        note,
        sealedAt: result.createdAt,
        recordedAt: new Date().toISOString(),
        replyTo: result.replyTo,
        subject: result.subject,
        passphraseRecipient: result.passphraseRecipient,
        passphraseReceiptKey,
      });
      this.audit.append({
        action: 'package.sealed',
        counterparts: [...recipients, ...passphraseIds],
        fileCount: result.fileCount,
        totalBytes: result.totalBytes,
        ...(passphraseIds.length > 0 ? { detail: 'passphrase' } : {}),
      });
    });
  }

  /**
   * `alarmOverridden`: the reader saved the files despite an alarm (possible impersonation). That
   * decision is its own entry, `package.alarm-overridden`, just before `package.opened`, so a
   * reviewer (or the SIEM, where it is a warning) finds it without parsing details.
   */
  recordOpened(
    opened: Pick<OpenedPackage, 'packageHash' | 'metadata' | 'totalBytes'>,
    trust: SenderTrust,
    alarmOverridden = false,
  ): void {
    const sender = fingerprintHex(opened.metadata.sender.fingerprint);
    this.inTransaction(() => {
      if (alarmOverridden)
        this.audit.append({
          action: 'package.alarm-overridden',
          counterparts: [sender],
          detail: `sender-${trust.kind}`,
        });
      this.history.record({
        packageHash: opened.packageHash,
        direction: 'received',
        counterpart: sender,
        recipients: opened.metadata.recipients,
        files: opened.metadata.files,
        note: opened.metadata.note,
        sealedAt: opened.metadata.createdAt,
        recordedAt: new Date().toISOString(),
        replyTo: opened.metadata.replyTo, // from the verified, signed metadata
        subject: opened.metadata.subject,
        passphraseRecipient: opened.metadata.passphraseRecipient,
      });
      this.audit.append({
        action: 'package.opened',
        counterparts: [sender],
        fileCount: opened.metadata.files.length,
        totalBytes: opened.totalBytes,
        detail: `sender-${trust.kind}${alarmOverridden ? ':overridden' : ''}`,
      });
    });
  }

  /**
   * Creates the contact set MAC once in a profile's life, recorded by a signed audit event in the
   * same transaction: at the first unlock of a new profile, or of one from before set MACs (its
   * contacts are adopted, each row still checked by its own MAC). Once that event is in the
   * chain, a missing set MAC is tampering, and the contact list refuses to load. Adopting
   * happens only over a whole, verified chain (so the event cannot have been cut out).
   */
  ensureContactSet(): void {
    if (this.contactStorage.hasSetMac() || this.audit.has('store.contact-set-created')) return this.upgradeLegacySet();
    if (!this.audit.verify().ok) throw new StoreTampered('the audit log');
    this.inTransaction(() => {
      this.audit.append({ action: 'store.contact-set-created' });
      this.contactStorage.writeSetMac();
    });
  }

  /**
   * A set MAC of the earlier kind (bound to fewer contact events; issue 26, item 6) is rewritten
   * once in a profile's life, under a signed `store.contact-set-upgraded` event and over a whole,
   * verified chain. Once that event is in the chain, an earlier-kind set MAC is tampering.
   */
  private upgradeLegacySet(): void {
    if (this.audit.has('store.contact-set-upgraded') || !this.contactStorage.hasLegacySetMac()) return;
    if (!this.audit.verify().ok) throw new StoreTampered('the audit log');
    this.inTransaction(() => {
      this.audit.append({ action: 'store.contact-set-upgraded' });
      this.contactStorage.writeSetMac();
    });
  }

  /** A package that was not opened: the reason is an error code; the sender when it was known. */
  recordOpenRefused(reasonCode: string, sender?: string): void {
    this.audit.append({ action: 'package.open-refused', counterparts: sender ? [sender] : [], detail: reasonCode });
  }

  /** A sent package reached these recipients' inboxes through `exchange` (its kind is audited, not its name). */
  recordDelivered(
    packageHash: string,
    recipients: readonly string[],
    exchange: { name: string; kind: string },
    at = new Date(),
  ): void {
    this.inTransaction(() => {
      for (const recipient of recipients)
        this.deliveries.record(packageHash, recipient, 'delivered', exchange.name, at.toISOString());
      this.audit.append({ action: 'package.delivered', counterparts: recipients, detail: exchange.kind });
    });
  }

  /**
   * A sent package taken back from these recipients' inboxes (each with the exchanges it was removed
   * from; `complete` when nothing of ours is left for them anywhere: then the history says withdrawn);
   * `pickedUp`: how many recipients already had it.
   */
  recordWithdrawn(
    packageHash: string,
    removed: readonly {
      readonly recipient: string;
      readonly exchanges: readonly string[];
      readonly complete: boolean;
    }[],
    pickedUp: number,
    at = new Date(),
  ): void {
    this.inTransaction(() => {
      for (const { recipient, exchanges, complete } of removed)
        if (complete)
          this.deliveries.record(packageHash, recipient, 'withdrawn', exchanges.join(', '), at.toISOString());
      this.audit.append({
        action: 'package.withdrawn',
        counterparts: removed.map((entry) => entry.recipient),
        detail: pickedUp > 0 ? `picked-up:${pickedUp}` : null,
      });
    });
  }

  /** The sender of a package took it back from our inbox (their signed withdrawal notice); whether we had opened it before. */
  recordWithdrawalNoticed(sender: string, openedBefore: boolean): void {
    this.audit.append({
      action: 'package.withdrawn-by-sender',
      counterparts: [sender],
      detail: openedBefore ? 'opened-before' : 'not-opened',
    });
  }

  /** A verified receipt from `recipient` about a package we sent. */
  recordReceiptReceived(
    packageHash: string,
    recipient: string,
    outcome: 'opened' | 'refused',
    reason: string | null,
    at: string,
    via: string | null = null,
  ): void {
    this.inTransaction(() => {
      this.deliveries.record(packageHash, recipient, outcome, reason ?? '', at);
      if (via !== null) this.deliveries.recordAnsweredVia(recipient, via, new Date().toISOString());
      this.audit.append({
        action: 'receipt.received',
        counterparts: [recipient],
        detail: reason ? `refused:${reason}` : 'opened',
      });
    });
  }

  recordReceiptSent(sender: string, outcome: 'opened' | 'refused', how: 'exchange' | 'email' | 'file'): void {
    this.audit.append({ action: 'receipt.sent', counterparts: [sender], detail: `${outcome}:${how}` });
  }

  /**
   * A folder MedSeal works in changed under it (fs/pinned-folder.ts) and the work stopped: where
   * (`outbox`, `exchange`, `output`…) and how, as codes; never the path.
   */
  /**
   * A directory log was refused (FORMAT.md §11): why, and for a rollback or a fork both heads (place
   * and the first 16 hex digits of each hash), so that IT can tell the histories apart. `counterpart`
   * is the directory key's fingerprint for a partner organisation; none for the own directory.
   */
  recordDirectoryRefused(problem: DirectoryProblem, counterpart: string | null = null): void {
    const heads =
      problem instanceof DirectoryForked || problem instanceof DirectoryRolledBack
        ? `:${problem.held.seq}-${problem.held.hash.slice(0, 16)}:${problem.offered.seq}-${problem.offered.hash.slice(0, 16)}`
        : problem instanceof DirectoryRefused
          ? `:${problem.reason}`
          : '';
    this.audit.append({
      action: 'directory.refused',
      ...(counterpart ? { counterparts: [counterpart] } : {}),
      detail: `${problem.code}${heads}`,
    });
  }

  recordFolderChanged(place: string, change: string): void {
    this.audit.append({ action: 'folder.changed', detail: `${place}:${change}` });
  }

  /** A package sealed for an unverified contact without a person's confirmation, because the policy allows it there (`via`: the hot folder). */
  recordUnverifiedAllowed(recipient: string, via: string): void {
    this.audit.append({ action: 'package.unverified-allowed', counterparts: [recipient], detail: via });
  }

  /** A receipt that was not accepted (the reason is a code). */
  recordReceiptRefused(reasonCode: string): void {
    this.audit.append({ action: 'receipt.refused', detail: reasonCode });
  }

  /** Search over file names, and over people as `personText` describes their fingerprints (services/package-search.ts). */
  packageIndex(personText?: (fingerprint: string) => string): PackageIndex {
    return new PackageIndex(this.history.list(), personText);
  }

  /** Wipes the store keys and the identity; the profile cannot be used afterwards. */
  lock(): void {
    this.cipher.wipe();
    this.contactMacKey.fill(0);
    this.identity.wipe();
  }
}
