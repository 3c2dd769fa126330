/**
 * The rules of the contact list, independent of where it is stored:
 * importing cards (and noticing key changes), verifying by safety number,
 * finding contacts, and judging senders and recipients. Storage is behind
 * `ContactStorage` so the SQLite store can replace the interim JSON file.
 * Every import is checked against every other contact for look-alikes
 * (contacts/look-alike.ts), and a verified contact who changes their name,
 * organisation or role is verified no longer (issue 26, items 4 and 8).
 */
import type { ContactCard } from '../identity/contact-card.js';
import { CardMalformed } from '../identity/errors.js';
import { xwingPublicKeyUsable } from '../crypto/xwing.js';
import { fingerprintHex, normaliseSafetyNumberInput, safetyNumber } from '../identity/fingerprint.js';
import {
  CardKeysConflict,
  ContactAmbiguous,
  ContactNotFound,
  LookAlikeNotAdded,
  NoReplacementToReject,
  OwnCardImported,
  RecoveryKeyNotAContact,
  SafetyNumberMalformed,
  SafetyNumberMismatch,
} from './errors.js';
import type { ContactEvent } from './contact-events.js';
import { isMixedScriptEmail, lookAlikesOf, type LookAlike } from './look-alike.js';
import { isRecoveryCard } from '../org-recovery/recovery-key.js';
import type { ContactRecord, ImportOutcome, SenderTrust } from './contact-record.js';

/** A card a directory vouches for: the organisation's own (`partner` null) or a partner organisation's. */
export interface VouchedCard {
  readonly card: ContactCard;
  readonly partner: string | null;
}

export interface ContactStorage {
  load(): Promise<ContactRecord[]>;
  /**
   * Makes the stored list `records` (a storage may write only the contacts that changed); `alongside`
   * runs in the same transaction where the storage has one (the audit entry).
   */
  save(records: readonly ContactRecord[], alongside?: () => void): Promise<void>;
}

export type { ContactEvent } from './contact-events.js';

/** Told of every change, inside the storage transaction: the audit log listens here. `detail` is a short code (audit-entry.ts). */
export type ContactEventSink = (event: ContactEvent, fingerprint: string, detail?: string) => void;

export interface ImportResult {
  readonly outcome: ImportOutcome;
  readonly contact: ContactRecord;
  /** The card the contact had before ('identity-changed', 'key-changed'), to show old and new side by side; otherwise null. */
  readonly previous: ContactCard | null;
  /** The other contacts this one could be mistaken for, checked at every import. */
  readonly lookAlikes: readonly LookAlike[];
  /** The card's e-mail address mixes alphabets or uses look-alike letters. */
  readonly mixedScriptEmail: boolean;
}

/**
 * What an import does about look-alikes: 'report' them in the result (importing a card file);
 * 'refuse' the card (LookAlikeNotAdded) before anything changes (adding a package's sender);
 * 'accept' it on the person's explicit confirmation, audited as `contact.imported` with the detail
 * `look-alike-accepted`.
 */
export type LookAlikeHandling = 'report' | 'refuse' | 'accept';

export class ContactBook {
  constructor(
    private readonly storage: ContactStorage,
    private readonly owner: ContactCard,
    private readonly now: () => Date = () => new Date(),
    private readonly onEvent: ContactEventSink = () => undefined,
    /**
     * Cards vetted by the organisation (policy; `partner` null), which count as verified, and cards
     * partner organisations vouch for (`partner`: the name IT gave it).
     */
    private readonly directory: () => Promise<readonly VouchedCard[]> = async () => [],
  ) {}

  /**
   * Stored contacts, with directory cards merged in as 'org-verified'. The directory vouches for
   * a card, not for keys alone: a stored, unverified contact becomes org-verified only when its
   * card is the directory's (same keys and same identity); a key-changed one never does. A stored
   * contact whose e-mail the directory gives to other keys is a conflict: it counts as
   * key-changed (sending blocked) until the reader resolves it, and the directory's card is not
   * added beside it.
   */
  private async withDirectory(): Promise<ContactRecord[]> {
    const records = await this.storage.load();
    // The organisation's own directory first: where it and a partner's both name an address, its card wins.
    const vetted = [...(await this.directory())].sort(
      (a, b) => Number(a.partner !== null) - Number(b.partner !== null),
    );
    const vettedByKeys = new Map(vetted.map((entry) => [fingerprintHex(entry.card.fingerprint), entry]));
    const vouchedState = (entry: VouchedCard) =>
      entry.partner === null
        ? ({ state: 'org-verified' } as const)
        : ({ state: 'partner-vouched', vouchedBy: entry.partner } as const);
    const merged = records.map((record): ContactRecord => {
      const vouched = vettedByKeys.get(record.fingerprint);
      if (vouched && record.state === 'unverified' && sameIdentity(record.card, vouched.card))
        return { ...record, ...vouchedState(vouched) };
      // A directory that gives this address to other keys: an alarm, as a key change is (sending blocked).
      const conflict = vetted.some(
        ({ card }) =>
          card.profile.email === record.card.profile.email && fingerprintHex(card.fingerprint) !== record.fingerprint,
      );
      return conflict ? { ...record, state: 'key-changed' } : record;
    });
    for (const entry of vetted) {
      const { card } = entry;
      const fingerprint = fingerprintHex(card.fingerprint);
      if (
        merged.some((record) => record.fingerprint === fingerprint || record.card.profile.email === card.profile.email)
      )
        continue;
      merged.push({
        card,
        fingerprint,
        ...vouchedState(entry),
        verifiedAt: null,
        verifiedBy: null,
        addedAt: card.createdAt,
        previousKeys: [],
      });
    }
    return merged;
  }

  private saveWith(
    records: readonly ContactRecord[],
    event: ContactEvent,
    fingerprint: string,
    detail?: string,
  ): Promise<void> {
    return this.storage.save(records, () =>
      detail === undefined ? this.onEvent(event, fingerprint) : this.onEvent(event, fingerprint, detail),
    );
  }

  /** The contacts other than the person of `card` (same e-mail or keys) that it could be mistaken for, and whether its e-mail mixes alphabets. */
  async lookAlikesOf(card: ContactCard): Promise<{ lookAlikes: LookAlike[]; mixedScriptEmail: boolean }> {
    const fingerprint = fingerprintHex(card.fingerprint);
    const candidate: ContactRecord = {
      card,
      fingerprint,
      state: 'unverified',
      verifiedAt: null,
      verifiedBy: null,
      addedAt: '',
      previousKeys: [],
    };
    const others = (await this.withDirectory()).filter(
      (record) => record.card.profile.email !== card.profile.email && record.fingerprint !== fingerprint,
    );
    return { lookAlikes: lookAlikesOf(candidate, others), mixedScriptEmail: isMixedScriptEmail(card.profile.email) };
  }

  list(): Promise<ContactRecord[]> {
    return this.withDirectory();
  }

  async importCard(card: ContactCard, handling: LookAlikeHandling = 'report'): Promise<ImportResult> {
    const fingerprint = fingerprintHex(card.fingerprint);
    if (fingerprint === fingerprintHex(this.owner.fingerprint)) throw new OwnCardImported();
    // Sealing for it by hand would hide it among the recipients instead of naming it as the recovery key.
    if (isRecoveryCard(card)) throw new RecoveryKeyNotAContact();
    // A post-quantum key nobody can encapsulate to would only fail later, at sealing.
    if (card.pqKey && !xwingPublicKeyUsable(card.pqKey))
      throw new CardMalformed('its post-quantum key is not a usable X-Wing key');
    const records = await this.storage.load();
    const byKeys = records.find((record) => record.fingerprint === fingerprint);
    if (byKeys && byKeys.card.profile.email !== card.profile.email) throw new CardKeysConflict();
    const byEmail = records.findIndex((record) => record.card.profile.email === card.profile.email);
    const timestamp = this.now().toISOString();
    const concerns = await this.lookAlikesOf(card);
    const suspicious = concerns.lookAlikes.length > 0 || concerns.mixedScriptEmail;
    const result = (
      outcome: ImportOutcome,
      contact: ContactRecord,
      previous: ContactCard | null = null,
    ): ImportResult => ({ outcome, contact, previous, ...concerns });

    if (suspicious && handling === 'refuse')
      throw new LookAlikeNotAdded(concerns.lookAlikes, concerns.mixedScriptEmail);

    if (byEmail < 0) {
      const contact: ContactRecord = {
        card,
        fingerprint,
        state: 'unverified',
        verifiedAt: null,
        verifiedBy: null,
        addedAt: timestamp,
        previousKeys: [],
      };
      await this.saveWith(
        [...records, contact],
        'contact.imported',
        fingerprint,
        suspicious && handling === 'accept' ? 'look-alike-accepted' : undefined,
      );
      return result('added', contact);
    }
    const existing = records[byEmail]!;
    if (existing.fingerprint === fingerprint && !replacesPostQuantumKey(existing.card, card)) {
      // Same keys: a newer card of the same person replaces the old one, or adds the post-quantum
      // key (an upgrade, signed by the key already known, so verification stays). A card without
      // one never replaces a card with one: replaying an old card must not downgrade a contact.
      if (card.createdAt <= existing.card.createdAt) return result('unchanged', existing);
      if (existing.card.pqKey && !card.pqKey) return result('unchanged', existing);
      if (!sameIdentity(existing.card, card)) {
        // The safety number was compared with the person the old card named: the same keys under
        // another name, organisation or role are compared again before they are trusted as them.
        const contact: ContactRecord = {
          ...existing,
          card,
          state: existing.state === 'key-changed' ? 'key-changed' : 'unverified',
          verifiedAt: null,
          verifiedBy: null,
        };
        await this.saveWith(
          records.map((record, index) => (index === byEmail ? contact : record)),
          'contact.identity-changed',
          fingerprint,
        );
        return result('identity-changed', contact, existing.card);
      }
      const contact: ContactRecord = { ...existing, card }; // same keys, same person: a newer card (a post-quantum key added, say)
      await this.saveWith(
        records.map((record, index) => (index === byEmail ? contact : record)),
        'contact.imported',
        fingerprint,
      );
      return result('updated', contact);
    }
    const contact: ContactRecord = {
      card,
      fingerprint,
      state: 'key-changed',
      verifiedAt: null,
      verifiedBy: null,
      addedAt: existing.addedAt,
      previousKeys: [
        ...existing.previousKeys,
        { fingerprint: existing.fingerprint, card: existing.card, replacedAt: timestamp },
      ],
    };
    await this.saveWith(
      records.map((record, index) => (index === byEmail ? contact : record)),
      'contact.key-changed',
      fingerprint,
    );
    return result('key-changed', contact, existing.card);
  }

  /** By e-mail address, or by at least 8 leading hex digits of the fingerprint. */
  async find(query: string): Promise<ContactRecord> {
    return matchContact(await this.withDirectory(), query);
  }

  /**
   * `find` over one reading of the contacts, for looking up many: each reading checks every stored
   * card's signature, and a seal to 100 recipients, reading once per recipient, did so 10,000 times.
   */
  async finder(): Promise<(query: string) => ContactRecord> {
    const records = await this.withDirectory();
    return (query) => matchContact(records, query);
  }

  safetyNumberWith(contact: ContactRecord): string {
    return safetyNumber(this.owner, contact.card);
  }

  /** Marks a contact verified when the typed safety number matches; otherwise changes nothing. */
  async verify(query: string, typedSafetyNumber: string): Promise<ContactRecord> {
    const contact = await this.find(query);
    const typed = normaliseSafetyNumberInput(typedSafetyNumber);
    const expected = this.safetyNumberWith(contact);
    // A typing slip is told as such: only a well-formed number that differs may mean another person's card.
    if (!/^\d*$/.test(typed)) throw new SafetyNumberMalformed(expected.length, null);
    if (typed.length !== expected.length) throw new SafetyNumberMalformed(expected.length, typed.length);
    if (typed !== expected) throw new SafetyNumberMismatch();
    const verified: ContactRecord = {
      ...contact,
      state: 'verified',
      verifiedAt: this.now().toISOString(),
      verifiedBy: 'safety-number',
    };
    const records = await this.storage.load();
    await this.saveWith(
      records.map((record) => (record.fingerprint === contact.fingerprint ? verified : record)),
      'contact.verified',
      contact.fingerprint,
    );
    return verified;
  }

  /**
   * A key-changed contact goes back to the keys it had before (the new card is not believed, e.g. an
   * impostor's). The rejected keys stay in the contact's key history, so a package signed with them
   * is an alarm (key-mismatch). The old keys come back unverified: the verification they had was
   * not kept when the new card arrived, so the safety number is compared again.
   */
  async rejectReplacement(query: string): Promise<ContactRecord> {
    const contact = await this.find(query);
    const previous = contact.previousKeys.at(-1);
    if (contact.state !== 'key-changed' || !previous) throw new NoReplacementToReject();
    const records = await this.storage.load();
    const restored: ContactRecord = {
      ...contact,
      card: previous.card,
      fingerprint: previous.fingerprint,
      state: 'unverified',
      verifiedAt: null,
      verifiedBy: null,
      previousKeys: [
        ...contact.previousKeys.slice(0, -1),
        { fingerprint: contact.fingerprint, card: contact.card, replacedAt: this.now().toISOString() },
      ],
    };
    await this.saveWith(
      records.map((record) => (record.fingerprint === contact.fingerprint ? restored : record)),
      'contact.replacement-rejected',
      contact.fingerprint,
    );
    return restored;
  }

  async remove(query: string): Promise<ContactRecord> {
    const contact = await this.find(query);
    const records = await this.storage.load();
    await this.saveWith(
      records.filter((record) => record.fingerprint !== contact.fingerprint),
      'contact.removed',
      contact.fingerprint,
    );
    return contact;
  }

  /**
   * How a package's sender relates to the contact book. Trust belongs to keys and to the
   * identity they were verified with: a known sender is the contact book's card, and a package
   * card that claims another identity for those keys is an alarm, never trusted.
   */
  async trustOf(sender: ContactCard): Promise<SenderTrust> {
    const records = await this.withDirectory();
    const fingerprint = fingerprintHex(sender.fingerprint);
    const byKeys = records.find((record) => record.fingerprint === fingerprint);
    if (byKeys) {
      const emailOfAnother = records.some(
        (record) => record !== byKeys && record.card.profile.email === sender.profile.email,
      );
      if (emailOfAnother || !sameIdentity(byKeys.card, sender))
        return { kind: 'identity-mismatch', contact: byKeys, claimed: sender };
      return { kind: byKeys.state, contact: byKeys };
    }
    const byEmail = records.find((record) => record.card.profile.email === sender.profile.email);
    if (byEmail) return { kind: 'key-mismatch', contact: byEmail };
    // Keys a contact had before (replaced: lost, compromised, rotated) are no longer that person's.
    const byRetiredKeys = records.find((record) =>
      record.previousKeys.some((previous) => previous.fingerprint === fingerprint),
    );
    if (byRetiredKeys) return { kind: 'key-mismatch', contact: byRetiredKeys };
    return { kind: 'unknown' };
  }
}

/** Whether two cards name the same person: every identity field equal (the keys are compared by the caller). */
/**
 * A newer card with the same classical keys but another post-quantum key than the one already
 * known: only the contact's Ed25519 key can sign it, but it is not the key that was verified
 * (a restored old keystore, or a stolen signing key), so it counts as a key change, never silently.
 */
function replacesPostQuantumKey(known: ContactCard, card: ContactCard): boolean {
  return (
    known.pqKey !== null &&
    card.pqKey !== null &&
    card.createdAt > known.createdAt &&
    !Buffer.from(known.pqKey).equals(Buffer.from(card.pqKey))
  );
}

export function sameIdentity(known: ContactCard, claimed: ContactCard): boolean {
  const [a, b] = [known.profile, claimed.profile];
  return a.name === b.name && a.organisation === b.organisation && a.role === b.role && a.email === b.email;
}

/** The contact `query` names in `records`: by e-mail address, or by at least 8 leading hex digits of the fingerprint. */
function matchContact(records: readonly ContactRecord[], query: string): ContactRecord {
  const needle = query.trim().toLowerCase();
  const exact = records.find((record) => record.card.profile.email === needle);
  if (exact) return exact;
  if (!/^[0-9a-f]{8,64}$/.test(needle)) throw new ContactNotFound(query);
  const matches = records.filter((record) => record.fingerprint.startsWith(needle));
  if (matches.length === 0) throw new ContactNotFound(query);
  if (matches.length > 1) throw new ContactAmbiguous();
  return matches[0]!;
}
