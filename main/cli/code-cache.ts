/**
 * Runs the Node CLI's bundle with a V8 code cache that the build wrote beside
 * it. Compiling the 7.8 MB bundle took about 0.12 s at the start of every
 * command (`--cpu-prof`: wrapSafe), before any of MedSeal could run, the
 * Argon2id worker's early start included; with the cache V8 reads the code
 * compiled at build time instead (docs/PERFORMANCE.md, "Fixed cost").
 *
 * The cache file is a SHA-256 of the bundle's text and the cache data,
 * then the data: V8 checks only the text's length (and its own version and
 * flags), so an edited bundle or damaged data would otherwise run code
 * compiled from something else. The tag guards against accidents, not an
 * attacker: it has no key, and whoever can write the cache can write the
 * bundle beside it. A cache that does not fit (the tag, or V8's
 * own checks: another Node, other flags) is not used and the bundle compiles
 * from source as before; a missing one is the same. Nothing is written at
 * run time: only the build calls writeCodeCache, so the cache has the
 * bundle's own origin and rights.
 * The bundle runs as Node runs a CommonJS file (the same wrapper and
 * arguments, `this` its exports, dynamic import() through Node's loader).
 * A bundle that cannot be read is BundleUnreadable, for one plain line.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { constants, Script } from 'node:vm';
import { isSystemError } from '../errors/node-error.js';

/** The cache's file name beside the bundle's. */
export const CODE_CACHE_SUFFIX = '.v8-cache';

export interface CompiledBundle {
  readonly script: Script;
  /** The bundle's text as read (the cache's tag is made of it). */
  readonly source: Buffer;
  /** Whether a cache was there, and whether V8 took it. */
  readonly cache: 'none' | 'used' | 'rejected';
}

/** The bundle itself cannot be read (an install or build left incomplete): `code` is the system's. */
export class BundleUnreadable extends Error {
  constructor(readonly code: string) {
    super(`The command-line tool's files are incomplete (its bundle cannot be read: ${code}).`);
    this.name = 'BundleUnreadable';
  }
}

const TAG_BYTES = 32;

/** The tag that ties cache data to the bundle's exact text. */
function tagOf(source: Buffer, data: Uint8Array): Buffer {
  return createHash('sha256').update(source).update(data).digest();
}

/** The cache file's data when it is there and tagged for `source`; else why not. */
function readCache(file: string, source: Buffer): Buffer | 'none' | 'rejected' {
  let bytes: Buffer;
  try {
    bytes = readFileSync(`${file}${CODE_CACHE_SUFFIX}`);
  } catch (error) {
    // None there (a build without one), or one that cannot be read: compiled from source, as without.
    if (isSystemError(error)) return error.code === 'ENOENT' ? 'none' : 'rejected';
    throw error;
  }
  const data = bytes.subarray(TAG_BYTES);
  return bytes.length > TAG_BYTES && tagOf(source, data).equals(bytes.subarray(0, TAG_BYTES)) ? data : 'rejected';
}

/** Compiles the bundle `file` as a CommonJS module body, with its code cache when it fits. */
export function compileBundle(file: string): CompiledBundle {
  let source: Buffer;
  try {
    source = readFileSync(file);
  } catch (error) {
    if (isSystemError(error)) throw new BundleUnreadable(error.code);
    throw error;
  }
  const cache = readCache(file, source);
  // One line: the bundle's line numbers (and its source map) stay as they are.
  const wrapped = `(function (exports, require, module, __filename, __dirname) {${source.toString('utf8')}\n})`;
  const options = { filename: file, importModuleDynamically: constants.USE_MAIN_CONTEXT_DEFAULT_LOADER };
  if (typeof cache === 'string') return { script: new Script(wrapped, options), source, cache };
  const script = new Script(wrapped, { ...options, cachedData: cache });
  return { script, source, cache: script.cachedDataRejected === true ? 'rejected' : 'used' };
}

type ModuleBody = (
  this: object,
  exports: object,
  require: NodeJS.Require,
  module: { exports: object },
  filename: string,
  dirname: string,
) => void;

function run({ script }: CompiledBundle, file: string): void {
  const module = { exports: {} };
  const body = script.runInThisContext() as ModuleBody;
  body.call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
}

/** Runs the bundle `file` (its code cache used when V8 takes it). */
export function runBundle(file: string): void {
  run(compileBundle(file), file);
}

/**
 * For the build: loads the bundle `file` (which must not start anything when loaded: the CLI's
 * MEDSEAL_CLI_NO_AUTORUN) and writes the cache of the code compiled by then beside it.
 */
export function writeCodeCache(file: string): void {
  const compiled = compileBundle(file);
  run(compiled, file);
  const data = compiled.script.createCachedData();
  writeFileSync(`${file}${CODE_CACHE_SUFFIX}`, Buffer.concat([tagOf(compiled.source, data), data]));
}
