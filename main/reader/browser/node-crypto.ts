/**
 * `node:crypto` for MedSeal Reader's page: the few calls the package-reading
 * core makes (crypto/primitives.ts, identity/fingerprint.ts), answered by the
 * audited @noble libraries and the browser's CSPRNG, so that the Reader runs
 * the very same header, metadata and signature code as the app. The build
 * (build/scripts/build-reader.mjs) puts this module in node:crypto's place.
 *
 * Only reading is here. AES-256-GCM is one-shot: the tag and additional
 * data come first and the whole message in a single update(), which is how
 * primitives.ts opens a stanza or the metadata; anything else throws (the
 * Reader decrypts payload chunks with WebCrypto instead, reader-chunks.ts).
 * Sealing is refused: the Reader never writes a package.
 */
import { Buffer } from 'buffer';
import { gcm } from '@noble/ciphers/aes.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { hmac } from '@noble/hashes/hmac.js';
import { hkdf } from '@noble/hashes/hkdf.js';

class NotInTheReader extends Error {
  constructor(what: string) {
    super(`${what} is not part of MedSeal Reader`);
    this.name = 'NotInTheReader';
  }
}

function onlySha256(algorithm: string): void {
  if (algorithm !== 'sha256') throw new NotInTheReader(`the hash ${algorithm}`);
}

interface Digest {
  update(data: Uint8Array): Digest;
  digest(): Buffer;
}

function digestOf(state: { update(data: Uint8Array): unknown; digest(): Uint8Array }): Digest {
  const digest: Digest = {
    update(data) {
      state.update(data);
      return digest;
    },
    digest: () => Buffer.from(state.digest()),
  };
  return digest;
}

export function createHash(algorithm: string): Digest {
  onlySha256(algorithm);
  return digestOf(sha256.create());
}

export function createHmac(algorithm: string, key: Uint8Array): Digest {
  onlySha256(algorithm);
  return digestOf(hmac.create(sha256, key));
}

export function hkdfSync(
  algorithm: string,
  ikm: Uint8Array,
  salt: Uint8Array,
  info: Uint8Array,
  length: number,
): ArrayBuffer {
  onlySha256(algorithm);
  const out = hkdf(sha256, ikm, salt, info, length);
  return out.buffer.slice(out.byteOffset, out.byteOffset + out.byteLength);
}

export function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) throw new RangeError('Input buffers must have the same byte length');
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a[i]! ^ b[i]!;
  return difference === 0;
}

export function randomBytes(length: number): Buffer {
  return Buffer.from(globalThis.crypto.getRandomValues(new Uint8Array(length)));
}

/** AES-256-GCM opening in one piece (see the header): update() gets the whole ciphertext. */
class OneShotGcmDecipher {
  private tag: Uint8Array | null = null;
  private aad: Uint8Array | undefined;
  private failed = false;
  private used = false;

  constructor(
    private readonly key: Uint8Array,
    private readonly nonce: Uint8Array,
  ) {}

  setAuthTag(tag: Uint8Array): this {
    this.tag = tag;
    return this;
  }

  setAAD(aad: Uint8Array): this {
    this.aad = aad;
    return this;
  }

  update(ciphertext: Uint8Array): Buffer {
    if (this.used || !this.tag) throw new NotInTheReader('streaming AES-GCM');
    this.used = true;
    const sealed = new Uint8Array(ciphertext.length + this.tag.length);
    sealed.set(ciphertext);
    sealed.set(this.tag, ciphertext.length);
    try {
      return Buffer.from(gcm(this.key, this.nonce, this.aad).decrypt(sealed));
    } catch (error) {
      // @noble/ciphers throws a plain Error when the tag does not verify; final() reports it as Node does.
      if (!(error instanceof Error) || error.message !== 'aes-gcm: invalid tag') throw error;
      this.failed = true;
      return Buffer.alloc(0);
    }
  }

  final(): Buffer {
    if (!this.used) throw new NotInTheReader('AES-GCM without data');
    if (this.failed) throw new Error('Unsupported state or unable to authenticate data');
    return Buffer.alloc(0);
  }
}

export function createDecipheriv(algorithm: string, key: Uint8Array, nonce: Uint8Array): OneShotGcmDecipher {
  if (algorithm !== 'aes-256-gcm') throw new NotInTheReader(`the cipher ${algorithm}`);
  return new OneShotGcmDecipher(key, nonce);
}

export function createCipheriv(): never {
  throw new NotInTheReader('sealing');
}

export function randomInt(): never {
  throw new NotInTheReader('drawing a passphrase');
}
