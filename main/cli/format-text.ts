/** Small text formatters for CLI output. */
import type { ContactRecord } from '../contacts/contact-record.js';
import type { ContactCard } from '../identity/contact-card.js';
import { fingerprintHex, groupDigits, safetyDigitsFor } from '../identity/fingerprint.js';

export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} bytes` : `${value.toFixed(1)} ${units[unit]}`;
}

export function cardJson(card: ContactCard) {
  return {
    ...card.profile,
    createdAt: card.createdAt,
    fingerprint: fingerprintHex(card.fingerprint),
    safetyDigits: safetyDigitsFor(card.signingKey, card.encryptionKey),
  };
}

export function contactJson(contact: ContactRecord) {
  return {
    ...cardJson(contact.card),
    state: contact.state,
    verifiedAt: contact.verifiedAt,
    verifiedBy: contact.verifiedBy,
    addedAt: contact.addedAt,
    previousFingerprints: contact.previousKeys.map((previous) => previous.fingerprint),
  };
}

export function describeCard(card: ContactCard): string {
  const role = card.profile.role ? `, ${card.profile.role}` : '';
  return `${card.profile.name}${role}, ${card.profile.organisation} <${card.profile.email}>`;
}

export function shortFingerprint(fingerprint: string): string {
  return fingerprint.slice(0, 16);
}

export { groupDigits };
