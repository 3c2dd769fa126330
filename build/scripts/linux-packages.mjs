// Builds MedSeal's .deb (dpkg-deb) and .rpm (rpmbuild) from the unpacked app that electron-builder made
// (`--linux dir`), with Debian's own tools: electron-builder's deb and rpm targets download fpm, which
// build and CI machines cannot. Both packages have the same layout:
//   /opt/MedSeal/                                  the app (binary `medseal`, resources/, chrome-sandbox 4755)
//   /usr/bin/medseal                               the CLI wrapper (build/linux/medseal): MedSeal --cli
//   /usr/share/applications/medseal.desktop        the desktop entry, with the two MIME types
//   /usr/share/mime/packages/medseal.xml           .medseal and .medseal-contact for shared-mime-info
//   /usr/share/icons/hicolor/<N>x<N>/apps/medseal.png, …/scalable/apps/medseal.svg
//   /usr/share/medseal/policy/                     ADMX/ADML, mobileconfig, policy.sample.json
// The MIME, desktop and icon caches are updated by the distributions' own file triggers (shared-mime-info,
// desktop-file-utils, hicolor-icon-theme), so the packages have no maintainer scripts.
// Usage: node build/scripts/linux-packages.mjs --unpacked DIR --output DIR [--arch x64|arm64] [--formats deb,rpm]
//        node build/scripts/linux-packages.mjs --print-depends   (the .deb's Depends, for apt-get satisfy)
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, cp, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const INSTALL_DIR = '/opt/MedSeal';
/** Sizes installed into the hicolor theme (1024 is not one of its folders). */
const ICON_SIZES = [16, 24, 32, 48, 64, 128, 256, 512];
/** What Electron needs on Debian/Ubuntu (the t64 names are Debian 13 and Ubuntu 24.04's). */
export const DEB_DEPENDS = [
  'libgtk-3-0t64 | libgtk-3-0',
  'libnss3',
  'libxss1',
  'libxtst6',
  'xdg-utils',
  'libatspi2.0-0t64 | libatspi2.0-0',
  'libuuid1',
  'libsecret-1-0',
  'libgbm1',
  'libasound2t64 | libasound2',
  'libnotify4',
];
const RPM_REQUIRES = [
  'gtk3',
  'nss',
  'libXScrnSaver',
  'libXtst',
  'xdg-utils',
  'at-spi2-core',
  'libuuid',
  'libsecret',
  'mesa-libgbm',
  'alsa-lib',
  'libnotify',
];
const DEB_ARCH = { x64: 'amd64', arm64: 'arm64' };
const RPM_ARCH = { x64: 'x86_64', arm64: 'aarch64' };

export class LinuxPackageError extends Error {
  name = 'LinuxPackageError';
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', ...options });
  if (result.error) throw new LinuxPackageError(`${command} could not be run: ${result.error.message}`);
  if (result.status !== 0)
    throw new LinuxPackageError(`${command} ${args.join(' ')} failed (${result.status}):\n${result.stderr}`);
  return result.stdout;
}

/** Every path below `folder`, relative, folders first. */
async function walk(folder) {
  const entries = await readdir(folder, { withFileTypes: true, recursive: true });
  return entries.map((entry) => ({ entry, path: relative(folder, join(entry.parentPath, entry.name)) }));
}

/** Modes as a package wants them whatever the umask was: folders 755, files 644 or 755, chrome-sandbox 4755. */
async function normaliseModes(tree) {
  for (const { entry, path } of await walk(tree)) {
    const full = join(tree, path);
    if (entry.isSymbolicLink()) continue;
    if (entry.isDirectory()) await chmod(full, 0o755);
    else if (path === join('opt', 'MedSeal', 'chrome-sandbox')) await chmod(full, 0o4755);
    else await chmod(full, (await stat(full)).mode & 0o111 ? 0o755 : 0o644);
  }
  await chmod(tree, 0o755);
}

/** The installed file tree, in `tree`, from the unpacked app. */
export async function stageTree(unpacked, tree) {
  if (!existsSync(join(unpacked, 'medseal')))
    throw new LinuxPackageError(`${unpacked} holds no medseal binary: is it electron-builder's linux-unpacked?`);
  const put = async (from, to) => {
    await mkdir(dirname(join(tree, to)), { recursive: true });
    await cp(from, join(tree, to), { recursive: true, verbatimSymlinks: true });
  };
  await put(unpacked, INSTALL_DIR);
  await put(join(root, 'build', 'linux', 'medseal'), 'usr/bin/medseal');
  await chmod(join(tree, 'usr/bin/medseal'), 0o755);
  await put(join(root, 'build', 'linux', 'medseal.desktop'), 'usr/share/applications/medseal.desktop');
  await put(join(root, 'build', 'linux', 'medseal-mime.xml'), 'usr/share/mime/packages/medseal.xml');
  for (const size of ICON_SIZES)
    await put(
      join(root, 'build', 'icons', `${size}x${size}.png`),
      `usr/share/icons/hicolor/${size}x${size}/apps/medseal.png`,
    );
  await put(join(root, 'build', 'icon.svg'), 'usr/share/icons/hicolor/scalable/apps/medseal.svg');
  await put(join(root, 'build', 'policy'), 'usr/share/medseal/policy');
  await normaliseModes(tree);
}

async function appVersion() {
  return JSON.parse(await readFile(join(root, 'app', 'package.json'), 'utf8'));
}

async function installedKiB(tree) {
  let bytes = 0;
  for (const { entry, path } of await walk(tree)) if (entry.isFile()) bytes += (await stat(join(tree, path))).size;
  return Math.ceil(bytes / 1024);
}

export async function buildDeb({ unpacked, output, arch = 'x64' }) {
  const app = await appVersion();
  const work = await mkdtemp(join(tmpdir(), 'medseal-deb-'));
  try {
    const tree = join(work, 'tree');
    await stageTree(unpacked, tree);
    const md5sums = [];
    for (const { entry, path } of await walk(tree))
      if (entry.isFile())
        md5sums.push(
          `${createHash('md5')
            .update(await readFile(join(tree, path)))
            .digest('hex')}  ${path}`,
        );
    await mkdir(join(tree, 'DEBIAN'), { mode: 0o755 });
    const control = [
      'Package: medseal',
      `Version: ${app.version}`,
      `Architecture: ${DEB_ARCH[arch]}`,
      `Maintainer: ${app.author.name} <${app.author.email}>`,
      `Installed-Size: ${await installedKiB(tree)}`,
      `Depends: ${DEB_DEPENDS.join(', ')}`,
      'Section: misc',
      'Priority: optional',
      `Homepage: ${app.homepage}`,
      `Description: ${app.description}`,
      ' MedSeal seals patient records for named, verified partners, and opens',
      ' what partners sealed. The medseal command is the same program without a',
      ' window, for IT scripting (hot folder, batch sealing, doctor).',
      '',
    ].join('\n');
    await writeFile(join(tree, 'DEBIAN', 'control'), control, { mode: 0o644 });
    await writeFile(join(tree, 'DEBIAN', 'md5sums'), `${md5sums.sort().join('\n')}\n`, { mode: 0o644 });
    await mkdir(output, { recursive: true });
    const file = join(output, `MedSeal-${app.version}-linux-${DEB_ARCH[arch]}.deb`);
    run('dpkg-deb', ['--root-owner-group', '-Zxz', '--build', tree, file]);
    return file;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

export async function buildRpm({ unpacked, output, arch = 'x64' }) {
  const app = await appVersion();
  const work = await mkdtemp(join(tmpdir(), 'medseal-rpm-'));
  try {
    const tree = join(work, 'tree');
    await stageTree(unpacked, tree);
    const spec = [
      'Name: medseal',
      `Version: ${app.version}`,
      'Release: 1',
      `Summary: ${app.description}`,
      'License: Proprietary',
      `URL: ${app.homepage}`,
      `Packager: ${app.author.name} <${app.author.email}>`,
      `Requires: ${RPM_REQUIRES.join(', ')}`,
      'AutoReqProv: no',
      '%global debug_package %{nil}',
      '%global __os_install_post %{nil}',
      '%global _build_id_links none',
      '%description',
      'MedSeal seals patient records for named, verified partners. The medseal command is the same program',
      'without a window, for IT scripting.',
      '%install',
      `cp -a ${tree}/. %{buildroot}/`,
      '%files',
      '%defattr(-,root,root,-)',
      INSTALL_DIR,
      '/usr/bin/medseal',
      '/usr/share/applications/medseal.desktop',
      '/usr/share/mime/packages/medseal.xml',
      '/usr/share/icons/hicolor/*/apps/medseal.*',
      '/usr/share/medseal',
      '',
    ].join('\n');
    await writeFile(join(work, 'medseal.spec'), spec);
    run('rpmbuild', [
      '-bb',
      '--target',
      RPM_ARCH[arch],
      '--define',
      `_topdir ${join(work, 'rpmbuild')}`,
      '--define',
      `_rpmdir ${join(work, 'rpms')}`,
      '--define',
      '_rpmfilename %%{NAME}.rpm',
      join(work, 'medseal.spec'),
    ]);
    await mkdir(output, { recursive: true });
    const file = join(output, `MedSeal-${app.version}-linux-${RPM_ARCH[arch]}.rpm`);
    await cp(join(work, 'rpms', 'medseal.rpm'), file);
    return file;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      unpacked: { type: 'string' },
      output: { type: 'string', default: join(root, 'release') },
      arch: { type: 'string', default: 'x64' },
      formats: { type: 'string', default: 'deb,rpm' },
      'print-depends': { type: 'boolean', default: false },
    },
  });
  if (values['print-depends']) {
    console.log(DEB_DEPENDS.join(', '));
  } else {
    if (!values.unpacked) throw new LinuxPackageError('--unpacked DIR is required (electron-builder --linux dir)');
    if (!DEB_ARCH[values.arch]) throw new LinuxPackageError(`--arch must be x64 or arm64, not ${values.arch}`);
    const formats = values.formats.split(',');
    for (const format of formats) {
      const build = { deb: buildDeb, rpm: buildRpm }[format];
      if (!build) throw new LinuxPackageError(`unknown format ${format}: deb or rpm`);
      const file = await build({ unpacked: values.unpacked, output: values.output, arch: values.arch });
      console.log(`medseal: wrote ${relative(process.cwd(), file)}`);
    }
  }
}
