/**
 * The one rule for a new passphrase, for the app, the CLI and the core
 * alike: at least 12 characters and hard to guess (zxcvbn-ts score 3 of 4,
 * which also catches "password1234" and keyboard walks). The words that say
 * why live here too. The estimator and its dictionaries are loaded on first
 * use only (they cost a few hundred milliseconds), so commands that set no
 * passphrase never pay for them.
 */
export const MIN_PASSPHRASE_LENGTH = 12;
export const MIN_PASSPHRASE_SCORE = 3;
export const STRENGTH_LABELS = ['Very weak', 'Weak', 'Fair', 'Strong', 'Very strong'] as const;

export interface PassphraseVerdict {
  readonly acceptable: boolean;
  /** 0..4 (zxcvbn-ts). */
  readonly score: number;
  readonly label: (typeof STRENGTH_LABELS)[number];
  /** Why it is not acceptable, in words for people ("it has 9 characters; at least 12 are needed"); null when it is. */
  readonly reason: string | null;
}

export type PassphraseJudge = (passphrase: string, minLength?: number) => PassphraseVerdict;

let judge: Promise<PassphraseJudge> | undefined;

/** The judge, loading the estimator once. */
export function loadPassphraseJudge(): Promise<PassphraseJudge> {
  judge ??= (async () => {
    const [{ ZxcvbnFactory }, common, english] = await Promise.all([
      import('@zxcvbn-ts/core'),
      import('@zxcvbn-ts/language-common'),
      import('@zxcvbn-ts/language-en'),
    ]);
    const estimator = new ZxcvbnFactory({
      dictionary: { ...common.dictionary, ...english.dictionary },
      graphs: common.adjacencyGraphs,
      translations: english.translations,
    });
    return (passphrase: string, minLength = MIN_PASSPHRASE_LENGTH) => {
      const length = [...passphrase].length;
      const result = estimator.check(passphrase);
      const score = Math.max(0, Math.min(4, result.score));
      const label = STRENGTH_LABELS[score]!;
      if (length < minLength)
        return {
          acceptable: false,
          score,
          label,
          reason: `it has ${length} character${length === 1 ? '' : 's'}; at least ${minLength} are needed`,
        };
      if (score < MIN_PASSPHRASE_SCORE) {
        const why = result.feedback.warning ? ` (${result.feedback.warning.replace(/\.$/, '').toLowerCase()})` : '';
        return {
          acceptable: false,
          score,
          label,
          reason: `it is too easy to guess${why}; a few unrelated words work well`,
        };
      }
      return { acceptable: true, score, label, reason: null };
    };
  })();
  return judge;
}

/** The verdict on one passphrase (loads the estimator on first use). */
export async function judgePassphrase(
  passphrase: string,
  minLength = MIN_PASSPHRASE_LENGTH,
): Promise<PassphraseVerdict> {
  return (await loadPassphraseJudge())(passphrase, minLength);
}
