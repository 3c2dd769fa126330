/**
 * Security review, low 16: keys stayed in libsodium's WebAssembly memory
 * after lock (the wrappers copy arguments into the heap and free them
 * without clearing). Now every freed block is zeroed: after signing,
 * deriving store keys, unlocking a keystore and locking, none of the
 * identity's keys can be found anywhere in the heap. (libsodium's own
 * stack frames are not reachable from JavaScript: what a primitive leaves
 * there is overwritten by the next call; docs/SECURITY.md says so.)
 */
import { describe, expect, it } from 'vitest';
import { ed25519Sign } from '../../main/crypto/primitives.js';
import { loadSodium, wasmHeapForTests } from '../../main/crypto/sodium.js';
import { KDF_FLOOR } from '../../main/crypto/kdf.js';
import { createKeystore, unlockKeystore } from '../../main/identity/keystore.js';

function contains(heap: Uint8Array, needle: Uint8Array): boolean {
  const first = needle[0];
  outer: for (
    let index = heap.indexOf(first!);
    index !== -1 && index <= heap.length - needle.length;
    index = heap.indexOf(first!, index + 1)
  ) {
    for (let offset = 1; offset < needle.length; offset++) if (heap[index + offset] !== needle[offset]) continue outer;
    return true;
  }
  return false;
}

describe("libsodium's WebAssembly heap", () => {
  it("holds none of the identity's secrets once they were used and the identity is locked", async () => {
    await loadSodium();
    const { keystoreText, identity } = await createKeystore({
      profile: { name: 'Alice', organisation: 'O', role: '', email: 'alice@o.example' },
      passphrase: 'correct horse battery staple',
      kdf: KDF_FLOOR,
    });
    identity.wipe();
    const unlocked = await unlockKeystore(keystoreText, 'correct horse battery staple');
    const seed = Uint8Array.from(unlocked.signingSecretKey.subarray(0, 32));
    const encryption = Uint8Array.from(unlocked.encryptionSecretKey);
    const master = Uint8Array.from(unlocked.masterKeyForRewrap());
    ed25519Sign(unlocked.signingSecretKey, Buffer.from('a message'));
    unlocked.deriveLocalKey(1, 'msstore1').fill(0);
    unlocked.wipe();
    const heap = wasmHeapForTests();
    for (const [name, secret] of Object.entries({ seed, encryption, master }))
      expect(contains(heap, secret), name).toBe(false);
  });
});
