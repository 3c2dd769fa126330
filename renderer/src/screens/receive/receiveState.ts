/**
 * What Receive shows about one package, as one state: its preview, the reader's answers
 * (saving from a sender not verified, saving again), the save job or the folder's name conflict,
 * the receipt, and adding the sender. Showing another package starts again from nothing, so no
 * answer given for one package carries over to the next.
 */
import type { AnswerOf } from '../../api.js';

export type Preview = AnswerOf<'open.preview'>;
export type NameConflict = NonNullable<AnswerOf<'open.start'>['conflict']>;

export interface ReceiveState {
  readonly preview: Preview | null;
  /** The reader saves from a sender who is not verified (or raises an alarm), knowingly. */
  readonly confirmUntrusted: boolean;
  /** The reader saves again the files of a package opened before. */
  readonly openAgain: boolean;
  readonly jobId: string | null;
  /** The folder chosen has files of the package's names: nothing saved yet, the reader chooses. */
  readonly conflict: NameConflict | null;
  readonly receiptSaved: boolean;
  /** The name of the sender just added to the contacts. */
  readonly senderAdded: string | null;
  /** Adding the sender was refused: they could be mistaken for a contact (LOOK_ALIKE_CONTACT); adding them now needs the reader's explicit word. */
  readonly lookAlikeRefused: boolean;
}

export type ReceiveEvent =
  | { readonly type: 'checking' }
  | { readonly type: 'previewed'; readonly preview: Preview }
  | { readonly type: 'untrustedConfirmed'; readonly confirmed: boolean }
  | { readonly type: 'openAgain'; readonly again: boolean }
  | { readonly type: 'saving' }
  | { readonly type: 'saveStarted'; readonly jobId: string | null; readonly conflict: NameConflict | null }
  | { readonly type: 'receiptSaved'; readonly saved: boolean }
  /** The sender is a contact now; `preview` is the same package, judged again with them. */
  | { readonly type: 'senderAdded'; readonly name: string; readonly preview: Preview }
  | { readonly type: 'senderRefused'; readonly lookAlike: boolean };

export const NOTHING_SHOWN: ReceiveState = {
  preview: null,
  confirmUntrusted: false,
  openAgain: false,
  jobId: null,
  conflict: null,
  receiptSaved: false,
  senderAdded: null,
  lookAlikeRefused: false,
};

export function receiveState(state: ReceiveState, event: ReceiveEvent): ReceiveState {
  switch (event.type) {
    case 'checking':
      return NOTHING_SHOWN;
    case 'previewed':
      return { ...state, preview: event.preview };
    case 'untrustedConfirmed':
      return { ...state, confirmUntrusted: event.confirmed };
    case 'openAgain':
      return { ...state, openAgain: event.again };
    case 'saving':
      return { ...state, conflict: null };
    case 'saveStarted':
      return { ...state, conflict: event.conflict, jobId: event.jobId };
    case 'receiptSaved':
      return { ...state, receiptSaved: event.saved };
    case 'senderAdded':
      return { ...state, preview: event.preview, senderAdded: event.name, lookAlikeRefused: false };
    case 'senderRefused':
      return { ...state, lookAlikeRefused: event.lookAlike };
  }
}
