// `npm run dist` (after `npm run build`): the installers into release/, then the SBOM, the policy templates
// and SHA256SUMS (release-manifest.mjs).
//   Windows, macOS: electron-builder makes every installer electron-builder.yml lists.
//   Linux: electron-builder makes the unpacked app (`--linux dir`) and the AppImage; the .deb and .rpm are
//          made from the unpacked app by linux-packages.mjs with dpkg-deb and rpmbuild, because
//          electron-builder's own deb and rpm targets download fpm, which offline build servers cannot.
// Options (Linux):
//   --arch x64,arm64     the architectures (default: this machine's)
//   --electron-dist DIR  an unpacked Electron of the version in package.json, for a server that cannot
//                        download it (docs/DEPLOYMENT.md, "Building on an offline build server")
//   --no-appimage        leave the AppImage out (electron-builder downloads appimagetool to make it)
// Any other argument goes to electron-builder as it is (e.g. -c.win.signtoolOptions.…).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { arch as machineArch } from 'node:os';
import { join } from 'node:path';
import { buildDeb, buildRpm } from './linux-packages.mjs';
import { root } from './stand-in-pack.mjs';

export class DistError extends Error {
  name = 'DistError';
}

/** Our options, and the rest for electron-builder as given. */
function parseOptions(argv) {
  const values = {
    arch: machineArch() === 'arm64' ? 'arm64' : 'x64',
    'electron-dist': undefined,
    'no-appimage': false,
  };
  const rest = [];
  for (let i = 0; i < argv.length; i++) {
    const [name, inline] = argv[i].split(/=(.*)/s);
    if (name === '--no-appimage') values['no-appimage'] = true;
    else if (name === '--arch' || name === '--electron-dist') {
      const value = inline ?? argv[++i];
      if (value === undefined) throw new DistError(`${name} needs a value`);
      values[name.slice(2)] = value;
    } else rest.push(argv[i]);
  }
  return { values, passThrough: rest };
}
const { values, passThrough } = parseOptions(process.argv.slice(2));

function electronBuilder(args, hint = '') {
  const result = spawnSync(
    process.execPath,
    [join(root, 'node_modules', 'electron-builder', 'cli.js'), ...args, ...passThrough],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  if (result.status !== 0)
    throw new DistError(`electron-builder ${args.join(' ')} failed (${result.status ?? result.signal})${hint}`);
}

function releaseManifest() {
  const result = spawnSync(process.execPath, [join(root, 'build', 'scripts', 'release-manifest.mjs')], {
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new DistError('release-manifest.mjs failed');
}

async function linux() {
  const arches = values.arch.split(',');
  for (const arch of arches)
    if (!['x64', 'arm64'].includes(arch)) throw new DistError(`--arch: x64 or arm64, not ${arch}`);
  const nativeModule = join(root, 'app', 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
  if (!existsSync(nativeModule))
    throw new DistError(
      "app/node_modules has no better-sqlite3 built for Electron: run npm install where Electron's headers can be downloaded (or npm_config_disturl names a mirror), see docs/DEPLOYMENT.md",
    );
  if (!spawnSync('sh', ['-c', 'command -v dpkg-deb && command -v rpmbuild']).stdout.includes('rpmbuild'))
    throw new DistError('the .deb and .rpm need dpkg-deb and rpmbuild: apt-get install dpkg rpm');
  const electronDist = values['electron-dist'] ? [`-c.electronDist=${values['electron-dist']}`] : [];
  electronBuilder(['--linux', 'dir', ...arches.map((arch) => `--${arch}`), ...electronDist]);
  const release = join(root, 'release');
  for (const arch of arches) {
    const unpacked = join(release, arch === 'x64' ? 'linux-unpacked' : `linux-${arch}-unpacked`);
    for (const build of [buildDeb, buildRpm])
      console.log(`medseal: wrote ${await build({ unpacked, output: release, arch })}`);
    if (!values['no-appimage'])
      electronBuilder(
        ['--prepackaged', unpacked, '--linux', 'AppImage', `--${arch}`, ...electronDist],
        '. Where electron-builder cannot download appimagetool, add --no-appimage.',
      );
  }
}

try {
  if (process.platform === 'linux') await linux();
  else electronBuilder([]);
  releaseManifest();
} catch (error) {
  if (!(error instanceof DistError)) throw error;
  console.error(`medseal: npm run dist: ${error.message}`);
  process.exitCode = 1;
}
