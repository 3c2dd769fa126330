// Packs the app with electron-builder (`--linux dir`) around a STAND-IN Electron runtime, on machines that
// cannot download Electron (CI, offline build servers). The stand-in is a shell script named like Electron's
// binary that only prints its arguments; it carries Electron's fuse wire so that electron-builder flips the
// fuses exactly as on the real binary. What this packs is what ships (app.asar, its unpacked native module,
// the policy templates); a package made from it is for tests only and is NEVER published.
//
// The app folder is staged from app/dist and, for its node_modules, from the root tree (better-sqlite3 and
// what it requires, built for Node): app/node_modules is installed only where Electron's headers could be
// downloaded. Usage: node build/scripts/stand-in-pack.mjs [OUTPUT_DIR] [--arch x64|arm64]
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, cp, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The marker every stand-in prints: a test can tell it from Electron, and so can anyone who runs one. */
export const STAND_IN_MARKER = 'MedSeal stand-in runtime, not Electron (for packaging tests; never published)';

// @electron/fuses looks for this sentinel, then a version byte, the wire's length and one byte per fuse.
const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
/** Electron's defaults: RunAsNode, cookie encryption, NODE_OPTIONS, inspect, asar integrity, asar only, V8 snapshot, file:// privileges. */
const DEFAULT_FUSES = '10110001';

export class StandInPackError extends Error {
  name = 'StandInPackError';
}

/** A folder holding a stand-in `electron` executable (and `version` and `chrome-sandbox`, as Electron's own folder has). */
export async function makeStandInRuntime(folder, electronVersion) {
  await mkdir(folder, { recursive: true });
  const script = ['#!/bin/sh', `# ${STAND_IN_MARKER}.`, `echo "${STAND_IN_MARKER}: $*"`, 'exit 0', ''].join('\n');
  const wire = Buffer.concat([
    Buffer.from(`# fuse wire for electron-builder: ${FUSE_SENTINEL}`, 'latin1'),
    Buffer.from([1, DEFAULT_FUSES.length]),
    Buffer.from(`${DEFAULT_FUSES}\n`, 'latin1'),
  ]);
  await writeFile(join(folder, 'electron'), Buffer.concat([Buffer.from(script, 'utf8'), wire]));
  await chmod(join(folder, 'electron'), 0o755);
  await writeFile(join(folder, 'version'), `${electronVersion}\n`);
  // Electron's Linux folder also holds the setuid sandbox helper, which packages install 4755.
  await writeFile(join(folder, 'chrome-sandbox'), `#!/bin/sh\n# ${STAND_IN_MARKER}.\nexit 1\n`, { mode: 0o755 });
  return folder;
}

/** Folders of better-sqlite3 and every package it requires, as Node resolves them from the root. */
async function runtimeClosure(name, fromFolder, found = new Set()) {
  const require = createRequire(join(fromFolder, 'noop.js'));
  const folder = dirname(require.resolve(`${name}/package.json`));
  if (found.has(folder)) return found;
  found.add(folder);
  const meta = JSON.parse(await readFile(join(folder, 'package.json'), 'utf8'));
  for (const dependency of Object.keys(meta.dependencies ?? {})) await runtimeClosure(dependency, folder, found);
  return found;
}

/** app/ as electron-builder expects it: package.json, dist/ and node_modules/ (from the root tree, built for Node). */
export async function stageApp(folder) {
  const dist = join(root, 'app', 'dist');
  if (!existsSync(join(dist, 'main.cjs')))
    throw new StandInPackError('app/dist/main.cjs is missing: run "npm run build" first.');
  await mkdir(folder, { recursive: true });
  await cp(join(root, 'app', 'package.json'), join(folder, 'package.json'));
  await cp(dist, join(folder, 'dist'), { recursive: true });
  const appPackage = JSON.parse(await readFile(join(root, 'app', 'package.json'), 'utf8'));
  const folders = new Set();
  for (const dependency of Object.keys(appPackage.dependencies ?? {})) await runtimeClosure(dependency, root, folders);
  for (const source of folders) {
    // …/node_modules/a/node_modules/b keeps its nesting below the first node_modules.
    const parts = source.split(sep);
    const within = parts.slice(parts.indexOf('node_modules')).join(sep);
    await cp(source, join(folder, within), { recursive: true });
  }
  return folder;
}

/** The total size in bytes of a folder's files. */
export async function folderBytes(folder) {
  let total = 0;
  for (const entry of await readdir(folder, { withFileTypes: true, recursive: true }))
    if (entry.isFile()) total += (await stat(join(entry.parentPath, entry.name))).size;
  return total;
}

/**
 * Packs into OUTPUT/linux-unpacked (or linux-arm64-unpacked). Returns the folder, the app's size without
 * the runtime (resources/) and how long packing took.
 */
export async function packWithStandIn({ output, arch = 'x64' }) {
  const work = await mkdtemp(join(tmpdir(), 'medseal-stand-in-'));
  try {
    const electron = JSON.parse(await readFile(join(root, 'node_modules', 'electron', 'package.json'), 'utf8'));
    const runtime = await makeStandInRuntime(join(work, 'runtime'), electron.version);
    const app = await stageApp(join(work, 'app'));
    const started = Date.now();
    const builder = join(root, 'node_modules', 'electron-builder', 'cli.js');
    const result = spawnSync(
      process.execPath,
      [
        builder,
        '--linux',
        'dir',
        `--${arch}`,
        `-c.electronDist=${runtime}`,
        '-c.npmRebuild=false',
        `-c.directories.app=${app}`,
        `-c.directories.output=${output}`,
      ],
      { cwd: root, encoding: 'utf8', env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' } },
    );
    if (result.status !== 0)
      throw new StandInPackError(`electron-builder failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
    const unpacked = join(output, arch === 'x64' ? 'linux-unpacked' : `linux-${arch}-unpacked`);
    return {
      unpacked,
      appBytes: await folderBytes(join(unpacked, 'resources')),
      seconds: (Date.now() - started) / 1000,
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const archIndex = args.indexOf('--arch');
  const arch = archIndex >= 0 ? args.splice(archIndex, 2)[1] : 'x64';
  const output = args[0] ?? join(root, 'release', 'stand-in');
  const packed = await packWithStandIn({ output, arch });
  console.log(
    `medseal: packed with the stand-in runtime into ${relative(process.cwd(), packed.unpacked) || '.'} ` +
      `in ${packed.seconds.toFixed(1)} s; the app without Electron: ${(packed.appBytes / 1e6).toFixed(1)} MB`,
  );
}
