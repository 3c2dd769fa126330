/**
 * The words of desktop notifications. A notification shows on a screen others
 * may see and stays in the system's notification history, so it names a
 * person only: never a file name, a note, a patient or a folder.
 */

export interface NoticeText {
  readonly title: string;
  readonly body: string;
}

/** A package waits in the inbox; `sender` is the contact book's name for its sender, null for anyone else. */
export function packageArrivedText(sender: string | null, count: number): NoticeText {
  if (count > 1) return { title: 'MedSeal', body: `${count} new packages are waiting for you.` };
  return sender
    ? { title: 'MedSeal', body: `New package from ${sender}` }
    : { title: 'MedSeal', body: 'A new package is waiting for you, from someone not in your contacts.' };
}

/** A signed receipt came back: `recipient` opened (or could not open) a package sent to them. */
export function receiptArrivedText(recipient: string, outcome: 'opened' | 'refused'): NoticeText {
  return {
    title: 'MedSeal',
    body: outcome === 'opened' ? `${recipient} opened your package` : `${recipient} could not open your package`,
  };
}

/**
 * A partner organisation's directory showed two different histories (a fork alarm, audited): told
 * once, naming the organisation only, since it stops vouching for all of its clinicians.
 */
export function partnerForkText(partner: string): NoticeText {
  return {
    title: 'MedSeal: partner directory alarm',
    body: `${partner}'s directory showed two different histories. Nobody is vouched for by ${partner} until your IT resolves this; see Settings → Partner organisations.`,
  };
}
