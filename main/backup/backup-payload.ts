/**
 * The encrypted body of a backup: libsodium's secretstream
 * (XChaCha20-Poly1305, one authenticated message per chunk, the last one
 * tagged FINAL), each chunk binding the SHA-256 of the file's header. Its
 * plaintext is a small manifest (u32 BE length, JSON naming each entry and
 * its size) followed by the entries' bytes. Cutting, reordering, editing or
 * appending anything is found; entry names come from a fixed list, so a
 * backup can never write outside the folder it is restored into.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { z } from 'zod';
import { sodium } from '../crypto/sodium.js';
import { parseStrictJson } from '../validation/strict-json.js';
import { BackupUnreadable } from './errors.js';

/** What a backup may contain: the profile's database (contacts, history, audit chain, settings). */
export const BACKUP_ENTRY_NAMES = ['medseal.db'] as const;
export type BackupEntryName = (typeof BACKUP_ENTRY_NAMES)[number];
export const CHUNK_BYTES = 1024 * 1024;

const ManifestSchema = z.strictObject({
  entries: z
    .array(z.strictObject({ name: z.enum(BACKUP_ENTRY_NAMES), bytes: z.number().int().nonnegative() }))
    .max(BACKUP_ENTRY_NAMES.length),
});

export interface PayloadEntry {
  readonly name: BackupEntryName;
  readonly path: string;
}

/** Starts a payload under `key`; the returned header goes into the backup header. */
export function startPayload(key: Uint8Array): { state: unknown; streamHeader: Uint8Array } {
  const { state, header } = sodium().crypto_secretstream_xchacha20poly1305_init_push(key);
  return { state, streamHeader: header };
}

/** Encrypts the manifest and the entries' files, appending to `out` at `position`. Returns the bytes written. */
export async function writePayload(
  out: FileHandle,
  position: number,
  state: unknown,
  digest: Uint8Array,
  entries: readonly PayloadEntry[],
): Promise<number> {
  const s = sodium();
  const sizes = await Promise.all(
    entries.map(
      async (entry) =>
        await open(entry.path, 'r').then(async (handle) => (await handle.stat().finally(() => handle.close())).size),
    ),
  );
  const manifest = Buffer.from(
    JSON.stringify({ entries: entries.map((entry, index) => ({ name: entry.name, bytes: sizes[index] })) }),
    'utf8',
  );
  const lengthPrefix = Buffer.alloc(4);
  lengthPrefix.writeUInt32BE(manifest.length);
  const total = 4 + manifest.length + sizes.reduce((sum, size) => sum + size, 0);
  const chunks = Math.max(1, Math.ceil(total / CHUNK_BYTES));
  let written = 0;
  let sent = 0;
  let pending = Buffer.concat([lengthPrefix, manifest]);
  const push = async (plain: Uint8Array) => {
    sent++;
    const tag =
      sent === chunks
        ? s.crypto_secretstream_xchacha20poly1305_TAG_FINAL
        : s.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE;
    const cipher = s.crypto_secretstream_xchacha20poly1305_push(state as never, plain, digest, tag);
    await out.write(cipher, 0, cipher.length, position + written);
    written += cipher.length;
  };
  for (const [index, entry] of entries.entries()) {
    const input = await open(entry.path, 'r');
    try {
      let read = 0;
      while (read < sizes[index]!) {
        const room = CHUNK_BYTES - pending.length;
        const buffer = Buffer.alloc(Math.min(room, sizes[index]! - read));
        const { bytesRead } = await input.read(buffer, 0, buffer.length, read);
        if (bytesRead === 0) throw new BackupUnreadable('a file changed while it was being backed up');
        read += bytesRead;
        pending = Buffer.concat([pending, buffer.subarray(0, bytesRead)]);
        if (pending.length === CHUNK_BYTES) {
          await push(pending);
          pending = Buffer.alloc(0);
        }
      }
    } finally {
      await input.close();
    }
  }
  if (pending.length > 0 || sent < chunks) await push(pending);
  return written;
}

/**
 * Decrypts the payload that starts at `position` of `input` and writes each entry to
 * `pathFor(name)` (new files). Returns the entries found. BackupUnreadable on any damage.
 */
export async function readPayload(
  input: FileHandle,
  position: number,
  stream: { key: Uint8Array; header: Uint8Array; chunkBytes: number; digest: Uint8Array },
  pathFor: (name: BackupEntryName) => string,
): Promise<BackupEntryName[]> {
  const s = sodium();
  let state: unknown;
  try {
    state = s.crypto_secretstream_xchacha20poly1305_init_pull(stream.header, stream.key);
  } catch {
    throw new BackupUnreadable('its encryption header is damaged');
  }
  const size = (await input.stat()).size;
  const cipherChunk = stream.chunkBytes + s.crypto_secretstream_xchacha20poly1305_ABYTES;
  let offset = position;
  let plain = Buffer.alloc(0);
  let manifest: z.output<typeof ManifestSchema> | undefined;
  let entryIndex = 0;
  let entryLeft = 0;
  let output: FileHandle | undefined;
  const found: BackupEntryName[] = [];
  try {
    for (let final = false; !final;) {
      if (offset >= size) throw new BackupUnreadable('it is cut short');
      const length = Math.min(cipherChunk, size - offset);
      // Shorter than a tag: libsodium.js would throw for it (a tag that does not verify gives false).
      if (length < s.crypto_secretstream_xchacha20poly1305_ABYTES) throw new BackupUnreadable('it is cut short');
      const cipher = Buffer.alloc(length);
      await input.read(cipher, 0, length, offset);
      offset += length;
      const pulled: { message: Uint8Array; tag: number } | false = s.crypto_secretstream_xchacha20poly1305_pull(
        state as never,
        cipher,
        stream.digest,
      );
      if (!pulled) throw new BackupUnreadable('it was changed or damaged after it was made');
      final = pulled.tag === s.crypto_secretstream_xchacha20poly1305_TAG_FINAL;
      if (final && offset !== size) throw new BackupUnreadable('something was added after its end');
      plain = Buffer.concat([plain, pulled.message]);
      if (!manifest) {
        if (plain.length < 4 || plain.length < 4 + plain.readUInt32BE(0)) continue;
        const manifestLength = plain.readUInt32BE(0);
        const parsed = parseStrictJson(plain.subarray(4, 4 + manifestLength), ManifestSchema);
        if (!parsed.ok) throw new BackupUnreadable(`its contents list is damaged (${parsed.problem})`);
        manifest = parsed.value;
        plain = plain.subarray(4 + manifestLength);
      }
      while (manifest && (plain.length > 0 || (entryLeft === 0 && entryIndex < manifest.entries.length))) {
        if (!output) {
          const entry = manifest.entries[entryIndex];
          if (!entry) throw new BackupUnreadable('it holds more than its contents list says');
          output = await open(pathFor(entry.name), 'wx', 0o600);
          entryLeft = entry.bytes;
          found.push(entry.name);
        }
        const piece = plain.subarray(0, entryLeft);
        await output.write(piece);
        entryLeft -= piece.length;
        plain = plain.subarray(piece.length);
        if (entryLeft === 0) {
          await output.sync();
          await output.close();
          output = undefined;
          entryIndex++;
        }
      }
    }
    if (!manifest || entryIndex !== manifest.entries.length || plain.length > 0)
      throw new BackupUnreadable('it ends before its contents do');
    return found;
  } finally {
    await output?.close();
  }
}
