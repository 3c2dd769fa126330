/**
 * Sealing on the chunk workers reports what it did: progress that only
 * grows and ends at the content size, and the package's real size. (The
 * chunk's buffer is transferred to a worker, so its length must be taken
 * before: read after, it was 0, leaving progress at 0 % and packageBytes
 * the header's size.)
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { sealPackage } from '../../main/package/seal.js';
import type { UnlockedIdentity } from '../../main/identity/unlocked-identity.js';
import { fastIdentity } from '../helpers/identities.js';
import { tempFolder, writeSample } from '../helpers/temp-folder.js';

let alice: UnlockedIdentity;
let bob: UnlockedIdentity;

beforeAll(async () => {
  alice = await fastIdentity('Alice');
  bob = await fastIdentity('Bob');
});

describe('sealing progress and size', () => {
  for (const threads of [0, 2]) {
    it(`${threads === 0 ? 'on the calling thread' : 'on two chunk workers'}: progress grows to 100 % and packageBytes is the file's size`, async () => {
      const folder = await tempFolder();
      const size = 9 * 1024 * 1024 + 4099;
      await writeSample(join(folder, 'scan.bin'), size);
      const progress: number[] = [];
      const output = join(folder, 'p.medseal');
      const result = await sealPackage({
        sender: alice,
        recipients: [bob.card],
        files: [{ path: join(folder, 'scan.bin') }],
        output,
        threads,
        onProgress: ({ bytesDone, bytesTotal }) => {
          expect(bytesTotal).toBe(size);
          progress.push(bytesDone);
        },
      });
      expect(progress.length).toBeGreaterThan(2);
      expect(progress.every((done, index) => index === 0 || done > progress[index - 1]!)).toBe(true);
      expect(progress.at(-1)).toBe(size);
      expect(result.packageBytes).toBe((await stat(output)).size);
    });
  }
});
