/**
 * Fingerprints and safety numbers (docs/FORMAT.md, "Fingerprints and safety
 * numbers"). The design follows Signal's: each party's keys give 30 digits
 * by iterated SHA-512; the safety number is both halves, sorted, so the two
 * people see the same 60 digits and can compare them aloud or by QR code.
 */
import { createHash } from 'node:crypto';
import { sha256 } from '../crypto/primitives.js';

export const FINGERPRINT_CONTEXT = Buffer.from('MEDSEAL-v1-fingerprint', 'ascii');
const SAFETY_ITERATIONS = 5200;
const SAFETY_VERSION = Buffer.from([0x00, 0x01]);

export function fingerprintOf(signingKey: Uint8Array, encryptionKey: Uint8Array): Uint8Array {
  return new Uint8Array(sha256(FINGERPRINT_CONTEXT, signingKey, encryptionKey));
}

export function fingerprintHex(fingerprint: Uint8Array): string {
  return Buffer.from(fingerprint).toString('hex');
}

/** 30 digits for one party. */
export function safetyDigitsFor(signingKey: Uint8Array, encryptionKey: Uint8Array): string {
  const keys = Buffer.concat([signingKey, encryptionKey]);
  let digest = createHash('sha512').update(SAFETY_VERSION).update(keys).digest();
  for (let i = 0; i < SAFETY_ITERATIONS; i++) digest = createHash('sha512').update(digest).update(keys).digest();
  let digits = '';
  for (let group = 0; group < 6; group++) {
    const value = digest.readUIntBE(group * 5, 5) % 100000;
    digits += value.toString().padStart(5, '0');
  }
  return digits;
}

/** The 60-digit safety number shared by two parties, identical on both sides. */
export function safetyNumber(
  a: { signingKey: Uint8Array; encryptionKey: Uint8Array },
  b: { signingKey: Uint8Array; encryptionKey: Uint8Array },
): string {
  const halves = [
    safetyDigitsFor(a.signingKey, a.encryptionKey),
    safetyDigitsFor(b.signingKey, b.encryptionKey),
  ].sort();
  return halves.join('');
}

/** "12345 67890 ..." for display. */
export function groupDigits(digits: string): string {
  return (digits.match(/.{1,5}/g) ?? []).join(' ');
}

/** Accepts what a person typed or pasted: spaces, dashes and line breaks are ignored. */
export function normaliseSafetyNumberInput(input: string): string {
  return input.replace(/[\s-]/g, '');
}
