/**
 * Argon2id in a short-lived worker (crypto/kdf-worker.ts, the bundled
 * kdf-worker.cjs): the same key as on the calling thread, the passphrase
 * moved (not copied) out of the caller, the calling thread's WebAssembly
 * memory not grown by the derivation, and a worker that cannot run is a
 * typed error, not a hang. A worker readied ahead (kdf-prewarm.ts, for the
 * CLI's unlocking commands) is taken once and gives the same key. Work
 * queued for the wait (while-deriving.ts) runs once, while the worker
 * derives, and never on the calling thread's own derivation.
 */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { commandWordOf, keystoreMemoryOf, unlocksFirst } from '../../main/cli/early-start.js';
import { createFastProfiles } from '../helpers/profiles.js';
import { tempFolder } from '../helpers/temp-folder.js';
import { prewarmKdfWorker, takePrewarmedKdfWorker } from '../../main/crypto/kdf-prewarm.js';
import { loadSodium, wasmHeapForTests } from '../../main/crypto/sodium.js';
import { KdfFailed } from '../../main/crypto/errors.js';
import {
  deriveKeyFromPassphrase,
  deriveKeyHere,
  KDF_FLOOR,
  newKdfParams,
  passphraseBytes,
} from '../../main/crypto/kdf.js';
import { useKdfWorkerScript } from '../../main/crypto/kdf-worker-script.js';
import { whileNextDerivationRuns } from '../../main/crypto/while-deriving.js';

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

  it('a worker readied ahead is taken once, and derives the same key as a fresh one', async () => {
    if (!existsSync(BUILT)) throw new Error(`${BUILT} is missing: run "npm run build" first (npm test does).`);
    await loadSodium();
    useKdfWorkerScript(BUILT);
    const params = newKdfParams({ opsLimit: KDF_FLOOR.opsLimit, memLimitBytes: 64 * 1024 * 1024 });
    const fresh = await deriveKeyFromPassphrase('correct horse battery staple', params);
    prewarmKdfWorker(params.memLimitBytes);
    const readied = await deriveKeyFromPassphrase('correct horse battery staple', params);
    expect(Buffer.from(readied).equals(Buffer.from(fresh))).toBe(true);
    expect(takePrewarmedKdfWorker()).toBeNull(); // the derivation took it
  });

  it("a worker readied by one bundle's copy of the module is the one another copy takes (the CLI's entry and its main bundle)", async () => {
    if (!existsSync(BUILT)) throw new Error(`${BUILT} is missing: run "npm run build" first (npm test does).`);
    useKdfWorkerScript(BUILT);
    vi.resetModules(); // a second instance of the module, as the main bundle has its own copy
    const other = await import('../../main/crypto/kdf-prewarm.js');
    expect(other.takePrewarmedKdfWorker).not.toBe(takePrewarmedKdfWorker);
    prewarmKdfWorker(KDF_FLOOR.memLimitBytes);
    other.prewarmKdfWorker(KDF_FLOOR.memLimitBytes); // the bundle's own early start: finds one begun
    const taken = other.takePrewarmedKdfWorker();
    expect(taken).not.toBeNull();
    expect(takePrewarmedKdfWorker()).toBeNull(); // one worker in all, taken once
    await taken!.terminate();
  });

  it('a worker readied ahead that failed is not taken: the derivation starts its own', async () => {
    await loadSodium();
    useKdfWorkerScript(join(process.cwd(), 'no-such-kdf-worker.cjs'));
    prewarmKdfWorker(KDF_FLOOR.memLimitBytes);
    await new Promise((resolve) => setTimeout(resolve, 200)); // its 'error' comes
    expect(takePrewarmedKdfWorker()).toBeNull();
    useKdfWorkerScript(BUILT);
    const params = newKdfParams(KDF_FLOOR);
    expect(await deriveKeyFromPassphrase('correct horse battery staple', params)).toHaveLength(32);
  });
});

describe('a readied worker nobody takes', () => {
  afterEach(() => useKdfWorkerScript(''));

  it('is ended after a while (a command that never asked for a passphrase after all)', async () => {
    if (!existsSync(BUILT)) throw new Error(`${BUILT} is missing: run "npm run build" first (npm test does).`);
    useKdfWorkerScript(BUILT);
    prewarmKdfWorker(KDF_FLOOR.memLimitBytes, 50);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(takePrewarmedKdfWorker()).toBeNull();
  });
});

describe('the passphrase on its way to the worker', () => {
  it('has a memory of its own, so that moving it leaves nothing behind (a pooled Buffer would stay)', () => {
    const bytes = passphraseBytes('correct horse battery staple');
    expect(Buffer.from(bytes).toString('utf8')).toBe('correct horse battery staple');
    expect(bytes.byteOffset).toBe(0);
    expect(bytes.buffer.byteLength).toBe(bytes.length); // not a slice of Node's shared 8 KiB pool
    const { port1, port2 } = new MessageChannel();
    port1.postMessage(bytes, [bytes.buffer as ArrayBuffer]);
    expect(bytes.byteLength).toBe(0); // moved: detached here
    port1.close();
    port2.close();
    // What Buffer.from gave before: a slice of the pool, which Node 20 copies (the whole pool) instead.
    const pooled = Buffer.from('correct horse battery staple', 'utf8');
    expect(pooled.buffer.byteLength).toBeGreaterThan(pooled.length);
  });

  it('is NFC-normalised: the same key whichever way an accented letter was typed', () => {
    expect(Buffer.from(passphraseBytes('cafe\u0301')).equals(Buffer.from(passphraseBytes('caf\u00e9')))).toBe(true);
  });
});

describe('which command lines ready the Argon2id worker first', () => {
  it('the command word, after global options and their values', () => {
    expect(commandWordOf(['--home', 'seal', '--json', 'open', 'p.medseal'])).toBe('open');
    expect(commandWordOf(['--passphrase-file', 'f', 'seal', 'x'])).toBe('seal');
    expect(commandWordOf(['--json'])).toBeNull();
  });

  it('seal, open and the other unlocking commands do; help, inspect and the rest do not', () => {
    expect(unlocksFirst(['seal', 'a.pdf', '--to', 'b@x.example'])).toBe(true);
    expect(unlocksFirst(['--home', 'h', 'open', 'p.medseal', '-o', 'out'])).toBe(true);
    expect(unlocksFirst(['open', '--help'])).toBe(false);
    expect(unlocksFirst(['inspect', 'p.medseal'])).toBe(false);
    expect(unlocksFirst(['--version'])).toBe(false);
  });

  it('readies the worker for the memory the profile’s keystore asks for, and not at all without one', async () => {
    const work = await tempFolder('medseal-early-start-');
    await createFastProfiles(work, 'correct horse battery staple', [
      { home: 'alice', name: 'Alice', email: 'alice@a.example' },
    ]);
    expect(keystoreMemoryOf(join(work, 'alice'))).toBe(KDF_FLOOR.memLimitBytes);
    expect(keystoreMemoryOf(join(work, 'nobody'))).toBeNull();
    await writeFile(join(work, 'alice', 'identity.keystore.json'), 'not json');
    expect(keystoreMemoryOf(join(work, 'alice'))).toBeNull();
  });
  it('work queued for the wait runs once, on this thread, while the worker derives; never beside a derivation here', async () => {
    if (!existsSync(BUILT)) throw new Error(`${BUILT} is missing: run "npm run build" first (npm test does).`);
    await loadSodium();
    const params = newKdfParams({ opsLimit: KDF_FLOOR.opsLimit, memLimitBytes: 64 * 1024 * 1024 });
    const ran: string[] = [];
    let derived = false;
    whileNextDerivationRuns(() => ran.push(derived ? 'after the key' : 'during'));
    useKdfWorkerScript(BUILT);
    const first = deriveKeyFromPassphrase('correct horse battery staple', params).then((key) => {
      derived = true;
      return key;
    });
    expect(ran).toEqual([]); // not before the request is on its way, and not on the caller's turn
    await first;
    expect(ran).toEqual(['during']);
    await deriveKeyFromPassphrase('correct horse battery staple', params);
    expect(ran).toEqual(['during']); // once
    whileNextDerivationRuns(() => ran.push('here'));
    useKdfWorkerScript('');
    await deriveKeyFromPassphrase('correct horse battery staple', params);
    useKdfWorkerScript(BUILT);
    await deriveKeyFromPassphrase('correct horse battery staple', params);
    expect(ran).toEqual(['during']); // dropped where the derivation ran on this thread, not kept for later
  });
});
