/** The packaging configuration: valid for electron-builder, with the fuses, installers and associations IT needs. */
import { spawnSync } from 'node:child_process';
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempFolder } from '../helpers/temp-folder.js';

const validate = (dir: string) =>
  spawnSync(process.execPath, ['build/scripts/validate-builder-config.cjs', dir], { encoding: 'utf8' });

describe('electron-builder.yml', () => {
  it('sets every required fuse and packs the app into an asar', async () => {
    const config = await readFile('electron-builder.yml', 'utf8');
    const fuses = config.slice(config.indexOf('electronFuses:'));
    const expected: Record<string, boolean> = {
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    };
    for (const [fuse, value] of Object.entries(expected))
      expect(fuses, fuse).toMatch(new RegExp(`^\\s+${fuse}: ${value}\\s*$`, 'm'));
    expect(config).toMatch(/^asar: true$/m);
    expect(config).toMatch(/^\s+app: app$/m);
  });

  it("passes electron-builder's own schema validation, with every installer and both file associations", () => {
    const result = validate('.');
    expect(result.status, result.stderr).toBe(0);
    const both = ['x64', 'arm64'];
    expect(JSON.parse(result.stdout.trim().split('\n').at(-1)!).targets).toEqual({
      win: [
        { target: 'nsis', arch: both },
        { target: 'msi', arch: both },
      ],
      mac: [
        { target: 'dmg', arch: both },
        { target: 'pkg', arch: both },
      ],
      // .deb and .rpm: build/scripts/linux-packages.mjs (test/linux/deb-package.test.ts)
      linux: [{ target: 'AppImage', arch: both }],
    });
  });

  it('the validation catches a mistake (the check can fail)', async () => {
    const dir = await tempFolder();
    await copyFile('package.json', join(dir, 'package.json'));
    await writeFile(
      join(dir, 'electron-builder.yml'),
      `${await readFile('electron-builder.yml', 'utf8')}\npublsh: null\n`,
    );
    expect(validate(dir).status).not.toBe(0);
  });
});
