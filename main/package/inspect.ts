/**
 * What anyone can learn from a package without a key: the format version,
 * chunk size, number of recipients and sizes. Useful for support staff and
 * to show plainly how little an outsider sees (docs/FORMAT.md §2.9).
 */
import type { FileHandle } from 'node:fs/promises';
import { toIoError } from '../errors/io-error.js';
import { CHUNK_OVERHEAD_BYTES } from './format.js';
import { sha256 } from '../crypto/primitives.js';
import { readPublicHeader } from './header.js';
import { readAtFrom } from './open.js';
import { NotARegularFileThere, openRegularFile } from '../fs/open-regular-file.js';
import { NotAMedSealPackage } from './errors.js';
import { identityOf, type FileIdentity } from '../fs/publish-file.js';
import type { PassphraseKdf } from './passphrase-stanza.js';

export interface PackageInspection {
  readonly formatVersion: number;
  readonly chunkSizeBytes: number;
  /** Stanzas, the organisation recovery key's included. */
  readonly recipientCount: number;
  /** The header flag of docs/FORMAT.md §2.12: the last stanza is for an organisation recovery key. */
  readonly hasRecoveryStanza: boolean;
  /** The passphrase stanza's Argon2id strength (docs/FORMAT.md §2.13), or null: the package has none. */
  readonly passphrase: { readonly opsLimit: number; readonly memLimitBytes: number } | null;
  readonly headerBytes: number;
  readonly packageBytes: number;
  /** Total size of the sealed files, derived from the payload length (an outsider can compute it too). */
  readonly contentBytes: number | null;
  readonly chunkCount: number | null;
}

export async function inspectPackage(path: string): Promise<PackageInspection> {
  const handle = await openRegularFile(path, { followLinks: true }).catch((error: unknown) => {
    throw error instanceof NotARegularFileThere ? new NotAMedSealPackage() : toIoError('the package', error);
  });
  try {
    const header = await readPublicHeader(readAtFrom(handle));
    const packageBytes = (await handle.stat()).size;
    const chunkSize = 2 ** header.chunkSizeLog2;
    const payload = packageBytes - header.headerLength;
    const chunks = payload >= CHUNK_OVERHEAD_BYTES ? Math.ceil(payload / (chunkSize + CHUNK_OVERHEAD_BYTES)) : 0;
    const content = chunks > 0 ? payload - chunks * CHUNK_OVERHEAD_BYTES : -1;
    return {
      formatVersion: header.version,
      chunkSizeBytes: chunkSize,
      recipientCount: header.recipientCount,
      hasRecoveryStanza: header.hasRecoveryStanza,
      passphrase: header.passphraseKdf && {
        opsLimit: header.passphraseKdf.opsLimit,
        memLimitBytes: header.passphraseKdf.memLimitKib * 1024,
      },
      headerBytes: header.headerLength,
      packageBytes,
      contentBytes: content >= 0 ? content : null,
      chunkCount: chunks > 0 ? chunks : null,
    };
  } finally {
    await handle.close();
  }
}

/**
 * The Argon2id parameters of a package's passphrase stanza (checked: weaker than allowed is
 * PACKAGE_MALFORMED), to derive the key before opening; null when the package has no such stanza.
 */
export async function passphraseKdfOf(path: string): Promise<PassphraseKdf | null> {
  const handle = await openRegularFile(path, { followLinks: true }).catch((error: unknown) => {
    throw error instanceof NotARegularFileThere ? new NotAMedSealPackage() : toIoError('the package', error);
  });
  try {
    return (await readPublicHeader(readAtFrom(handle))).passphraseKdf;
  } finally {
    await handle.close();
  }
}

/** The package's id (docs/FORMAT.md §2.5: SHA-256 of the whole header) from its public layout, without a key. */
export async function packageHeaderHash(path: string): Promise<string> {
  return (await identifyPackage(path)).hash;
}

/**
 * The package's id and the identity of the very file it was read from, so that what is done to the
 * file afterwards (archiving a copy) is done to that file and no other swapped in meanwhile.
 */
export async function identifyPackage(path: string): Promise<{ hash: string; file: FileIdentity }> {
  const handle = await openRegularFile(path, { followLinks: true }).catch((error: unknown) => {
    throw error instanceof NotARegularFileThere ? new NotAMedSealPackage() : toIoError('the package', error);
  });
  try {
    return { hash: await packageHeaderHashOf(handle), file: await identityOf(handle) };
  } finally {
    await handle.close();
  }
}

/** `packageHeaderHash` of a file already open (read through the descriptor, so the very file that was checked). */
export async function packageHeaderHashOf(handle: FileHandle): Promise<string> {
  const header = await readPublicHeader(readAtFrom(handle));
  const { buffer, bytesRead } = await handle.read({ buffer: Buffer.alloc(header.headerLength), position: 0 });
  return sha256(buffer.subarray(0, bytesRead)).toString('hex');
}
