/**
 * The .deb, built here with dpkg-deb from the app packed around a STAND-IN
 * Electron runtime (build/scripts/stand-in-pack.mjs: a script that only prints
 * its arguments, so this package is a test package and is never published),
 * installed into this machine with `dpkg -i`, checked as IT would (files and
 * their permissions, the desktop entry, the MIME types registered, the
 * `medseal` wrapper, the policy templates' place) and removed with `dpkg -r`
 * leaving nothing behind. Root only (it installs a package); skipped, saying
 * why, elsewhere or where a `medseal` package is already installed. The .rpm
 * is built from the same tree and must list the same files.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDeb, buildRpm } from '../../build/scripts/linux-packages.mjs';
import { packWithStandIn, STAND_IN_MARKER } from '../../build/scripts/stand-in-pack.mjs';

const has = (command: string) => spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
const packageState = () =>
  spawnSync('dpkg-query', ['-W', '-f=${db:Status-Status}', 'medseal'], { encoding: 'utf8' }).stdout.trim();

function whyNot(): string | null {
  if (process.platform !== 'linux' || !has('dpkg-deb') || !has('dpkg')) return 'needs Debian dpkg';
  if (process.getuid?.() !== 0) return 'installs a package: root only';
  if (!['', 'not-installed'].includes(packageState())) return 'a medseal package is already installed here';
  return null;
}
const skip = whyNot();
if (skip) console.warn(`medseal tests: the .deb install test is skipped: ${skip}`);

const POLICY = ['MedSeal.admx', 'en-US/MedSeal.adml', 'medseal.mobileconfig', 'policy.sample.json'];
let work: string;
let deb: string;
let rpm: string | null = null;

const mode = (path: string) => statSync(path).mode & 0o7777;
const owner = (path: string) => [statSync(path).uid, statSync(path).gid];
const dpkg = (...args: string[]) => spawnSync('dpkg', args, { encoding: 'utf8' });
const packageFiles = (output: string) =>
  output
    .trim()
    .split('\n')
    .map((line) => line.replace(/^\.(?=\/)/, '').replace(/\/$/, ''))
    .filter((path) => path !== '' && path !== '/' && path !== '/.');

describe.skipIf(skip !== null)('the .deb (stand-in runtime), installed and removed with dpkg', () => {
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'medseal-deb-test-'));
    const { unpacked } = await packWithStandIn({ output: join(work, 'out') });
    deb = await buildDeb({ unpacked, output: join(work, 'release') });
    if (has('rpmbuild')) rpm = await buildRpm({ unpacked, output: join(work, 'release') });
  }, 300_000);

  afterAll(async () => {
    // Whatever failed, the machine is left as it was.
    if (!['', 'not-installed'].includes(packageState())) dpkg('--purge', 'medseal');
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('installs with dpkg -i: the files IT expects, with their permissions', () => {
    const installed = dpkg('-i', deb);
    expect(installed.status, `${installed.stdout}\n${installed.stderr}`).toBe(0);
    expect(packageState()).toBe('installed');
    const files = packageFiles(dpkg('-L', 'medseal').stdout);
    for (const path of [
      '/opt/MedSeal/medseal',
      '/opt/MedSeal/chrome-sandbox',
      '/opt/MedSeal/resources/app.asar',
      '/usr/bin/medseal',
      '/usr/share/applications/medseal.desktop',
      '/usr/share/mime/packages/medseal.xml',
      '/usr/share/icons/hicolor/256x256/apps/medseal.png',
      '/usr/share/icons/hicolor/scalable/apps/medseal.svg',
      ...POLICY.map((file) => `/usr/share/medseal/policy/${file}`),
    ])
      expect(files).toContain(path);
    for (const path of files) expect(existsSync(path), path).toBe(true);
    for (const path of files) expect(owner(path), path).toEqual([0, 0]);
    expect(mode('/usr/bin/medseal')).toBe(0o755);
    expect(mode('/opt/MedSeal/medseal')).toBe(0o755);
    expect(mode('/opt/MedSeal/chrome-sandbox')).toBe(0o4755); // Electron's setuid sandbox helper
    expect(mode('/usr/share/applications/medseal.desktop')).toBe(0o644);
    expect(mode('/opt/MedSeal/resources/app.asar')).toBe(0o644);
    for (const path of files) expect(mode(path) & 0o022, `${path} is writable by others`).toBe(0);
  });

  it('the policy templates are in /usr/share/medseal/policy/, as in the source', async () => {
    for (const file of POLICY)
      expect(await readFile(join('/usr/share/medseal/policy', file), 'utf8')).toBe(
        await readFile(join(process.cwd(), 'build', 'policy', file), 'utf8'),
      );
  });

  it('has a valid desktop entry for both file types, and shared-mime-info knows them', () => {
    const entry = readFileSync('/usr/share/applications/medseal.desktop', 'utf8');
    expect(entry).toMatch(/^Exec=\/opt\/MedSeal\/medseal %F$/m);
    expect(entry).toMatch(/^MimeType=application\/vnd\.medseal\.package;application\/vnd\.medseal\.contact;$/m);
    expect(entry).toMatch(/^Icon=medseal$/m);
    if (has('desktop-file-validate')) {
      const valid = spawnSync('desktop-file-validate', ['/usr/share/applications/medseal.desktop'], {
        encoding: 'utf8',
      });
      expect(valid.status, valid.stdout).toBe(0);
    }
    // dpkg ran shared-mime-info's trigger: the types are in the system's MIME database.
    const globs = readFileSync('/usr/share/mime/globs2', 'utf8');
    expect(globs).toMatch(/:application\/vnd\.medseal\.package:\*\.medseal$/m);
    expect(globs).toMatch(/:application\/vnd\.medseal\.contact:\*\.medseal-contact$/m);
    if (existsSync('/usr/share/applications/mimeinfo.cache'))
      expect(readFileSync('/usr/share/applications/mimeinfo.cache', 'utf8')).toMatch(
        /^application\/vnd\.medseal\.package=.*medseal\.desktop/m,
      );
  });

  it('/usr/bin/medseal runs the app binary as the CLI: headless, no sandbox switch but for root', () => {
    const asRoot = spawnSync('medseal', ['--version'], { encoding: 'utf8' });
    expect(asRoot.stdout.trim()).toBe(
      `${STAND_IN_MARKER}: --ozone-platform=headless --disable-gpu --no-sandbox --cli -- --version`,
    );
    const asUser = spawnSync(
      'setpriv',
      ['--reuid=65534', '--regid=65534', '--clear-groups', 'medseal', 'doctor', '--json'],
      {
        encoding: 'utf8',
      },
    );
    expect(asUser.stdout.trim()).toBe(
      `${STAND_IN_MARKER}: --ozone-platform=headless --disable-gpu --cli -- doctor --json`,
    );
  });

  it('the .rpm holds the same files with the same permissions (where rpmbuild is installed)', () => {
    if (!rpm) return;
    const lines = (text: string) =>
      text
        .trim()
        .split('\n')
        .filter((line) => line.startsWith('-'))
        .sort();
    const inRpm = spawnSync('rpm', ['-qp', '--qf', '[%{FILEMODES:perms} %{FILENAMES}\\n]', rpm], { encoding: 'utf8' });
    const inDeb = spawnSync('sh', ['-c', `dpkg-deb -c "$1" | awk '{ print $1, substr($6, 2) }'`, 'sh', deb], {
      encoding: 'utf8',
    });
    expect(lines(inRpm.stdout).length).toBeGreaterThan(10);
    expect(lines(inRpm.stdout)).toEqual(lines(inDeb.stdout));
  });

  it('dpkg -r removes it with nothing left behind', async () => {
    const files = packageFiles(dpkg('-L', 'medseal').stdout);
    const removed = dpkg('-r', 'medseal');
    expect(removed.status, removed.stderr).toBe(0);
    expect(['', 'not-installed']).toContain(packageState());
    const mine = files.filter((path) => path.startsWith('/opt/MedSeal') || path.includes('medseal'));
    for (const path of mine) expect(existsSync(path), `${path} was left behind`).toBe(false);
    expect(existsSync('/opt/MedSeal')).toBe(false);
    expect(existsSync('/usr/share/medseal')).toBe(false);
    expect(readFileSync('/usr/share/mime/globs2', 'utf8')).not.toContain('medseal');
    expect(await readdir('/usr/share/mime/application')).not.toContain('vnd.medseal.package.xml');
  });
});
