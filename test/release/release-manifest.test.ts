/**
 * `npm run dist`'s last step: the SBOM lists what the installed app contains
 * (and not the build and test tools, nor what only installs the native
 * module), SQLite included (compiled into better-sqlite3, so no npm tool sees
 * it); the policy templates are put beside the installers; and SHA256SUMS
 * lets IT check every artifact and template with `sha256sum -c`.
 */
import { spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempFolder } from '../helpers/temp-folder.js';

const SCRIPT = join(process.cwd(), 'build', 'scripts', 'release-manifest.mjs');
const POLICY_TEMPLATES = ['MedSeal.admx', 'en-US/MedSeal.adml', 'medseal.mobileconfig', 'policy.sample.json'];

interface Component {
  readonly group?: string;
  readonly name: string;
  readonly version: string;
  readonly purl: string;
  readonly cpe?: string;
  readonly 'bom-ref': string;
}

describe('release manifest', () => {
  it('writes an SBOM of what ships and checksums that catch a changed artifact', async () => {
    const release = await tempFolder();
    await writeFile(join(release, 'MedSeal-0.1.0-linux-x64.AppImage'), 'installer bytes');
    await writeFile(join(release, 'MedSeal-0.1.0-win-x64.exe'), 'other installer bytes');
    await writeFile(join(release, 'builder-debug.yml'), 'a build log');
    const made = spawnSync(process.execPath, [SCRIPT, '--output', release], { encoding: 'utf8' });
    expect(made.stderr).toBe('');
    expect(made.status).toBe(0);

    const appPackage = JSON.parse(await readFile(join(process.cwd(), 'app', 'package.json'), 'utf8')) as { version: string };
    const sbom = JSON.parse(await readFile(join(release, `MedSeal-${appPackage.version}.cdx.json`), 'utf8')) as {
      bomFormat: string;
      specVersion: string;
      metadata: { component: { name: string; version: string } };
      components: Component[];
      dependencies: { ref: string; dependsOn?: string[] }[];
    };
    expect(sbom).toMatchObject({ bomFormat: 'CycloneDX', specVersion: '1.6', metadata: { component: { name: 'MedSeal', version: appPackage.version } } });
    const names = new Set(sbom.components.map((component) => (component.group ? `${component.group}/${component.name}` : component.name)));
    const bundled = ['ssh2', 'zod', 'pino', 'qrcode', 'react-dom', 'rotating-file-stream', 'fastest-levenshtein', '@zxcvbn-ts/core', '@zxcvbn-ts/language-en'];
    for (const shipped of ['better-sqlite3', 'bindings', 'libsodium-wrappers-sumo', '@noble/post-quantum', 'react', 'electron', ...bundled]) expect(names).toContain(shipped);

    // SQLite, as the sqlite3.h better-sqlite3 compiles from says, with a CPE for scanners, under better-sqlite3.
    const header = await readFile(join(process.cwd(), 'node_modules', 'better-sqlite3', 'deps', 'sqlite3', 'sqlite3.h'), 'utf8');
    const sqliteVersion = /^#define SQLITE_VERSION\s+"([\d.]+)"/m.exec(header)![1]!;
    const sqlite = sbom.components.find((component) => component.name === 'sqlite');
    expect(sqlite).toMatchObject({ version: sqliteVersion, purl: `pkg:generic/sqlite@${sqliteVersion}`, cpe: `cpe:2.3:a:sqlite:sqlite:${sqliteVersion}:*:*:*:*:*:*:*` });
    const driver = sbom.components.find((component) => component.name === 'better-sqlite3')!;
    expect(sbom.dependencies.find((dependency) => dependency.ref === driver['bom-ref'])?.dependsOn).toContain(sqlite!['bom-ref']);
    for (const tool of ['vitest', 'electron-builder', 'playwright-core', 'typescript', '@cyclonedx/cyclonedx-npm']) expect(names).not.toContain(tool);
    // What only installs the native module is not packed (electron-builder.yml), so not listed, nor referred to.
    for (const installTime of ['prebuild-install', 'tar-fs', 'node-abi', 'simple-get']) expect(names).not.toContain(installTime);
    for (const runtime of ['bindings', 'file-uri-to-path', 'commander']) expect(names).toContain(runtime);
    const refs = new Set(sbom.components.map((component) => component['bom-ref']));
    for (const dependency of sbom.dependencies) for (const ref of dependency.dependsOn ?? []) expect(refs.has(ref), ref).toBe(true);
    expect(sbom.components.find((component) => component.name === 'better-sqlite3')?.purl).toBe('pkg:npm/better-sqlite3@12.11.1');

    const sums = await readFile(join(release, 'SHA256SUMS'), 'utf8');
    expect(sums.trim().split('\n').map((line) => line.split('  ')[1])).toEqual([
      'MedSeal-0.1.0-linux-x64.AppImage',
      'MedSeal-0.1.0-win-x64.exe',
      `MedSeal-${appPackage.version}.cdx.json`,
      'medseal-reader.html',
      ...POLICY_TEMPLATES.map((file) => `policy/${file}`),
    ]);
    // MedSeal Reader beside them, the very page the build made (its checksum is what a partner compares).
    expect(await readFile(join(release, 'medseal-reader.html'))).toEqual(
      await readFile(join(process.cwd(), 'app', 'dist', 'medseal-reader.html')),
    );
    // The policy templates beside the installers, as in the source.
    for (const file of POLICY_TEMPLATES)
      expect(await readFile(join(release, 'policy', file), 'utf8')).toBe(await readFile(join(process.cwd(), 'build', 'policy', file), 'utf8'));
    expect(spawnSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: release }).status).toBe(0);
    await writeFile(join(release, 'MedSeal-0.1.0-win-x64.exe'), 'other installer bytez');
    const check = spawnSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: release, encoding: 'utf8' });
    expect(check.status).not.toBe(0);
    expect(check.stdout).toContain('MedSeal-0.1.0-win-x64.exe: FAILED');
  });
});
