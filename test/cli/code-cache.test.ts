/**
 * The Node CLI starts from a V8 code cache the build wrote beside its bundle
 * (main/cli/code-cache.ts): V8 must take it (a cache it rejects costs every
 * command the compile it was made to save, silently), and a cache that does
 * not fit the bundle (made for another bundle, damaged) must only make the
 * start slower, never break the command.
 */
import { spawnSync } from 'node:child_process';
import { copyFile, mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CODE_CACHE_SUFFIX, compileBundle } from '../../main/cli/code-cache.js';
import { assertCliBuilt, BUILT_CLI } from '../helpers/built-cli.js';
import { tempFolder } from '../helpers/temp-folder.js';

const BUILT = join(process.cwd(), 'dist', 'cli');
const BUNDLE = 'medseal-main.cjs';
const version = (JSON.parse(await readFile(join(process.cwd(), 'package.json'), 'utf8')) as { version: string })
  .version;

/** A copy of the built CLI in a folder of its own (node_modules linked), to spoil its cache. */
async function copyOfCli(): Promise<string> {
  const folder = await tempFolder('medseal-code-cache-');
  for (const file of ['medseal.cjs', BUNDLE, `${BUNDLE}${CODE_CACHE_SUFFIX}`])
    await copyFile(join(BUILT, file), join(folder, file));
  await symlink(join(process.cwd(), 'node_modules'), join(folder, 'node_modules'));
  return folder;
}

const runVersion = (cli: string) =>
  spawnSync(process.execPath, [cli, '--version'], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });

beforeAll(() => assertCliBuilt());

describe("the Node CLI's code cache", () => {
  it('is there beside the built bundle, and V8 takes it', () => {
    expect(compileBundle(join(BUILT, BUNDLE)).cache).toBe('used');
    const result = runVersion(BUILT_CLI);
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toBe(version);
  });

  it('a cache of another bundle is rejected, and the command still runs', async () => {
    const folder = await copyOfCli();
    // The same length with one statement changed: V8's own check must still notice.
    const bundle = join(folder, BUNDLE);
    const source = await readFile(bundle, 'utf8');
    await writeFile(bundle, source.replace('"use strict";', '"use struct";'));
    expect(compileBundle(bundle).cache).toBe('rejected');
    const result = runVersion(join(folder, 'medseal.cjs'));
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toBe(version);
  });

  it('a damaged or missing cache only means compiling, never a failure', async () => {
    const folder = await copyOfCli();
    const cache = join(folder, `${BUNDLE}${CODE_CACHE_SUFFIX}`);
    const bytes = await readFile(cache);
    bytes.fill(0x5a, 64, 4096);
    await writeFile(cache, bytes);
    expect(compileBundle(join(folder, BUNDLE)).cache).toBe('rejected');
    expect(runVersion(join(folder, 'medseal.cjs')).stdout.trim()).toBe(version);
    await writeFile(cache, Buffer.alloc(0));
    expect(runVersion(join(folder, 'medseal.cjs')).stdout.trim()).toBe(version);
  });

  it('a cache that cannot be read (a folder in its place) is not used, and the command runs', async () => {
    const folder = await copyOfCli();
    const cache = join(folder, `${BUNDLE}${CODE_CACHE_SUFFIX}`);
    await rm(cache);
    await mkdir(cache);
    expect(compileBundle(join(folder, BUNDLE)).cache).toBe('rejected');
    expect(runVersion(join(folder, 'medseal.cjs')).stdout.trim()).toBe(version);
  });

  it('a bundle that is missing is one plain line and exit code 1, not a stack trace', async () => {
    const folder = await copyOfCli();
    await rm(join(folder, BUNDLE));
    const result = runVersion(join(folder, 'medseal.cjs'));
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(
      "medseal: The command-line tool's files are incomplete (its bundle cannot be read: ENOENT). Build it again (npm run build) or reinstall.\n",
    );
  });
});
