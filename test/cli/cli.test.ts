/**
 * The `medseal` CLI end to end, as IT scripts would use it: two (and three)
 * profiles, the full flow, every documented exit code, and no patient
 * information in any error output. Runs the built bundle (npm run build).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { copyFile, mkdir, readFile, readdir, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../main/cli/exit-codes.js';
import { loadSodium } from '../../main/crypto/sodium.js';
import { KDF_FLOOR } from '../../main/crypto/kdf.js';
import { ProfileFolder } from '../../main/profile/profile-folder.js';
import { PolicyGate } from '../../main/services/policy-gate.js';
import { ProfileSession } from '../../main/services/profile-session.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { underTestPolicy } from '../helpers/machine-policy.js';
import { scaled } from '../helpers/time.js';

const CLI = join(process.cwd(), 'dist', 'cli', 'medseal.cjs');
const PASS = 'correct horse battery staple';
const PATIENT_FILE = 'Zebulon_Quibble_MRN_4417723.txt';
const PATIENT_TEXT = 'Patient: Zebulon Quibble, MRN 4417723, DOB 1951-02-03';

let work: string;

function medseal(home: string, args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(...underTestPolicy([CLI, '--home', join(work, home), ...args]), {
    cwd: work,
    env: { PATH: process.env.PATH ?? '', HOME: work, MEDSEAL_PASSPHRASE: PASS, ...env },
    encoding: 'utf8',
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function json(result: { stdout: string }) {
  return JSON.parse(result.stdout);
}

function expectNoPatientData(...texts: string[]) {
  for (const text of texts) {
    for (const secret of ['Zebulon', 'Quibble', '4417723']) expect(text).not.toContain(secret);
  }
}

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error('dist/cli/medseal.cjs is missing: run "npm run build" first (npm test does).');
  work = await mkdtemp(join(tmpdir(), 'medseal-cli-'));
  // The three profiles are made through the same service the CLI uses, at the keystore's KDF floor, so
  // that the many commands below unlock quickly; 'identity create' at full strength has its own test.
  await loadSodium();
  for (const [home, name, email] of [
    ['alice', 'Dr Alice Adams', 'alice@general.example'],
    ['bob', 'Dr Bob Brown', 'bob@clinic.example'],
    ['mallory', 'Mallory Moss', 'mallory@evil.example'],
  ]) {
    const session = new ProfileSession(new ProfileFolder(join(work, home!)), PolicyGate.none(), KDF_FLOOR);
    await session.create({ name: name!, organisation: 'Test Org', email: email! }, PASS);
    session.close();
  }
  await writeFile(join(work, PATIENT_FILE), PATIENT_TEXT);
  await writeFile(join(work, 'scan.bin'), Buffer.alloc(3 * 1024 * 1024 + 5, 7));
}, scaled(120_000));

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('the full flow between two profiles', () => {
  it('exchange cards, verify safety numbers, seal, inspect, open', async () => {
    expect(medseal('alice', ['identity', 'export-card', '-o', 'alice.medseal-contact']).code).toBe(0);
    await writeFile(join(work, 'bob.medseal-contact'), medseal('bob', ['identity', 'export-card']).stdout);
    expect(medseal('alice', ['contacts', 'import', 'bob.medseal-contact']).code).toBe(0);
    expect(medseal('bob', ['contacts', 'import', 'alice.medseal-contact']).code).toBe(0);

    const aliceView = json(medseal('alice', ['--json', 'contacts', 'show', 'bob@clinic.example']));
    const bobView = json(medseal('bob', ['--json', 'contacts', 'show', 'alice@general.example']));
    expect(aliceView.safetyNumber).toBe(bobView.safetyNumber);
    expect(
      medseal('alice', [
        'contacts',
        'verify',
        'bob@clinic.example',
        '--safety-number',
        aliceView.safetyNumber.replace(/(\d{5})/g, '$1 '),
      ]).code,
    ).toBe(0);
    expect(
      medseal('bob', [
        'contacts',
        'verify',
        bobView.contact.fingerprint.slice(0, 12),
        '--safety-number',
        bobView.safetyNumber,
      ]).code,
    ).toBe(0);
    expect(json(medseal('alice', ['--json', 'contacts', 'list'])).contacts[0].state).toBe('verified');

    const sealed = medseal('alice', [
      '--json',
      'seal',
      PATIENT_FILE,
      'scan.bin',
      '--to',
      'bob@clinic.example',
      '--note',
      'Zebulon Quibble: urgent',
      '-o',
      'referral.medseal',
      '--require-verified',
    ]);
    expect(sealed.code, sealed.stderr).toBe(0);
    expect(json(sealed)).toMatchObject({
      sealed: true,
      fileCount: 2,
      totalBytes: PATIENT_TEXT.length + 3 * 1024 * 1024 + 5,
      formatVersion: 2,
    });
    expect(sealed.stderr).not.toMatch(/post-quantum/); // both identities were made with post-quantum keys
    expect(json(sealed).cautions).toEqual([{ recipient: expect.any(String), firstPackage: true, lookAlikes: [] }]);
    expect(sealed.stderr).toContain(
      'First package to Dr Bob Brown, Test Org (bob@clinic.example): check this is the right person.',
    );
    const again = medseal('alice', ['seal', 'scan.bin', '--to', 'bob@clinic.example', '-o', 'second.medseal']);
    expect(again.stderr).not.toMatch(/First package/);

    const inspected = medseal('alice', ['--json', 'inspect', 'referral.medseal']);
    expect(json(inspected)).toMatchObject({ formatVersion: 2, recipientCount: 1 });
    expect(medseal('alice', ['inspect', 'referral.medseal']).stdout).toMatch(/version 2 \(post-quantum/);
    expectNoPatientData(inspected.stdout, (await readFile(join(work, 'referral.medseal'))).toString('latin1'));

    const opened = medseal('bob', ['--json', 'open', 'referral.medseal', '-o', 'received', '--require-verified']);
    expect(opened.code, opened.stderr).toBe(0);
    const result = json(opened);
    expect(result.sender).toMatchObject({ name: 'Dr Alice Adams', trust: 'verified' });
    expect(result.note).toBe('Zebulon Quibble: urgent');
    expect(await readFile(join(work, 'received', PATIENT_FILE), 'utf8')).toBe(PATIENT_TEXT);

    const text = medseal('bob', ['open', 'referral.medseal', '-o', 'received-again']);
    expect(text.stdout.split('\n')[0]).toBe(
      'From: Dr Alice Adams, Test Org <alice@general.example> — Verified contact',
    );
  });
});

describe('post-quantum protection (format version 2)', () => {
  it('a card from before post-quantum keys: sealed as version 1 with a plain warning; the identity gains its key at its next unlock', async () => {
    // Dana's profile was made before post-quantum keys (the committed version 1 keystore); she sends her card before unlocking.
    await mkdir(join(work, 'dana'), { recursive: true });
    await copyFile(
      join(process.cwd(), 'test', 'vectors', 'v1-keystore.json'),
      join(work, 'dana', 'identity.keystore.json'),
    );
    const danaPass = { MEDSEAL_PASSPHRASE: 'vector passphrase: blue heron canal' };
    await writeFile(join(work, 'dana-old.medseal-contact'), medseal('dana', ['identity', 'export-card']).stdout);
    expect(medseal('alice', ['contacts', 'import', 'dana-old.medseal-contact']).code).toBe(0);
    expect(medseal('alice', ['contacts', 'list']).stdout).toMatch(/unverified\s+--\s/);

    const sealed = medseal('alice', [
      '--json',
      'seal',
      'scan.bin',
      '--to',
      'keystore.vector@example.org',
      '-o',
      'to-dana.medseal',
    ]);
    expect(sealed.code, sealed.stderr).toBe(0);
    expect(json(sealed)).toMatchObject({ formatVersion: 1 });
    expect(sealed.stderr).toMatch(
      /card has no post-quantum key: this package is protected against today's computers only/,
    );

    // Dana unlocks once (opening the package): her identity gains its X-Wing key; her new card is an upgrade for Alice.
    expect(medseal('dana', ['open', 'to-dana.medseal', '-o', 'dana-in'], danaPass).code).toBe(0);
    await writeFile(join(work, 'dana-new.medseal-contact'), medseal('dana', ['identity', 'export-card']).stdout);
    expect(json(medseal('alice', ['--json', 'contacts', 'import', 'dana-new.medseal-contact']))).toMatchObject({
      outcome: 'updated',
    });
    expect(
      json(
        medseal('alice', [
          '--json',
          'seal',
          'scan.bin',
          '--to',
          'keystore.vector@example.org',
          '-o',
          'to-dana-2.medseal',
        ]),
      ),
    ).toMatchObject({ formatVersion: 2 });
    expect(medseal('dana', ['open', 'to-dana-2.medseal', '-o', 'dana-in-2'], danaPass).code).toBe(0);
  });
});

describe('seal --batch', () => {
  it('seals every good line with one unlock, reports each line as JSON, and a bad line stops nothing', async () => {
    await mkdir(join(work, 'batch'), { recursive: true });
    await writeFile(join(work, 'batch', 'a.txt'), 'synthetic lab result A');
    await writeFile(join(work, 'batch', 'b.txt'), 'synthetic lab result B');
    await writeFile(join(work, 'batch', 'note.txt'), 'please review');
    const lines = [
      { files: ['a.txt'], to: ['bob@clinic.example'], noteFile: 'note.txt', output: 'a.medseal' },
      { files: ['b.txt'], to: ['nobody@nowhere.example'], output: 'b.medseal' },
      'this is not JSON',
      { files: ['b.txt'], to: ['bob@clinic.example'], output: 'b2.medseal', extra: true },
      { files: ['b.txt', 'a.txt'], to: ['bob@clinic.example'], output: 'c.medseal' },
    ];
    await writeFile(
      join(work, 'batch', 'manifest.jsonl'),
      `${lines.map((line) => (typeof line === 'string' ? line : JSON.stringify(line))).join('\n')}\n`,
    );
    const run = medseal('alice', ['seal', '--batch', join('batch', 'manifest.jsonl')]);
    const results = run.stdout
      .trim()
      .split('\n')
      .map(
        (line) =>
          JSON.parse(line) as { line: number; ok: boolean; code?: string; fileCount?: number; formatVersion?: number },
      );
    expect(results.map((result) => [result.line, result.ok, result.code ?? null])).toEqual([
      [1, true, null],
      [2, false, 'CONTACT_NOT_FOUND'],
      [3, false, 'BATCH_LINE_INVALID'],
      [4, false, 'BATCH_LINE_INVALID'],
      [5, true, null],
    ]);
    expect(results[4]).toMatchObject({ fileCount: 2, formatVersion: 2 });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/3 packages of the batch were not sealed/);
    expect((await readdir(join(work, 'batch'))).filter((name) => name.endsWith('.medseal')).sort()).toEqual([
      'a.medseal',
      'c.medseal',
    ]);
    const opened = medseal('bob', ['--json', 'open', join('batch', 'a.medseal'), '-o', 'batch-in']);
    expect(json(opened).note).toBe('please review');
    expect(
      medseal('alice', ['seal', '--batch', join('batch', 'manifest.jsonl'), '--to', 'bob@clinic.example']).code,
    ).toBe(EXIT.usage);
  });
});

describe('exit codes and error output', () => {
  it('usage errors exit 2', () => {
    expect(medseal('alice', ['no-such-command']).code).toBe(EXIT.usage);
    expect(medseal('alice', ['seal', 'scan.bin', '-o', 'x.medseal']).code).toBe(EXIT.usage); // --to missing
    expect(medseal('alice', ['seal', 'scan.bin', '--to', 'nobody@nowhere.example', '-o', 'x.medseal']).code).toBe(
      EXIT.usage,
    );
  });

  it('a wrong passphrase exits 3 and changes nothing', async () => {
    const before = await readFile(join(work, 'bob', 'identity.keystore.json'));
    const result = medseal('bob', ['--json', 'open', 'referral.medseal', '-o', 'wrong-pass'], {
      MEDSEAL_PASSPHRASE: 'definitely not it',
    });
    expect(result.code).toBe(EXIT.wrongPassphrase);
    expect(JSON.parse(result.stderr).error.code).toBe('WRONG_PASSPHRASE');
    expect(await readFile(join(work, 'bob', 'identity.keystore.json'))).toEqual(before);
    expect(existsSync(join(work, 'wrong-pass'))).toBe(false);
  });

  it('a package not sealed for you exits 4', () => {
    const result = medseal('mallory', ['open', 'referral.medseal', '-o', 'mallory-out']);
    expect(result.code).toBe(EXIT.notARecipient);
    expect(existsSync(join(work, 'mallory-out'))).toBe(false);
  });

  it('a tampered or truncated package exits 5, saves nothing and names no file', async () => {
    const bytes = await readFile(join(work, 'referral.medseal'));
    const tampered = Buffer.from(bytes);
    tampered[tampered.length - 100]! ^= 0x01;
    await writeFile(join(work, 'tampered.medseal'), tampered);
    await writeFile(join(work, 'truncated.medseal'), bytes.subarray(0, bytes.length - 1000));
    for (const name of ['tampered.medseal', 'truncated.medseal']) {
      const result = medseal('bob', ['open', name, '-o', `out-${name}`, '--again']); // Bob opened the intact package before: the same header
      expect(result.code).toBe(EXIT.damagedPackage);
      expect(result.stderr).toMatch(/Do not trust it/);
      expectNoPatientData(result.stderr);
      expect(existsSync(join(work, `out-${name}`))).toBe(false);
    }
  });

  it('an unknown sender with --require-verified exits 6 and saves nothing', async () => {
    await writeFile(join(work, 'bob-for-mallory.medseal-contact'), medseal('bob', ['identity', 'export-card']).stdout);
    expect(medseal('mallory', ['contacts', 'import', 'bob-for-mallory.medseal-contact']).code).toBe(0);
    expect(
      medseal('mallory', ['seal', 'scan.bin', '--to', 'bob@clinic.example', '-o', 'from-mallory.medseal']).code,
    ).toBe(0);
    const refused = medseal('bob', ['open', 'from-mallory.medseal', '-o', 'from-mallory', '--require-verified']);
    expect(refused.code).toBe(EXIT.untrustedParty);
    expect(refused.stdout).toMatch(/Unknown sender/);
    expect(existsSync(join(work, 'from-mallory'))).toBe(false);
    const allowed = medseal('bob', ['--json', 'open', 'from-mallory.medseal', '-o', 'from-mallory']);
    expect(json(allowed).sender.trust).toBe('unknown');

    // --add-sender: the card inside the package becomes an unverified contact, and the open goes on.
    const added = medseal('bob', ['open', 'from-mallory.medseal', '-o', 'from-mallory-2', '--add-sender', '--again']); // opened just above
    expect(added.code, added.stderr).toBe(EXIT.ok);
    expect(added.stderr).toMatch(
      /Added Mallory Moss, Test Org <mallory@evil\.example> to your contacts, not verified: compare the safety number \(medseal contacts show mallory@evil\.example\)/,
    );
    const mallory = json(medseal('bob', ['--json', 'contacts', 'show', 'mallory@evil.example']));
    expect(mallory.contact.state).toBe('unverified');
    const twice = medseal('bob', [
      '--json',
      'open',
      'from-mallory.medseal',
      '-o',
      'from-mallory-3',
      '--add-sender',
      '--again',
    ]);
    expect(json(twice).sender.trust).toBe('unverified'); // known now: nothing added twice
    expect(medseal('bob', ['contacts', 'remove', 'mallory@evil.example']).code).toBe(EXIT.ok); // the later tests expect Bob without Mallory
  });

  it('an unverified recipient with --require-verified exits 6', () => {
    expect(
      medseal('mallory', ['seal', 'scan.bin', '--to', 'bob@clinic.example', '-o', 'm2.medseal', '--require-verified'])
        .code,
    ).toBe(EXIT.untrustedParty);
  });

  it('a missing input file exits 7 without naming it', () => {
    const result = medseal('alice', [
      'seal',
      'Zebulon_Quibble_missing.pdf',
      '--to',
      'bob@clinic.example',
      '-o',
      'y.medseal',
    ]);
    expect(result.code).toBe(EXIT.io);
    expect(result.stderr).toMatch(/input file 1/);
    expectNoPatientData(result.stderr);
    expect(existsSync(join(work, 'y.medseal'))).toBe(false);
  });

  it('an existing destination exits 8 and is not replaced', async () => {
    const before = await readFile(join(work, 'referral.medseal'));
    expect(medseal('alice', ['seal', 'scan.bin', '--to', 'bob@clinic.example', '-o', 'referral.medseal']).code).toBe(
      EXIT.conflict,
    );
    expect(await readFile(join(work, 'referral.medseal'))).toEqual(before);
    const again = medseal('bob', ['open', 'referral.medseal', '-o', 'received']);
    expect(again.code).toBe(EXIT.conflict);
    expectNoPatientData(again.stderr);
    expect(await readFile(join(work, 'received', PATIENT_FILE), 'utf8')).toBe(PATIENT_TEXT);
  });

  it('a malformed or forged card exits 9', async () => {
    await writeFile(join(work, 'garbage.medseal-contact'), 'not a card at all');
    expect(medseal('alice', ['contacts', 'import', 'garbage.medseal-contact']).code).toBe(EXIT.invalidInput);
    const card = await readFile(join(work, 'alice.medseal-contact'), 'utf8');
    const lines = card.split('\n');
    lines[2] = lines[2]!.replace(/[A-Za-z]/, (c) => (c === 'A' ? 'B' : 'A'));
    await writeFile(join(work, 'forged.medseal-contact'), lines.join('\n'));
    expect(medseal('bob', ['contacts', 'import', 'forged.medseal-contact']).code).toBe(EXIT.invalidInput);
  });

  it('applies the app\'s passphrase rule: "password1234" is refused with the reason, and nothing is created', async () => {
    const weak = medseal(
      'weak',
      ['identity', 'create', '--name', 'Dr Weak', '--org', 'Test Org', '--email', 'weak@clinic.example'],
      { MEDSEAL_PASSPHRASE: 'password1234' },
    );
    expect(weak.code).toBe(EXIT.invalidInput);
    expect(weak.stderr).toMatch(
      /not accepted: it is too easy to guess \(this is similar to a commonly used password\)/,
    );
    expect(existsSync(join(work, 'weak', 'identity.keystore.json'))).toBe(false);
    const short = medseal(
      'weak',
      ['identity', 'create', '--name', 'Dr Weak', '--org', 'Test Org', '--email', 'weak@clinic.example'],
      { MEDSEAL_PASSPHRASE: 'Xq7#mZ2!' },
    );
    expect(short.stderr).toMatch(/it has 8 characters; at least 12 are needed/);
  });

  it("an unknown recipient is named when it is an e-mail address, never when it could be a patient's name", () => {
    const unknown = medseal('alice', ['seal', 'scan.bin', '--to', 'nobody@nowhere.example', '-o', 'unknown.medseal']);
    expect(unknown.code).toBe(EXIT.usage);
    expect(unknown.stderr).toContain('No contact matches "nobody@nowhere.example"');
    const typed = medseal('alice', ['seal', 'scan.bin', '--to', 'Zebulon Quibble', '-o', 'unknown.medseal']);
    expect(typed.code).toBe(EXIT.usage);
    expect(typed.stderr).toMatch(/No contact matches: give the e-mail address/);
    expectNoPatientData(typed.stdout, typed.stderr);
  });

  it('-o naming a folder says so; a name conflict on opening lists the package\'s files so "file 2" can be found', async () => {
    await mkdir(join(work, 'a-folder'), { recursive: true });
    const folder = medseal('alice', ['seal', 'scan.bin', '--to', 'bob@clinic.example', '-o', 'a-folder']);
    expect(folder.code).toBe(EXIT.usage);
    expect(folder.stderr).toMatch(/The place chosen for the package is a folder: give a file name inside it/);
    await writeFile(join(work, 'Yolanda_Pratt_MRN_99.txt'), 'synthetic');
    expect(
      medseal('alice', [
        'seal',
        'Yolanda_Pratt_MRN_99.txt',
        'scan.bin',
        '--to',
        'bob@clinic.example',
        '-o',
        'two-files.medseal',
      ]).code,
    ).toBe(EXIT.ok);
    await mkdir(join(work, 'conflict'), { recursive: true });
    await writeFile(join(work, 'conflict', 'scan.bin'), 'already here');
    const opened = medseal('bob', ['open', 'two-files.medseal', '-o', 'conflict']);
    expect(opened.code).toBe(EXIT.conflict);
    expect(opened.stdout).toMatch(/The package holds:\n {2}1\. Yolanda_Pratt_MRN_99\.txt\n {2}2\. scan\.bin/);
    expect(opened.stderr).toMatch(/file 2 of the package already exists/);
    expect(opened.stderr).not.toMatch(/Yolanda|Pratt/); // the names go to the terminal's output, never into the error
    expect(await readFile(join(work, 'conflict', 'scan.bin'), 'utf8')).toBe('already here');
    expect(opened.stdout).toContain(
      'Add --keep-both to save the new file as "name (2).ext" beside the one already there.',
    );
    expect(await readdir(join(work, 'conflict'))).toEqual(['scan.bin']); // nothing half-written

    const kept = medseal('bob', ['open', 'two-files.medseal', '-o', 'conflict', '--keep-both']);
    expect(kept.code, kept.stderr).toBe(EXIT.ok);
    expect(kept.stdout).toContain('scan.bin (');
    expect(kept.stdout).toContain('saved as "scan (2).bin" (a file of that name was already there)');
    expect(await readFile(join(work, 'conflict', 'scan.bin'), 'utf8')).toBe('already here');
    expect(await readFile(join(work, 'conflict', 'scan (2).bin'))).toEqual(await readFile(join(work, 'scan.bin')));
    expect((await readdir(join(work, 'conflict'))).sort()).toEqual([
      'Yolanda_Pratt_MRN_99.txt',
      'scan (2).bin',
      'scan.bin',
    ]);
  });

  it('a key change blocks sealing to that contact (exit 6) until re-verified', async () => {
    // Bob's profile is replaced: same name and e-mail, new keys (a reinstall, or an impostor).
    const created = medseal('bob2', [
      'identity',
      'create',
      '--name',
      'Dr Bob Brown',
      '--org',
      'Test Org',
      '--email',
      'bob@clinic.example',
    ]);
    expect(created.code).toBe(0);
    // The hint keeps this run's --home, so that it works when pasted.
    expect(created.stdout).toContain(`medseal --home ${join(work, 'bob2')} identity export-card -o me.medseal-contact`);
    expect(JSON.parse(await readFile(join(work, 'bob2', 'identity.keystore.json'), 'utf8')).kdf).toMatchObject({
      opsLimit: 3,
      memLimitBytes: 256 * 1024 * 1024,
    }); // the CLI creates at full strength
    await writeFile(join(work, 'bob2.medseal-contact'), medseal('bob2', ['identity', 'export-card']).stdout);
    const importing = medseal('alice', ['--json', 'contacts', 'import', 'bob2.medseal-contact']);
    expect(importing.code).toBe(EXIT.untrustedParty); // scripts must notice a key change
    const imported = json(importing);
    expect(imported.outcome).toBe('key-changed');
    const blocked = medseal('alice', ['seal', 'scan.bin', '--to', 'bob@clinic.example', '-o', 'blocked.medseal']);
    expect(blocked.code).toBe(EXIT.untrustedParty);
    expect(existsSync(join(work, 'blocked.medseal'))).toBe(false);
    expect(
      medseal('alice', ['contacts', 'verify', 'bob@clinic.example', '--safety-number', imported.safetyNumber]).code,
    ).toBe(0);
    expect(medseal('alice', ['seal', 'scan.bin', '--to', 'bob@clinic.example', '-o', 'unblocked.medseal']).code).toBe(
      0,
    );
  });

  it(
    'Ctrl-C while sealing or opening exits 130 and leaves no package, no file and no temp file',
    async () => {
      await writeFile(join(work, 'large.bin'), '');
      await truncate(join(work, 'large.bin'), 400 * 1024 * 1024); // sparse: quick to make, slow enough to interrupt
      const interrupted = async (home: string, args: string[], watch: string) => {
        const child = spawn(...underTestPolicy([CLI, '--home', join(work, home), ...args]), {
          cwd: work,
          env: { PATH: process.env.PATH ?? '', HOME: work, MEDSEAL_PASSPHRASE: PASS },
          stdio: 'ignore',
        });
        const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
        for (let waited = 0; waited < 30_000; waited += 20) {
          const names = await readdir(watch).catch(() => [] as string[]);
          if (names.some((name) => name.startsWith('.medseal-partial-'))) break;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        child.kill('SIGINT');
        return exited;
      };
      expect(
        await interrupted(
          'alice',
          ['seal', 'large.bin', '--to', 'bob@clinic.example', '-o', 'cancelled.medseal'],
          work,
        ),
      ).toBe(EXIT.cancelled);
      expect(
        (await readdir(work)).filter((name) => name.startsWith('.medseal-partial-') || name === 'cancelled.medseal'),
      ).toEqual([]);

      expect(medseal('alice', ['seal', 'large.bin', '--to', 'bob@clinic.example', '-o', 'large.medseal']).code).toBe(0);
      expect(await interrupted('bob2', ['open', 'large.medseal', '-o', 'large-out'], join(work, 'large-out'))).toBe(
        EXIT.cancelled,
      );
      expect(existsSync(join(work, 'large-out'))).toBe(false);
    },
    scaled(60_000),
  );

  it(
    'a process killed (SIGKILL) mid-seal or mid-open leaves no output; the next start removes its temp file; the database is intact',
    async () => {
      const killMidway = async (home: string, args: string[], watch: string) => {
        const child = spawn(...underTestPolicy([CLI, '--home', join(work, home), ...args]), {
          cwd: work,
          env: { PATH: process.env.PATH ?? '', HOME: work, MEDSEAL_PASSPHRASE: PASS },
          stdio: 'ignore',
        });
        const exited = new Promise((resolve) => child.on('exit', resolve));
        for (let waited = 0; waited < 30_000; waited += 20) {
          if ((await readdir(watch).catch(() => [] as string[])).some((name) => name.startsWith('.medseal-partial-')))
            break;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        child.kill('SIGKILL');
        await exited;
        expect((await readdir(watch)).some((name) => name.startsWith('.medseal-partial-'))).toBe(true); // what the crash left
      };
      const checkDatabase = (home: string) => {
        const db = new Database(join(work, home, 'medseal.db'), { readonly: true });
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        expect(db.prepare('SELECT COUNT(*) AS n FROM temp_files').get()).toEqual({ n: 0 });
        db.close();
      };

      await killMidway('alice', ['seal', 'large.bin', '--to', 'bob@clinic.example', '-o', 'killed.medseal'], work);
      expect(existsSync(join(work, 'killed.medseal'))).toBe(false);
      const next = medseal('alice', ['--json', 'audit', 'verify']);
      expect(next.code, next.stderr).toBe(0);
      expect((await readdir(work)).filter((name) => name.startsWith('.medseal-partial-'))).toEqual([]);
      checkDatabase('alice');

      await killMidway('bob2', ['open', 'large.medseal', '-o', 'killed-open'], join(work, 'killed-open'));
      expect(medseal('bob2', ['audit', 'verify']).code).toBe(0);
      expect(await readdir(join(work, 'killed-open'))).toEqual([]);
      checkDatabase('bob2');
    },
    scaled(60_000),
  );

  it('the activity list finds packages by file name; the database holds the names only encrypted', () => {
    const found = json(medseal('alice', ['--json', 'packages', 'list', '--search', 'quibble']));
    expect(found.packages).toHaveLength(1);
    expect(found.packages[0]).toMatchObject({ direction: 'sent', fileCount: 2 });
    expect(found.packages[0].files[0].name).toBe(PATIENT_FILE);
    const received = json(medseal('bob', ['--json', 'packages', 'list']));
    expect(received.packages.some((p: { direction: string }) => p.direction === 'received')).toBe(true);
    // Partners by name, the fingerprint on request; found by a person as well as by a file name.
    const listed = medseal('alice', ['packages', 'list', '--search', 'Dr Bob']);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(/ sent to Dr Bob Brown {2}\d+ file\(s\)/);
    expect(listed.stdout).not.toMatch(/[0-9a-f]{16}/);
    const bobFingerprint = json(medseal('alice', ['--json', 'contacts', 'show', 'bob@clinic.example'])).contact
      .fingerprint;
    expect(medseal('alice', ['packages', 'list', '--search', 'Dr Bob', '--fingerprints']).stdout).toContain(
      `Dr Bob Brown [${bobFingerprint}]`,
    );
  });

  it('the audit log records the flow, verifies, exports, and catches an edit made in the database', async () => {
    const verified = medseal('bob', ['--json', 'audit', 'verify']);
    expect(verified.code, verified.stderr).toBe(0);
    const lines = medseal('bob', ['audit', 'export', '--format', 'jsonl'])
      .stdout.trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const actions = lines.map((line: { action: string }) => line.action);
    for (const action of [
      'identity.created',
      'identity.unlocked',
      'identity.unlock-failed',
      'contact.imported',
      'contact.verified',
      'package.opened',
      'package.open-refused',
      'audit.exported',
    ]) {
      expect(actions, action).toContain(action);
    }
    expect(
      lines.find(
        (line: { action: string; detail: string | null }) =>
          line.action === 'package.open-refused' && line.detail === 'PACKAGE_TAMPERED',
      ),
    ).toBeDefined();
    expect(medseal('bob', ['audit', 'export', '--format', 'csv', '-o', 'audit.csv']).code).toBe(0);
    const csv = await readFile(join(work, 'audit.csv'), 'utf8');
    expect(csv.split('\r\n')[0]).toBe(
      'seq,at,actor,action,counterparts,counterpart_names,file_count,total_bytes,detail,prev_hash,hash,signature',
    );
    expectNoPatientData(csv, JSON.stringify(lines));
    expect(csv.trim().split('\r\n').at(-1)).toMatch(/^\d+,,,signed-head,/);
    expect(medseal('bob', ['audit', 'verify-export', 'audit.csv']).code).toBe(0);
    await writeFile(join(work, 'cut.csv'), `${csv.trim().split('\r\n').slice(0, -2).join('\r\n')}\r\n`); // the newest entry and the head cut off
    expect(medseal('bob', ['audit', 'verify-export', 'cut.csv']).code).toBe(EXIT.damagedPackage);

    const db = new Database(join(work, 'bob', 'medseal.db'));
    db.prepare("UPDATE audit_events SET total_bytes = 1 WHERE action = 'package.opened'").run();
    db.close();
    const caught = medseal('bob', ['audit', 'verify']);
    expect(caught.code).toBe(EXIT.damagedPackage);
    expect(caught.stderr).toMatch(/entry \d+ was edited/);
    expect(medseal('bob', ['audit', 'export', '--format', 'csv', '-o', 'after-edit.csv']).code).toBe(
      EXIT.damagedPackage,
    ); // a broken chain is not exported
    expect(existsSync(join(work, 'after-edit.csv'))).toBe(false);
  });

  it('audit export --action --since: only those entries, names beside fingerprints, checked as a filtered copy', async () => {
    const exported = medseal('alice', [
      'audit',
      'export',
      '--format',
      'jsonl',
      '--action',
      'package',
      'contact.verified',
      '--since',
      '1d',
    ]);
    expect(exported.code, exported.stderr).toBe(0);
    const lines = exported.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines[0].filter).toMatchObject({ actions: expect.arrayContaining(['package.sealed', 'contact.verified']) });
    const rows = lines.slice(1, -1);
    expect(rows.length).toBeGreaterThan(1);
    expect(
      rows.every((row: { action: string }) => row.action.startsWith('package.') || row.action === 'contact.verified'),
    ).toBe(true);
    // Bob's keys were replaced earlier in this file: his current key has his name, the replaced one says so.
    const verified = rows
      .filter((row: { action: string }) => row.action === 'contact.verified')
      .map((row: { counterpart_names: string[] }) => row.counterpart_names[0]);
    expect(verified).toContain('Dr Bob Brown, Test Org');
    expect(verified).toContain('keys no longer used by Dr Bob Brown, Test Org (replaced or rejected)');
    await writeFile(join(work, 'alice-packages.jsonl'), exported.stdout);
    const checked = medseal('alice', ['audit', 'verify-export', 'alice-packages.jsonl']);
    expect(checked.code, checked.stderr).toBe(0);
    expect(checked.stdout).toMatch(
      /^Filtered audit export \(actions contact\.verified, package\.sealed, .*, since .*\): each of its \d+ entries is intact and signed/,
    );
    expect(checked.stdout).toMatch(/The \d+ entries the filter left out cannot be checked from this copy/);

    const unknown = medseal('alice', ['audit', 'export', '--format', 'csv', '--action', 'package.unlocked']);
    expect(unknown.code).toBe(EXIT.usage);
    expect(unknown.stderr).toContain('"package.unlocked" is not an audit action');
    const badTime = medseal('alice', ['audit', 'export', '--format', 'csv', '--since', 'last week']);
    expect(badTime.code).toBe(EXIT.usage);
    expect(badTime.stderr).toContain('"last week" is not a time MedSeal can read');
  });

  it('a passphrase change keeps keys and contacts, and is audited', () => {
    const before = json(medseal('mallory', ['--json', 'identity', 'show'])).fingerprint;
    expect(
      medseal('mallory', ['identity', 'change-passphrase'], { MEDSEAL_NEW_PASSPHRASE: 'a different long passphrase' })
        .code,
    ).toBe(0);
    expect(medseal('mallory', ['contacts', 'list']).code).toBe(EXIT.wrongPassphrase);
    const after = { MEDSEAL_PASSPHRASE: 'a different long passphrase' };
    expect(json(medseal('mallory', ['--json', 'identity', 'show'], after)).fingerprint).toBe(before);
    expect(json(medseal('mallory', ['--json', 'contacts', 'list'], after)).contacts).toHaveLength(1);
    const actions = medseal('mallory', ['audit', 'export', '--format', 'jsonl'], after)
      .stdout.trim()
      .split('\n')
      .map((line) => JSON.parse(line).action);
    expect(actions).toContain('identity.passphrase-changed');
    expect(actions.filter((action: string) => action === 'identity.unlock-failed')).toHaveLength(1);
    expect(medseal('mallory', ['audit', 'verify'], after).code).toBe(0);
  });

  it('policy show prints each value and where it comes from; a broken file exits 9 with the reason', async () => {
    await writeFile(
      join(work, 'policy.json'),
      JSON.stringify({ maxAutoLockMinutes: 5, requireVerifiedRecipients: true }),
    );
    const shown = json(medseal('alice', ['--json', 'policy', 'show', '--policy-file', 'policy.json']));
    expect(shown.values).toEqual(
      expect.arrayContaining([
        { key: 'maxAutoLockMinutes', value: 5, from: 'policy.json' },
        { key: 'allowRememberOnDevice', value: true, from: 'default' },
      ]),
    );
    await writeFile(
      join(work, 'broken-policy.json'),
      JSON.stringify({ maxAutoLockMinutes: 5, requireVerifiedRecipient: true }),
    );
    const broken = medseal('alice', ['policy', 'show', '--policy-file', 'broken-policy.json']);
    expect(broken.code).toBe(EXIT.invalidInput);
    expect(broken.stderr).toMatch(/broken-policy\.json.*requireVerifiedRecipient/);
  });

  it('doctor on a fresh workstation (no identity yet) says what to do next and exits 0', async () => {
    const fresh = medseal('nobody-yet', ['--json', 'doctor']);
    expect(fresh.code, fresh.stdout).toBe(0);
    expect(json(fresh).checks).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          name: 'identity',
          ok: true,
          detail: expect.stringMatching(/no identity on this workstation yet/),
        }),
      ]),
    );
  });

  it('doctor: all OK on a healthy profile; loose permissions and an edited audit log are reported with the fix, exit 1', async () => {
    const healthy = medseal('alice', ['--json', 'doctor']);
    expect(healthy.code, healthy.stdout).toBe(0);
    expect(json(healthy).checks.map((entry: { name: string }) => entry.name)).toEqual(
      expect.arrayContaining(['policy', 'profile folder permissions', 'identity', 'database integrity', 'audit chain']),
    );
    const { chmod } = await import('node:fs/promises');
    await chmod(join(work, 'alice', 'medseal.db'), 0o644);
    const loose = medseal('alice', ['doctor']);
    expect(loose.code).toBe(EXIT.internal);
    expect(loose.stdout).toMatch(/FAIL {2}profile folder permissions: medseal\.db is 644 \(fix: chmod 600\)/);
    await chmod(join(work, 'alice', 'medseal.db'), 0o600);
    expect(medseal('bob', ['doctor']).stdout).toMatch(/FAIL {2}audit chain: entry \d+: edited/); // edited in an earlier test
  });

  it('IT builds the organisation directory as a signed log: org init, sign-card, revoke', async () => {
    const init = medseal('alice', ['--json', 'org', 'init', '-o', 'org-admin.key']);
    expect(init.code, init.stderr).toBe(0);
    expect(json(init).publicKey).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(await readFile(join(work, 'org-admin.key'), 'utf8')).not.toContain(PASS);
    const sign = [
      '--json',
      'org',
      'sign-card',
      'alice.medseal-contact',
      '--key',
      'org-admin.key',
      '--dir',
      'directory',
    ];
    const unnamed = medseal('alice', sign);
    expect(unnamed.code, unnamed.stderr).toBe(EXIT.usage); // a new log needs the organisation's name, once
    expect(unnamed.stderr).toMatch(/--organisation/);
    const signed = medseal('alice', [...sign, '--organisation', 'General Hospital']);
    expect(signed.code, signed.stderr).toBe(0);
    expect(json(signed)).toMatchObject({ change: 'add', seq: 1 });
    const logFile = join(work, 'directory', 'directory.medseal-directory');
    const published = () =>
      JSON.parse(readFileSync(logFile, 'utf8')) as { organisation: string; entries: { op: string }[] };
    expect(published()).toMatchObject({ organisation: 'General Hospital', entries: [{ op: 'add' }] });
    const revoke = ['org', 'revoke', json(signed).signed as string, '--key', 'org-admin.key', '--dir', 'directory'];
    expect(medseal('alice', revoke, { MEDSEAL_PASSPHRASE: 'wrong passphrase here' }).code).toBe(EXIT.wrongPassphrase);
    expect(medseal('alice', revoke).code).toBe(0);
    expect(published().entries.map((entry) => entry.op)).toEqual(['add', 'revoke']);
    const again = medseal('alice', revoke);
    expect(again.code).toBe(EXIT.usage);
    expect(again.stderr).toMatch(/No card with this fingerprint/);
    // The head's validity is 1 to 366 days: anything else is refused before the key is asked for.
    for (const days of ['0', '400', 'ten']) {
      const refresh = medseal('alice', [
        'org',
        'refresh-revocations',
        '--key',
        'org-admin.key',
        '--dir',
        'directory',
        '--valid-days',
        days,
      ]);
      expect(refresh.code).toBe(EXIT.usage);
      expect(refresh.stderr).toMatch(/--valid-days takes a whole number of days from 1 to 366/);
    }

    // Security review, medium 8 (now for the log): a revoke after the log was deleted must not start a
    // new one that drops the earlier revocations.
    await rm(logFile);
    const refused = medseal('alice', revoke);
    expect(refused.code).toBe(EXIT.usage);
    expect(refused.stderr).toMatch(/restore it from your backup/);
    expect(existsSync(logFile)).toBe(false);
  });

  it('the profile folder holds no patient data and no stray temp files', async () => {
    for (const home of ['alice', 'bob']) {
      for (const name of await readdir(join(work, home))) {
        expect(name.startsWith('.medseal-partial-')).toBe(false);
        expectNoPatientData(await readFile(join(work, home, name), 'latin1'));
      }
    }
  });
});
