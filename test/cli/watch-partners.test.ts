/**
 * `medseal watch` (the hot-folder service) refreshes partner organisations'
 * directories at its start and every hour (issue 32), in-process with fake
 * interval timers: the directory is taken at the start; a second history
 * signed by the partner's key, served an hour later, is warned about once on
 * stderr however many hours it stays; the run goes on, and `org partner list`
 * shows the fork alarm afterwards.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PARTNER_REFRESH_MS } from '../../main/cli/commands/watch.js';
import { EXIT } from '../../main/cli/exit-codes.js';
import { runCli } from '../../main/cli/run-cli.js';
import type { PolicyState } from '../../main/policy/load-policy.js';
import { POLICY_DEFAULTS } from '../../main/policy/policy-schema.js';
import { fastIdentity } from '../helpers/identities.js';
import { TestPartnerOrg } from '../helpers/partner-directory.js';
import { createFastProfiles } from '../helpers/profiles.js';
import { scaled } from '../helpers/time.js';

const PASS = 'correct horse battery staple';
let work: string;
let city: TestPartnerOrg;
let policy: PolicyState;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'medseal-watch-partners-'));
  await createFastProfiles(work, PASS, [{ home: 'alice', name: 'Alice Adams', email: 'alice@general.example' }]);
  city = await TestPartnerOrg.create(join(work, 'city-dir'), 'City Clinic');
  await city.publish([{ op: 'add', card: (await fastIdentity('Carol Cole')).card }]);
  policy = {
    state: 'ok',
    source: 'test policy',
    effective: {
      ...POLICY_DEFAULTS,
      partnerOrganisations: [{ name: 'City Clinic', key: city.key, source: city.source }],
    },
    managed: ['partnerOrganisations'],
  };
}, scaled(30_000));

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('medseal watch and partner organisations', () => {
  it('refreshes at the start and hourly; a fork alarm is warned about once and the run goes on', async () => {
    const stdout: string[] = [];
    const stderr: string[] = [];
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    vi.stubEnv('MEDSEAL_PASSPHRASE', PASS);
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => stdout.push(String(chunk)) > 0);
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => stderr.push(String(chunk)) > 0);
    const before = new Set(process.listeners('SIGTERM'));
    const options = { loadPolicy: () => Promise.resolve(policy) };
    try {
      const running = runCli(['--home', join(work, 'alice'), 'watch', '--outbox', join(work, 'outbox')], options);
      await vi.waitFor(() => expect(stderr.join('')).toContain('medseal: watching'), { timeout: scaled(20_000) });
      // The start's refresh takes change 1 (accepted: only the one line that it ran); the fork is a
      // fork only against it, so it is written after that refresh is over.
      await vi.waitFor(() => expect(stderr.join('')).toContain('medseal: partner directories checked (1)'), {
        timeout: scaled(20_000),
      });
      expect(stderr.join('')).not.toMatch(/partner City Clinic/);
      await city.fork(0, [{ op: 'add', card: (await fastIdentity('Eve Evans')).card }]);
      const alarms = () => stderr.filter((line) => line.includes('partner City Clinic: directory refused')).length;
      vi.advanceTimersByTime(PARTNER_REFRESH_MS);
      await vi.waitFor(() => expect(alarms()).toBe(1), { timeout: scaled(20_000), interval: 50 });
      expect(stderr.join('')).toMatch(/partner City Clinic: directory refused: Alarm: .*two different histories/);
      vi.advanceTimersByTime(3 * PARTNER_REFRESH_MS);
      await new Promise((resolve) => setTimeout(resolve, 300)); // the three refreshes (real time: only intervals are fake)
      expect(alarms()).toBe(1); // said once, not every hour
      expect(stderr.filter((line) => line.includes('partner directories checked'))).toHaveLength(1);
      const stop = process.listeners('SIGTERM').find((listener) => !before.has(listener));
      stop!('SIGTERM');
      expect(await running).toBe(EXIT.ok);
      stdout.length = 0;
      expect(await runCli(['--home', join(work, 'alice'), '--json', 'org', 'partner', 'list'], options)).toBe(EXIT.ok);
      expect(JSON.parse(stdout.join(''))).toMatchObject({ partners: [{ name: 'City Clinic', status: 'fork' }] });
    } finally {
      vi.restoreAllMocks();
      vi.unstubAllEnvs();
      vi.useRealTimers();
    }
  });
});
