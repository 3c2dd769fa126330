/**
 * The hash-chained directory log (docs/FORMAT.md §11): what an organisation
 * publishes is what a reader gets (added, replaced and revoked cards), and the
 * attacks on it are refused with typed errors: an entry changed or removed, a
 * head signed by another key or not matching its log, an expired or
 * impossible validity, an older file put back (rollback), and a second
 * history signed by the same key (fork), caught on refresh and from a head
 * seen elsewhere (gossip).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { sodium } from '../../main/crypto/sodium.js';
import type { UnlockedIdentity } from '../../main/identity/unlocked-identity.js';
import { fingerprintHex } from '../../main/identity/fingerprint.js';
import {
  appendEntries,
  encodeDirectory,
  fingerprintOf,
  signDirectory,
  type DirectoryChange,
  type DirectoryEntry,
} from '../../main/directory/directory-log.js';
import { compareHead, verifyDirectory, verifyDirectoryYielding } from '../../main/directory/directory-verify.js';
import {
  DirectoryExpired,
  DirectoryForked,
  DirectoryRefused,
  DirectoryRolledBack,
} from '../../main/directory/errors.js';
import { fastIdentity } from '../helpers/identities.js';

const T0 = new Date('2026-12-01T09:00:00.000Z');
const LATER = (days: number) => new Date(T0.getTime() + days * 86_400_000);

let key: { publicKey: Uint8Array; privateKey: Uint8Array };
let other: { publicKey: Uint8Array; privateKey: Uint8Array };
let ann: UnlockedIdentity;
let ben: UnlockedIdentity;
let annAgain: UnlockedIdentity;

beforeAll(async () => {
  ann = await fastIdentity('Ann');
  ben = await fastIdentity('Ben');
  annAgain = await fastIdentity('Ann'); // Ann's new keys: same name and address, another fingerprint
  key = sodium().crypto_sign_keypair();
  other = sodium().crypto_sign_keypair();
});

function publish(entries: readonly DirectoryEntry[], issuedAt = T0, signer = key, validDays = 30): Buffer {
  return encodeDirectory(
    signDirectory({
      organisation: 'City Clinic',
      publicKey: signer.publicKey,
      secretKey: signer.privateKey,
      entries,
      issuedAt,
      validDays,
    }),
  );
}

function log(changes: DirectoryChange[], from: readonly DirectoryEntry[] = [], at = T0): DirectoryEntry[] {
  return appendEntries(from, changes, at);
}

const emailOf = (card: { profile: { email: string } }) => card.profile.email;

describe('what the organisation publishes is what a reader gets', () => {
  it('cards added, one replaced by the same person’s new keys, one revoked', () => {
    const first = log([
      { op: 'add', card: ann.card },
      { op: 'add', card: ben.card },
    ]);
    const verified = verifyDirectory(publish(first), key.publicKey, null, T0);
    expect(verified.cards.map(fingerprintOf).sort()).toEqual([fingerprintOf(ann.card), fingerprintOf(ben.card)].sort());
    expect(verified.head.seq).toBe(2);
    expect(verified.organisation).toBe('City Clinic');

    const second = log(
      [
        { op: 'replace', replaces: fingerprintOf(ann.card), card: annAgain.card },
        { op: 'revoke', fingerprint: fingerprintOf(ben.card) },
      ],
      first,
      LATER(1),
    );
    const next = verifyDirectory(publish(second, LATER(1)), key.publicKey, verified.head, LATER(1));
    expect(next.cards.map(fingerprintOf)).toEqual([fingerprintOf(annAgain.card)]);
    expect(next.hashes.slice(0, 2)).toEqual(verified.hashes); // the new log extends the old one
  });
});

describe('a changed or forged file is refused', () => {
  const refusal = (run: () => unknown) => {
    try {
      run();
    } catch (error) {
      return error instanceof DirectoryRefused ? error.reason : error;
    }
    return 'accepted';
  };

  it('an entry changed, removed or reordered after signing', () => {
    const entries = log([
      { op: 'add', card: ann.card },
      { op: 'add', card: ben.card },
    ]);
    const signed = JSON.parse(publish(entries).toString('utf8')) as { entries: DirectoryEntry[] };
    const tamper = (edit: (file: { entries: DirectoryEntry[] }) => void) => {
      const copy = structuredClone(signed);
      edit(copy);
      return Buffer.from(JSON.stringify(copy));
    };
    expect(
      refusal(() =>
        verifyDirectory(
          tamper((f) => void f.entries.pop()),
          key.publicKey,
          null,
          T0,
        ),
      ),
    ).toBe('head-mismatch');
    expect(
      refusal(() =>
        verifyDirectory(
          tamper((f) => void f.entries.reverse()),
          key.publicKey,
          null,
          T0,
        ),
      ),
    ).toBe('broken-chain');
    // Ben's card swapped for Ann's new one in place: the chain still links (prev is entry 1's), the head does not.
    const swapped = tamper((f) => {
      (f.entries[1] as { card: string }).card = Buffer.from(annAgain.card.bytes).toString('base64');
    });
    expect(refusal(() => verifyDirectory(swapped, key.publicKey, null, T0))).toBe('malformed'); // same address as Ann
  });

  it('a head signed by another key, or a file claiming another key', () => {
    const entries = log([{ op: 'add', card: ann.card }]);
    expect(refusal(() => verifyDirectory(publish(entries, T0, other), key.publicKey, null, T0))).toBe('wrong-key');
    const file = JSON.parse(publish(entries, T0, other).toString('utf8')) as { key: string };
    file.key = Buffer.from(key.publicKey).toString('base64'); // claims the pinned key; signed by the other
    expect(refusal(() => verifyDirectory(Buffer.from(JSON.stringify(file)), key.publicKey, null, T0))).toBe(
      'not-signed',
    );
  });

  it('changes that do not fit the state before them', () => {
    const revokeUnknown = log([{ op: 'revoke', fingerprint: fingerprintOf(ben.card) }]);
    expect(refusal(() => verifyDirectory(publish(revokeUnknown), key.publicKey, null, T0))).toBe('malformed');
    const twoForOneAddress = log([
      { op: 'add', card: ann.card },
      { op: 'add', card: annAgain.card },
    ]);
    expect(refusal(() => verifyDirectory(publish(twoForOneAddress), key.publicKey, null, T0))).toBe('malformed');
    const replacedByAnother = log([
      { op: 'add', card: ann.card },
      { op: 'replace', replaces: fingerprintOf(ann.card), card: ben.card },
    ]);
    expect(emailOf(ben.card)).not.toBe(emailOf(ann.card));
    expect(refusal(() => verifyDirectory(publish(replacedByAnother), key.publicKey, null, T0))).toBe('malformed');
  });

  it('an address is free again once its card was revoked (and only then)', () => {
    const revokedThenNew = log([
      { op: 'add', card: ann.card },
      { op: 'revoke', fingerprint: fingerprintOf(ann.card) },
      { op: 'add', card: annAgain.card },
    ]);
    expect(verifyDirectory(publish(revokedThenNew), key.publicKey, null, T0).cards.map(fingerprintOf)).toEqual([
      fingerprintOf(annAgain.card),
    ]);
    const replacedThenOld = log([
      { op: 'add', card: ann.card },
      { op: 'replace', replaces: fingerprintOf(ann.card), card: annAgain.card },
      { op: 'add', card: ann.card },
    ]);
    expect(refusal(() => verifyDirectory(publish(replacedThenOld), key.publicKey, null, T0))).toBe('malformed');
  });

  it('the yielding check gives the same result and lets other work run between its steps', async () => {
    const clinicians = await Promise.all(Array.from({ length: 100 }, (_, i) => fastIdentity(`Clinician ${i}`)));
    const file = publish(log(clinicians.map((clinician) => ({ op: 'add' as const, card: clinician.card }))));
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    try {
      const yielded = await verifyDirectoryYielding(file, key.publicKey, null, T0);
      expect(yielded).toEqual(verifyDirectory(file, key.publicKey, null, T0));
      expect(yielded.cards).toHaveLength(100);
    } finally {
      clearInterval(timer);
    }
    expect(ticks).toBeGreaterThan(0); // a timer ran while the check was under way
    const revokeUnknown = publish(log([{ op: 'revoke', fingerprint: fingerprintOf(ann.card) }]));
    await expect(verifyDirectoryYielding(revokeUnknown, key.publicKey, null, T0)).rejects.toMatchObject({
      reason: 'malformed',
    });
  });

  it('expired, issued in the future, or valid for more than a year', () => {
    const entries = log([{ op: 'add', card: ann.card }]);
    expect(() => verifyDirectory(publish(entries), key.publicKey, null, LATER(31))).toThrow(DirectoryExpired);
    expect(refusal(() => verifyDirectory(publish(entries, LATER(1)), key.publicKey, null, T0))).toBe('bad-validity');
    expect(refusal(() => verifyDirectory(publish(entries, T0, key, 400), key.publicKey, null, T0))).toBe(
      'bad-validity',
    );
  });
});

describe('no rollback, no fork', () => {
  it('an older file than the one held is refused, also one re-issued earlier at the same place', () => {
    const one = log([{ op: 'add', card: ann.card }]);
    const two = log([{ op: 'revoke', fingerprint: fingerprintOf(ann.card) }], one, LATER(1));
    const held = verifyDirectory(publish(two, LATER(1)), key.publicKey, null, LATER(1)).head;
    // The file from before the revocation, still within its validity: Ann would be vouched for again.
    expect(() => verifyDirectory(publish(one), key.publicKey, held, LATER(2))).toThrow(DirectoryRolledBack);
    expect(() => verifyDirectory(publish(two, T0), key.publicKey, held, LATER(2))).toThrow(DirectoryRolledBack);
  });

  it('a second history signed by the same key is a fork, named by both heads', () => {
    const common = log([{ op: 'add', card: ann.card }]);
    const shownToA = log([{ op: 'add', card: ben.card }], common, LATER(1));
    const shownToB = log([{ op: 'revoke', fingerprint: fingerprintOf(ann.card) }], common, LATER(1));
    const heldByA = verifyDirectory(publish(shownToA, LATER(1)), key.publicKey, null, LATER(1));
    let forked: unknown;
    try {
      verifyDirectory(publish(shownToB, LATER(1)), key.publicKey, heldByA.head, LATER(1));
    } catch (error) {
      forked = error;
    }
    expect(forked).toBeInstanceOf(DirectoryForked);
    expect((forked as DirectoryForked).held).toMatchObject({ seq: 2, hash: heldByA.head.hash });
    expect((forked as DirectoryForked).offered.seq).toBe(2);
    expect((forked as DirectoryForked).offered.hash).not.toBe(heldByA.head.hash);
    // Longer, but built on the other history: still a fork.
    const longerB = log([{ op: 'add', card: annAgain.card }], shownToB, LATER(2));
    expect(() => verifyDirectory(publish(longerB, LATER(2)), key.publicKey, heldByA.head, LATER(2))).toThrow(
      DirectoryForked,
    );
  });

  it('a head seen in a package is known, ahead (checked at the next refresh) or a fork', () => {
    const entries = log([
      { op: 'add', card: ann.card },
      { op: 'add', card: ben.card },
    ]);
    const { hashes } = verifyDirectory(publish(entries), key.publicKey, null, T0);
    expect(compareHead(hashes, { seq: 1, hash: hashes[0]! })).toBe('known');
    expect(compareHead(hashes, { seq: 0, hash: '0'.repeat(64) })).toBe('known');
    expect(compareHead(hashes, { seq: 3, hash: 'ab'.repeat(32) })).toBe('ahead');
    expect(compareHead(hashes, { seq: 2, hash: 'ab'.repeat(32) })).toBe('fork');
  });
});

it('fingerprints in the log are the cards’ own', () => {
  expect(fingerprintOf(ann.card)).toBe(fingerprintHex(ann.card.fingerprint));
});
