/**
 * Argon2id in a short-lived worker (crypto/kdf-worker.ts, the bundled
 * kdf-worker.cjs): the same key as on the calling thread, the passphrase
 * moved (not copied) out of the caller, the calling thread's WebAssembly
 * memory not grown by the derivation, and a worker that cannot run is a
 * typed error, not a hang.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadSodium, wasmHeapForTests } from '../../main/crypto/sodium.js';
import { KdfFailed } from '../../main/crypto/errors.js';
import { deriveKeyFromPassphrase, deriveKeyHere, KDF_FLOOR, newKdfParams } from '../../main/crypto/kdf.js';
import { useKdfWorkerScript } from '../../main/crypto/kdf-worker-script.js';

const BUILT = join(process.cwd(), 'dist', 'workers', 'kdf-worker.cjs');

describe('the KDF worker', () => {
  afterEach(() => useKdfWorkerScript(''));

  it("derives the same key as the calling thread, without growing the calling thread's WebAssembly memory", async () => {
    if (!existsSync(BUILT)) throw new Error(`${BUILT} is missing: run "npm run build" first (npm test does).`);
    await loadSodium();
    const params = newKdfParams({ opsLimit: KDF_FLOOR.opsLimit, memLimitBytes: 128 * 1024 * 1024 });
    const heap = () => wasmHeapForTests().byteLength;
    const before = heap();
    useKdfWorkerScript(BUILT);
    const inWorker = await deriveKeyFromPassphrase('correct horse battery staple', params);
    expect(heap()).toBe(before); // 128 MiB were needed, but not here
    useKdfWorkerScript('');
    const passphrase = Buffer.from('correct horse battery staple', 'utf8');
    expect(
      Buffer.from(inWorker).equals(
        Buffer.from(
          deriveKeyHere({
            passphrase,
            salt: params.salt,
            opsLimit: params.opsLimit,
            memLimitBytes: params.memLimitBytes,
          }),
        ),
      ),
    ).toBe(true);
  });

  it('a worker that cannot start is KdfFailed', async () => {
    await loadSodium();
    useKdfWorkerScript(join(process.cwd(), 'no-such-kdf-worker.cjs'));
    await expect(
      deriveKeyFromPassphrase('correct horse battery staple', newKdfParams(KDF_FLOOR)),
    ).rejects.toBeInstanceOf(KdfFailed);
  });
});
