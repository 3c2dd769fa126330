/**
 * The keystore file of a profile: create, read the public card, unlock and
 * change the passphrase, each write atomic. A wrong passphrase changes nothing.
 */
import { readFile, stat } from 'node:fs/promises';
import { IoError, toIoError } from '../errors/io-error.js';
import { isNodeError } from '../errors/node-error.js';
import { writeFileAtomic } from '../fs/atomic-write.js';
import { DestinationExists } from '../fs/errors.js';
import { writeNewFile } from '../fs/write-new-file.js';
import type { ProfileFolder } from '../profile/profile-folder.js';
import type { ContactCard } from './contact-card.js';
import { IdentityExists, IdentityMissing, KeystoreMalformed } from './errors.js';
import {
  addPostQuantumKey,
  changeKeystorePassphrase,
  createKeystore,
  parseKeystore,
  setPassphraseWithMasterKey,
  unlockKeystore,
  unlockWithMasterKey,
  type KdfStrength,
} from './keystore.js';
import { recoveryKitMadeAt, unwrapWithRecoveryCode, withRecoverySlot } from './keystore-recovery.js';
import type { PersonDetails } from './person-details.js';
import type { UnlockedIdentity } from './unlocked-identity.js';

export class IdentityStore {
  constructor(private readonly folder: ProfileFolder) {}

  /** Whether the profile has a keystore file; one that cannot be read throws IoError. */
  async exists(): Promise<boolean> {
    return stat(this.folder.keystorePath).then(
      () => true,
      (error: unknown) => {
        if (isNodeError(error, 'ENOENT')) return false;
        throw toIoError('the identity file', error);
      },
    );
  }

  private async readText(): Promise<string> {
    try {
      return await readFile(this.folder.keystorePath, 'utf8');
    } catch (error) {
      if (isNodeError(error, 'ENOENT')) throw new IdentityMissing();
      throw toIoError('the identity file', error);
    }
  }

  async create(options: {
    profile: PersonDetails;
    passphrase: string;
    kdf?: KdfStrength;
    now?: Date;
  }): Promise<UnlockedIdentity> {
    await this.folder.ensure();
    if (await this.exists()) throw new IdentityExists();
    const { keystoreText, identity } = await createKeystore(options);
    try {
      await writeFileAtomic(this.folder.keystorePath, keystoreText);
    } catch (error) {
      identity.wipe();
      throw toIoError('the profile folder', error);
    }
    return identity;
  }

  /** The keystore as it is on disk (encrypted), for a backup. */
  async keystoreText(): Promise<string> {
    return this.readText();
  }

  /** Installs a keystore brought from a backup; never over an identity (created exclusively, published without replacing). */
  async install(keystoreText: string): Promise<void> {
    await this.folder.ensure();
    await writeNewFile(this.folder.keystorePath, keystoreText, 'the identity file').catch((error: unknown) => {
      throw error instanceof DestinationExists ? new IdentityExists() : error;
    });
  }

  async publicCard(): Promise<ContactCard> {
    return parseKeystore(await this.readText()).card;
  }

  async unlock(passphrase: string): Promise<UnlockedIdentity> {
    return unlockKeystore(await this.readText(), passphrase);
  }

  /** With a master key remembered by the OS keychain instead of the passphrase. */
  async unlockWithMasterKey(masterKey: Uint8Array): Promise<UnlockedIdentity> {
    return unlockWithMasterKey(parseKeystore(await this.readText()), masterKey);
  }

  /**
   * Adds the post-quantum key to an identity made before there was one (docs/FORMAT.md §3.5) and
   * returns the identity with it, having wiped `identity`; returns `identity` itself when it has
   * one already. The keystore file is replaced atomically: on failure it is unchanged.
   */
  async withPostQuantumKey(
    identity: UnlockedIdentity,
    now = new Date(),
  ): Promise<{ identity: UnlockedIdentity; added: boolean }> {
    if (identity.card.pqKey) return { identity, added: false };
    const before = await this.readText();
    const upgraded = addPostQuantumKey(before, identity, now);
    // Another MedSeal (the app and the CLI) may be upgrading the same profile: write only over the
    // text this upgrade was made from, and count it done only if the file then holds our card
    // (a failure after the rename, such as the folder's fsync, still leaves it in place).
    const written = async () => parseKeystore(await this.readText()).card.bytes;
    const ours = (bytes: Uint8Array) => Buffer.from(bytes).equals(Buffer.from(upgraded.identity.card.bytes));
    try {
      if ((await this.readText()) !== before) throw new Error('the identity file changed meanwhile');
      await writeFileAtomic(this.folder.keystorePath, upgraded.keystoreText).catch(async (error: unknown) => {
        const inPlace = await written().catch((readError: unknown) => {
          // Missing, unreadable or damaged: not ours, so the write's own error is the one thrown.
          const notOurs = [IdentityMissing, IoError, KeystoreMalformed].some((kind) => readError instanceof kind);
          if (notOurs) return new Uint8Array(0);
          throw new AggregateError([error, readError], 'the identity file could not be written nor read back');
        });
        if (!ours(inPlace)) throw error;
      });
    } catch (error) {
      upgraded.identity.wipe();
      throw toIoError('the identity file', error);
    }
    identity.wipe();
    return { identity: upgraded.identity, added: true };
  }

  /** Returns the identity, unlocked; the caller wipes it. */
  async changePassphrase(oldPassphrase: string, newPassphrase: string): Promise<UnlockedIdentity> {
    const { keystoreText, identity } = await changeKeystorePassphrase(
      await this.readText(),
      oldPassphrase,
      newPassphrase,
    );
    try {
      await writeFileAtomic(this.folder.keystorePath, keystoreText);
    } catch (error) {
      identity.wipe();
      throw toIoError('the identity file', error);
    }
    return identity;
  }

  /** Replaces the recovery slot with one for `entropy` (a new recovery kit); the old code stops working. */
  async setRecoveryCode(identity: UnlockedIdentity, entropy: Uint8Array, now = new Date()): Promise<void> {
    const text = withRecoverySlot(await this.readText(), identity.masterKeyForRewrap(), entropy, now);
    await this.write(text);
  }

  /** When the newest recovery kit was made, or null. */
  async recoveryKitMadeAt(): Promise<string | null> {
    return recoveryKitMadeAt(await this.readText());
  }

  /**
   * A forgotten passphrase: the recovery code unwraps the master key, which is wrapped again under
   * `newPassphrase`. The recovery slot stays (the same kit keeps working). Returns the identity,
   * unlocked; the old passphrase no longer opens it.
   */
  async recover(entropy: Uint8Array, newPassphrase: string, kdf?: KdfStrength): Promise<UnlockedIdentity> {
    const parsed = parseKeystore(await this.readText());
    const { keystoreText, identity } = await setPassphraseWithMasterKey(
      parsed,
      unwrapWithRecoveryCode(parsed, entropy),
      newPassphrase,
      kdf,
    );
    try {
      await this.write(keystoreText);
    } catch (error) {
      identity.wipe();
      throw error;
    }
    return identity;
  }

  private async write(text: string): Promise<void> {
    try {
      await writeFileAtomic(this.folder.keystorePath, text);
    } catch (error) {
      throw toIoError('the identity file', error);
    }
  }
}
