/**
 * How a withdrawal is told, the same in the CLI and the app: what happened
 * to each recipient's copy, and the plain rule that what a recipient
 * already downloaded or opened cannot be taken back.
 */
export type WithdrawOutcomeText = 'withdrawn' | 'picked-up' | 'left' | 'not-found' | 'mailed';

/** Said before and after every withdrawal. */
export const CANNOT_TAKE_BACK =
  'A package that was already downloaded or opened cannot be taken back: withdrawing removes it only from the exchange inboxes where it still waits.';

const OUTCOME: Readonly<Record<WithdrawOutcomeText, string>> = {
  withdrawn: 'withdrawn — it no longer waits in their inbox',
  'picked-up': 'already picked up — it cannot be taken back',
  left: 'a file under its name in their inbox is not provably yours and was left there — the package may still be there',
  'not-found': 'no copy of it waits in their inbox on your exchanges',
  mailed: 'sent by e-mail — an e-mail cannot be taken back, and their MedSeal can still open it',
};

/** One recipient's line: `name` as the contacts know them. */
export function withdrawOutcomeText(name: string, outcome: WithdrawOutcomeText): string {
  return `${name}: ${OUTCOME[outcome]}.`;
}
