/**
 * Who a passphrase package is for (docs/FORMAT.md §2.13): the name, e-mail
 * address and, optionally, phone number the sender typed for a partner
 * without MedSeal. They travel in the encrypted, signed metadata
 * (`passphraseRecipient`), so the history on both sides can say "passphrase
 * package to …", and they are checked with the card's rules for a name and an
 * e-mail address, plus a plain rule for a phone number, so that nothing a
 * person could misread (line breaks, invisible characters) is ever written or
 * accepted. They are the sender's words, never a verified identity.
 */
import { z } from 'zod';

export interface PassphraseRecipient {
  readonly name: string;
  readonly email: string;
  /** null when the sender gave none. */
  readonly phone: string | null;
}

const UNSAFE = /[\p{Cc}\p{Cf}\p{Cs}\u2028\u2029]/u;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** Digits with the usual separators, an optional leading +; 3..32 characters, at least 3 digits. */
const PHONE = /^\+?[0-9](?:[0-9 ()./-]*[0-9)])?$/;

export const PassphraseRecipientSchema = z.strictObject({
  name: z.string(),
  email: z.string(),
  phone: z.string().optional(),
});

/** Why a recipient's details are refused, as a code (the words are in texts/errors/en.ts); null when they are fine. */
export type PassphraseRecipientProblem = 'name' | 'email' | 'phone';

export function passphraseRecipientProblem(recipient: PassphraseRecipient): PassphraseRecipientProblem | null {
  const { name, email, phone } = recipient;
  if (name.length === 0 || name.length > 128 || UNSAFE.test(name) || name.trim() !== name) return 'name';
  if (email.length > 254 || !EMAIL.test(email) || UNSAFE.test(email) || email !== email.toLowerCase()) return 'email';
  if (phone !== null) {
    const digits = phone.replace(/[^0-9]/g, '').length;
    if (phone.length < 3 || phone.length > 32 || !PHONE.test(phone) || digits < 3) return 'phone';
  }
  return null;
}

/** What a person typed, tidied as the card's details are: trimmed, the e-mail lower-cased, an empty phone none. */
export function normalisePassphraseRecipient(input: {
  name: string;
  email: string;
  phone?: string | null;
}): PassphraseRecipient {
  const phone = (input.phone ?? '').trim();
  return { name: input.name.trim(), email: input.email.trim().toLowerCase(), phone: phone === '' ? null : phone };
}

/** "Dr Sam Smith <sam@clinic.example>, +41 44 123 45 67": how history, audit export and the CLI name them. */
export function describePassphraseRecipient(recipient: PassphraseRecipient): string {
  return `${recipient.name} <${recipient.email}>${recipient.phone === null ? '' : `, ${recipient.phone}`}`;
}
