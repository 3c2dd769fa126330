/**
 * Chunk workers start from a bundled entry file, not from eval'd source:
 * a bundle built with esbuild's keepNames (which wraps every function in a
 * helper that a function's toString() does not carry along) must still seal
 * and open a package large enough (9 MiB) to go through the worker path.
 * The CLI is built that way into a temporary folder and used end to end.
 */
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { build, type BuildOptions } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { PARALLEL_MIN_BYTES } from '../../main/package/payload/chunk-cipher.js';
import { tempFolder } from '../helpers/temp-folder.js';
import { underTestPolicy } from '../helpers/machine-policy.js';
import { scaled } from '../helpers/time.js';

const root = process.cwd();
const PASS = 'correct horse battery staple';
let work: string;

function medseal(home: string, args: string[]) {
  const result = spawnSync(
    ...underTestPolicy([join(work, 'bundle', 'medseal.cjs'), '--home', join(work, home), ...args]),
    {
      cwd: work,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: work,
        MEDSEAL_PASSPHRASE: PASS,
        NODE_PATH: join(root, 'node_modules'),
      },
      encoding: 'utf8',
    },
  );
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(async () => {
  work = await tempFolder('medseal-keepnames-');
  const common: BuildOptions = {
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    keepNames: true,
    logLevel: 'silent',
    external: (
      JSON.parse(await readFile(join(root, 'build', 'scripts', 'bundle-externals.json'), 'utf8')) as {
        externals: string[];
      }
    ).externals,
    define: { MEDSEAL_BUNDLED: 'true' },
  };
  await build({
    ...common,
    entryPoints: [join(root, 'main/cli/medseal.ts')],
    outfile: join(work, 'bundle', 'medseal.cjs'),
  });
  await build({
    ...common,
    entryPoints: [join(root, 'main/package/payload/chunk-workers/chunk-worker.ts')],
    outfile: join(work, 'bundle', 'chunk-worker.cjs'),
  });
}, scaled(120_000));

describe('chunk workers from a bundle built with keepNames', () => {
  it('seal and open 9 MiB (the worker path) and get the same bytes back', async () => {
    const size = 9 * 2 ** 20;
    expect(size).toBeGreaterThanOrEqual(PARALLEL_MIN_BYTES);
    const content = randomBytes(size);
    await writeFile(join(work, 'scan.bin'), content);
    for (const [home, email] of [
      ['alice', 'alice@general.example'],
      ['bob', 'bob@clinic.example'],
    ] as const) {
      const created = medseal(home, ['identity', 'create', '--name', home, '--org', 'Test Org', '--email', email]);
      expect(created.code, created.stderr).toBe(0);
    }
    await writeFile(join(work, 'bob.medseal-contact'), medseal('bob', ['identity', 'export-card']).stdout);
    expect(medseal('alice', ['contacts', 'import', 'bob.medseal-contact']).code).toBe(0);
    await writeFile(join(work, 'alice.medseal-contact'), medseal('alice', ['identity', 'export-card']).stdout);
    expect(medseal('bob', ['contacts', 'import', 'alice.medseal-contact']).code).toBe(0);

    const sealed = medseal('alice', ['seal', 'scan.bin', '--to', 'bob@clinic.example', '-o', 'p.medseal']);
    expect(sealed.code, sealed.stderr).toBe(0);
    const opened = medseal('bob', ['open', 'p.medseal', '-o', 'out']);
    expect(opened.code, opened.stderr).toBe(0);
    const digest = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
    expect(digest(await readFile(join(work, 'out', 'scan.bin')))).toBe(digest(content));
  });
});
