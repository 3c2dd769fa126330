/** The Electron fuses that electron-builder flips at packaging (DESIGN.md requirement 8). */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';

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
    for (const [fuse, value] of Object.entries(expected)) expect(fuses, fuse).toMatch(new RegExp(`^\\s+${fuse}: ${value}\\s*$`, 'm'));
    expect(config).toMatch(/^asar: true$/m);
    expect(config).toMatch(/^\s+app: app$/m);
  });
});
