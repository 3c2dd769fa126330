/**
 * The CLI through the app binary: the built entry app/dist/main.cjs, as
 * installers run it (`MedSeal --cli …`, what the `medseal` wrappers call),
 * started here on Node with a fake `electron` preloaded
 * (test/fakes/electron-for-cli.cjs) since the Electron binary cannot be had.
 * Its exit codes are the Node CLI's, it prompts for a passphrase on a real
 * terminal (util-linux `script`), writes to stdout and reads from stdin; and a
 * command line without --cli starts the window instead.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../main/cli/exit-codes.js';
import { BUILT_CLI } from '../helpers/built-cli.js';
import { underTestPolicy } from '../helpers/machine-policy.js';
import { tempFolder } from '../helpers/temp-folder.js';

const MAIN = join(process.cwd(), 'app', 'dist', 'main.cjs');
const FAKE_ELECTRON = join(process.cwd(), 'test', 'fakes', 'electron-for-cli.cjs');
const PASS = 'correct horse battery staple';

beforeAll(() => {
  if (!existsSync(MAIN)) throw new Error('app/dist/main.cjs is missing: run "npm run build" first (npm test does).');
});

/** The command that runs the app binary with `args` (after --cli unless `window`), with the test's policy. */
function appBinary(args: readonly string[], { window = false } = {}): [string, string[]] {
  return underTestPolicy(['-r', FAKE_ELECTRON, MAIN, ...(window ? [] : ['--cli', '--']), ...args]);
}

function run(work: string, args: readonly string[], options: { env?: Record<string, string>; input?: string } = {}) {
  const [command, argv] = appBinary(args);
  return spawnSync(command, argv, {
    cwd: work,
    env: { PATH: process.env.PATH ?? '', HOME: work, ...options.env },
    input: options.input ?? '',
    encoding: 'utf8',
  });
}

const quote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;

/** Runs the app binary's CLI on a terminal (`script`), answering each prompt, in order, as it appears. */
function onTerminal(work: string, args: readonly string[], answers: readonly (readonly [string, string])[]) {
  const [command, argv] = appBinary(args);
  const child = spawn('script', ['-q', '-e', '-c', [command, ...argv].map(quote).join(' '), '/dev/null'], {
    cwd: work,
    env: { PATH: process.env.PATH ?? '', HOME: work, TERM: 'dumb' },
  });
  let screen = '';
  let seen = 0;
  const pending = [...answers];
  child.stdout.on('data', (chunk: Buffer) => {
    screen += chunk.toString('utf8');
    const next = pending[0];
    const at = next ? screen.indexOf(next[0], seen) : -1;
    if (next && at >= 0) {
      seen = at + next[0].length;
      pending.shift();
      child.stdin.write(`${next[1]}\r`);
    }
  });
  return new Promise<{ code: number | null; screen: string }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, screen }));
  });
}

describe('medseal through the app binary (MedSeal --cli)', () => {
  it('prints its version and keeps the exit codes of the Node CLI', async () => {
    const work = await tempFolder();
    const version = run(work, ['--version']);
    expect(version.status).toBe(EXIT.ok);
    expect(version.stdout).toBe(spawnSync(process.execPath, [BUILT_CLI, '--version'], { encoding: 'utf8' }).stdout);
    for (const args of [['no-such-command'], ['--home', join(work, 'none'), 'identity', 'show']]) {
      const node = spawnSync(...underTestPolicy([BUILT_CLI, ...args]), { cwd: work, encoding: 'utf8' });
      const binary = run(work, args);
      expect(binary.status, args.join(' ')).toBe(node.status);
      expect(binary.status).not.toBe(EXIT.ok);
      expect(binary.stderr).toBe(node.stderr);
    }
  });

  it('asks for a new passphrase on the terminal, writes a card to stdout and reads one from stdin', async () => {
    const work = await tempFolder();
    const alice = join(work, 'alice');
    const created = await onTerminal(
      work,
      [
        '--home',
        alice,
        'identity',
        'create',
        '--name',
        'Dr Alice Adams',
        '--org',
        'General',
        '--email',
        'alice@general.example',
      ],
      [
        ['New passphrase: ', PASS],
        ['Type it again: ', PASS],
      ],
    );
    expect(created.code, created.screen).toBe(EXIT.ok);
    expect(created.screen).toContain('Identity created for Dr Alice Adams');
    expect(created.screen).not.toContain(PASS); // the prompt does not echo

    const card = run(work, ['--home', alice, 'identity', 'export-card']);
    expect(card.status, card.stderr).toBe(EXIT.ok);
    expect(card.stdout).toMatch(/BEGIN MEDSEAL CONTACT CARD/);

    const bob = join(work, 'bob');
    const env = { MEDSEAL_PASSPHRASE: PASS };
    const bobMade = run(
      work,
      ['--home', bob, 'identity', 'create', '--name', 'Dr Bob Brown', '--org', 'City', '--email', 'bob@city.example'],
      { env },
    );
    expect(bobMade.status, bobMade.stderr).toBe(EXIT.ok);
    const imported = run(work, ['--home', bob, '--json', 'contacts', 'import', '-'], { env, input: card.stdout });
    expect(imported.status, imported.stderr).toBe(EXIT.ok);
    const listed = run(work, ['--home', bob, '--json', 'contacts', 'list'], { env });
    expect(listed.stdout).toContain('alice@general.example');

    const wrong = run(work, ['--home', bob, 'contacts', 'list'], {
      env: { MEDSEAL_PASSPHRASE: 'not the passphrase at all' },
    });
    expect(wrong.status).toBe(EXIT.wrongPassphrase);
  });

  it('without --cli, the binary starts the desktop app (here: the fake electron says so)', async () => {
    const work = await tempFolder();
    const [command, argv] = appBinary(['--version'], { window: true });
    const started = spawnSync(command, argv, {
      cwd: work,
      env: { PATH: process.env.PATH ?? '', HOME: work },
      encoding: 'utf8',
    });
    expect(started.status).not.toBe(EXIT.ok);
    expect(started.stderr).toContain('fake electron: the desktop app was started');
  });
});
