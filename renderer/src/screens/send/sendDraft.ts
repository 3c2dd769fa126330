/**
 * The Send draft as one state: the files, the recipients chosen and the search that finds them,
 * the subject and the package it answers (a reply), the note, the reader's confirmations, and the
 * seal job once started. One reducer, so that "Send another" (and leaving the tab after a package
 * is done) empties every part at once, and so that changing the recipients always takes back a
 * confirmation given for the earlier ones.
 */
import type { AnswerOf, Contact } from '../../api.js';

export type FileRef = AnswerOf<'files.pickToSeal'>[number];

/** A reply asked for on Receive (main's draft), once per `key`. */
export type ReplyRequest = AnswerOf<'open.replyDraft'> & { readonly key: number };

/** The package a reply answers: its history id, and its subject as the reply started with it. */
export interface Answering {
  readonly id: number;
  readonly subject: string;
}

/** A partner without MedSeal as main tidied and checked them (never the passphrase: that is no part of a draft). */
export type PassphraseRecipient = NonNullable<AnswerOf<'seal.checkPassphraseRecipient'>['recipient']>;

export interface SendDraft {
  readonly files: readonly FileRef[];
  readonly chosen: readonly Contact[];
  /** A partner without MedSeal, beside (or instead of) the contacts: the package gets a passphrase for them. */
  readonly passphraseRecipient: PassphraseRecipient | null;
  /** What is typed in the recipient search. */
  readonly query: string;
  readonly note: string;
  /** One line, encrypted like the note; '' for none. */
  readonly subject: string;
  /** The package this one answers (Reply on Receive), or null. */
  readonly answering: Answering | null;
  /** A reply whose sender is no contact to send to: the reader chooses the recipient. */
  readonly replyWithoutRecipient: boolean;
  /** A reply replaced a draft that had files, recipients or a note: said, so nothing goes missing unnoticed. */
  readonly replacedDraft: boolean;
  /** The reader sends to recipients whose safety numbers they have not compared, knowingly. */
  readonly confirmUnverified: boolean;
  /** The recipients are shown once more, for an explicit confirmation before sealing. */
  readonly confirming: boolean;
  /** The seal job, once started. */
  readonly jobId: string | null;
  /** The Save dialog was closed, so nothing was sealed: said, not silently back to the form. */
  readonly notSaved: boolean;
}

export type DraftEvent =
  | { readonly type: 'filesAdded'; readonly files: readonly FileRef[] }
  | { readonly type: 'fileRemoved'; readonly token: string }
  | { readonly type: 'queried'; readonly query: string }
  | { readonly type: 'chosen'; readonly contact: Contact }
  | { readonly type: 'unchosen'; readonly contact: Contact }
  | { readonly type: 'passphraseRecipient'; readonly recipient: PassphraseRecipient | null }
  | { readonly type: 'noted'; readonly note: string }
  | { readonly type: 'subjectChanged'; readonly subject: string }
  /** Reply: the draft starts over, answering `replyTo`, for the sender (when a contact), with "Re: …". */
  | {
      readonly type: 'replyStarted';
      readonly replyTo: number;
      readonly subject: string;
      readonly recipient: Contact | null;
    }
  | { readonly type: 'replyDropped' }
  | { readonly type: 'unverifiedConfirmed'; readonly confirmed: boolean }
  | { readonly type: 'confirming'; readonly confirming: boolean }
  | { readonly type: 'sealStarted'; readonly jobId: string | null }
  | { readonly type: 'reset' };

export const EMPTY_DRAFT: SendDraft = {
  files: [],
  chosen: [],
  passphraseRecipient: null,
  query: '',
  note: '',
  subject: '',
  answering: null,
  replyWithoutRecipient: false,
  replacedDraft: false,
  confirmUnverified: false,
  confirming: false,
  jobId: null,
  notSaved: false,
};

export function sendDraft(draft: SendDraft, event: DraftEvent): SendDraft {
  switch (event.type) {
    case 'filesAdded': // a file picked twice is listed once
      return {
        ...draft,
        files: [...draft.files, ...event.files.filter((ref) => !draft.files.some((file) => file.token === ref.token))],
      };
    case 'fileRemoved':
      return { ...draft, files: draft.files.filter((file) => file.token !== event.token) };
    case 'queried':
      return { ...draft, query: event.query };
    case 'chosen':
      return { ...draft, chosen: [...draft.chosen, event.contact], query: '', confirming: false };
    case 'unchosen':
      return { ...draft, chosen: draft.chosen.filter((other) => other !== event.contact), confirming: false };
    case 'passphraseRecipient':
      return { ...draft, passphraseRecipient: event.recipient, confirming: false };
    case 'noted':
      return { ...draft, note: event.note };
    case 'subjectChanged':
      return { ...draft, subject: event.subject };
    case 'replyStarted': // a new draft: nothing of an earlier one is sent along by mistake
      return {
        ...EMPTY_DRAFT,
        query: draft.query,
        chosen: event.recipient ? [event.recipient] : [],
        subject: event.subject,
        answering: { id: event.replyTo, subject: event.subject },
        replyWithoutRecipient: event.recipient === null,
        replacedDraft:
          draft.jobId === null && (draft.files.length > 0 || draft.chosen.length > 0 || draft.note.trim() !== ''),
      };
    case 'replyDropped':
      return { ...draft, answering: null, replyWithoutRecipient: false };
    case 'unverifiedConfirmed':
      return { ...draft, confirmUnverified: event.confirmed };
    case 'confirming':
      return { ...draft, confirming: event.confirming };
    case 'sealStarted':
      return { ...draft, jobId: event.jobId, notSaved: event.jobId === null };
    case 'reset': // the search text stays: it is not part of the package
      return { ...EMPTY_DRAFT, query: draft.query };
  }
}
