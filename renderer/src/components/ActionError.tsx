/**
 * The failure of the reader's last action (useAction) in the shared words, announced as an
 * alert. It takes the focus, as the answer to what the reader just did, unless the screen puts
 * the focus elsewhere itself (the lock screen returns to the passphrase field).
 */
import type { ActionFailure } from '../useAction.js';
import { Notice } from './Notice.js';

export function ActionError({ error, focus = true }: { error: ActionFailure | null; focus?: boolean }) {
  return (
    error && (
      <Notice kind="error" focus={focus}>
        {error.text}
      </Notice>
    )
  );
}
