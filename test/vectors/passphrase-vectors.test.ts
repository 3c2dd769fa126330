/**
 * Test vectors for passphrase packages (docs/FORMAT.md §2.13, §7): Alice
 * seals the v2-basic files and note with a passphrase for a partner without
 * MedSeal, alone (v2-passphrase) and beside Bob (v2-passphrase-mixed). The
 * committed bytes are reproduced; the passphrase opens both without any
 * identity and Bob opens the mixed one; the committed mutations (parameters
 * lowered, a stanza swapped in from the other package, the stanza removed,
 * the flag flipped) are refused with the committed codes and nothing
 * written; and the independent Python reader does the same, deriving
 * Argon2id itself with Debian's libargon2 (the reference implementation)
 * and, as a second check, from the vector's derived key. Regenerate (only
 * for a deliberate format change) with
 *   MEDSEAL_WRITE_VECTORS=1 npx vitest run test/vectors
 */
import { spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hkdfSha256, sha256 } from '../../main/crypto/primitives.js';
import type { UnlockedIdentity } from '../../main/identity/unlocked-identity.js';
import { PASSPHRASE_STANZA_BYTES } from '../../main/package/format.js';
import { derivePackageKeys } from '../../main/package/key-schedule.js';
import { openPackage } from '../../main/package/open.js';
import type { PassphraseKey } from '../../main/package/passphrase-stanza.js';
import { derivePassphraseKey } from '../../main/package/passphrase-key.js';
import { sealPackage } from '../../main/package/seal.js';
import { tempFolder } from '../helpers/temp-folder.js';
import { CREATED_AT, drawsFrom, FILES, flip, headerLength, hex, HERE, mutationCodes, NOTE, RANDOM_V2, vectorIdentities, WRITE, type Mutation } from './vector-inputs.js';

/** The passphrase MedSeal would have drawn (canonical form: six list words, one space apart). */
const PASSPHRASE = 'legal winner thank year wave sausage';
const RECIPIENT = { name: 'Dr Sam Partner', email: 'sam@partner.example', phone: '+41 44 123 45 67' };
const VECTORS = {
  'v2-passphrase': { salt: Buffer.alloc(32, 0x81), fileKey: Buffer.alloc(32, 0x82), kdfSalt: Buffer.alloc(16, 0x83), withBob: false },
  'v2-passphrase-mixed': { salt: Buffer.alloc(32, 0x91), fileKey: Buffer.alloc(32, 0x92), kdfSalt: Buffer.alloc(16, 0x93), withBob: true },
} as const;
type VectorName = keyof typeof VECTORS;
const KDF = { opsLimit: 3, memLimitKib: 262_144 };

const keys = new Map<VectorName, PassphraseKey>();
/** Argon2id at full strength takes a second or two: once per vector. */
async function passphraseKey(name: VectorName): Promise<PassphraseKey> {
  let key = keys.get(name);
  if (!key) keys.set(name, (key = await derivePassphraseKey(PASSPHRASE, { salt: VECTORS[name].kdfSalt, ...KDF })));
  return key;
}

async function sealVector(name: VectorName, folder: string) {
  const { alice, bob } = await vectorIdentities(true);
  const vector = VECTORS[name];
  for (const file of FILES) await writeFile(join(folder, file.name), file.content);
  const output = join(folder, `${name}.medseal`);
  const sealed = await sealPackage({
    sender: alice,
    recipients: vector.withBob ? [bob.card] : [],
    passphrase: { recipient: RECIPIENT, key: await passphraseKey(name) },
    files: FILES.map((file) => ({ path: join(folder, file.name) })),
    note: NOTE,
    output,
    chunkSizeLog2: 12,
    now: CREATED_AT,
    random: drawsFrom([vector.salt, vector.fileKey, ...(vector.withBob ? [RANDOM_V2.encapsulation[0]!] : [])]),
  });
  return { sealed, bytes: await readFile(output) };
}

/** Where the passphrase stanza starts: after the fixed part and N X-Wing stanzas. */
const stanzaAt = (bytes: Buffer) => 44 + 1168 * bytes.readUInt16BE(10);

function mutations(other: Buffer): Mutation[] {
  const params = (offset: number, value: number) => (b: Buffer) => {
    const copy = Buffer.from(b);
    copy.writeUInt32BE(value, stanzaAt(b) + offset);
    return copy;
  };
  return [
    { name: 'lower opsLimit to 2', apply: params(16, 2) },
    { name: 'lower memLimit to 64 MiB', apply: params(20, 65_536) },
    { name: 'raise opsLimit to 4', apply: params(16, 4) },
    { name: 'flip a byte of the Argon2id salt', apply: (b) => flip(b, stanzaAt(b)) },
    { name: 'flip a byte of the wrapped file key', apply: (b) => flip(b, stanzaAt(b) + 30) },
    {
      name: "swap in the other vector's passphrase stanza",
      apply: (b) => Buffer.concat([b.subarray(0, stanzaAt(b)), other.subarray(stanzaAt(other), stanzaAt(other) + PASSPHRASE_STANZA_BYTES), b.subarray(stanzaAt(b) + PASSPHRASE_STANZA_BYTES)]),
    },
    {
      name: 'remove the passphrase stanza and clear the flag',
      apply: (b) => Buffer.concat([b.subarray(0, stanzaAt(b)), b.subarray(stanzaAt(b) + PASSPHRASE_STANZA_BYTES)]).fill(0, 9, 10),
    },
    { name: 'clear the passphrase flag', apply: (b) => Buffer.from(b).fill(0, 9, 10) },
    { name: 'flip the last byte of the header MAC', apply: (b) => flip(b, headerLength(b) - 1) },
  ];
}

async function readers(name: VectorName): Promise<Record<string, UnlockedIdentity | { passphraseKey: PassphraseKey }>> {
  const { bob } = await vectorIdentities(true);
  return { passphrase: { passphraseKey: await passphraseKey(name) }, ...(VECTORS[name].withBob ? { bob } : {}) };
}

describe.each(Object.keys(VECTORS) as VectorName[])('package vector %s', (name) => {
  it('sealing with the fixed inputs produces exactly the committed package', async () => {
    const { bytes, sealed } = await sealVector(name, await tempFolder());
    const vector = VECTORS[name];
    const key = await passphraseKey(name);
    const params = Buffer.concat([vector.kdfSalt, Buffer.from([0, 0, 0, 3, 0, 4, 0, 0])]);
    const description = {
      description: `Package format v2 with a passphrase stanza (FORMAT.md §2.13): Alice seals the v2-basic files and note for a partner without MedSeal${vector.withBob ? ', and for Bob' : ', alone'}, chunk size 4096.`,
      identities: `as in v2-basic.json (sender alice${vector.withBob ? ', recipient bob' : ''})`,
      passphrase: PASSPHRASE,
      passphraseRecipient: RECIPIENT,
      kdf: { algorithm: 'argon2id13', salt: hex(vector.kdfSalt), opsLimit: KDF.opsLimit, memLimitKib: KDF.memLimitKib, lanes: 1 },
      randomness: { salt: hex(vector.salt), fileKey: hex(vector.fileKey), encapsulation: vector.withBob ? [hex(RANDOM_V2.encapsulation[0]!)] : [] },
      createdAt: CREATED_AT.toISOString(),
      chunkSizeLog2: 12,
      derived: {
        argon2id: hex(key.key),
        wrapKey: hex(hkdfSha256(key.key, Buffer.concat([vector.salt, params]), 'MEDSEAL-v2-passphrase-stanza')),
        ...Object.fromEntries(Object.entries(derivePackageKeys(vector.fileKey, vector.salt)).map(([k, v]) => [k, hex(v)])),
      },
      headerBytes: headerLength(bytes),
      packageFile: `${name}.medseal`,
      packageSha256: hex(sha256(bytes)),
      packageHash: sealed.packageHash,
    };
    if (WRITE) {
      await writeFile(join(HERE, `${name}.medseal`), bytes);
      await writeFile(join(HERE, `${name}.json`), `${JSON.stringify(description, null, 2)}\n`);
    }
    expect([bytes[7], bytes[9], bytes.readUInt16BE(10)]).toEqual([2, 2, vector.withBob ? 1 : 0]);
    expect(bytes.equals(await readFile(join(HERE, `${name}.medseal`)))).toBe(true);
    expect(JSON.parse(await readFile(join(HERE, `${name}.json`), 'utf8'))).toEqual(description);
  });

  it('opens with the passphrase (no identity) and, when mixed, as Bob; the sender is Alice, signatures verified', async () => {
    for (const reader of Object.values(await readers(name))) {
      const opened = await openPackage(join(HERE, `${name}.medseal`), reader);
      expect(opened.metadata.sender.profile.name).toBe('Alice Vector');
      expect(opened.metadata.passphraseRecipient).toEqual(RECIPIENT);
      const result = await opened.extractTo(await tempFolder());
      await opened.close();
      for (const [index, file] of FILES.entries()) expect(await readFile(result.paths[index]!)).toEqual(file.content);
    }
  });

  it('the committed mutations are refused with the committed error codes, nothing written', async () => {
    const original = await readFile(join(HERE, `${name}.medseal`));
    const other = await readFile(join(HERE, `${name === 'v2-passphrase' ? 'v2-passphrase-mixed' : 'v2-passphrase'}.medseal`));
    const outcomes: Record<string, Record<string, string>> = {};
    for (const [who, reader] of Object.entries(await readers(name))) outcomes[who] = await mutationCodes(original, mutations(other), reader);
    const file = join(HERE, 'v2-passphrase-mutations.json');
    const committed = JSON.parse(await readFile(file, 'utf8').catch(() => '{}')) as Record<string, unknown>;
    if (WRITE) await writeFile(file, `${JSON.stringify({ ...committed, [name]: outcomes }, null, 2)}\n`);
    expect(outcomes).toEqual(JSON.parse(await readFile(file, 'utf8'))[name]);
  });
});

describe('the independent reader (Python) on passphrase packages', () => {
  const python = '/usr/bin/python3';
  const available = spawnSync(python, ['-c', 'import cryptography']).status === 0;
  const reader = join(HERE, 'independent_reader.py');
  const run = (args: string[]) => JSON.parse(spawnSync(python, [reader, ...args], { encoding: 'utf8' }).stdout) as Record<string, unknown>;

  it.runIf(available || process.env.CI)('opens both with the passphrase (its own Argon2id) and with the derived key, Bob opens the mixed one, and the mutations get the same codes', async () => {
    const { bob } = await vectorIdentities(true);
    const expected = { sender: 'Alice Vector', note: NOTE, passphraseRecipient: RECIPIENT, files: FILES.map((file) => ({ name: file.name, size: file.content.length, sha256: hex(sha256(file.content)) })) };
    const committed = JSON.parse(await readFile(join(HERE, 'v2-passphrase-mutations.json'), 'utf8')) as Record<VectorName, Record<string, Record<string, string>>>;
    const folder = await tempFolder();
    for (const name of Object.keys(VECTORS) as VectorName[]) {
      const path = join(HERE, `${name}.medseal`);
      const { derived } = JSON.parse(await readFile(join(HERE, `${name}.json`), 'utf8')) as { derived: { argon2id: string } };
      expect(run(['passphrase', path, PASSPHRASE])).toMatchObject(expected);
      expect(run(['passphrase-key', path, derived.argon2id])).toMatchObject(expected);
      expect(run(['passphrase', path, 'legal winner thank year wave zoo']).error).toBe('PACKAGE_PASSPHRASE_WRONG');
      if (VECTORS[name].withBob) expect(run([path, hex(bob.encryptionSecretKey), hex(bob.card.signingKey), hex(bob.card.encryptionKey), hex(bob.pqSecretKey!)])).toMatchObject(expected);
      const original = await readFile(path);
      const other = await readFile(join(HERE, `${name === 'v2-passphrase' ? 'v2-passphrase-mixed' : 'v2-passphrase'}.medseal`));
      for (const [index, mutation] of mutations(other).entries()) {
        const mutated = join(folder, `${name}-${index}.medseal`);
        await writeFile(mutated, mutation.apply(original));
        expect(run(['passphrase-key', mutated, derived.argon2id]).error, mutation.name).toBe(committed[name].passphrase![mutation.name]);
      }
    }
    expect(run(['passphrase', join(HERE, 'v2-basic.medseal'), PASSPHRASE]).error).toBe('NOT_A_RECIPIENT');
  });
});
