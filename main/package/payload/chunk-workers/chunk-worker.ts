/**
 * Entry file of a chunk worker thread, bundled to its own file
 * (chunk-worker.cjs beside each bundle, like package-worker.cjs): the chunk
 * crypto core behind the worker's message protocol. A failure the worker
 * cannot answer a request with is reported to the pool by its kind only
 * (the error's name and system code: messages can hold paths) before the
 * thread ends, so the pool can say why instead of "stopped unexpectedly".
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { partsRange } from '../payload-ranges.js';
import { chunkCryptoCore } from '../../../crypto/chunk-cipher.js';
import { chunkWorkerBody, describeFailure, type ChunkWorkerReply } from './worker-body.js';

const port = parentPort;
if (!port) throw new Error('chunk-worker must run in a worker thread');

process.on('uncaughtException', (error) => {
  port.postMessage({ type: 'crashed', reason: describeFailure(error) } satisfies ChunkWorkerReply);
  process.exit(1);
});

chunkWorkerBody(chunkCryptoCore(crypto), fs, partsRange, port);
