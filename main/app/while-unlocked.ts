/**
 * Background work the app does only while unlocked (SIEM forwarding,
 * automatic backups): run at unlock and every `everyMs` after, stopped at
 * lock, never started when the policy does not ask for it. The timer never
 * keeps the process alive.
 */
import type { Session } from './session.js';

export function whileUnlocked(
  session: Session,
  options: { enabled: () => boolean; everyMs: number; run: () => void },
): void {
  let timer: NodeJS.Timeout | undefined;
  const stop = () => {
    if (timer) clearInterval(timer);
    timer = undefined;
  };
  session.onUnlock(() => {
    stop();
    if (!options.enabled()) return;
    options.run();
    timer = setInterval(options.run, options.everyMs);
    timer.unref?.();
  });
  session.onLock(stop);
}
