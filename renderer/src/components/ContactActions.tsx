/**
 * What a clinician may do with a contact besides verifying: keep the earlier
 * keys when a new card is not believed, or remove the contact. Both ask for
 * a confirmation that says what will happen.
 */
import { useState } from 'react';
import { call, type Contact } from '../api.js';
import { useAction } from '../useAction.js';
import { ActionError } from './ActionError.js';

export function ContactActions({ contact, onDone }: { contact: Contact; onDone: () => void }) {
  const [asking, setAsking] = useState<'reject' | 'remove' | null>(null);
  const { error, run } = useAction();
  const act = async (work: () => Promise<unknown>) => {
    if ((await run(work)).ok) onDone();
  };
  return (
    <div className="contact-actions">
      <ActionError error={error} />
      {asking === 'reject' ? (
        <div role="group" aria-label="Confirm keeping the earlier keys">
          <p>
            Keep {contact.name}&rsquo;s earlier keys and reject the new card? Packages signed with the new keys will
            raise an alarm. You will compare safety numbers again for the earlier keys.
          </p>
          <button
            type="button"
            onClick={() => void act(() => call('contacts.rejectReplacement', { fingerprint: contact.fingerprint }))}
          >
            Keep the earlier keys
          </button>
          <button type="button" className="secondary" onClick={() => setAsking(null)}>
            Cancel
          </button>
        </div>
      ) : asking === 'remove' ? (
        <div role="group" aria-label="Confirm removing the contact">
          <p>
            Remove {contact.name} ({contact.organisation})? You will no longer be able to send to them, and their
            packages will show as from an unknown sender until you import their card again.
          </p>
          <button
            type="button"
            className="danger"
            onClick={() => void act(() => call('contacts.remove', { fingerprint: contact.fingerprint }))}
          >
            Remove {contact.name}
          </button>
          <button type="button" className="secondary" onClick={() => setAsking(null)}>
            Cancel
          </button>
        </div>
      ) : (
        <div className="row">
          {contact.state === 'key-changed' && contact.previousFingerprints.length > 0 && (
            <button type="button" className="secondary" onClick={() => setAsking('reject')}>
              Reject the new card…
            </button>
          )}
          <button type="button" className="secondary" onClick={() => setAsking('remove')}>
            Remove contact…
          </button>
        </div>
      )}
    </div>
  );
}
