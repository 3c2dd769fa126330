/**
 * On Send, for a reply: which package it answers (by the subject it started with), that the
 * recipient must be chosen when the sender is no contact to send to, and that an earlier draft
 * was set aside; "Not a reply" unlinks it.
 */
import { Notice } from '../../components/Notice.js';
import type { SendDraft } from './sendDraft.js';

export function ReplyNotice({ draft, onDrop }: { draft: SendDraft; onDrop: () => void }) {
  const { answering } = draft;
  if (!answering) return null;
  return (
    <Notice kind="info" focus>
      <p>
        This package answers{' '}
        {answering.subject ? `“${answering.subject.replace(/^re:\s*/i, '')}”` : 'a package you received'}: the recipient
        sees both as one thread.
      </p>
      {draft.replyWithoutRecipient && (
        <p>The sender is not one of your contacts you can send to: choose the recipient below.</p>
      )}
      {draft.replacedDraft && <p>The draft you were writing was set aside for this reply.</p>}
      <button type="button" className="link" onClick={onDrop}>
        Not a reply
      </button>
    </Notice>
  );
}
