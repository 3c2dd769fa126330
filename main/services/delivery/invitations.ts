/**
 * Invitations by e-mail: the person's own contact card sent to a partner's
 * address with a few plain lines (install MedSeal, compare the safety
 * number), and cards that arrive by e-mail (a partner's reply or their own
 * invitation) offered for import. An offered card is imported exactly as a
 * card file is (contact-book.ts): unverified until the safety number is
 * compared, or vouched for by the organisation's directory. Nothing in the
 * e-mail is believed but the card's own signature.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isMedSealError, type MedSealError } from '../../errors/medseal-error.js';
import { toIoError } from '../../errors/io-error.js';
import { MAIL_ADDRESS } from '../../exchange/mail/mail-account.js';
import { MailTransport } from '../../exchange/mail/mail-transport.js';
import type { WaitingItem } from '../../exchange/transport.js';
import { armorCard, parseArmoredCard, type ContactCard } from '../../identity/contact-card.js';
import { CardMalformed } from '../../identity/errors.js';
import { fingerprintHex } from '../../identity/fingerprint.js';
import type { ProfileSession } from '../profile-session.js';
import { MailboxMissing, UnknownCardOffer } from './errors.js';
import { ifUnreachable } from './if-unreachable.js';
import { mailboxInUse } from './mailbox-setup.js';
import { UsageError } from '../../errors/usage-error.js';

/** A card that came by e-mail: readable (with the card), or why it is not. */
export interface CardOffer {
  /** What `contacts accept ID` takes: the start of the card's fingerprint (of the item, for an unreadable one). */
  readonly id: string;
  readonly arrivedAt: string;
  readonly card: ContactCard | null;
  /** Already a contact with exactly these keys. */
  readonly known: boolean;
  readonly problem: MedSealError | null;
}

/** 64 bits of the card's fingerprint: nobody makes a card to match it (40 bits could be ground out). */
const ID_LENGTH = 16;
/** The most a card's text may be (parseArmoredCard's limit): anything larger is not downloaded at all. */
const CARD_TEXT_MAX_BYTES = 64 * 1024;

/** The invitation's words: the sender's own name and organisation, nothing of any patient. */
export function invitationBody(card: ContactCard): string {
  const who = `${card.profile.name} (${card.profile.organisation})`;
  return [
    `${who} would like to send you referrals and results encrypted end to end with MedSeal.`,
    '',
    '1. Install MedSeal (your IT department can provide it), then open the attached contact card with it (Contacts → Import). MedSeal offers it by itself if this mailbox is set up in MedSeal.',
    `2. Before anything is sent, compare the safety number MedSeal shows with ${card.profile.name}, by phone or in person.`,
  ].join('\r\n');
}

export class Invitations {
  constructor(private readonly session: ProfileSession) {}

  /** Sends the person's card to `address`. MailboxMissing without a mailbox. */
  async invite(address: string): Promise<void> {
    const to = address.trim().toLowerCase();
    if (!MAIL_ADDRESS.test(to)) throw new UsageError({ variant: 'invite-address' });
    const profile = this.session.requireUnlocked();
    const transport = await this.transport();
    const card = profile.identity.card;
    const folder = join(this.session.folder.path, 'outbox');
    const file = join(folder, `card-${randomBytes(8).toString('hex')}.medseal-contact`);
    try {
      await mkdir(folder, { recursive: true, mode: 0o700 });
      await writeFile(file, armorCard(card), { mode: 0o600 });
    } catch (error) {
      throw toIoError('the card to send', error);
    }
    try {
      await transport.sendMessage('contact', to, randomBytes(16).toString('hex'), file, invitationBody(card));
    } finally {
      await rm(file, { force: true });
      await transport.close();
    }
    profile.audit.append({ action: 'invitation.sent', detail: 'email' });
  }

  /** Cards waiting in the mailbox, each once (by fingerprint). */
  async offers(): Promise<CardOffer[]> {
    const transport = await this.transport();
    try {
      return (await this.read(transport)).map(({ offer }) => offer);
    } finally {
      await transport.close();
    }
  }

  /**
   * Imports an offered card (as `contacts import` does) and moves its messages to the archive folder;
   * the import's result, as the contact book gives it.
   */
  async accept(id: string) {
    const profile = this.session.requireUnlocked();
    const transport = await this.transport();
    try {
      const found = (await this.read(transport)).filter((entry) => entry.offer.id === id);
      const offer = found[0]?.offer;
      if (!offer) throw new UnknownCardOffer();
      // Two different cards under one id: neither is imported (one may be made to look like the other).
      const fingerprints = new Set(
        found.map((entry) => (entry.offer.card ? fingerprintHex(entry.offer.card.fingerprint) : entry.item.id)),
      );
      if (fingerprints.size > 1) throw new UnknownCardOffer({ variant: 'ambiguous' });
      if (!offer.card) throw offer.problem!;
      const result = await profile.contacts.importCard(offer.card);
      profile.audit.append({
        action: 'invitation.card-accepted',
        counterparts: [fingerprintHex(offer.card.fingerprint)],
        detail: 'imported',
      });
      for (const entry of found) await transport.archive('', entry.item, null).catch(ifUnreachable(false));
      return result;
    } finally {
      await transport.close();
    }
  }

  /**
   * Every card waiting in the mailbox, read from a download folder of this call's own: the app may
   * look at the offers while an import of one of them runs, and neither may remove or overwrite the
   * file the other is reading.
   */
  private async read(transport: MailTransport): Promise<{ offer: CardOffer; item: WaitingItem }[]> {
    const profile = this.session.requireUnlocked();
    const contacts = await profile.contacts.list();
    const items = (await transport.waiting()).filter((item) => item.kind === 'contact');
    if (items.length === 0) return [];
    const downloads = await this.downloadFolder();
    const found: { offer: CardOffer; item: WaitingItem }[] = [];
    try {
      for (const item of items) {
        try {
          const card = await this.cardOf(transport, item, downloads);
          const fingerprint = fingerprintHex(card.fingerprint);
          const known = contacts.some((contact) => contact.fingerprint === fingerprint);
          found.push({
            item,
            offer: { id: fingerprint.slice(0, ID_LENGTH), arrivedAt: item.arrivedAt, card, known, problem: null },
          });
        } catch (error) {
          if (!isMedSealError(error)) throw error;
          const id = createHash('sha256').update(item.id).digest('hex').slice(0, ID_LENGTH);
          found.push({ item, offer: { id, arrivedAt: item.arrivedAt, card: null, known: false, problem: error } });
        }
      }
    } finally {
      await rm(downloads, { recursive: true, force: true });
    }
    return found;
  }

  /** One waiting card, downloaded into `downloads` and parsed; a MedSealError says why it cannot be read. */
  private async cardOf(transport: MailTransport, item: WaitingItem, downloads: string): Promise<ContactCard> {
    // Anyone can mail an attachment so named: one that cannot be a card is never downloaded.
    if (item.size > CARD_TEXT_MAX_BYTES) throw new CardMalformed('the text is far too long to be a card');
    const fetched = await transport.fetch('', item, downloads);
    try {
      const text = await readFile(fetched.path, 'utf8').catch((error: unknown) => {
        throw toIoError('the card', error);
      });
      return parseArmoredCard(text);
    } finally {
      await fetched.release();
    }
  }

  /** A new folder inside the profile's private downloads folder. */
  private async downloadFolder(): Promise<string> {
    const downloads = join(this.session.folder.path, 'downloads');
    try {
      await mkdir(downloads, { recursive: true, mode: 0o700 });
      return await mkdtemp(join(downloads, 'cards-'));
    } catch (error) {
      throw toIoError('the downloads folder', error);
    }
  }

  private async transport(): Promise<MailTransport> {
    const account = await mailboxInUse(this.session);
    if (!account) throw new MailboxMissing();
    return new MailTransport(account.address, account, this.session.requireUnlocked().identity.card.profile.name);
  }
}
