/**
 * The receipt vector of docs/FORMAT.md §5: Bob's receipt to Alice for the
 * v1-basic package, with a fixed ephemeral key and time, committed as
 * v1-receipt.medseal-receipt with v1-receipt.json. Checked here, by the
 * independent Python reader, and against the refusals a receipt must get.
 * Regenerate (only for a deliberate format change) with
 *   MEDSEAL_WRITE_VECTORS=1 npx vitest run test/vectors
 */
import { spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fingerprintHex } from '../../main/identity/fingerprint.js';
import { InvalidReceipt } from '../../main/package/errors.js';
import { createReceipt, decryptReceipt, verifyReceiptSignature } from '../../main/package/receipt.js';
import { openPackage } from '../../main/package/open.js';
import { fastIdentity } from '../helpers/identities.js';

const HERE = join(process.cwd(), 'test', 'vectors');
const WRITE = process.env.MEDSEAL_WRITE_VECTORS === '1';
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const seed = (byte: number) => Buffer.alloc(32, byte);
const EPHEMERAL = Buffer.alloc(32, 0x44);
const AT = '2026-11-30T09:15:00.000Z';

async function parties() {
  return { alice: await fastIdentity('Alice Vector', seed(0xa1)), bob: await fastIdentity('Bob Vector', seed(0xb2)), carol: await fastIdentity('Carol Vector', seed(0xc3)) };
}

describe('receipt vector v1-receipt', () => {
  it('the fixed inputs give exactly the committed receipt; Alice reads it and Bob signed it', async () => {
    const { alice, bob } = await parties();
    const opened = await openPackage(join(HERE, 'v1-basic.medseal'), bob);
    const packageHash = opened.packageHash;
    await opened.close();
    const receipt = createReceipt(bob, alice.card, { package: packageHash, outcome: 'opened', reason: null, at: AT }, EPHEMERAL);
    if (WRITE) {
      await writeFile(join(HERE, 'v1-receipt.medseal-receipt'), receipt);
      await writeFile(
        join(HERE, 'v1-receipt.json'),
        `${JSON.stringify({ note: 'Bob Vector (seed b2) to Alice Vector (seed a1) about v1-basic.medseal; identities as in v1-basic.json', ephemeralSecret: hex(EPHEMERAL), body: decryptReceipt(alice, receipt).json.toString('utf8') }, null, 2)}\n`,
      );
    }
    expect(receipt.equals(await readFile(join(HERE, 'v1-receipt.medseal-receipt')))).toBe(true);
    const { body, json, signature } = decryptReceipt(alice, receipt);
    expect(body).toEqual({ package: packageHash, sender: fingerprintHex(alice.card.fingerprint), recipient: fingerprintHex(bob.card.fingerprint), outcome: 'opened', reason: null, at: AT });
    expect(json.toString('utf8')).toBe((JSON.parse(await readFile(join(HERE, 'v1-receipt.json'), 'utf8')) as { body: string }).body);
    expect(verifyReceiptSignature(bob.card, alice.card.encryptionKey, json, signature)).toBe(true);
  });

  it('a receipt cut short, flipped, or for someone else does not decrypt; a signature of another key does not verify', async () => {
    const { alice, bob, carol } = await parties();
    const receipt = await readFile(join(HERE, 'v1-receipt.medseal-receipt'));
    expect(() => decryptReceipt(alice, receipt.subarray(0, 100))).toThrow(InvalidReceipt);
    const flipped = Buffer.from(receipt);
    flipped[flipped.length - 20]! ^= 1;
    expect(() => decryptReceipt(alice, flipped)).toThrow(InvalidReceipt);
    expect(() => decryptReceipt(carol, receipt)).toThrow(InvalidReceipt);
    const { json, signature } = decryptReceipt(alice, receipt);
    expect(verifyReceiptSignature(carol.card, alice.card.encryptionKey, json, signature)).toBe(false);
    expect(verifyReceiptSignature(bob.card, carol.card.encryptionKey, json, signature)).toBe(false); // bound to the sender's key
  });

  const python = '/usr/bin/python3';
  const available = spawnSync(python, ['-c', 'import cryptography']).status === 0;
  it.runIf(available || process.env.CI)('the independent Python reader reads the committed receipt and refuses a forged signer', async () => {
    const { alice, bob, carol } = await parties();
    const run = (signer: Uint8Array) =>
      JSON.parse(
        spawnSync(python, [join(HERE, 'independent_reader.py'), 'receipt', join(HERE, 'v1-receipt.medseal-receipt'), hex(alice.encryptionSecretKey), hex(alice.card.encryptionKey), hex(signer)], { encoding: 'utf8' }).stdout,
      ) as Record<string, unknown>;
    expect(run(bob.card.signingKey)).toMatchObject({ v: 1, outcome: 'opened', recipient: fingerprintHex(bob.card.fingerprint), at: AT });
    expect(run(carol.card.signingKey)).toEqual({ error: 'RECEIPT_REFUSED' });
  });
});
