/**
 * `npm start` on a machine without the Electron binary (installed with
 * ELECTRON_SKIP_BINARY_DOWNLOAD=1, or where GitHub cannot be reached): it says
 * why the app cannot start and what works instead, with exit code 1 and no
 * stack trace, also when the download it tries fails on an unreachable
 * network (as root: in a network namespace with no network at all; otherwise
 * a mirror on a closed local port). It looks at an electron package of its
 * own (MEDSEAL_ELECTRON_PACKAGE), never at this machine's.
 */
import { spawnSync } from 'node:child_process';
import { mkdir, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempFolder } from '../helpers/temp-folder.js';

const START = join(process.cwd(), 'build', 'scripts', 'start.mjs');
const ELECTRON = join(process.cwd(), 'node_modules', 'electron');
const canUnshareNet = process.getuid?.() === 0 && spawnSync('unshare', ['--net', 'true']).status === 0;

/** An electron package folder without a downloaded binary: the real package's files, no path.txt. */
async function electronWithoutBinary(): Promise<{ work: string; electron: string }> {
  const work = await tempFolder();
  const electron = join(work, 'electron');
  await mkdir(electron);
  for (const file of ['package.json', 'install.js', 'checksums.json', 'index.js'])
    await symlink(join(ELECTRON, file), join(electron, file));
  return { work, electron };
}

function start(work: string, electron: string, env: Record<string, string>, offline = false) {
  const command = offline ? 'unshare' : process.execPath;
  const args = offline ? ['--net', process.execPath, START] : [START];
  return spawnSync(command, args, {
    cwd: process.cwd(),
    env: { PATH: process.env.PATH ?? '', HOME: work, MEDSEAL_ELECTRON_PACKAGE: electron, ...env },
    encoding: 'utf8',
    timeout: 120_000,
  });
}

function expectPlainMessage(result: ReturnType<typeof start>, why: RegExp) {
  expect(result.status).toBe(1);
  expect(result.stderr).not.toMatch(/^\s+at /m); // no stack trace
  expect(result.stderr).not.toMatch(/TypeError[^;]*\n/);
  const lines = result.stderr.trim().split('\n');
  expect(lines).toHaveLength(3);
  expect(lines[0]).toMatch(why);
  expect(lines[1]).toBe(
    'Get Electron (needs access to github.com): node node_modules/electron/install.js, then npm start again.',
  );
  expect(lines[2]).toBe('Without it, the command-line tool works: node dist/cli/medseal.cjs --help');
}

describe('npm start without the Electron binary', () => {
  it('installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1: says so, tries no download', async () => {
    const { work, electron } = await electronWithoutBinary();
    const result = start(work, electron, { ELECTRON_SKIP_BINARY_DOWNLOAD: '1' });
    expect(result.stdout).toBe('');
    expectPlainMessage(result, /^medseal: cannot start the desktop app: the Electron binary was never downloaded/);
  });

  it('with the network unreachable, the download fails without a stack trace', async () => {
    const { work, electron } = await electronWithoutBinary();
    const result = canUnshareNet
      ? start(work, electron, {}, true)
      : start(work, electron, { ELECTRON_MIRROR: 'http://127.0.0.1:1/' });
    expect(result.stdout).toBe('medseal: downloading Electron (first start only)…\n');
    expectPlainMessage(
      result,
      /^medseal: cannot start the desktop app: the Electron binary could not be downloaded \(.*fetch failed.*; is github\.com reachable\?\)\.$/,
    );
  });
});
