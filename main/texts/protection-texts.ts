/**
 * The words for how well a package is protected: post-quantum (format
 * version 2) or against today's computers only (version 1, because a
 * recipient's card has no post-quantum key). One text for the CLI and the
 * renderer. Plain data, no imports: the renderer bundles it as it is.
 */

/** A contact's readiness, for lists of contacts. */
export const POST_QUANTUM_READY_LABEL = 'Post-quantum ready';
export const CLASSICAL_ONLY_LABEL = 'No post-quantum key yet';

/** Said before sealing when some recipients' cards have no post-quantum key; `names` are those recipients. */
export function classicalOnlyText(names: readonly string[]): string {
  const who = names.length === 1 ? `${names[0]}'s card has` : `The cards of ${names.join(', ')} have`;
  return `${who} no post-quantum key: this package is protected against today's computers only. Ask them to open MedSeal once (it adds the key) and send you their card again.`;
}

/** How `inspect` and the app name a package's format version. */
export function formatVersionText(version: number): string {
  return version === 2
    ? 'version 2 (post-quantum: X-Wing, ML-KEM-768 + X25519)'
    : version === 1
      ? 'version 1 (X25519: protected against today’s computers)'
      : `version ${version}`;
}

/** Who besides the recipients can open a package: the organisation recovery key it was sealed under (FORMAT.md §2.12). */
export interface EmergencyAccessView {
  readonly organisation: string;
  /** Whom to ask about it (the recovery key card's address). */
  readonly email: string;
  readonly fingerprint: string;
  /** The reader's (or sender's) own organisation's key, as their policy names it. */
  readonly ours: boolean;
}

/** One sentence for the preview, the send confirmation and the CLI. */
export function emergencyAccessText(view: EmergencyAccessView): string {
  return view.ours
    ? `Your organisation can open this package in an emergency: ${view.organisation}'s recovery key, held by several custodians together, was added to it. Each use through MedSeal is signed into the organisation's emergency-access log.`
    : `The sender's MedSeal added an emergency recovery key of ${view.organisation}: several custodians of that organisation together can open this package. Questions: ${view.email}.`;
}
