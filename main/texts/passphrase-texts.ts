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

/** Send: the way to add a partner who has no MedSeal. */
export const PASSPHRASE_ADD = 'Someone without MedSeal…';

/** Send, when the policy (`passphrasePackages: forbidden`) does not allow it. */
export const PASSPHRASE_FORBIDDEN_REASON =
  'Your organisation does not allow packages with a passphrase for partners without MedSeal: ask them to install MedSeal and send you their contact card.';

/** What the sender confirms before the passphrase is taken off the screen. */
export const PASSPHRASE_PASSED_ON = 'I have written it down / passed it on';

/** How the app and the history name such a package: "passphrase package to Dr Sam Smith (sam@partner.example, +41 …)". */
export function passphrasePackageText(recipient: { name: string; email: string; phone: string | null }): string {
  return `passphrase package to ${recipient.name} (${recipient.email}${recipient.phone === null ? '' : `, ${recipient.phone}`})`;
}

/** How the sender hands the package itself over when MedSeal did not send it: by e-mail from their own mail program. */
export function packageHandoverText(recipient: { name: string; email: string }): string {
  return `Drag the package into an e-mail to ${recipient.name} (${recipient.email}), or attach it from its folder.`;
}

/** Said with "Save MedSeal Reader…": what the partner opens the package with, and where they should get it. */
export const PASSPHRASE_READER_HINT =
  "They do not need MedSeal: MedSeal Reader, a single web page, opens the package in their browser. Send them your organisation's link to it, or save a copy and attach it.";
