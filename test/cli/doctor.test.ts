/**
 * `medseal doctor` tries every exchange, the organisation's and the
 * person's own, shared folders and a real OpenSSH server: a working one is
 * OK step by step; a stopped server, a changed host key and a missing inbox
 * each fail by name with the next step (exit 1). Without a passphrase it
 * warns that nothing was tried instead of saying OK. Backups: none yet on a
 * workstation set up today is a warning, and any CLI command that unlocks
 * (and `medseal watch`) writes the policy's automatic backup.
 */
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { EXIT } from '../../main/cli/exit-codes.js';
import { runCli } from '../../main/cli/run-cli.js';
import type { PolicyState } from '../../main/policy/load-policy.js';
import { POLICY_DEFAULTS } from '../../main/policy/policy-schema.js';
import { createFastProfiles } from '../helpers/profiles.js';
import { sshdUnavailable, startSshd, type SshdServer } from '../helpers/sshd.js';
import { scaled } from '../helpers/time.js';

const PASS = 'correct horse battery staple';
const unavailable = sshdUnavailable();
if (unavailable) console.warn(`doctor's SFTP tests skipped: ${unavailable}`);

interface Check {
  readonly name: string;
  readonly ok: boolean;
  readonly warning?: boolean;
  readonly detail: string;
}

let work: string;
let server: SshdServer;
let policy: Extract<PolicyState, { state: 'ok' }>;

/** The CLI in this process under the test's policy: exit code and everything it printed. */
async function medseal(args: string[], passphrase: string | null = PASS): Promise<{ code: number; text: string }> {
  const written: string[] = [];
  vi.stubEnv('MEDSEAL_PASSPHRASE', passphrase ?? '');
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => written.push(String(chunk)) > 0);
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => written.push(String(chunk)) > 0);
  try {
    const code = await runCli(['--home', join(work, 'alice'), ...args], { loadPolicy: () => Promise.resolve(policy) });
    return { code, text: written.join('') };
  } finally {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
  }
}

async function doctorChecks(passphrase: string | null = PASS): Promise<{ code: number; checks: Check[] }> {
  const { code, text } = await medseal(['--json', 'doctor'], passphrase);
  const json = text.slice(text.indexOf('{'));
  return { code, checks: (JSON.parse(json) as { checks: Check[] }).checks };
}

const exchangeLines = (checks: readonly Check[]) => checks.filter((entry) => entry.name.startsWith('exchange'));

describe.skipIf(unavailable !== null)('medseal doctor: every exchange, tried', () => {
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'medseal-doctor-'));
    server = await startSshd();
    await mkdir(join(work, 'org-share'));
    await mkdir(join(work, 'own-share'));
    policy = {
      state: 'ok',
      source: 'test policy',
      effective: {
        ...POLICY_DEFAULTS,
        exchangeFolders: [join(work, 'org-share')],
        sftpExchanges: [{ name: 'partner-lab', url: server.url, hostKey: server.hostKeyFingerprint }],
        backupFolder: join(work, 'backups'),
      },
      managed: ['exchangeFolders', 'sftpExchanges', 'backupFolder'],
    };
    await createFastProfiles(work, PASS, [{ home: 'alice', name: 'Dr Alice Adams', email: 'alice@general.example' }]);
  }, scaled(60_000));
  afterAll(async () => {
    await server?.dispose();
    if (work) await rm(work, { recursive: true, force: true });
  });
  afterEach(async () => server.ensureRunning());

  it(
    "an organisation's SFTP server without the person's login key fails with the command that adds it; added, every exchange is OK step by step",
    async () => {
      const before = await doctorChecks();
      expect(before.code).toBe(EXIT.internal);
      expect(exchangeLines(before.checks)).toContainEqual({
        name: 'exchange partner-lab (127.0.0.1)',
        ok: false,
        detail: expect.stringMatching(
          /^cannot connect: .*not added your login key.* Next: Add your login key .* Run: medseal --home \S+ exchange add partner-lab --key-file YOUR-KEY-FILE$/,
        ) as string,
      });

      expect(exchangeLines(before.checks)).toContainEqual({
        name: `exchange ${join(work, 'org-share')}`,
        ok: false,
        detail: expect.stringMatching(/^connected; your inbox is missing: /) as string, // never looked at yet
      });

      expect((await medseal(['exchange', 'add', 'partner-lab', '--key-file', server.clientKeyFile])).code).toBe(0);
      const own = await medseal(['exchange', 'add', join(work, 'own-share'), '--name', 'Ward 4 share']);
      expect(own.code, own.text).toBe(0);
      expect((await medseal(['inbox'])).code).toBe(0); // looks at every exchange: makes and announces the inbox
      const after = await doctorChecks();
      expect(exchangeLines(after.checks)).toEqual([
        {
          name: `exchange ${join(work, 'org-share')}`,
          ok: true,
          detail: 'connected, your inbox is there, announced to partners, writable',
        },
        {
          name: `exchange Ward 4 share (${join(work, 'own-share')})`,
          ok: true,
          detail: 'connected, your inbox is there, announced to partners, writable',
        },
        {
          name: 'exchange partner-lab (127.0.0.1)',
          ok: true,
          detail: 'connected, host key as pinned, your inbox is there, announced to partners, writable',
        },
      ]);
      expect(after.code, JSON.stringify(after.checks)).toBe(EXIT.ok);
    },
    scaled(60_000),
  );

  it(
    'a stopped SFTP server: FAIL naming it, what is wrong and the next step; exit 1',
    async () => {
      await server.stop();
      const { code, text } = await medseal(['doctor']);
      expect(code).toBe(EXIT.internal);
      expect(text).toMatch(
        /^FAIL {2}exchange partner-lab \(127\.0\.0\.1\): cannot connect: The exchange server could not be reached \(127\.0\.0\.1:\d+\).* Next: Check the network, then ask IT whether the server is running/m,
      );
      expect(text).toMatch(new RegExp(`^OK {4}exchange ${join(work, 'org-share')}: connected`, 'm')); // the others still tried
    },
    scaled(60_000),
  );

  it(
    'a server whose host key changed: FAIL as a possible interception, the next step from IT',
    async () => {
      await server.stop();
      const changed = await server.newHostKey();
      await server.start();
      try {
        const { code, checks } = await doctorChecks();
        expect(code).toBe(EXIT.internal);
        const line = checks.find((entry) => entry.name === 'exchange partner-lab (127.0.0.1)');
        expect(line?.ok).toBe(false);
        expect(line?.detail).toMatch(/^connected; host key changed: .*different host key/);
        expect(line?.detail).toContain(changed);
        expect(line?.detail).toMatch(/Next: Send nothing through it and call IT: someone may be in between/);
      } finally {
        policy = {
          ...policy,
          effective: {
            ...policy.effective,
            sftpExchanges: [{ name: 'partner-lab', url: server.url, hostKey: changed }],
          },
        }; // IT confirmed the new key: the policy names it
      }
      // Announcements name the server by its key: the inbox there is announced anew, then all is well.
      const stale = await doctorChecks();
      expect(stale.checks.find((entry) => entry.name === 'exchange partner-lab (127.0.0.1)')?.detail).toMatch(
        /; your inbox is not announced: .*carries an announcement made for another exchange.* Run: medseal --home \S+ inbox$/,
      );
      expect((await medseal(['inbox'])).code).toBe(0);
      const fixed = await doctorChecks();
      expect(fixed.checks.find((entry) => entry.name === 'exchange partner-lab (127.0.0.1)')?.ok).toBe(true);
    },
    scaled(60_000),
  );

  it(
    "the person's inbox removed from a share: FAIL with the command that makes it again, which does",
    async () => {
      const inboxes = join(work, 'org-share', 'inboxes');
      const [mine] = await readdir(inboxes);
      await rm(join(inboxes, mine!), { recursive: true });
      const { code, text } = await medseal(['doctor']);
      expect(code).toBe(EXIT.internal);
      expect(text).toContain(
        `FAIL  exchange ${join(work, 'org-share')}: connected; your inbox is missing: You have no inbox on the exchange`,
      );
      expect(text).toMatch(/Next: Unlock MedSeal or look at your inbox: .* Run: medseal --home \S+alice inbox$/m);
      expect((await medseal(['inbox'])).code).toBe(0);
      expect((await doctorChecks()).code).toBe(EXIT.ok);
    },
    scaled(60_000),
  );

  it(
    'without a passphrase to be had, the exchanges are not said OK: a warning says they were not tried',
    async () => {
      await server.stop(); // would fail if tried
      const { code, checks } = await doctorChecks(null);
      expect(code).toBe(EXIT.ok);
      expect(checks).toContainEqual({
        name: 'exchanges',
        ok: true,
        warning: true,
        detail: expect.stringMatching(/^not tried: logging in to them .* needs your passphrase/) as string,
      });
      expect(checks.some((entry) => entry.name.startsWith('exchange partner-lab'))).toBe(false);
      const wrong = await doctorChecks('not the passphrase');
      expect(wrong.code).toBe(EXIT.internal);
      expect(wrong.checks).toContainEqual({
        name: 'exchanges',
        ok: false,
        detail: expect.stringMatching(
          /^not tried: the identity did not unlock \(The passphrase is not correct/,
        ) as string,
      });
    },
    scaled(60_000),
  );
});

describe('medseal doctor and the automatic backups of a CLI-only workstation', () => {
  let home: string;
  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'medseal-doctor-backups-'));
    work = home;
    policy = {
      state: 'ok',
      source: 'test policy',
      effective: { ...POLICY_DEFAULTS, backupFolder: join(home, 'backups'), backupIntervalHours: 24 },
      managed: ['backupFolder'],
    };
    await createFastProfiles(home, PASS, [{ home: 'alice', name: 'Dr Alice Adams', email: 'alice@general.example' }]);
  });
  afterAll(async () => {
    if (home) await rm(home, { recursive: true, force: true });
  });
  /** The identity's automatic backup folder (backups/<fingerprint>/), and what is in it. */
  const identityFolder = async () => {
    const [folder] = await readdir(join(home, 'backups')).catch(() => [] as string[]);
    return folder === undefined ? null : join(home, 'backups', folder);
  };
  const backups = async () => {
    const folder = await identityFolder();
    return folder === null ? [] : readdir(folder);
  };

  it('none yet on a workstation set up today is a warning, not a failure; a command that unlocks writes one', async () => {
    const fresh = await doctorChecks(null); // nothing unlocks: nothing is written
    expect(fresh.code, JSON.stringify(fresh.checks)).toBe(EXIT.ok);
    expect(fresh.checks).toContainEqual({
      name: 'automatic backups',
      ok: true,
      warning: true,
      detail: expect.stringMatching(
        /^none yet in .*; the identity is 0\.\d hours old, the first is due within 24 hours$/,
      ) as string,
    });
    expect(await backups()).toEqual([]);

    expect((await medseal(['contacts', 'list'])).code).toBe(0);
    expect(await backups()).toEqual([expect.stringMatching(/^MedSeal-\d{8}T\d{6}Z\.medseal-backup$/)]);
    const after = await doctorChecks(null);
    expect(after.checks).toContainEqual({
      name: 'automatic backups',
      ok: true,
      detail: expect.stringMatching(/^newest made 0\.\d hours ago/) as string,
    });
    expect((await medseal(['contacts', 'list'])).code).toBe(0);
    expect(await backups()).toHaveLength(1); // not due again within the interval
  });

  it('`medseal watch` writes the automatic backup of a hot-folder service account while it runs', async () => {
    await rm((await identityFolder())!, { recursive: true }); // as on a service account that never had one
    const written: string[] = [];
    vi.stubEnv('MEDSEAL_PASSPHRASE', PASS);
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => written.push(String(chunk)) > 0);
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => written.push(String(chunk)) > 0);
    const before = new Set(process.listeners('SIGTERM'));
    try {
      const running = runCli(['--home', join(home, 'alice'), 'watch', '--outbox', join(home, 'outbox')], {
        loadPolicy: () => Promise.resolve(policy),
      });
      await vi.waitFor(async () => expect(await backups()).toHaveLength(1), { timeout: scaled(20_000), interval: 100 });
      const stop = process.listeners('SIGTERM').find((listener) => !before.has(listener));
      stop!('SIGTERM'); // as a service manager stopping it would
      expect(await running).toBe(EXIT.ok);
    } finally {
      vi.restoreAllMocks();
      vi.unstubAllEnvs();
    }
  });
});
