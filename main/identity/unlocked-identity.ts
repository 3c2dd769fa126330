/**
 * An identity whose secret keys are in memory. Only the main process holds
 * one; `wipe()` overwrites the keys (on lock, quit or error) and makes every
 * later use fail loudly instead of silently using zeroed keys.
 */
import { wipe } from '../crypto/primitives.js';
import { sodium } from '../crypto/sodium.js';
import type { ContactCard } from './contact-card.js';

export class UnlockedIdentity {
  #wiped = false;

  constructor(
    readonly card: ContactCard,
    private readonly signingSecret: Uint8Array,
    private readonly encryptionSecret: Uint8Array,
    private readonly masterKey: Uint8Array,
    /** The X-Wing seed (docs/FORMAT.md §4) of an identity whose card is version 2, else null. */
    private readonly pqSecret: Uint8Array | null = null,
  ) {}

  get signingSecretKey(): Uint8Array {
    this.assertLive();
    return this.signingSecret;
  }

  get encryptionSecretKey(): Uint8Array {
    this.assertLive();
    return this.encryptionSecret;
  }

  /** The X-Wing secret (seed); null for an identity not yet given a post-quantum key. */
  get pqSecretKey(): Uint8Array | null {
    this.assertLive();
    return this.pqSecret;
  }

  /** A 32-byte key for one purpose (e.g. encrypting the local database), derived from the master key. */
  deriveLocalKey(subkeyId: number, context: string): Uint8Array {
    this.assertLive();
    return sodium().crypto_kdf_derive_from_key(32, subkeyId, context, this.masterKey);
  }

  /** For re-wrapping under a new passphrase; callers must not keep it. */
  masterKeyForRewrap(): Uint8Array {
    this.assertLive();
    return this.masterKey;
  }

  get isWiped(): boolean {
    return this.#wiped;
  }

  wipe(): void {
    wipe(this.signingSecret, this.encryptionSecret, this.masterKey, this.pqSecret ?? undefined);
    this.#wiped = true;
  }

  private assertLive(): void {
    if (this.#wiped) throw new Error('identity is locked: its keys were wiped');
  }
}
