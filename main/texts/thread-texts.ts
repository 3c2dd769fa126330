/**
 * How a referral thread is worded, the same in the CLI and the app: the
 * state of each package in a thread, and the subject a reply starts with.
 * A subject's limit is the format's (docs/FORMAT.md §2.4), repeated here as
 * a number because texts sit below the package layer.
 */

/** Where a package of a thread got to: a sent one as far as its recipients' receipts say, a received one opened here. */
export type ThreadState = 'sent' | 'queued' | 'delivered' | 'opened' | 'refused' | 'withdrawn' | 'received';

export const THREAD_STATE_TEXT: Readonly<Record<ThreadState, string>> = {
  sent: 'sent, not delivered yet',
  queued: 'queued for delivery',
  delivered: 'delivered, waiting for receipt',
  opened: 'opened',
  refused: 'refused',
  withdrawn: 'withdrawn',
  received: 'received',
};

const MAX_SUBJECT_CHARACTERS = 200;

/** The subject a reply starts with: "Re: " and the subject (once, however often it was answered), within the format's limit. */
export function replySubject(subject: string | null): string {
  if (subject === null) return '';
  const reply = /^re:\s/i.test(subject) ? subject : `Re: ${subject}`;
  return [...reply].slice(0, MAX_SUBJECT_CHARACTERS).join('').trimEnd();
}
