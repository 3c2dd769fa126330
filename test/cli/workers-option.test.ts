/**
 * `--workers N` on seal and open (the built CLI): a whole number from 0 to
 * 16 is taken (0: the work stays on one thread, and the package is the same
 * format), anything else is a usage error naming the option, found while
 * the command line is parsed: before any passphrase, with nothing written.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../main/cli/exit-codes.js';
import { assertCliBuilt, okJson, runCliJsonAsync } from '../helpers/built-cli.js';
import { createFastProfiles } from '../helpers/profiles.js';
import { scaled } from '../helpers/time.js';

const PASS = 'correct horse battery staple';
let work: string;
const cli = (home: string, args: string[]) => runCliJsonAsync(work, home, args, { MEDSEAL_PASSPHRASE: PASS });

beforeAll(async () => {
  assertCliBuilt();
  work = await mkdtemp(join(tmpdir(), 'medseal-workers-cli-'));
  await createFastProfiles(
    work,
    PASS,
    [
      { home: 'alice', name: 'Alice', email: 'alice@a.example' },
      { home: 'bob', name: 'Bob', email: 'bob@b.example' },
    ],
    { acquainted: true },
  );
  await writeFile(join(work, 'scan.bin'), Buffer.alloc(9 * 2 ** 20, 5)); // large enough for workers
}, scaled(60_000));
afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('--workers', () => {
  it.each(['17', '-1', 'two', '1.5'])(
    '"%s" is a usage error naming the option, before the passphrase is even tried; nothing is written',
    async (given) => {
      const wrong = { MEDSEAL_PASSPHRASE: 'not the passphrase at all' };
      const sealed = await runCliJsonAsync(
        work,
        'alice',
        ['seal', 'scan.bin', '--to', 'bob@b.example', '-o', 'x.medseal', '--workers', given],
        wrong,
      );
      expect(sealed.code).toBe(EXIT.usage); // not wrongPassphrase: checked while the line is parsed
      expect(sealed.stderr).toContain('--workers takes a whole number from 0 to 16');
      expect(existsSync(join(work, 'x.medseal'))).toBe(false);
      const opened = await runCliJsonAsync(work, 'bob', ['open', 'x.medseal', '-o', 'out', '--workers', given], wrong);
      expect(opened.code).toBe(EXIT.usage);
    },
  );

  it('0 and 3 seal and open the same content', async () => {
    okJson(await cli('alice', ['seal', 'scan.bin', '--to', 'bob@b.example', '-o', 'none.medseal', '--workers', '0']));
    okJson(await cli('alice', ['seal', 'scan.bin', '--to', 'bob@b.example', '-o', 'three.medseal', '--workers', '3']));
    okJson(await cli('bob', ['open', 'none.medseal', '-o', 'out-none', '--workers', '3']));
    okJson(await cli('bob', ['open', 'three.medseal', '-o', 'out-three', '--workers', '0']));
    const original = await readFile(join(work, 'scan.bin'));
    expect((await readFile(join(work, 'out-none', 'scan.bin'))).equals(original)).toBe(true);
    expect((await readFile(join(work, 'out-three', 'scan.bin'))).equals(original)).toBe(true);
  });
});
