/**
 * Another mail program, for the e-mail tests: a message submitted straight to the test server as one of
 * its users (any From header, any attachments), as a partner, a stranger or an attacker would send it,
 * without MedSeal's own transport.
 */
import { readFile } from 'node:fs/promises';
import MailComposer from 'nodemailer/lib/mail-composer';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import type { MailServer, MailUser } from './mail-server.js';

export interface RawMessage {
  /** The From header (the envelope sender is always the logged-in user). */
  readonly from: string;
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly attachments: readonly (
    { filename: string; path: string } | { filename: string; content: Buffer | string }
  )[];
}

/** Submits `message` over implicit TLS, logged in as `user`. */
export async function submitRaw(server: MailServer, user: MailUser, message: RawMessage): Promise<void> {
  const body = await new MailComposer({ ...message, attachments: [...message.attachments] }).compile().build();
  const connection = new SMTPConnection({
    host: '127.0.0.1',
    port: server.smtpsPort,
    secure: true,
    tls: { ca: await readFile(server.caFile, 'utf8') },
    allowInternalNetworkInterfaces: true,
  });
  await new Promise<void>((resolve, reject) => {
    connection.once('error', reject);
    connection.connect(() => resolve());
  });
  await new Promise<void>((resolve, reject) =>
    connection.login({ user: user.address, pass: user.password }, (error) => (error ? reject(error) : resolve())),
  );
  await new Promise<void>((resolve, reject) =>
    connection.send({ from: user.address, to: [message.to] }, body, (error) => (error ? reject(error) : resolve())),
  );
  connection.quit();
}
