/**
 * SIEM forwarding against a real receiver: Debian's rsyslogd started here on
 * 127.0.0.1, over TCP and over TLS with a test CA. Every audit event arrives
 * once and in order, also when the receiver is stopped mid-run and started
 * again and when MedSeal itself restarts; a server whose certificate another
 * CA signed gets nothing; and no file name or note ever reaches the SIEM.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSodium } from '../../main/crypto/sodium.js';
import { KDF_FLOOR } from '../../main/crypto/kdf.js';
import { InProcessPackageJobs } from '../../main/jobs/in-process-package-jobs.js';
import { POLICY_DEFAULTS } from '../../main/policy/policy-schema.js';
import { ProfileFolder } from '../../main/profile/profile-folder.js';
import { PolicyGate } from '../../main/services/policy-gate.js';
import { ProfileSession } from '../../main/services/profile-session.js';
import { SendService } from '../../main/services/send.js';
import { SiemForwarder } from '../../main/services/siem-forwarder.js';
import { fastIdentity } from '../helpers/identities.js';
import { rsyslogUnavailable, startRsyslog, type RsyslogServer } from '../helpers/rsyslog.js';
import { clinician } from '../helpers/clinicians.js';
import { runDoctor } from '../../main/services/doctor.js';
import { scaled } from '../helpers/time.js';

const ORIGIN = { hostname: 'ward7-pc12', user: 'dr.adams', appVersion: '0.1.0' };
const PATIENT_FILE = 'Zebulon-Quibble-MRN-8837261.pdf';
const NOTE = 'Zebulon Quibble: suspected fracture';

/** The seq numbers of the received RFC 5424 / CEF messages, in arrival order. */
const seqs = (lines: readonly string[]) => lines.map((line) => Number(/seq="(\d+)"/.exec(line)?.[1]));
const upTo = (count: number) => Array.from({ length: count }, (_, index) => index + 1);
const logged = (session: ProfileSession) => session.requireUnlocked().audit.entries().length;

async function profileSendingTo(
  work: string,
  name: string,
  policy: Partial<typeof POLICY_DEFAULTS>,
): Promise<ProfileSession> {
  const gate = new PolicyGate({
    state: 'ok',
    source: 'test',
    effective: { ...POLICY_DEFAULTS, ...policy },
    managed: Object.keys(policy) as never[],
  });
  const session = new ProfileSession(new ProfileFolder(join(work, name)), gate, KDF_FLOOR);
  await session.create(
    { name: 'Dr Ada Adams', organisation: 'General Hospital', email: `${name}@general.example` },
    'correct horse battery staple',
  );
  return session;
}

async function someEvents(session: ProfileSession, count: number): Promise<void> {
  for (let index = 0; index < count; index++)
    await session.requireUnlocked().contacts.importCard((await fastIdentity(`Partner ${index}`)).card);
}

const skipTcp = rsyslogUnavailable(false);
describe.skipIf(skipTcp !== null && !process.env.CI)('forwarding over TCP to rsyslog', () => {
  let work: string;
  let rsyslog: RsyslogServer;
  beforeAll(async () => {
    await loadSodium();
    work = await mkdtemp(join(tmpdir(), 'medseal-siem-'));
    rsyslog = await startRsyslog();
  }, scaled(30_000));
  afterAll(async () => {
    await rsyslog?.dispose();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('every event arrives once, in order, through a receiver restart and a MedSeal restart', async () => {
    const session = await profileSendingTo(work, 'tcp', { syslogServer: `tcp://127.0.0.1:${rsyslog.port}` });
    await someEvents(session, 3);
    const forwarder = new SiemForwarder(session, { origin: ORIGIN, timeoutMs: 3_000 });
    const n = logged(session); // identity.created, store.contact-set-created, 3 imports
    expect(await forwarder.flush()).toEqual({ sent: n, problem: null });
    expect(seqs(await rsyslog.waitFor(n))).toEqual(upTo(n));

    await rsyslog.stop();
    await someEvents(session, 3);
    const whileDown = await forwarder.flush();
    expect(whileDown.sent).toBe(0);
    expect(whileDown.problem).toMatch(/could not be reached/);
    await rsyslog.start();
    expect(await forwarder.flush()).toEqual({ sent: 3, problem: null });
    expect(seqs(await rsyslog.waitFor(n + 3))).toEqual(upTo(n + 3));

    const afterRestart = new SiemForwarder(session, { origin: ORIGIN }); // MedSeal restarted: the position was saved
    expect(await afterRestart.flush()).toEqual({ sent: 0, problem: null });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(seqs(await rsyslog.received())).toEqual(upTo(n + 3));
    session.close();
  });

  it("the app forwards by itself while unlocked: the new identity's events reach the SIEM without any call", async () => {
    const before = (await rsyslog.received()).length;
    const policy = {
      state: 'ok' as const,
      source: 'test',
      effective: { ...POLICY_DEFAULTS, syslogServer: `tcp://127.0.0.1:${rsyslog.port}` },
      managed: ['syslogServer' as const],
    };
    await clinician(work, 'app-user', 'app.user@general.example', 'General Hospital', policy);
    const lines = (await rsyslog.waitFor(before + 1)).slice(before);
    expect(lines.some((line) => line.includes(' identity.created '))).toBe(true);
  });

  it('doctor says whether the SIEM server answers, without sending anything', async () => {
    const policy = {
      state: 'ok' as const,
      source: 'test',
      effective: { ...POLICY_DEFAULTS, syslogServer: `tcp://127.0.0.1:${rsyslog.port}` },
      managed: ['syslogServer' as const],
    };
    const siemCheck = async () =>
      (await runDoctor(new ProfileFolder(join(work, 'doctor')), { loadPolicyState: async () => policy })).find(
        (entry) => entry.name === 'SIEM server',
      );
    const before = (await rsyslog.received()).length;
    expect(await siemCheck()).toMatchObject({ ok: true });
    await rsyslog.stop();
    try {
      expect(await siemCheck()).toMatchObject({
        ok: false,
        detail: expect.stringMatching(/cannot be reached.*wait in the audit log/),
      });
    } finally {
      await rsyslog.start();
    }
    expect((await rsyslog.received()).length).toBe(before);
  });

  it('the messages carry who, what, when, the workstation and the user, and never a file name or a note', async () => {
    const session = await profileSendingTo(work, 'content', {
      syslogServer: `tcp://127.0.0.1:${rsyslog.port}`,
      syslogFormat: 'cef',
    });
    const bob = await fastIdentity('Bob');
    await session.requireUnlocked().contacts.importCard(bob.card);
    await writeFile(join(work, PATIENT_FILE), 'synthetic record');
    const send = new SendService(session, new InProcessPackageJobs());
    const prepared = await send.prepare({
      files: [{ path: join(work, PATIENT_FILE) }],
      recipients: [bob.card.profile.email],
      note: NOTE,
      confirmUnverified: true,
    });
    await send.start(prepared, join(work, 'p.medseal')).done;
    const before = (await rsyslog.received()).length;
    const n = logged(session);
    expect((await new SiemForwarder(session, { origin: ORIGIN }).flush()).sent).toBe(n);
    const lines = (await rsyslog.waitFor(before + n)).slice(before);
    const sealed = lines.find((line) => line.includes('package.sealed'))!;
    expect(sealed).toMatch(/CEF:0\|MedSeal\|MedSeal\|0\.1\.0\|package\.sealed\|package\.sealed\|3\|/);
    expect(sealed).toContain('shost=ward7-pc12');
    expect(sealed).toContain('suser=dr.adams');
    expect(sealed).toContain('cn2Label=fileCount cn2=1');
    for (const line of lines) {
      expect(line).not.toMatch(/Zebulon|Quibble|8837261|fracture/);
    }
    session.close();
  });
});

const skipTls = rsyslogUnavailable(true);
describe.skipIf(skipTls !== null && !process.env.CI)('forwarding over TLS to rsyslog, the CA pinned', () => {
  let work: string;
  let rsyslog: RsyslogServer;
  beforeAll(async () => {
    await loadSodium();
    work = await mkdtemp(join(tmpdir(), 'medseal-siem-tls-'));
    rsyslog = await startRsyslog({ tls: true });
  }, scaled(60_000));
  afterAll(async () => {
    await rsyslog?.dispose();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('arrives as RFC 5424 with the event as JSON when the server presents a certificate of the pinned CA', async () => {
    const session = await profileSendingTo(work, 'tls', {
      syslogServer: `tls://127.0.0.1:${rsyslog.port}`,
      syslogCaFile: rsyslog.caFile!,
    });
    await someEvents(session, 1);
    const n = logged(session);
    expect(await new SiemForwarder(session, { origin: ORIGIN }).flush()).toEqual({ sent: n, problem: null });
    const lines = await rsyslog.waitFor(n);
    expect(seqs(lines)).toEqual(upTo(n));
    const last = lines[n - 1]!;
    const event = JSON.parse(last.slice(last.indexOf('{'))) as Record<string, unknown>;
    expect(event).toMatchObject({
      seq: n,
      action: 'contact.imported',
      workstation: 'ward7-pc12',
      user: 'dr.adams',
      file_count: null,
    });
    expect(last).toMatch(
      new RegExp(
        `^<109>1 \\S+ ward7-pc12 medseal - contact\\.imported \\[medseal@32473 seq="${n}" actor="[0-9a-f]{64}"\\] \\{`,
      ),
    );
    session.close();
  });

  it(
    'a server whose certificate another CA signed gets nothing, and the events wait',
    async () => {
      const other = await startRsyslog({ tls: true }); // its own, different test CA
      try {
        const session = await profileSendingTo(work, 'wrong-ca', {
          syslogServer: `tls://127.0.0.1:${other.port}`,
          syslogCaFile: rsyslog.caFile!,
        });
        const result = await new SiemForwarder(session, { origin: ORIGIN, timeoutMs: 3_000 }).flush();
        expect(result.sent).toBe(0);
        expect(result.problem).toMatch(/could not be reached/);
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect(await other.received()).toEqual([]);
        session.close();
      } finally {
        await other.dispose();
      }
    },
    scaled(60_000),
  );
});
