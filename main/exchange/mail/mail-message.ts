/**
 * The e-mail that carries a MedSeal file: always the same neutral subject
 * and body (they say only that an encrypted MedSeal file is attached and
 * how to open it: no patient data, no file names, no note; the sender's
 * display name at most, in From), the file as its one attachment named by
 * its delivery id, and the `X-MedSeal` header by which MedSeal knows its own
 * messages. Whatever the message says, trust comes only from the signature
 * inside the attachment: the receiving side never believes From.
 */
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import MailComposer from 'nodemailer/lib/mail-composer';

/** What a message carries: a package, a receipt, a contact card (an invitation), or the health check's test. */
export type MailItemKind = 'package' | 'receipt' | 'contact' | 'test';

export const MEDSEAL_HEADER = 'X-MedSeal';

/** File name endings of attachments MedSeal takes in from a mailbox. */
export const MAIL_ATTACHMENT_EXTENSIONS = {
  package: '.medseal',
  receipt: '.medseal-receipt',
  contact: '.medseal-contact',
} as const;

const SUBJECTS: Readonly<Record<MailItemKind, string>> = {
  package: 'Encrypted MedSeal package',
  receipt: 'MedSeal receipt',
  contact: 'MedSeal contact card',
  test: 'MedSeal connection test',
};

const BODIES: Readonly<Record<MailItemKind, string>> = {
  package: [
    'An encrypted MedSeal package is attached.',
    '',
    'Only the recipients it was sealed for can open it: in MedSeal, it appears under Receive',
    '(or save the attachment and open it with MedSeal). This e-mail itself contains no patient',
    'information; do not reply to it with any.',
  ].join('\r\n'),
  receipt: 'A signed MedSeal receipt is attached. MedSeal takes it in by itself; there is nothing to do.',
  contact: '', // an invitation's words come from the caller (contacts/invite)
  test: 'MedSeal sent this message to check the mailbox; it removes it by itself.',
};

export interface MailFile {
  readonly kind: MailItemKind;
  /** The attachment's name: a delivery id with the kind's ending, never a file name of the patient's. */
  readonly fileName: string;
  readonly path: string;
}

export interface MailEnvelope {
  readonly from: { readonly address: string; readonly name: string | null };
  readonly to: readonly string[];
  /** Ties the message to its delivery (the same id on a resend). */
  readonly deliveryId: string;
  /** Replaces the kind's body (an invitation's few lines); never patient information. */
  readonly body?: string;
}

/** The message as a stream of its RFC 5322 text (the file read from disk while it is sent). */
export function composeMessage(envelope: MailEnvelope, file: MailFile | null, kind: MailItemKind): Readable {
  const composer = new MailComposer({
    from: envelope.from.name ? { name: envelope.from.name, address: envelope.from.address } : envelope.from.address,
    to: [...envelope.to],
    subject: SUBJECTS[kind],
    text: envelope.body ?? BODIES[kind],
    headers: { [MEDSEAL_HEADER]: `${kind}; delivery=${envelope.deliveryId}` },
    attachments: file
      ? [{ filename: file.fileName, contentType: 'application/octet-stream', content: createReadStream(file.path) }]
      : [],
  });
  return composer.compile().createReadStream();
}

/** The size of a composed message (it is read once to count): what the SIZE limit is compared with. */
export async function messageSize(envelope: MailEnvelope, file: MailFile | null, kind: MailItemKind): Promise<number> {
  let size = 0;
  for await (const chunk of composeMessage(envelope, file, kind)) size += (chunk as Buffer).length;
  return size;
}
