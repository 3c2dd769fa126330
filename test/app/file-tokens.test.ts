/**
 * The renderer's file tokens (main/app/file-tokens.ts): no file of the profile (keystore,
 * database) can be turned into a token, except a package waiting in the profile's private
 * downloads folder when the inbox asks for exactly that folder; a link out of that folder into
 * the profile is refused too.
 */
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileTokens } from '../../main/app/file-tokens.js';
import { FileRefused } from '../../main/app/errors.js';

let work: string;
let profile: string;
let downloads: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'medseal-tokens-'));
  profile = join(work, 'profile');
  downloads = join(profile, 'downloads');
  await mkdir(downloads, { recursive: true });
  await writeFile(join(profile, 'keystore.json'), '{}');
  await writeFile(join(downloads, 'abc.medseal'), 'package bytes');
  await symlink(join(profile, 'keystore.json'), join(downloads, 'link.medseal'));
  await writeFile(join(work, 'outside.pdf'), 'a chosen file');
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('file tokens', () => {
  it('a chosen file outside the profile gets a token', async () => {
    const entry = await new FileTokens(profile).register(join(work, 'outside.pdf'));
    expect(entry).toMatchObject({ name: 'outside.pdf', size: 13 });
  });

  it('a file of the profile is refused, a download too unless the inbox asks for that folder', async () => {
    const tokens = new FileTokens(profile);
    await expect(tokens.register(join(profile, 'keystore.json'))).rejects.toBeInstanceOf(FileRefused);
    await expect(tokens.register(join(downloads, 'abc.medseal'))).rejects.toBeInstanceOf(FileRefused);
    const entry = await tokens.register(join(downloads, 'abc.medseal'), { alsoInside: downloads });
    expect(entry.name).toBe('abc.medseal');
  });

  it('allowing the downloads folder does not allow the rest of the profile, even through a link', async () => {
    const tokens = new FileTokens(profile);
    await expect(tokens.register(join(profile, 'keystore.json'), { alsoInside: downloads })).rejects.toBeInstanceOf(
      FileRefused,
    );
    await expect(tokens.register(join(downloads, 'link.medseal'), { alsoInside: downloads })).rejects.toBeInstanceOf(
      FileRefused,
    );
    await expect(tokens.register(downloads, { alsoInside: downloads })).rejects.toBeInstanceOf(FileRefused);
  });
});
