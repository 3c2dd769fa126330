/**
 * Benchmark (not a test): a referral by e-mail between two clinicians over
 * real Postfix (submission) and Dovecot (IMAP) started here on 127.0.0.1 —
 * seal, send by e-mail, the package in the partner's inbox, opened, the
 * receipt back in the sender's history — through the services the app and
 * the CLI share (in-process). Prints wall time per step for each size.
 * Needs root (Postfix's master refuses anyone else).
 * Usage: npm run bench:mail [-- --sizes-mib 1,20]
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSodium } from '../../main/crypto/sodium.js';
import { fingerprintHex } from '../../main/identity/fingerprint.js';
import { recipientStatuses } from '../../main/services/delivery/recipient-status.js';
import type { ProfileSession } from '../../main/services/profile-session.js';
import { person, services } from '../helpers/delivery-people.js';
import { mailServerUnavailable, startMailServer, type MailUser } from '../helpers/mail-server.js';
import { argument } from './bench-args.js';

const sizes = argument('--sizes-mib', '1,20').split(',').map(Number);

async function until<T>(what: string, look: () => Promise<T | undefined>): Promise<T> {
  const end = Date.now() + 120_000;
  for (;;) {
    const found = await look();
    if (found !== undefined) return found;
    if (Date.now() > end) throw new Error(`${what}: not within 120 s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function main(): Promise<void> {
  const unavailable = mailServerUnavailable();
  if (unavailable) throw new Error(`cannot run: ${unavailable}`);
  await loadSodium();
  const server = await startMailServer({ messageSizeLimit: 64 * 1024 * 1024 });
  const work = await mkdtemp(join(tmpdir(), 'medseal-bench-mail-'));
  try {
    const users: MailUser[] = [await server.users.create('alice'), await server.users.create('bob')];
    const [alice, bob] = [
      await person(work, 'Dr Alice Adams', users[0]!.address),
      await person(work, 'Dr Bob Brown', users[1]!.address),
    ] as [ProfileSession, ProfileSession];
    await alice.requireUnlocked().contacts.importCard(bob.requireUnlocked().identity.card);
    await bob.requireUnlocked().contacts.importCard(alice.requireUnlocked().identity.card);
    for (const [session, user] of [
      [alice, users[0]!],
      [bob, users[1]!],
    ] as const)
      await services(session).exchanges.addMailbox({
        smtp: `smtps://127.0.0.1:${server.smtpsPort}`,
        imap: `imaps://127.0.0.1:${server.imapPort}`,
        password: async () => user.password,
        caFile: server.caFile,
      });
    const a = services(alice);
    const b = services(bob);
    console.log('e-mail round trip over local Postfix + Dovecot (in-process services), wall time per step:');
    for (const mib of sizes) {
      const input = join(work, `scan-${mib}.bin`);
      await writeFile(input, randomBytes(mib * 1024 * 1024));
      const steps: string[] = [];
      let at = performance.now();
      const step = (name: string) => {
        steps.push(`${name} ${Math.round(performance.now() - at)} ms`);
        at = performance.now();
      };
      const prepared = await a.send.prepare({
        files: [{ path: input }],
        recipients: [users[1]!.address],
        note: '',
        confirmUnverified: true,
      });
      const sealed = await a.send.start(prepared, join(work, `scan-${mib}.medseal`)).done;
      step('seal');
      const report = await a.queue.send(join(work, `scan-${mib}.medseal`), sealed.packageHash, [
        fingerprintHex(bob.requireUnlocked().identity.card.fingerprint),
      ]);
      if (report.delivered[0]?.kind !== 'email') throw new Error('not sent by e-mail');
      step('send (SMTP)');
      const entry = await until('in the inbox', async () =>
        (await b.inbox.list()).packages.find((item) => item.preview?.packageHash === sealed.packageHash),
      );
      step("in the partner's inbox (IMAP, previewed)");
      const opened = await b.inbox.open(entry.id, await mkdtemp(join(work, 'open-')), { confirmUntrusted: true });
      if ((await opened.job.done).receipt !== 'sent') throw new Error('no receipt sent');
      step('opened, receipt sent');
      await until('receipt back', async () => {
        await a.inbox.list();
        const profile = alice.requireUnlocked();
        const summary = profile.history.recent(20).find((item) => item.packageHash === sealed.packageHash)!;
        const status = (await recipientStatuses(profile, [summary])).get(summary.id)![0]!.status;
        return status === 'opened' ? status : undefined;
      });
      step('receipt back');
      console.log(`  ${mib} MiB: ${steps.join(' · ')}`);
    }
    alice.close();
    bob.close();
  } finally {
    await server.dispose();
    await rm(work, { recursive: true, force: true });
  }
}

await main();
