/**
 * "Remember on this device": the identity's master key, wrapped by the OS
 * keychain (Electron safeStorage), in a 0600 file of the profile. Refused
 * where the keychain is not secure (Linux's basic_text backend).
 */
import { readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../fs/atomic-write.js';
import { toIoError } from '../errors/io-error.js';
import { isNodeError } from '../errors/node-error.js';
import { RememberUnavailable } from './errors.js';
import type { Keychain } from './host.js';

export class DeviceKey {
  constructor(
    private readonly profileFolder: string,
    private readonly keychain: Keychain,
  ) {}

  private get path(): string {
    return join(this.profileFolder, 'device-key.bin');
  }

  /** Throws RememberUnavailable, in plain words, where the keychain is not secure. */
  assertAvailable(): void {
    const status = this.keychain.status();
    if (!status.available) throw new RememberUnavailable({ reason: status.reason ?? 'no secure keychain' });
  }

  async save(masterKey: Uint8Array): Promise<void> {
    this.assertAvailable();
    const wrapped = this.keychain.encrypt(Buffer.from(masterKey).toString('base64'));
    await writeFileAtomic(this.path, wrapped).catch((error: unknown) => {
      throw toIoError('the profile folder', error);
    });
  }

  /**
   * The remembered master key, or null when none is stored or the keychain cannot unwrap it.
   * A file that is there but cannot be read throws IoError.
   */
  async load(): Promise<Uint8Array | null> {
    if (!this.keychain.status().available) return null;
    const wrapped = await readFile(this.path).catch(noneStored);
    if (!wrapped) return null;
    try {
      const key = Buffer.from(this.keychain.decrypt(wrapped), 'base64');
      return key.length === 32 ? new Uint8Array(key) : null;
    } catch {
      // The keychain cannot unwrap it (another OS account, a reset keychain; safeStorage throws one
      // generic Error): nothing usable is remembered, and the passphrase unlocks instead.
      return null;
    }
  }

  async exists(): Promise<boolean> {
    return stat(this.path).then(
      () => true,
      (error: unknown) => noneStored(error) ?? false,
    );
  }

  async forget(): Promise<void> {
    await rm(this.path, { force: true });
  }
}

/** No key file (ENOENT): nothing remembered. Any other failure to read it is thrown as IoError. */
function noneStored(error: unknown): null {
  if (isNodeError(error, 'ENOENT')) return null;
  throw toIoError('the profile folder', error);
}
