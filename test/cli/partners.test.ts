/**
 * Partner organisations through the built CLI (FORMAT.md §11): two
 * organisations, General Hospital and City Clinic, each with its own IT
 * (organisation key, directory log) and clinicians (profiles). City publishes
 * its directory on a real local HTTPS server (a test CA the CLI trusts as a
 * system CA would be) and General in a folder. Each IT adds the other once,
 * with the key's code read out; then Alice sends Carol a referral without
 * any card imported by hand or phone call, and Carol sees Alice "vouched for
 * by General Hospital". And it fails closed: a wrong code, a revocation, an
 * older directory put back (rollback), and a second history signed by the
 * same key (fork) each stop the vouching, with the fork audited.
 */
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../main/cli/exit-codes.js';
import { assertCliBuilt, okJson, runCliJsonAsync } from '../helpers/built-cli.js';
import { createFastProfiles } from '../helpers/profiles.js';
import { makeTestCa } from '../helpers/test-ca.js';
import { scaled } from '../helpers/time.js';

const PASS = 'correct horse battery staple';
const LETTER = 'Referral letter (synthetic test data, no real patient)\n';

let work: string;
let server: Server;
let url: string;
/** What the HTTPS server serves as City's directory file (the test swaps it to attack). */
let served: Buffer = Buffer.alloc(0);
let cityKey: string;
let generalKey: string;
let extraCa: string;

/** The CLI run without blocking: the HTTPS server it fetches from runs in this process. */
const cli = (home: string, args: string[]) =>
  runCliJsonAsync(work, home, args, { MEDSEAL_PASSPHRASE: PASS, NODE_EXTRA_CA_CERTS: extraCa });
const cityLog = () => join(work, 'city-dir', 'directory.medseal-directory');

async function publishCity(): Promise<void> {
  served = await readFile(cityLog());
}

async function stateOf(home: string, email: string): Promise<{ state: string; vouchedBy: string | null }> {
  const shown = okJson(await cli(home, ['contacts', 'show', email])) as {
    contact: { state: string; vouchedBy: string | null };
  };
  return shown.contact;
}

beforeAll(async () => {
  assertCliBuilt();
  work = await mkdtemp(join(tmpdir(), 'medseal-partners-'));
  await createFastProfiles(work, PASS, [
    { home: 'alice', name: 'Dr Alice Adams', email: 'alice@general.example', organisation: 'General Hospital' },
    { home: 'carol', name: 'Dr Carol Cole', email: 'carol@city.example', organisation: 'City Clinic' },
  ]);
  for (const [org, home, email] of [
    ['general', 'alice', 'alice@general.example'],
    ['city', 'carol', 'carol@city.example'],
  ] as const) {
    const key = okJson(await cli(home, ['org', 'init', '-o', `${org}.key`])).publicKey as string;
    if (org === 'city') cityKey = key;
    else generalKey = key;
    okJson(await cli(home, ['identity', 'export-card', '-o', `${home}.medseal-contact`]));
    const name = org === 'city' ? 'City Clinic' : 'General Hospital';
    okJson(
      await cli(home, [
        'org',
        'sign-card',
        `${home}.medseal-contact`,
        '--key',
        `${org}.key`,
        '--dir',
        `${org}-dir`,
        '--organisation',
        name,
      ]),
    );
    expect(email).toContain('@');
  }
  const caFolder = join(work, 'ca');
  await mkdir(caFolder);
  const ca = await makeTestCa(caFolder);
  extraCa = join(caFolder, 'ca.pem');
  const { cert, key } = await ca.issue(['IP:127.0.0.1']);
  await publishCity();
  server = createServer({ cert, key }, (_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(served);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  url = `https://127.0.0.1:${address.port}/medseal/directory.medseal-directory`;
  await writeFile(join(work, 'letter.txt'), LETTER);
}, scaled(180_000));

afterAll(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  if (work) await rm(work, { recursive: true, force: true });
});

describe('IT adds a partner organisation once; its clinicians are vouched for', () => {
  it('a code that does not match the key is refused, and nothing is added', async () => {
    const refused = await cli('alice', [
      'org',
      'partner',
      'add',
      'City Clinic',
      '--key',
      cityKey,
      '--source',
      url,
      '--code',
      '1'.repeat(30),
    ]);
    expect(refused.code).toBe(EXIT.untrustedParty);
    expect(JSON.parse(refused.stderr)).toMatchObject({ error: { code: 'PARTNER_CODE_MISMATCH' } });
    expect((okJson(await cli('alice', ['org', 'partner', 'list'])) as { partners: unknown[] }).partners).toEqual([]);
  });

  it('with the code read out, City is added, its directory fetched over HTTPS, and Carol is vouched for', async () => {
    const code = okJson(await cli('carol', ['org', 'partner', 'code', cityKey])).code as string;
    expect(code).toMatch(/^(\d{5} ){5}\d{5}$/);
    const added = okJson(
      await cli('alice', ['org', 'partner', 'add', 'City Clinic', '--key', cityKey, '--source', url, '--code', code]),
    );
    expect(added).toMatchObject({ fetch: 'accepted', partner: { name: 'City Clinic', status: 'fresh', cards: 1 } });
    expect(await stateOf('alice', 'carol@city.example')).toMatchObject({
      state: 'partner-vouched',
      vouchedBy: 'City Clinic',
    });
  });

  it('General is added on City’s side from a folder; Alice sends without a card imported or a call', async () => {
    const code = okJson(await cli('alice', ['org', 'partner', 'code', generalKey])).code as string;
    okJson(
      await cli('carol', [
        'org',
        'partner',
        'add',
        'General Hospital',
        '--key',
        generalKey,
        '--source',
        join(work, 'general-dir', 'directory.medseal-directory'),
        '--code',
        code,
      ]),
    );
    // requireVerified: a partner's vouching counts as verified (policy acceptPartnerVouching, default on).
    const sealed = await cli('alice', [
      'seal',
      'letter.txt',
      '--to',
      'carol@city.example',
      '--require-verified',
      '-o',
      'referral.medseal',
    ]);
    expect(sealed.code, sealed.stderr).toBe(EXIT.ok);
    const opened = await runCliJsonAsync(
      work,
      'carol',
      ['open', 'referral.medseal', '-o', 'carol-in', '--require-verified'],
      {
        MEDSEAL_PASSPHRASE: PASS,
      },
    );
    expect(opened.code, opened.stderr).toBe(EXIT.ok);
    expect(JSON.parse(opened.stdout)).toMatchObject({ sender: { trust: 'partner-vouched' } });
    expect(await readFile(join(work, 'carol-in', 'letter.txt'), 'utf8')).toBe(LETTER);
  });
});

describe('it fails closed', () => {
  it('a revocation reaches the partner at its next refresh: Carol is no longer vouched for', async () => {
    const carolFingerprint = (
      okJson(await cli('alice', ['contacts', 'show', 'carol@city.example'])) as { contact: { fingerprint: string } }
    ).contact.fingerprint;
    await copyFile(cityLog(), join(work, 'city-before-revocation.medseal-directory'));
    okJson(await cli('carol', ['org', 'revoke', carolFingerprint, '--key', 'city.key', '--dir', 'city-dir']));
    await publishCity();
    expect(okJson(await cli('alice', ['org', 'partner', 'refresh']))).toMatchObject({
      results: [{ outcome: 'accepted' }],
    });
    const show = await cli('alice', ['contacts', 'show', 'carol@city.example']);
    expect(show.code).not.toBe(EXIT.ok); // no longer in Alice's contacts at all: the directory was her only source
    const sealed = await cli('alice', [
      'seal',
      'letter.txt',
      '--to',
      'carol@city.example',
      '-o',
      'after-revocation.medseal',
    ]);
    expect(sealed.code).not.toBe(EXIT.ok);
  });

  it('the directory from before the revocation, served again: refused as a rollback, Carol stays revoked', async () => {
    served = await readFile(join(work, 'city-before-revocation.medseal-directory'));
    const refresh = await cli('alice', ['org', 'partner', 'refresh']);
    expect(refresh.code).toBe(EXIT.untrustedParty);
    expect(JSON.parse(refresh.stdout)).toMatchObject({
      results: [{ outcome: 'refused', code: 'DIRECTORY_ROLLED_BACK' }],
    });
    expect((await cli('alice', ['contacts', 'show', 'carol@city.example'])).code).not.toBe(EXIT.ok);
  });

  it('a second history signed by City’s key is a fork: an alarm, audited with both heads, and no vouching', async () => {
    // City's key signs another history from the common start: Carol never revoked, a second card added.
    const forked = join(work, 'city-fork');
    await mkdir(forked);
    await copyFile(join(work, 'city-before-revocation.medseal-directory'), join(forked, 'directory.medseal-directory'));
    await copyFile(join(work, 'city.key'), join(work, 'city-fork.key')); // the same key, without its record of what it published
    const signed = await cli('carol', [
      'org',
      'sign-card',
      'alice.medseal-contact',
      '--key',
      'city-fork.key',
      '--dir',
      'city-fork',
    ]);
    expect(signed.code, signed.stderr).toBe(EXIT.ok);
    served = await readFile(join(forked, 'directory.medseal-directory'));
    const refresh = await cli('alice', ['org', 'partner', 'refresh']);
    expect(refresh.code).toBe(EXIT.untrustedParty);
    expect(JSON.parse(refresh.stdout)).toMatchObject({ results: [{ outcome: 'refused', code: 'DIRECTORY_FORKED' }] });
    const listed = okJson(await cli('alice', ['org', 'partner', 'list'])) as {
      partners: { status: string; alarm: string | null }[];
    };
    expect(listed.partners[0]).toMatchObject({ status: 'fork' });
    expect(listed.partners[0]!.alarm).toMatch(/^\d+:[0-9a-f]{64}\/\d+:[0-9a-f]{64}$/);
    const doctor = JSON.parse((await cli('alice', ['doctor'])).stdout) as {
      checks: { name: string; ok: boolean; detail: string }[];
    };
    expect(doctor.checks.find((line) => line.name === 'partner City Clinic')).toMatchObject({
      ok: false,
      detail: expect.stringContaining('FORK ALARM'),
    });
    const audit = (await cli('alice', ['audit', 'export', '--format', 'jsonl'])).stdout;
    expect(audit).toMatch(
      /"action":"directory\.refused".*"detail":"DIRECTORY_FORKED:\d+-[0-9a-f]{16}:\d+-[0-9a-f]{16}"/,
    );
    // Even the (older, consistent) directory Alice holds vouches for nobody while the alarm stands.
    served = await readFile(cityLog());
    await cli('alice', ['org', 'partner', 'refresh']);
    expect(
      (okJson(await cli('alice', ['org', 'partner', 'list'])) as { partners: { cards: number }[] }).partners[0]!.cards,
    ).toBe(0);
  });
});
