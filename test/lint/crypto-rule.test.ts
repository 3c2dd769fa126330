/**
 * One envelope (build/lint/crypto-rule.js): a cipher called outside main/crypto/ fails lint,
 * whichever way it is reached; the same call inside main/crypto/ passes. Each case is planted as
 * text in a file of the tree (nothing is written).
 */
import { describe, expect, it } from 'vitest';
import { ruleIdsFor } from '../helpers/lint-text.js';

const RULE = 'medseal/crypto-only-in-crypto';

const PLANTED = [
  [
    'a libsodium AEAD',
    "import { sodium } from '../crypto/sodium.js';\nexport const f = (k: Uint8Array, m: Uint8Array, n: Uint8Array) => sodium().crypto_aead_xchacha20poly1305_ietf_encrypt(m, null, null, n, k);",
  ],
  [
    'a libsodium secretbox by computed name',
    "import { sodium } from '../crypto/sodium.js';\nexport const f = (k: Uint8Array, m: Uint8Array, n: Uint8Array) => sodium()['crypto_secretbox_easy'](m, n, k);",
  ],
  ['a password hash', "import { sodium } from '../crypto/sodium.js';\nexport const f = () => sodium().crypto_pwhash;"],
  [
    'node:crypto createCipheriv, imported',
    "import { createCipheriv } from 'node:crypto';\nexport const f = (k: Buffer, n: Buffer) => createCipheriv('aes-256-gcm', k, n);",
  ],
  [
    'node:crypto createDecipheriv, as a member',
    "import * as c from 'node:crypto';\nexport const f = (k: Buffer, n: Buffer) => c.createDecipheriv('aes-256-gcm', k, n);",
  ],
  [
    'node:crypto createCipheriv, destructured',
    "import * as c from 'node:crypto';\nconst { createCipheriv } = c;\nexport const f = createCipheriv;",
  ],
] as const;

describe('ciphers are called in main/crypto/ only', () => {
  it.each(PLANTED)('%s is an error in main/store/', async (_what, code) => {
    expect(await ruleIdsFor('main/store/x.ts', code)).toContain(RULE);
  });

  it.each(PLANTED)('%s is an error in the renderer too', async (_what, code) => {
    expect(await ruleIdsFor('renderer/src/x.ts', code)).toContain(RULE);
  });

  it.each(PLANTED)('%s is allowed in main/crypto/', async (_what, code) => {
    expect(await ruleIdsFor('main/crypto/x.ts', code)).not.toContain(RULE);
  });

  it('a hash or a signature outside main/crypto/ is not a cipher', async () => {
    const code =
      "import { createHash } from 'node:crypto';\nimport { sodium } from '../crypto/sodium.js';\nexport const h = createHash('sha256');\nexport const v = sodium().crypto_sign_verify_detached;";
    expect(await ruleIdsFor('main/store/x.ts', code)).not.toContain(RULE);
  });
});
