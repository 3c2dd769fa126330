/**
 * `npm run smoke` must never claim a pass it did not earn: no binary means
 * "NOT RUN" (exit 0), a binary that does not start means "FAILED" (exit 1).
 * The Electron binary itself cannot be downloaded here, so the flow that
 * drives a real window runs only where it can (see docs/DEPLOYMENT.md).
 * The install and start scripts around it are tested here too.
 */
import { spawnSync } from 'node:child_process';
import { chmod, mkdir, readdir, writeFile } from 'node:fs/promises';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempFolder } from '../helpers/temp-folder.js';
import { findElectronBinary } from '../../build/scripts/electron-binary.mjs';
import { scaled } from '../helpers/time.js';

const SCRIPT = join(process.cwd(), 'dist', 'smoke', 'electron-smoke.mjs');
const NOBODY = 65534;

// `npm run build` builds the app and the CLI only; the smoke script is bundled as `npm run smoke` does.
beforeAll(() => {
  const built = spawnSync(process.execPath, [join(process.cwd(), 'build', 'scripts', 'build-extras.mjs'), 'smoke'], {
    encoding: 'utf8',
  });
  if (built.status !== 0) throw new Error(`building the smoke script failed: ${built.stderr}`);
}, scaled(60_000));

function smoke(env: NodeJS.ProcessEnv, as?: number) {
  const result = spawnSync(process.execPath, [SCRIPT], {
    env: { PATH: process.env.PATH, HOME: '/tmp', ...env },
    encoding: 'utf8',
    timeout: scaled(120_000),
    ...(as === undefined ? {} : { uid: as, gid: as }),
  });
  return { status: result.status, out: `${result.stdout}${result.stderr}` };
}

describe('finding the Electron binary without downloading it', () => {
  it('names the missing path.txt when the download was skipped', async () => {
    const found = findElectronBinary(await tempFolder(), {});
    expect(found).toEqual({ found: false, reason: expect.stringContaining('path.txt is missing') });
  });

  it('names the missing binary when path.txt points at nothing, and finds it once present', async () => {
    const folder = await tempFolder();
    await writeFile(join(folder, 'path.txt'), 'electron');
    expect(findElectronBinary(folder, {})).toEqual({
      found: false,
      reason: expect.stringContaining(join(folder, 'dist', 'electron')),
    });
    await mkdir(join(folder, 'dist'));
    await writeFile(join(folder, 'dist', 'electron'), '');
    expect(findElectronBinary(folder, {})).toEqual({ found: true, path: join(folder, 'dist', 'electron') });
    expect(findElectronBinary(folder, { ELECTRON_OVERRIDE_DIST_PATH: '/nowhere' })).toMatchObject({ found: false });
  });
});

describe('npm run smoke', () => {
  it('says NOT RUN and why, exits 0, and never says PASSED without a binary', () => {
    const result = smoke({ MEDSEAL_ELECTRON_BINARY: '/nonexistent/electron' });
    expect(result.status).toBe(0);
    expect(result.out).toContain(
      'SMOKE NOT RUN: MEDSEAL_ELECTRON_BINARY names /nonexistent/electron, which does not exist',
    );
    expect(result.out).not.toContain('PASSED');
  });

  it.skipIf(process.getuid?.() !== 0)(
    'says FAILED and exits 1 when the binary does not start, leaving no profile behind',
    async () => {
      const temp = await tempFolder();
      await chmod(temp, 0o777);
      const result = smoke({ MEDSEAL_ELECTRON_BINARY: '/bin/true', DISPLAY: ':99', TMPDIR: temp }, NOBODY);
      expect(result.out).toContain('SMOKE FAILED');
      expect(result.out).not.toContain('PASSED');
      expect(result.status).toBe(1);
      expect((await readdir(temp)).filter((name) => name.startsWith('medseal-smoke-'))).toEqual([]);
    },
  );
});

describe('npm start without the Electron binary', () => {
  it('says what is missing and how to get it, without a stack trace', () => {
    const result = spawnSync(process.execPath, [join(process.cwd(), 'build', 'scripts', 'start.mjs')], {
      env: { PATH: process.env.PATH, MEDSEAL_ELECTRON_BINARY: '/nonexistent/electron' },
      encoding: 'utf8',
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      'medseal: cannot start the desktop app: MEDSEAL_ELECTRON_BINARY names /nonexistent/electron',
    );
    expect(result.stderr).toContain('node node_modules/electron/install.js');
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('prints what the README tells a new developer they will see', async () => {
    const readme = readFileSync(join(process.cwd(), 'README.md'), 'utf8');
    const neverDownloaded = findElectronBinary(await tempFolder(), {});
    if (neverDownloaded.found) throw new Error('an empty folder holds no Electron binary');
    expect(readme).toContain(`medseal: cannot start the desktop app: ${neverDownloaded.reason}.`);
    const start = readFileSync(join(process.cwd(), 'build', 'scripts', 'start.mjs'), 'utf8');
    for (const line of [
      'Get Electron (needs access to github.com): node node_modules/electron/install.js, then npm start again.',
      'Without it, the command-line tool works: node dist/cli/medseal.cjs --help',
    ]) {
      expect(start).toContain(line);
      expect(readme).toContain(line);
    }
  });
});

describe('postinstall: the Electron copy of the native modules', () => {
  // A fake `npx` first on the PATH records whether electron-builder would have been run.
  function postinstall(env: Record<string, string>): { status: number | null; stdout: string; rebuilt: boolean } {
    const bin = mkdtempSync(join(tmpdir(), 'medseal-npx-'));
    const marker = join(bin, 'ran');
    writeFileSync(join(bin, 'npx'), `#!/bin/sh\necho "$@" > '${marker}'\n`, { mode: 0o755 });
    try {
      const result = spawnSync(process.execPath, [join(process.cwd(), 'build', 'scripts', 'install-app-deps.mjs')], {
        env: { PATH: `${bin}:${process.env.PATH ?? ''}`, ...env },
        encoding: 'utf8',
      });
      return {
        status: result.status,
        stdout: result.stdout,
        rebuilt: existsSync(marker) && readFileSync(marker, 'utf8').includes('install-app-deps'),
      };
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  }

  it('is rebuilt by npm install', () => {
    expect(postinstall({ npm_command: 'install' })).toMatchObject({ status: 0, rebuilt: true });
  });

  it('is left alone by npm link, which only puts the medseal command on the PATH', () => {
    const result = postinstall({ npm_command: 'link' });
    expect(result).toMatchObject({ status: 0, rebuilt: false });
    expect(result.stdout).toContain('npm link only links the medseal command');
  });

  it('is skipped where Electron cannot be downloaded', () => {
    expect(postinstall({ npm_command: 'install', ELECTRON_SKIP_BINARY_DOWNLOAD: '1' })).toMatchObject({
      status: 0,
      rebuilt: false,
    });
  });
});
