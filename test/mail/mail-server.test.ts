/**
 * The test mail server itself (test/helpers/mail-server.ts): real Postfix and Dovecot, spoken to
 * with raw SMTP and IMAP over Node's tls, so that the e-mail transport's tests stand on a server
 * that is known to deliver, to require TLS and to refuse bad logins.
 */
import { readFile } from 'node:fs/promises';
import { connect as connectTcp, type Socket } from 'node:net';
import { connect as connectTls, type TLSSocket } from 'node:tls';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailServerUnavailable, startMailServer, type MailServer, type MailUser } from '../helpers/mail-server.js';
import { scaled } from '../helpers/time.js';

const unavailable = mailServerUnavailable();
if (unavailable) console.warn(`medseal tests: the mail server tests are skipped: ${unavailable}`);

/** A line-oriented conversation on a socket: send a line, read until a reply is complete. */
class Conversation {
  private buffer = '';
  private waiter: (() => void) | null = null;
  private closed = false;

  constructor(private socket: Socket | TLSSocket) {
    this.attach(socket);
  }

  private attach(socket: Socket | TLSSocket): void {
    this.socket = socket;
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      this.buffer += chunk;
      this.waiter?.();
    });
    socket.on('close', () => {
      this.closed = true;
      this.waiter?.();
    });
    socket.on('error', () => undefined);
  }

  /** Reads until `complete` finds a whole reply in what came in; returns it and keeps the rest. */
  async read(complete: (text: string) => number | null): Promise<string> {
    const deadline = Date.now() + scaled(10_000);
    for (;;) {
      const end = complete(this.buffer);
      if (end !== null) {
        const reply = this.buffer.slice(0, end);
        this.buffer = this.buffer.slice(end);
        return reply;
      }
      if (this.closed) throw new Error(`connection closed; so far: ${this.buffer}`);
      if (Date.now() > deadline) throw new Error(`no complete reply; so far: ${this.buffer}`);
      await new Promise<void>((resolve) => {
        this.waiter = resolve;
        setTimeout(resolve, 100);
      });
      this.waiter = null;
    }
  }

  write(line: string): void {
    this.socket.write(`${line}\r\n`);
  }

  /** STARTTLS: the same connection, now encrypted and checked against `ca`. */
  async upgrade(ca: string): Promise<void> {
    const plain = this.socket;
    plain.removeAllListeners('data');
    plain.removeAllListeners('close');
    const secure = connectTls({ socket: plain, ca, host: '127.0.0.1' });
    await new Promise<void>((resolve, reject) => {
      secure.once('secureConnect', resolve);
      secure.once('error', reject);
    });
    this.buffer = '';
    this.closed = false;
    this.attach(secure);
  }

  close(): void {
    this.socket.destroy();
  }
}

/** A connection in plain TCP (`ca` null) or TLS checked against `ca` (undefined: the system's CAs). */
async function open(port: number, ca: string | null | undefined): Promise<Conversation> {
  const socket = ca === null ? connectTcp(port, '127.0.0.1') : connectTls({ port, host: '127.0.0.1', ca });
  await new Promise<void>((resolve, reject) => {
    socket.once(ca === null ? 'connect' : 'secureConnect', () => resolve());
    socket.once('error', reject);
  });
  return new Conversation(socket);
}

// SMTP: a reply ends with a line "NNN text" (a space after the code).
const smtpReply = (text: string) => {
  const match = /^\d{3} [^\r\n]*\r\n/m.exec(text);
  return match ? match.index + match[0].length : null;
};
async function smtp(talk: Conversation, line: string | null): Promise<string> {
  if (line !== null) talk.write(line);
  return talk.read(smtpReply);
}
/** Greeting, EHLO and AUTH PLAIN on `talk`: AUTH's reply, or where the server ended the connection. */
async function smtpLoginOutcome(talk: Conversation, user: MailUser): Promise<string> {
  let step = 'greeting';
  try {
    await smtp(talk, null);
    step = 'EHLO';
    await smtp(talk, 'EHLO client.test');
    step = 'AUTH';
    return (await smtp(talk, `AUTH PLAIN ${plainAuth(user)}`)).slice(0, 3);
  } catch (error) {
    if (!/^connection closed/.test((error as Error).message)) throw error;
    return `closed at ${step}`;
  } finally {
    talk.close();
  }
}
const plainAuth = (user: MailUser) => Buffer.from(`\0${user.address}\0${user.password}`).toString('base64');

// IMAP: a tagged command's reply ends with the line "<tag> OK|NO|BAD …".
let tagCount = 0;
async function imap(talk: Conversation, command: string): Promise<string> {
  const tag = `t${++tagCount}`;
  talk.write(`${tag} ${command}`);
  return talk.read((text) => {
    const match = new RegExp(`^${tag} (OK|NO|BAD)[^\\r\\n]*\\r\\n`, 'm').exec(text);
    return match ? match.index + match[0].length : null;
  });
}
const imapGreeting = (text: string) => /^\* [^\r\n]*\r\n/.exec(text)?.[0].length ?? null;
const quote = (text: string) => `"${text.replace(/(["\\])/g, '\\$1')}"`;

/** Submits a message over implicit TLS with AUTH PLAIN; returns Postfix's final reply. */
async function submit(server: MailServer, ca: string, from: MailUser, to: string, body: string): Promise<string> {
  const talk = await open(server.smtpsPort, ca);
  try {
    expect(await smtp(talk, null)).toMatch(/^220 /);
    expect(await smtp(talk, 'EHLO client.test')).toMatch(/^250[- ]AUTH .*PLAIN/m);
    expect(await smtp(talk, `AUTH PLAIN ${plainAuth(from)}`)).toMatch(/^235 /);
    expect(await smtp(talk, `MAIL FROM:<${from.address}>`)).toMatch(/^250 /);
    expect(await smtp(talk, `RCPT TO:<${to}>`)).toMatch(/^250 /);
    expect(await smtp(talk, 'DATA')).toMatch(/^354 /);
    talk.write(
      [`From: <${from.address}>`, `To: <${to}>`, 'Subject: MedSeal mail server test', '', body, '.'].join('\r\n'),
    );
    const accepted = await smtp(talk, null);
    await smtp(talk, 'QUIT');
    return accepted;
  } finally {
    talk.close();
  }
}

/** Waits until the INBOX of `user` holds a message containing `marker`; returns its text. */
async function fetchFromInbox(server: MailServer, ca: string, user: MailUser, marker: string): Promise<string> {
  const talk = await open(server.imapPort, ca);
  try {
    await talk.read(imapGreeting);
    expect(await imap(talk, `LOGIN ${quote(user.address)} ${quote(user.password)}`)).toMatch(/ OK /);
    const deadline = Date.now() + scaled(15_000);
    for (;;) {
      expect(await imap(talk, 'SELECT INBOX')).toMatch(/ OK /);
      const search = await imap(talk, `UID SEARCH BODY ${quote(marker)}`);
      const uid = /^\* SEARCH (\d+)/m.exec(search)?.[1];
      if (uid) return await imap(talk, `UID FETCH ${uid} BODY.PEEK[]`);
      if (Date.now() > deadline) throw new Error(`no message with ${marker}:\n${await server.logs()}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  } finally {
    talk.close();
  }
}

describe.skipIf(unavailable !== null)('the test mail server (Postfix + Dovecot)', () => {
  let server: MailServer;
  let ca: string;
  let alice: MailUser;
  let bob: MailUser;

  beforeAll(async () => {
    server = await startMailServer();
    ca = await readFile(server.caFile, 'utf8');
    alice = await server.users.create('alice');
    bob = await server.users.create('bob');
  });
  afterAll(async () => server?.dispose());

  it('delivers a message submitted with TLS and AUTH by one user to the INBOX of another, read over IMAPS', async () => {
    const marker = `marker-${randomBytes(8).toString('hex')}`;
    expect(await submit(server, ca, alice, bob.address, `Hello Bob, ${marker}`)).toMatch(/^250 /);
    const fetched = await fetchFromInbox(server, ca, bob, marker);
    expect(fetched).toContain(`From: <${alice.address}>`);
    expect(fetched).toContain(marker);
  });

  it('delivers through STARTTLS submission too, and offers IDLE over IMAPS', async () => {
    const marker = `marker-${randomBytes(8).toString('hex')}`;
    const talk = await open(server.smtpPort, null);
    try {
      await smtp(talk, null);
      expect(await smtp(talk, 'EHLO client.test')).toMatch(/^250[- ]STARTTLS/m);
      expect(await smtp(talk, 'STARTTLS')).toMatch(/^220 /);
      await talk.upgrade(ca);
      expect(await smtp(talk, 'EHLO client.test')).toMatch(/^250[- ]AUTH .*PLAIN/m);
      expect(await smtp(talk, `AUTH PLAIN ${plainAuth(bob)}`)).toMatch(/^235 /);
      expect(await smtp(talk, `MAIL FROM:<${bob.address}>`)).toMatch(/^250 /);
      expect(await smtp(talk, `RCPT TO:<${alice.address}>`)).toMatch(/^250 /);
      expect(await smtp(talk, 'DATA')).toMatch(/^354 /);
      talk.write(['Subject: back', '', marker, '.'].join('\r\n'));
      expect(await smtp(talk, null)).toMatch(/^250 /);
    } finally {
      talk.close();
    }
    expect(await fetchFromInbox(server, ca, alice, marker)).toContain(marker);

    const reader = await open(server.imapPort, ca);
    try {
      await reader.read(imapGreeting);
      expect(await imap(reader, `LOGIN ${quote(alice.address)} ${quote(alice.password)}`)).toMatch(/ OK /);
      expect(await imap(reader, 'CAPABILITY')).toMatch(/^\* CAPABILITY .*\bIDLE\b/m);
    } finally {
      reader.close();
    }
  });

  it('refuses AUTH before STARTTLS, and does not even offer it', async () => {
    const talk = await open(server.smtpPort, null);
    try {
      await smtp(talk, null);
      const ehlo = await smtp(talk, 'EHLO client.test');
      expect(ehlo).not.toMatch(/AUTH/);
      expect(await smtp(talk, `AUTH PLAIN ${plainAuth(alice)}`)).toMatch(/^530 5\.7\.0 .*STARTTLS/);
      expect(await smtp(talk, `MAIL FROM:<${alice.address}>`)).toMatch(/^530 /);
    } finally {
      talk.close();
    }
  });

  it('refuses a wrong password over SMTP and over IMAP, and mail from someone not logged in', async () => {
    const wrong = { address: alice.address, password: `${alice.password}x` };
    const talk = await open(server.smtpsPort, ca);
    try {
      await smtp(talk, null);
      await smtp(talk, 'EHLO client.test');
      expect(await smtp(talk, `AUTH PLAIN ${plainAuth(wrong)}`)).toMatch(/^535 /);
      expect(await smtp(talk, `MAIL FROM:<${alice.address}>`)).toMatch(/^250 /);
      expect(await smtp(talk, `RCPT TO:<${bob.address}>`)).toMatch(/^554 /);
    } finally {
      talk.close();
    }
    const reader = await open(server.imapPort, ca);
    try {
      await reader.read(imapGreeting);
      expect(await imap(reader, `LOGIN ${quote(wrong.address)} ${quote(wrong.password)}`)).toMatch(
        /^t\d+ NO .*AUTHENTICATIONFAILED/m,
      );
    } finally {
      reader.close();
    }
  });

  it('refuses a server certificate that no CA of the client vouches for', async () => {
    await expect(open(server.imapPort, undefined)).rejects.toThrow(/self.signed|unable to verify|local issuer/i);
    await expect(open(server.smtpsPort, undefined)).rejects.toThrow(/self.signed|unable to verify|local issuer/i);
  });

  it('relays nothing to other domains', async () => {
    const talk = await open(server.smtpsPort, ca);
    try {
      await smtp(talk, null);
      await smtp(talk, 'EHLO client.test');
      expect(await smtp(talk, `AUTH PLAIN ${plainAuth(alice)}`)).toMatch(/^235 /);
      expect(await smtp(talk, `MAIL FROM:<${alice.address}>`)).toMatch(/^250 /);
      expect(await smtp(talk, 'RCPT TO:<someone@example.com>')).toMatch(/^554 .*Relay access denied/);
    } finally {
      talk.close();
    }
  });

  it('stops and starts again on the same ports, with the same users and mailboxes', async () => {
    const marker = `marker-${randomBytes(8).toString('hex')}`;
    expect(await submit(server, ca, alice, bob.address, marker)).toMatch(/^250 /);
    await fetchFromInbox(server, ca, bob, marker);

    // Dovecot down: no IMAP, and SMTP logins (through Dovecot) fail for now, not for good. Postfix
    // starts again after Dovecot stopped, so that no smtpd process is left from before (one that
    // was would answer 454 for a while, a new one ends the connection: which one answered depended
    // on Postfix's reuse of its processes, and on the load).
    await server.stop('smtp');
    await server.stop('imap');
    await server.start('smtp');
    await expect(open(server.imapPort, ca)).rejects.toThrow(/ECONNREFUSED/);
    // Postfix's smtpd finds no SASL mechanisms and ends before its greeting: no 235, and no 535 (a
    // wrong password, which a mail client would tell its user). Twice: each connection the same.
    for (let attempt = 0; attempt < 2; attempt++)
      expect(await smtpLoginOutcome(await open(server.smtpsPort, ca), alice)).toBe('closed at greeting');

    await server.stop();
    await expect(open(server.smtpsPort, ca)).rejects.toThrow(/ECONNREFUSED/);
    await expect(open(server.smtpPort, null)).rejects.toThrow(/ECONNREFUSED/);
    await server.start();
    expect(await fetchFromInbox(server, ca, bob, marker)).toContain(marker);
    const again = `marker-${randomBytes(8).toString('hex')}`;
    expect(await submit(server, ca, bob, alice.address, again)).toMatch(/^250 /);
    expect(await fetchFromInbox(server, ca, alice, again)).toContain(again);
  });

  it('runs beside another one and leaves nothing behind', async () => {
    const other = await startMailServer();
    const folder = other.caFile.replace(/\/tls\/ca\.pem$/, '');
    try {
      expect(other.domain).not.toBe(server.domain);
      expect([other.smtpPort, other.imapPort]).not.toContain(server.smtpPort);
      const carol = await other.users.create('carol');
      const marker = `marker-${randomBytes(8).toString('hex')}`;
      expect(await submit(other, await readFile(other.caFile, 'utf8'), carol, carol.address, marker)).toMatch(/^250 /);
      expect(await fetchFromInbox(other, await readFile(other.caFile, 'utf8'), carol, marker)).toContain(marker);
      // The first server's users are not the other's.
      const talk = await open(other.imapPort, await readFile(other.caFile, 'utf8'));
      try {
        await talk.read(imapGreeting);
        expect(await imap(talk, `LOGIN ${quote(alice.address)} ${quote(alice.password)}`)).toMatch(/^t\d+ NO /m);
      } finally {
        talk.close();
      }
    } finally {
      await other.dispose();
    }
    expect(existsSync(folder)).toBe(false);
    await expect(open(other.smtpsPort, null)).rejects.toThrow(/ECONNREFUSED/);
  });
});
