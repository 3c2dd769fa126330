/**
 * What each chunk worker thread runs: the chunk crypto core (hash + GCM)
 * behind a message protocol. Signing and signature checks stay on the
 * calling thread with the identity, so the only secret a worker ever holds
 * is the payload key, which it wipes when told to close.
 *
 * Shipped to the worker as source text (`toString()`): it uses nothing from
 * outside its own body; the core and the port come in as arguments.
 */
import type { MessagePort } from 'node:worker_threads';
import type { ChunkCryptoCore, SealingChunk } from './chunk-crypto-core.js';

/** Messages to a worker. Buffers are transferred, never copied. */
export type ChunkWorkerRequest =
  | { readonly type: 'key'; readonly key: ArrayBuffer }
  /** Phase 1 of sealing: hash and encrypt the data; the cipher then waits for the signature. */
  | { readonly type: 'seal-data'; readonly id: number; readonly input: ArrayBuffer; readonly length: number; readonly nonce: Uint8Array }
  /** Phase 2 of sealing: encrypt the signature, finish, return the sealed chunk. */
  | { readonly type: 'seal-signature'; readonly id: number; readonly signature: Uint8Array }
  | { readonly type: 'open'; readonly id: number; readonly input: ArrayBuffer; readonly length: number; readonly nonce: Uint8Array }
  | { readonly type: 'close' };

export type ChunkWorkerReply =
  | { readonly type: 'data-hashed'; readonly id: number; readonly input: ArrayBuffer; readonly dataHash: Uint8Array }
  | { readonly type: 'sealed'; readonly id: number; readonly parts: readonly ArrayBuffer[] }
  | { readonly type: 'opened'; readonly id: number; readonly input: ArrayBuffer; readonly parts: readonly ArrayBuffer[]; readonly signature: Uint8Array; readonly dataHash: Uint8Array }
  /** The GCM tag did not verify (or the chunk is too short): the chunk was altered. */
  | { readonly type: 'not-authentic'; readonly id: number; readonly input: ArrayBuffer };

export function chunkWorkerBody(core: ChunkCryptoCore, port: MessagePort): void {
  let key = Buffer.alloc(0);
  const sealing = new Map<number, SealingChunk>();
  const reply = (message: ChunkWorkerReply, transfer: ArrayBuffer[]) => port.postMessage(message, transfer);
  const buffersOf = (parts: Buffer[]) => parts.map((part) => part.buffer as ArrayBuffer);

  port.on('message', (message: ChunkWorkerRequest) => {
    if (message.type === 'key') {
      key = Buffer.from(message.key);
    } else if (message.type === 'seal-data') {
      const chunk = core.seal(key, message.nonce, new Uint8Array(message.input, 0, message.length));
      sealing.set(message.id, chunk);
      reply({ type: 'data-hashed', id: message.id, input: message.input, dataHash: chunk.dataHash }, [message.input]);
    } else if (message.type === 'seal-signature') {
      const chunk = sealing.get(message.id)!;
      sealing.delete(message.id);
      const parts = buffersOf(chunk.finish(message.signature));
      reply({ type: 'sealed', id: message.id, parts }, parts);
    } else if (message.type === 'open') {
      const opened = core.open(key, message.nonce, new Uint8Array(message.input, 0, message.length));
      if (!opened) {
        reply({ type: 'not-authentic', id: message.id, input: message.input }, [message.input]);
        return;
      }
      const parts = buffersOf(opened.parts);
      reply({ type: 'opened', id: message.id, input: message.input, parts, signature: opened.signature, dataHash: opened.dataHash }, [message.input, ...parts]);
    } else {
      key.fill(0);
      port.close();
    }
  });
}
