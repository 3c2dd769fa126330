#!/usr/bin/env node
/**
 * `medseal` on Node (dist/cli/medseal.cjs): readies the Argon2id worker for
 * an unlocking command (early-start.ts) before anything else loads, then
 * runs the CLI's bundle (medseal-main.cjs, built from medseal.ts) with the
 * code cache the build wrote for it (code-cache.ts). Loading the bundle
 * takes about 0.1 s even so, and the worker's readying about 0.25 s: begun
 * here, the readying is all but over (about 0.04 s left) when the bundle
 * asks for the key.
 * Loaded with require() instead (the build), it runs nothing and only hands
 * out writeCodeCache.
 */
import { join } from 'node:path';
import { BundleUnreadable, runBundle, writeCodeCache as writeCacheOf } from './code-cache.js';
import { readyArgon2idFor } from './early-start.js';
import { EXIT } from './exit-codes.js';

const BUNDLE = join(__dirname, 'medseal-main.cjs');

/** For the build: writes the bundle's code cache (with MEDSEAL_CLI_NO_AUTORUN=1 set). */
export const writeCodeCache = (): void => writeCacheOf(BUNDLE);

if (require.main === module) {
  readyArgon2idFor(process.argv.slice(2)); // the bundle's own early start (early-start-node.ts) then finds it begun
  try {
    runBundle(BUNDLE);
  } catch (error) {
    if (!(error instanceof BundleUnreadable)) throw error;
    // Before the CLI (and its catalogue of texts) has loaded: the Node CLI of a source tree only.
    process.stderr.write(`medseal: ${error.message} Build it again (npm run build) or reinstall.\n`);
    process.exitCode = EXIT.internal;
  }
}
