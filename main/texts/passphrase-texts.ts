/**
 * The words of passphrase packages (docs/FORMAT.md §2.13) that every front
 * end says alike: how the sender hands the passphrase over, and how a reader
 * who has only the passphrase is told who the package is from. Plain data,
 * shared by the CLI and the renderer.
 */

/** Said with the passphrase, every time it is shown (once). */
export const PASSPHRASE_HANDOVER =
  'Read it to them on the phone or send it by text message — never in the same e-mail as the package.';

/** Said after it: the passphrase is not kept anywhere. */
export const PASSPHRASE_SHOWN_ONCE =
  'MedSeal does not keep it: this is the only time it is shown. Without it the package cannot be opened; seal a new one if it is lost.';

/** How the sender of a package opened with a passphrase is labelled: no contact book vouches for them. */
export const PASSPHRASE_SENDER_LABEL = 'as written in the package; not verified';

/** What the reader with only a passphrase is told before anything is saved. */
export const PASSPHRASE_SENDER_WARNING =
  'Anyone can write any name into a package. Its signature is intact, so it was not changed since it was sealed, but only the sender can confirm they sent it: if you did not expect it, call them at a number you already know.';
