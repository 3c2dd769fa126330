/**
 * The passphrase-receipt vector of docs/FORMAT.md §5.6: the receipt MedSeal
 * Reader makes for v2-passphrase.medseal, at a fixed time, committed as
 * v2-passphrase-receipt.medseal-receipt. Reproduced from the passphrase here,
 * checked by the sender's rule (the key kept when sealing), and read by the
 * independent Python reader, which derives the key from the package's own
 * stanza parameters; a receipt with another key or time is refused by both.
 * Regenerate (only for a deliberate format change) with
 *   MEDSEAL_WRITE_VECTORS=1 npx vitest run test/vectors
 */
import { spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { InvalidReceipt } from '../../main/package/errors.js';
import { passphraseReceiptKey, type PassphraseKey } from '../../main/package/passphrase-stanza.js';
import { passphraseKdfOf } from '../../main/package/inspect.js';
import { derivePassphraseKey } from '../../main/package/passphrase-key.js';
import { createPassphraseReceipt, openPassphraseReceipt } from '../../main/package/passphrase-receipt.js';
import { openPackage } from '../../main/package/open.js';
import { tempFolder } from '../helpers/temp-folder.js';
import { loadSodium } from '../../main/crypto/sodium.js';
import { hex, HERE, WRITE } from './vector-inputs.js';

const PASSPHRASE = 'legal winner thank year wave sausage'; // as in passphrase-vectors.test.ts
const PACKAGE = join(HERE, 'v2-passphrase.medseal');
const RECEIPT = join(HERE, 'v2-passphrase-receipt.medseal-receipt');
const AT = new Date('2026-12-01T10:30:00.000Z');

let key: PassphraseKey;
let packageHash: string;

beforeAll(async () => {
  await loadSodium();
  const kdf = await passphraseKdfOf(PACKAGE); // the stanza's own parameters, checked
  key = await derivePassphraseKey(PASSPHRASE, kdf!);
  const opened = await openPackage(PACKAGE, { passphraseKey: key });
  packageHash = opened.packageHash;
  await opened.close();
}, 60_000);

describe('passphrase receipt vector v2-passphrase-receipt', () => {
  it('the passphrase and the fixed time give exactly the committed receipt; the sender’s kept key checks it', async () => {
    const receipt = createPassphraseReceipt(passphraseReceiptKey(key), packageHash, AT);
    if (WRITE) await writeFile(RECEIPT, receipt);
    expect(hex(receipt)).toBe(hex(await readFile(RECEIPT)));
    expect(openPassphraseReceipt(passphraseReceiptKey(key), receipt)).toEqual({
      package: packageHash,
      outcome: 'opened',
      at: AT.toISOString(),
    });
    expect(() => openPassphraseReceipt(Buffer.alloc(32, 1), receipt)).toThrow(InvalidReceipt);
  });

  const python = '/usr/bin/python3';
  const available = spawnSync(python, ['-c', 'import cryptography']).status === 0;
  it.runIf(available || process.env.CI)('the independent Python reader checks it, and refuses another key or time', async () => {
    const receipt = await readFile(RECEIPT);
    const run = (receiptPath: string, argon2: Uint8Array) =>
      JSON.parse(
        spawnSync(python, [join(HERE, 'independent_reader.py'), 'passphrase-receipt', receiptPath, PACKAGE, hex(argon2)], {
          encoding: 'utf8',
        }).stdout,
      ) as Record<string, unknown>;
    expect(run(RECEIPT, key.key)).toEqual({ package: packageHash, outcome: 'opened', at: AT.toISOString() });
    const changed = join(await tempFolder('medseal-vector-'), 'changed.medseal-receipt');
    await writeFile(changed, Buffer.from(receipt.toString('latin1').replace('2026-12-01', '2026-12-02'), 'latin1'));
    expect(run(changed, key.key)).toEqual({ error: 'RECEIPT_REFUSED' });
  });
});
