/**
 * A package's files verified and saved: where, under which names when both were kept, the
 * folder to show, the receipt for the sender (sent by itself, or saved on request), and Reply.
 */
import type { EventOf } from '../../../../main/ipc/contract.js';
import { Notice } from '../../components/Notice.js';
import type { Preview } from './receiveState.js';

export function SavedNotice(props: {
  finished: EventOf<'job.finished'>;
  preview: Preview;
  receiptSaved: boolean;
  onReveal: () => void;
  onSaveReceipt: () => void;
  onReply: () => void;
}) {
  const { finished, preview } = props;
  return (
    <>
      <Notice kind="success" focus>
        All {finished.fileCount} file(s) were verified and saved
        {finished.savedIn ? ` in the folder “${finished.savedIn}”` : ''}
        {finished.renamed
          .map((entry) => `; “${preview.files[entry.index]?.name ?? ''}” as “${entry.savedAs}”`)
          .join('')}
        .{' '}
        <button type="button" className="link" onClick={props.onReveal}>
          Show in folder
        </button>
      </Notice>
      {preview.receipt === 'automatic' && (
        <p className="muted">
          A signed receipt goes back to the sender through the exchange (it waits and is retried if the exchange cannot
          take it now).
        </p>
      )}
      {preview.receipt === 'on-request' &&
        (props.receiptSaved ? (
          <p className="muted">Receipt saved: send it back to the sender (attach it to your reply).</p>
        ) : (
          <button type="button" className="secondary" onClick={props.onSaveReceipt}>
            Save a receipt for the sender…
          </button>
        ))}
      <div className="row">
        <button type="button" onClick={props.onReply}>
          Reply…
        </button>
      </div>
    </>
  );
}
