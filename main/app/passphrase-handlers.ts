/**
 * The IPC calls of passphrase packages (docs/FORMAT.md §2.13) in the app:
 * Send → "Someone without MedSeal…" has what the sender typed checked as
 * sealing will check it (the service's typed errors, each placed at its
 * field), and the lock screen and first run open such a package without an
 * identity (passphrase-open-work.ts). Sealing itself is 'seal.start'; its
 * answer carries the generated words once. "Save MedSeal Reader…" hands the
 * sender a copy of the page the partner can open the package with.
 */
import { isMedSealError } from '../errors/medseal-error.js';
import { InvalidPackageRequest } from '../package/errors.js';
import type { Handlers } from '../ipc/dispatcher.js';
import { PassphrasePackagesForbidden, RecipientNotAllowed } from '../services/policy-gate.js';
import { assertPostQuantumBesidePassphrase, checkedPassphraseRecipient } from '../services/send.js';
import type { PassphraseOpenWork } from './passphrase-open-work.js';
import type { Session } from './session.js';
import type { Host } from './host.js';
import { saveReaderCopy } from './reader-copy.js';

type PassphraseChannel =
  | 'seal.checkPassphraseRecipient'
  | 'passphrase.pickPackage'
  | 'passphrase.preview'
  | 'passphrase.open'
  | 'passphrase.discard'
  | 'passphrase.reveal'
  | 'reader.save';

type Field = 'name' | 'email' | 'phone' | 'recipients';

/** The form field a refusal of the partner's details belongs to; null for any other error (not one of these). */
function fieldOf(error: unknown): Field | null {
  if (error instanceof InvalidPackageRequest && error.variant === 'passphrase-recipient') {
    const field = error.params.field;
    return field === 'name' || field === 'email' || field === 'phone' ? field : null;
  }
  if (error instanceof RecipientNotAllowed) return 'email'; // the address is outside the allowed domains
  if (error instanceof PassphrasePackagesForbidden) return 'recipients';
  if (error instanceof InvalidPackageRequest && error.variant === 'passphrase-post-quantum-named') return 'recipients';
  return null;
}

export function createPassphraseHandlers(
  session: Session,
  work: PassphraseOpenWork,
  host: Host,
  readerPage: string | null,
): Pick<Handlers, PassphraseChannel> {
  return {
    'seal.checkPassphraseRecipient': async ({ recipients, ...typed }) => {
      const profile = session.requireProfile();
      try {
        const recipient = checkedPassphraseRecipient(session.policy, typed);
        assertPostQuantumBesidePassphrase(
          await Promise.all(recipients.map((fingerprint) => profile.contacts.find(fingerprint))),
        );
        return { recipient, problem: null };
      } catch (error) {
        const field = fieldOf(error);
        if (field === null || !isMedSealError(error)) throw error;
        return { recipient: null, problem: { field, code: error.code, message: error.userMessage } };
      }
    },
    'passphrase.pickPackage': () => work.pick(),
    'passphrase.preview': ({ token, words }) => work.preview(token, words),
    'passphrase.open': ({ token, keepBoth }) => work.open(token, keepBoth === true),
    'passphrase.discard': async ({ token }) => {
      work.discard(token);
      return {};
    },
    'passphrase.reveal': async ({ jobId }) => {
      work.reveal(jobId);
      return {};
    },
    'reader.save': () => saveReaderCopy(host, readerPage),
  };
}
