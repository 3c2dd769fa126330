/**
 * Tests run the core from source, where there is no bundle for the chunk
 * worker's entry file to stand beside: they use the one `npm run build`
 * wrote (npm test builds first).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { useChunkWorkerScript } from '../../main/package/payload/chunk-workers/chunk-worker-script.js';

const built = join(process.cwd(), 'dist', 'workers', 'chunk-worker.cjs');
if (!existsSync(built)) throw new Error(`${built} is missing: run "npm run build" before the tests`);
useChunkWorkerScript(built);
