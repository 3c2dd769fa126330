/**
 * A partner organisation's IT for app tests: a directory key, and the
 * signed, hash-chained directory log (main/directory/directory-log.ts)
 * published as one file in a folder, the partner's "source". `fork` signs
 * a second history with the same key, as a key holder showing different
 * versions to different readers would; `signed` makes one without
 * publishing it (a head another reader was shown).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadSodium } from '../../main/crypto/sodium.js';
import {
  appendEntries,
  DIRECTORY_FILE_EXTENSION,
  encodeDirectory,
  signDirectory,
  type DirectoryChange,
  type DirectoryEntry,
  type DirectoryFile,
} from '../../main/directory/directory-log.js';
import { directoryKeyCode } from '../../main/directory/partner.js';

export class TestPartnerOrg {
  private entries: DirectoryEntry[] = [];

  private constructor(
    readonly organisation: string,
    /** The published file: the source IT adds the partner with. */
    readonly source: string,
    private readonly keys: { publicKey: Uint8Array; privateKey: Uint8Array },
  ) {}

  static async create(folder: string, organisation: string): Promise<TestPartnerOrg> {
    const sodium = await loadSodium();
    await mkdir(folder, { recursive: true });
    return new TestPartnerOrg(
      organisation,
      join(folder, `directory${DIRECTORY_FILE_EXTENSION}`),
      sodium.crypto_sign_keypair(),
    );
  }

  /** The directory key, as `medseal org init` prints it. */
  get key(): string {
    return Buffer.from(this.keys.publicKey).toString('base64');
  }

  /** The 30-digit code IT reads out on the phone. */
  get code(): string {
    return directoryKeyCode(this.key);
  }

  /** Appends `changes` and publishes the log, valid for `validDays`; its sequence number after. */
  async publish(changes: readonly DirectoryChange[], validDays = 30): Promise<number> {
    this.entries = appendEntries(this.entries, changes, new Date());
    await this.write(this.entries, validDays);
    return this.entries.length;
  }

  /** Publishes another history: the first `keep` entries of the log, then `changes` (the log itself stays). */
  async fork(keep: number, changes: readonly DirectoryChange[]): Promise<void> {
    await this.write(appendEntries(this.entries.slice(0, keep), changes, new Date()), 30);
  }

  /** Another history, signed now but not published: the first `keep` entries of the log, then `changes`. */
  signed(keep: number, changes: readonly DirectoryChange[]): DirectoryFile {
    return this.sign(appendEntries(this.entries.slice(0, keep), changes, new Date()), 30);
  }

  /** The log's first `count` entries signed now, as a file's bytes (not published). */
  file(count: number): Buffer {
    return encodeDirectory(this.sign(this.entries.slice(0, count), 30));
  }

  private sign(entries: readonly DirectoryEntry[], validDays: number): DirectoryFile {
    return signDirectory({
      organisation: this.organisation,
      publicKey: this.keys.publicKey,
      secretKey: this.keys.privateKey,
      entries,
      issuedAt: new Date(),
      validDays,
    });
  }

  private async write(entries: readonly DirectoryEntry[], validDays: number): Promise<void> {
    await writeFile(this.source, encodeDirectory(this.sign(entries, validDays)));
  }
}
