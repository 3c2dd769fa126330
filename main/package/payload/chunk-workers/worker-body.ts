/**
 * What each chunk worker thread runs: the chunk crypto core (hash + GCM)
 * behind a message protocol. Signing and signature checks stay on the
 * calling thread with the identity, so the only secret a worker ever holds
 * is the payload key, which it wipes when told to close.
 *
 * The worker also writes its chunks (a sealed chunk, or an opened one once
 * the calling thread has checked its signature) at their fixed positions in
 * the output files: the memory a chunk needs is allocated and freed on the
 * same thread, which the allocator keeps far less of than memory handed
 * from one thread to another (docs/PERFORMANCE.md).
 *
 * The worker's entry file (chunk-worker.ts) passes in the core, node:fs,
 * partsRange and the port, so this body can also be driven by a test.
 */
import type * as NodeFs from 'node:fs';
import type { MessagePort } from 'node:worker_threads';
import type { ChunkCryptoCore, SealingChunk } from '../../../crypto/chunk-cipher.js';
import type { partsRange as PartsRange } from '../payload-ranges.js';
import { writeAllSync } from '../write-steps.js';
import { whileHoldingWriteLock } from './write-lock.js';

/** Messages to a worker. Buffers are transferred, never copied. */
export type ChunkWorkerRequest =
  /** The payload key, and the pool's write lock (write-lock.ts) shared by its workers. */
  | { readonly type: 'key'; readonly key: ArrayBuffer; readonly writeLock: SharedArrayBuffer }
  /** Phase 1 of sealing: hash and encrypt the data; the cipher then waits for the signature. */
  | {
      readonly type: 'seal-data';
      readonly id: number;
      readonly input: ArrayBuffer;
      readonly length: number;
      readonly nonce: Uint8Array;
    }
  /** Phase 2 of sealing: encrypt the signature, finish, write the sealed chunk at `position` of file `fd`. */
  | {
      readonly type: 'seal-signature';
      readonly id: number;
      readonly signature: Uint8Array;
      readonly fd: number;
      readonly position: number;
    }
  /** Phase 1 of opening: decrypt and hash; the data waits here for the signature check. */
  | {
      readonly type: 'open';
      readonly id: number;
      readonly input: ArrayBuffer;
      readonly length: number;
      readonly nonce: Uint8Array;
    }
  /** Phase 2 of opening, once the signature verified: write these ranges of the data. */
  | { readonly type: 'open-write'; readonly id: number; readonly ranges: readonly WriteRange[] }
  /** Phase 2 of opening when the signature did not verify: wipe the data. */
  | { readonly type: 'open-discard'; readonly id: number }
  /** The package is done and the worker is kept for the next one: wipe the key and any data. */
  | { readonly type: 'forget' }
  | { readonly type: 'close' };

/** `length` bytes of a chunk's data from `offset`, written at `position` of file `fd`. */
export interface WriteRange {
  readonly fd: number;
  readonly position: number;
  readonly offset: number;
  readonly length: number;
}

export type ChunkWorkerReply =
  | { readonly type: 'data-hashed'; readonly id: number; readonly input: ArrayBuffer; readonly dataHash: Uint8Array }
  | { readonly type: 'written'; readonly id: number }
  /** A write failed; `code` is the system error code (ENOSPC, EIO…), for a plain message on the calling thread. */
  | { readonly type: 'write-failed'; readonly id: number; readonly code: string }
  | {
      readonly type: 'opened';
      readonly id: number;
      readonly input: ArrayBuffer;
      readonly length: number;
      readonly signature: Uint8Array;
      readonly dataHash: Uint8Array;
    }
  /** The GCM tag did not verify (or the chunk is too short): the chunk was altered. */
  | { readonly type: 'not-authentic'; readonly id: number; readonly input: ArrayBuffer }
  /** The worker failed outside any request and is ending; `reason` names the kind of failure only. */
  | { readonly type: 'crashed'; readonly reason: string };

/** An error's kind, never its message (messages can hold paths): "RangeError", "Error EIO". */
export function describeFailure(error: unknown): string {
  const name = error instanceof Error ? error.name : typeof error;
  const code =
    typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string'
      ? ` ${error.code}`
      : '';
  return `${name}${code}`.replace(/[^A-Za-z0-9 _.-]/g, '').slice(0, 64);
}

export function chunkWorkerBody(
  core: ChunkCryptoCore,
  fs: typeof NodeFs,
  partsRange: typeof PartsRange,
  port: MessagePort,
): void {
  let key = Buffer.alloc(0);
  let writeLock: SharedArrayBuffer | undefined;
  const sealing = new Map<number, SealingChunk>();
  const opened = new Map<number, Buffer[]>();
  const reply = (message: ChunkWorkerReply, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

  /** Writes `length` bytes of `parts` from `offset` at `position` of `fd`. */
  const writeRange = (parts: readonly Buffer[], range: WriteRange) =>
    writeAllSync(
      partsRange(parts, range.offset, range.length),
      range.position,
      ({ buffer, offset, length, position }) => fs.writeSync(range.fd, buffer, offset, length, position),
    );
  /** Writes the parts; `plaintext` ones (an opened chunk) are wiped after, a sealed chunk's need not be. */
  const writeAndReply = (id: number, parts: Buffer[], ranges: readonly WriteRange[], plaintext: boolean) => {
    try {
      whileHoldingWriteLock(writeLock, () => {
        for (const range of ranges) writeRange(parts, range);
      });
      reply({ type: 'written', id });
    } catch (error) {
      reply({ type: 'write-failed', id, code: String((error as { code?: unknown }).code ?? 'EIO') });
    } finally {
      if (plaintext) for (const part of parts) part.fill(0);
    }
  };

  const forget = () => {
    key.fill(0);
    key = Buffer.alloc(0);
    for (const parts of opened.values()) for (const part of parts) part.fill(0);
    opened.clear();
    sealing.clear();
    writeLock = undefined;
  };

  port.on('message', (message: ChunkWorkerRequest) => {
    if (message.type === 'key') {
      forget();
      key = Buffer.from(message.key);
      writeLock = message.writeLock;
    } else if (message.type === 'seal-data') {
      const chunk = core.seal(key, message.nonce, new Uint8Array(message.input, 0, message.length));
      sealing.set(message.id, chunk);
      reply({ type: 'data-hashed', id: message.id, input: message.input, dataHash: chunk.dataHash }, [message.input]);
    } else if (message.type === 'seal-signature') {
      const chunk = sealing.get(message.id)!;
      sealing.delete(message.id);
      const parts = chunk.finish(message.signature);
      const length = parts.reduce((sum, part) => sum + part.length, 0);
      writeAndReply(message.id, parts, [{ fd: message.fd, position: message.position, offset: 0, length }], false);
    } else if (message.type === 'open') {
      const result = core.open(key, message.nonce, new Uint8Array(message.input, 0, message.length));
      if (!result) {
        reply({ type: 'not-authentic', id: message.id, input: message.input }, [message.input]);
        return;
      }
      opened.set(message.id, result.parts);
      const length = result.parts.reduce((sum, part) => sum + part.length, 0);
      reply(
        {
          type: 'opened',
          id: message.id,
          input: message.input,
          length,
          signature: result.signature,
          dataHash: result.dataHash,
        },
        [message.input],
      );
    } else if (message.type === 'open-write' || message.type === 'open-discard') {
      const parts = opened.get(message.id) ?? [];
      opened.delete(message.id);
      if (message.type === 'open-write') writeAndReply(message.id, parts, message.ranges, true);
      else for (const part of parts) part.fill(0);
    } else if (message.type === 'forget') {
      forget();
    } else {
      forget();
      port.close();
    }
  });
}
