#!/usr/bin/env node
/**
 * `medseal` on Node (dist/cli/medseal.cjs): runs the CLI's bundle
 * (medseal-main.cjs, built from medseal.ts) with the code cache the build
 * wrote for it (code-cache.ts). Loaded with require() instead (the build),
 * it runs nothing and only hands out writeCodeCache.
 */
import { join } from 'node:path';
import { runBundle, writeCodeCache as writeCacheOf } from './code-cache.js';

const BUNDLE = join(__dirname, 'medseal-main.cjs');

/** For the build: writes the bundle's code cache (with MEDSEAL_CLI_NO_AUTORUN=1 set). */
export const writeCodeCache = (): void => writeCacheOf(BUNDLE);

if (require.main === module) runBundle(BUNDLE);
