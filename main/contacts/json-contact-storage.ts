/**
 * Interim storage of the contact list: one JSON file in the profile folder,
 * written atomically. Contacts are clinicians' public cards, not patient
 * data. The SQLite store (a later issue) replaces this and imports the file.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { toIoError } from '../errors/io-error.js';
import { writeFileAtomic } from '../fs/atomic-write.js';
import { decodeCard, type ContactCard } from '../identity/contact-card.js';
import type { ContactStorage } from './contact-book.js';
import type { ContactRecord } from './contact-record.js';
import { ContactListDamaged } from './errors.js';
import { parseStrictJson } from '../validation/strict-json.js';

const cardField = z.string().transform((value, context): ContactCard => {
  try {
    return decodeCard(Buffer.from(value, 'base64'));
  } catch {
    context.addIssue({ code: 'custom', message: 'holds an invalid card' });
    return z.NEVER;
  }
});

const FileSchema = z.strictObject({
  format: z.literal('medseal-contacts'),
  version: z.literal(1),
  contacts: z.array(
    z.strictObject({
      card: cardField,
      state: z.enum(['unverified', 'verified', 'key-changed']),
      verifiedAt: z.string().nullable(),
      verifiedBy: z.literal('safety-number').nullable(),
      addedAt: z.string(),
      previousKeys: z.array(z.strictObject({ card: cardField, replacedAt: z.string() })),
    }),
  ),
});

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const b64 = (card: ContactCard) => Buffer.from(card.bytes).toString('base64');

export class JsonContactStorage implements ContactStorage {
  constructor(private readonly path: string) {}

  async load(): Promise<ContactRecord[]> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw toIoError('the contact list', error);
    }
    const parsed = parseStrictJson(text, FileSchema);
    if (!parsed.ok) throw new ContactListDamaged();
    return parsed.value.contacts.map((contact) => ({
      ...contact,
      fingerprint: hex(contact.card.fingerprint),
      previousKeys: contact.previousKeys.map((previous) => ({ ...previous, fingerprint: hex(previous.card.fingerprint) })),
    }));
  }

  async save(records: readonly ContactRecord[], alongside?: () => void): Promise<void> {
    const file = {
      format: 'medseal-contacts',
      version: 1,
      contacts: records.map((record) => ({
        card: b64(record.card),
        state: record.state,
        verifiedAt: record.verifiedAt,
        verifiedBy: record.verifiedBy,
        addedAt: record.addedAt,
        previousKeys: record.previousKeys.map((previous) => ({ card: b64(previous.card), replacedAt: previous.replacedAt })),
      })),
    };
    await writeFileAtomic(this.path, `${JSON.stringify(file, null, 2)}\n`).catch((error: unknown) => {
      throw toIoError('the contact list', error);
    });
    alongside?.();
  }
}
