/**
 * `npm run smoke`: starts the built app on the real Electron binary (under
 * Xvfb where Linux has no display) and runs test/smoke/smoke-flow.ts. Where
 * it cannot run (no binary, no display, running as root) it says why and
 * exits 0 with "NOT RUN", never "PASSED". Exit 1 means the app failed.
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { createRequire as requireFrom } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findElectronBinary } from '../../build/scripts/electron-binary.mjs';
import { runSmoke } from './smoke-flow.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const log = (line: string) => process.stdout.write(`${line}\n`);
let work: string | undefined;

function notRun(reason: string): never {
  log(`SMOKE NOT RUN: ${reason}.`);
  log('Nothing was checked. Run `npm run smoke` on a machine that can download Electron before every release.');
  process.exit(0);
}

function onPath(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

async function main(): Promise<void> {
  const electronPackage = dirname(requireFrom(import.meta.url).resolve('electron/package.json'));
  const binary = findElectronBinary(electronPackage);
  if (!binary.found) notRun(binary.reason);
  if (process.platform === 'linux' && process.getuid?.() === 0) {
    notRun("running as root: Electron's sandbox refuses root, and this check will not turn the sandbox off");
  }
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    if (process.env.MEDSEAL_SMOKE_UNDER_XVFB || !onPath('xvfb-run'))
      notRun('no display, and xvfb-run is not installed (Debian: apt-get install xvfb)');
    const again = spawnSync('xvfb-run', ['-a', process.execPath, ...process.argv.slice(1)], {
      stdio: 'inherit',
      env: { ...process.env, MEDSEAL_SMOKE_UNDER_XVFB: '1' },
    });
    process.exit(again.status ?? 1);
  }
  work = await mkdtemp(join(tmpdir(), 'medseal-smoke-'));
  log(`Electron: ${binary.path}`);
  await runSmoke({ electronBinary: binary.path, appFolder: join(root, 'app'), work, log });
  removeWork();
  log(
    'SMOKE PASSED: identity created, card verified, file sealed and opened in the real app; sandbox, isolation and CSP in force; the CLI ran through the binary (--cli) without a display.',
  );
}

function removeWork(): void {
  if (work) rmSync(work, { recursive: true, force: true });
}

function failed(error: unknown): never {
  removeWork();
  log(`SMOKE FAILED: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}

// Playwright reports a launch failure both as a rejection and as an uncaught error.
process.on('uncaughtException', failed);
main().catch(failed);
