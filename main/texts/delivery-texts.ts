/**
 * How a delivery is told to the person, the same in the CLI and the app:
 * an inbox in a recipient's name that was not used, and a delivery to an
 * exchange the recipient never answered through (their announcement is
 * genuine, but nothing yet shows that they read that inbox).
 */
export type InboxNotUsedReason = 'other-exchange' | 'owner' | 'expired';

const NOT_USED: Readonly<Record<InboxNotUsedReason, string>> = {
  'other-exchange': 'its announcement was made for another exchange and copied there',
  owner: 'the folder belongs to another account than the one they announced',
  expired: 'their announcement there has expired (their MedSeal has not looked at it for weeks)',
};

/** An inbox in `name`'s name on `exchange` that MedSeal did not deliver into, and why. */
export function inboxNotUsedText(name: string, exchange: string, reason: InboxNotUsedReason): string {
  return `Not delivered into the inbox in ${name}'s name on ${exchange}: ${NOT_USED[reason]}. Ask IT to check that exchange.`;
}

/** A delivery to `name` on an exchange they never answered through. */
export function notAnsweredThereText(name: string, exchange: string): string {
  return `${name} has never sent a receipt through ${exchange}: make sure they use it, or send the package another way if no receipt comes.`;
}

/** A package this profile opened before, shown again (`when`: the local time, formatted by the caller). */
export function openedBeforeText(when: string): string {
  return `You already opened this package on ${when}. Its sender was told then; opening it again saves its files once more and sends no second receipt.`;
}

/** Where a package went, by its route: "Sent by e-mail to bob@lab.example (Dr Bob Brown)" or "Delivered to Dr Bob Brown's inbox on Lab partners". */
export function deliveredText(name: string, route: { kind: string; exchange: string; location: string }): string {
  return route.kind === 'email'
    ? `Sent by e-mail to ${route.location} (${name})`
    : `Delivered to ${name}'s inbox on ${route.exchange}`;
}

/**
 * A partner without MedSeal who opened a passphrase package: their receipt was made with the package's
 * key (docs/FORMAT.md §5.3), which proves the passphrase was used, not who used it; a contact's
 * "opened" is signed. Both front ends say it this way.
 */
export const PASSPHRASE_OPENED_TEXT = "opened — confirmed with the package's key";
