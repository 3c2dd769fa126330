/**
 * The Send draft as one state: the files, the recipients chosen and the search that finds them,
 * the note, the reader's confirmations, and the seal job once started. One reducer, so that
 * "Send another" (and leaving the tab after a package is done) empties every part at once, and
 * so that changing the recipients always takes back a confirmation given for the earlier ones.
 */
import type { AnswerOf, Contact } from '../../api.js';

export type FileRef = AnswerOf<'files.pickToSeal'>[number];

export interface SendDraft {
  readonly files: readonly FileRef[];
  readonly chosen: readonly Contact[];
  /** What is typed in the recipient search. */
  readonly query: string;
  readonly note: string;
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
  | { readonly type: 'noted'; readonly note: string }
  | { readonly type: 'unverifiedConfirmed'; readonly confirmed: boolean }
  | { readonly type: 'confirming'; readonly confirming: boolean }
  | { readonly type: 'sealStarted'; readonly jobId: string | null }
  | { readonly type: 'reset' };

export const EMPTY_DRAFT: SendDraft = {
  files: [],
  chosen: [],
  query: '',
  note: '',
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
    case 'noted':
      return { ...draft, note: event.note };
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
