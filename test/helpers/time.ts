/**
 * Waits and timeouts inside tests, scaled like vitest's own (vitest.config.ts): a test that waits
 * for a server or a job on a busy machine gets proportionally longer, never a fixed figure.
 */
export const TIME_SCALE = Number(process.env.MEDSEAL_TEST_TIME_SCALE ?? '1') || 1;

/** `ms`, scaled for this run. */
export function scaled(ms: number): number {
  return Math.round(ms * TIME_SCALE);
}
