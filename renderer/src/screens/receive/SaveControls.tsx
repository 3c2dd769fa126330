/**
 * Saving a package's files: why a save job failed, the reader's word for a sender who is not
 * verified (or raises an alarm) and for a package opened before, and the save button. A package
 * that proved changed offers none of it: there is nothing to try again.
 */
import type { EventOf } from '../../../../main/ipc/contract.js';
import { Notice } from '../../components/Notice.js';
import { formatDate } from '../../format.js';
import { openedBeforeText } from '../../../../main/texts/delivery-texts.js';
import type { Preview } from './receiveState.js';

export function SaveControls(props: {
  preview: Preview;
  /** A save job that did not succeed. */
  failed: EventOf<'job.finished'> | null;
  confirmUntrusted: boolean;
  openAgain: boolean;
  onConfirmUntrusted: (confirmed: boolean) => void;
  onOpenAgain: (again: boolean) => void;
  onSave: () => void;
}) {
  const { preview, failed } = props;
  const trusted = preview.sender.verdict === 'trusted';
  const alarm = preview.sender.verdict === 'alarm';
  if (failed?.error?.category === 'damaged-package')
    return (
      <Notice kind="error" focus>
        {failed.error.message}
      </Notice>
    );
  return (
    <>
      {failed && (
        <Notice kind="error" focus>
          {failed.error?.message}
        </Notice>
      )}
      {!trusted && (
        <label className={alarm ? 'checkbox alarm' : 'checkbox warning'}>
          <input
            type="checkbox"
            checked={props.confirmUntrusted}
            onChange={(event) => props.onConfirmUntrusted(event.target.checked)}
          />
          {alarm
            ? 'This may be an impersonation. I have confirmed with the sender by phone that they sent this package, and I want to save the files anyway (recorded in the audit log).'
            : 'I understand the sender is not verified and want to save the files.'}
        </label>
      )}
      {preview.openedBefore !== null && (
        <>
          <Notice kind="warning">{openedBeforeText(formatDate(preview.openedBefore))}</Notice>
          <label className="checkbox warning">
            <input
              type="checkbox"
              checked={props.openAgain}
              onChange={(event) => props.onOpenAgain(event.target.checked)}
            />
            Save its files again.
          </label>
        </>
      )}
      <button
        type="button"
        className={alarm ? 'danger' : undefined}
        disabled={(!trusted && !props.confirmUntrusted) || (preview.openedBefore !== null && !props.openAgain)}
        onClick={props.onSave}
      >
        {alarm ? 'Save anyway (recorded in the audit log)…' : 'Save files…'}
      </button>
    </>
  );
}
