// After electron-builder (`npm run dist`): the release's CycloneDX SBOM and its SHA-256 checksums.
//
//   release/MedSeal-<version>.cdx.json  what the installed app contains: the app's runtime tree
//                                       (app/package-lock.json: better-sqlite3 and its dependencies),
//                                       the packages esbuild bundled into app/dist (from the build's
//                                       metafiles, dist/release/bundled-packages.json), the Electron
//                                       runtime, and SQLite, which better-sqlite3 compiles into its native
//                                       module (its version read from the sqlite3.h it ships; with a CPE,
//                                       so that scanners match SQLite's own advisories). Build and test
//                                       tools are not shipped and not listed.
//                                       Of the app's runtime tree, only what electron-builder.yml packs is listed:
//                                       the install-time packages it leaves out (prebuild-install's tree) are not.
//   release/medseal-reader.html         MedSeal Reader, the page partners without MedSeal open passphrase
//                                       packages with (build-reader.mjs), to publish or hand over.
//   release/policy/                     the policy templates (build/policy: ADMX/ADML, the sample macOS profile,
//                                       the sample policy.json), which IT deploys beside the installers.
//   release/SHA256SUMS                  `sha256sum -c SHA256SUMS` format: every artifact, the SBOM and the
//                                       policy templates.
//
// The SBOM entries come from @cyclonedx/cyclonedx-npm (licences, purls, hashes as npm knows them);
// this script only chooses which of them ship. Usage: node build/scripts/release-manifest.mjs [--output DIR]
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { cp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const outputIndex = process.argv.indexOf('--output');
const output = outputIndex > 0 ? process.argv[outputIndex + 1] : join(root, 'release');
/** electron-builder's own logs, not artifacts. */
const NOT_ARTIFACTS = new Set(['SHA256SUMS', 'builder-debug.yml', 'builder-effective-config.yaml']);

function cyclonedx(manifest, extraArgs) {
  const bin = join(root, 'node_modules', '@cyclonedx', 'cyclonedx-npm', 'bin', 'cyclonedx-npm-cli.js');
  const result = spawnSync(
    process.execPath,
    [
      bin,
      '--output-reproducible',
      '--flatten-components',
      '--spec-version',
      '1.6',
      '--mc-type',
      'application',
      '--output-file',
      '-',
      ...extraArgs,
      manifest,
    ],
    {
      cwd: dirname(manifest),
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    },
  );
  if (result.status !== 0) throw new Error(`cyclonedx-npm failed for ${manifest}:\n${result.stderr}`);
  return JSON.parse(result.stdout);
}

/** SQLite as better-sqlite3 bundles it (deps/sqlite3/sqlite3.h), where better-sqlite3 is installed. */
async function bundledSqlite(folder) {
  const { version: driver } = JSON.parse(await readFile(join(folder, 'package.json'), 'utf8'));
  const header = await readFile(join(folder, 'deps', 'sqlite3', 'sqlite3.h'), 'utf8');
  const version = /^#define SQLITE_VERSION\s+"(\d+\.\d+\.\d+)"/m.exec(header)?.[1];
  if (!version) throw new Error(`no SQLITE_VERSION in ${folder}/deps/sqlite3/sqlite3.h`);
  return { driver, version };
}

function sqliteComponent(ref, sqlite) {
  return {
    type: 'library',
    'bom-ref': ref,
    supplier: { name: 'SQLite Consortium', url: ['https://sqlite.org'] },
    name: 'sqlite',
    version: sqlite.version,
    description: `the SQLite library compiled into better-sqlite3@${sqlite.driver}'s native module`,
    licenses: [{ license: { name: 'blessing' } }],
    purl: `pkg:generic/sqlite@${sqlite.version}`,
    cpe: `cpe:2.3:a:sqlite:sqlite:${sqlite.version}:*:*:*:*:*:*:*`,
    externalReferences: [{ type: 'website', url: 'https://sqlite.org' }],
    properties: [
      { name: 'cdx:medseal:shipped-as', value: `compiled into better-sqlite3@${sqlite.driver} (deps/sqlite3)` },
    ],
  };
}

// The packages electron-builder.yml leaves out of the app (its "!**/node_modules/{a,b,…}{,/**}" pattern).
async function packagesLeftOut() {
  const config = await readFile(join(root, 'electron-builder.yml'), 'utf8');
  const names = new Set();
  for (const match of config.matchAll(/"!\*\*\/node_modules\/\{([^}]+)\}\{,\/\*\*\}"/g))
    for (const name of match[1].split(',')) names.add(name.trim());
  return names;
}

/** Drops the components that are not packed, and every reference to them. */
function withoutLeftOut(sbom, leftOut) {
  const dropped = new Set(
    sbom.components.filter((component) => leftOut.has(fullName(component))).map((component) => component['bom-ref']),
  );
  sbom.components = sbom.components.filter((component) => !dropped.has(component['bom-ref']));
  sbom.dependencies = sbom.dependencies
    .filter((dependency) => !dropped.has(dependency.ref))
    .map((dependency) => ({
      ...dependency,
      dependsOn: (dependency.dependsOn ?? []).filter((ref) => !dropped.has(ref)),
    }));
}

const fullName = (component) => (component.group ? `${component.group}/${component.name}` : component.name);

async function shippedSbom() {
  const appPackage = JSON.parse(await readFile(join(root, 'app', 'package.json'), 'utf8'));
  const electron = JSON.parse(await readFile(join(root, 'node_modules', 'electron', 'package.json'), 'utf8'));
  const bundled = JSON.parse(await readFile(join(root, 'dist', 'release', 'bundled-packages.json'), 'utf8'));
  const sbom = cyclonedx(join(root, 'app', 'package.json'), ['--package-lock-only']);
  withoutLeftOut(sbom, await packagesLeftOut());
  const tree = cyclonedx(join(root, 'package.json'), []);
  const appRef = sbom.metadata.component['bom-ref'];
  const known = new Set(sbom.components.map((component) => component.purl));
  const added = [];
  for (const id of [...bundled, `electron@${electron.version}`]) {
    const component = tree.components.find((candidate) => `${fullName(candidate)}@${candidate.version}` === id);
    if (!component)
      throw new Error(
        `${id} is bundled into the app but missing from the installed tree: run npm ci and npm run build`,
      );
    if (known.has(component.purl)) continue;
    known.add(component.purl);
    const ref = `${appRef}|${id}`;
    added.push(ref);
    sbom.components.push({
      ...component,
      'bom-ref': ref,
      properties: [
        ...(component.properties ?? []).filter(
          (property) => property.name !== 'cdx:npm:package:development' && property.name !== 'cdx:npm:package:path',
        ),
        {
          name: 'cdx:medseal:shipped-as',
          value: id.startsWith('electron@') ? 'the Electron runtime' : 'bundled into app/dist by esbuild',
        },
      ],
    });
    sbom.dependencies.push({ ref, dependsOn: [] });
  }
  // SQLite is C source inside better-sqlite3: no npm package, so no npm tool lists it.
  const driver = sbom.components.find((component) => fullName(component) === 'better-sqlite3');
  if (!driver) throw new Error('better-sqlite3 is not in the app runtime tree (app/package-lock.json)');
  const sqlite = await bundledSqlite(join(root, 'node_modules', 'better-sqlite3'));
  if (sqlite.driver !== driver.version)
    throw new Error(`node_modules has better-sqlite3@${sqlite.driver}, the app ships ${driver.version}: run npm ci`);
  const sqliteRef = `${appRef}|sqlite@${sqlite.version}`;
  sbom.components.push(sqliteComponent(sqliteRef, sqlite));
  sbom.dependencies.push({ ref: sqliteRef, dependsOn: [] });
  const driverDependencies = sbom.dependencies.find((dependency) => dependency.ref === driver['bom-ref']);
  if (driverDependencies) driverDependencies.dependsOn = [...(driverDependencies.dependsOn ?? []), sqliteRef].sort();
  else sbom.dependencies.push({ ref: driver['bom-ref'], dependsOn: [sqliteRef] });
  const top = sbom.dependencies.find((dependency) => dependency.ref === appRef);
  top.dependsOn = [...(top.dependsOn ?? []), ...added].sort();
  sbom.metadata.component = { ...sbom.metadata.component, name: 'MedSeal', version: appPackage.version };
  return { sbom, version: appPackage.version };
}

async function sha256(path) {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk);
  return hash.digest('hex');
}

/** Files below `folder` (relative, `/`-separated), skipping electron-builder's logs and unpacked folders. */
async function artifacts(folder) {
  const names = [];
  for (const name of (await readdir(folder)).sort()) {
    if (NOT_ARTIFACTS.has(name)) continue;
    const info = await stat(join(folder, name));
    if (info.isFile()) names.push(name);
  }
  const policy = await readdir(join(folder, 'policy'), { recursive: true, withFileTypes: true });
  for (const entry of policy)
    if (entry.isFile()) names.push(relative(folder, join(entry.parentPath, entry.name)).split(sep).join('/'));
  return names.sort();
}

const { sbom, version } = await shippedSbom();
const sbomName = `MedSeal-${version}.cdx.json`;
await writeFile(join(output, sbomName), `${JSON.stringify(sbom, null, 2)}\n`);
await cp(join(root, 'build', 'policy'), join(output, 'policy'), { recursive: true });
// MedSeal Reader, for organisations to publish or hand over (docs/DEPLOYMENT.md); `npm run build` made it.
const reader = join(root, 'app', 'dist', 'medseal-reader.html');
if (!existsSync(reader)) throw new Error('app/dist/medseal-reader.html is missing: run npm run build first');
await cp(reader, join(output, 'medseal-reader.html'));
const lines = [];
for (const name of await artifacts(output)) lines.push(`${await sha256(join(output, name))}  ${name}`);
await writeFile(join(output, 'SHA256SUMS'), `${lines.join('\n')}\n`);
console.log(
  `medseal: wrote ${sbomName} (${sbom.components.length} components), policy/ and SHA256SUMS (${lines.length} files) in ${output}`,
);
