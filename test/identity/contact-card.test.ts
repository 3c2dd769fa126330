import { beforeAll, describe, expect, it } from 'vitest';
import { loadSodium } from '../../main/crypto/sodium.js';
import { armorCard, createCard, decodeCard, parseArmoredCard } from '../../main/identity/contact-card.js';
import { CardMalformed, CardSignatureInvalid } from '../../main/identity/errors.js';
import { fastIdentity } from '../helpers/identities.js';
import type { UnlockedIdentity } from '../../main/identity/unlocked-identity.js';

let alice: UnlockedIdentity;
let mallory: UnlockedIdentity;

beforeAll(async () => {
  await loadSodium();
  alice = await fastIdentity('Alice Card');
  mallory = await fastIdentity('Mallory Card');
});

/** Rebuilds a card's binary form around a different body, keeping the given signature (and the version the body names). */
function withBody(body: string, signature: Uint8Array): Buffer {
  const bodyBytes = Buffer.from(body, 'utf8');
  const header = Buffer.from([(JSON.parse(body) as { version: number }).version, 0, 0]);
  header.writeUInt16BE(bodyBytes.length, 1);
  return Buffer.concat([header, bodyBytes, signature]);
}

function parts(card: { bytes: Uint8Array }) {
  const bytes = Buffer.from(card.bytes);
  const length = bytes.readUInt16BE(1);
  return { body: bytes.subarray(3, 3 + length).toString('utf8'), signature: bytes.subarray(3 + length) };
}

describe('contact cards', () => {
  it('round-trip through the text form, also when quoted in an e-mail reply', () => {
    const text = armorCard(alice.card);
    expect(parseArmoredCard(text).fingerprint).toEqual(alice.card.fingerprint);
    const quoted = `Hi, here is my card:\n\n${text
      .split('\n')
      .map((line) => `> ${line}`)
      .join('\n')}\nRegards`;
    expect(parseArmoredCard(quoted).profile).toEqual(alice.card.profile);
  });

  it('a changed name keeps valid JSON but breaks the self-signature', () => {
    const { body, signature } = parts(alice.card);
    expect(() => decodeCard(withBody(body.replace('Alice Card', 'Alice Carb'), signature))).toThrow(
      CardSignatureInvalid,
    );
  });

  it('keys swapped in (Mallory’s encryption key under Alice’s name) break the signature', () => {
    const { body, signature } = parts(alice.card);
    const swapped = body.replace(
      Buffer.from(alice.card.encryptionKey).toString('base64'),
      Buffer.from(mallory.card.encryptionKey).toString('base64'),
    );
    expect(() => decodeCard(withBody(swapped, signature))).toThrow(CardSignatureInvalid);
  });

  it('a card signed by a key other than the one it contains is rejected', () => {
    const forge = () =>
      createCard(
        alice.card.profile,
        {
          signingKey: alice.card.signingKey,
          encryptionKey: mallory.card.encryptionKey,
          signingSecretKey: mallory.signingSecretKey,
        },
        new Date(),
      );
    expect(forge).toThrow(CardSignatureInvalid);
  });

  it.each([
    ['empty input', Buffer.alloc(0)],
    ['unknown version', Buffer.from([2, 0, 2, 0x7b, 0x7d])],
    ['length beyond the data', Buffer.from([1, 0, 50, 0x7b, 0x7d])],
  ])('malformed: %s → CardMalformed', (_label, bytes) => {
    expect(() => decodeCard(bytes)).toThrow(CardMalformed);
  });

  it('extra bytes after the signature are rejected', () => {
    expect(() => decodeCard(Buffer.concat([Buffer.from(alice.card.bytes), Buffer.from([0])]))).toThrow(CardMalformed);
  });

  it('a body with an unknown field, a bad email or control characters is rejected before the signature check', () => {
    const { body, signature } = parts(alice.card);
    const json = JSON.parse(body);
    for (const change of [
      { extra: 1 },
      { email: 'Not An Email' },
      { name: 'Alice\u202eevil' },
      { email: 'UPPER@example.org' },
    ]) {
      expect(() => decodeCard(withBody(JSON.stringify({ ...json, ...change }), signature))).toThrow(CardMalformed);
    }
  });

  it('text without the armor lines, or with altered base64, is rejected', () => {
    expect(() => parseArmoredCard('hello')).toThrow(CardMalformed);
    const text = armorCard(alice.card).replace(/\n([A-Za-z0-9+/])/, '\n!$1');
    expect(() => parseArmoredCard(text)).toThrow(CardMalformed);
  });

  it('reads a card an e-mail program joined onto one line, and says plainly when text is missing or a character changed', () => {
    const armored = armorCard(alice.card);
    expect(parseArmoredCard(armored.replace(/\n/g, ' ')).fingerprint).toEqual(alice.card.fingerprint);
    expect(parseArmoredCard(armored.replace(/\n/g, '')).fingerprint).toEqual(alice.card.fingerprint);
    const message = (text: string) => {
      try {
        parseArmoredCard(text);
      } catch (error) {
        return (error as Error).message;
      }
      return 'accepted';
    };
    expect(message(armored.split('\n').slice(0, -2).join('\n'))).toMatch(/the card text is incomplete: copy all of it/);
    // Every single-character change in the body: never a field name ("field email is …"), always "changed".
    const lines = armored.split('\n');
    for (let position = 0; position < lines[1]!.length; position += 7) {
      const line = lines[1]!;
      const changed = [...lines];
      changed[1] = line.slice(0, position) + (line[position] === 'A' ? 'B' : 'A') + line.slice(position + 1);
      expect(message(changed.join('\n'))).toMatch(/changed|altered|damaged/);
      expect(message(changed.join('\n'))).not.toMatch(/field/);
    }
  });
});
