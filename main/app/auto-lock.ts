/**
 * Locks the app after a period without activity (default 15 minutes).
 * Every call from the window counts as activity; the timer does not keep
 * the process alive.
 */
export const DEFAULT_AUTO_LOCK_MINUTES = 15;

export class AutoLock {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private armed = false;

  constructor(
    private readonly onIdle: () => void,
    private minutes = DEFAULT_AUTO_LOCK_MINUTES,
  ) {}

  get currentMinutes(): number {
    return this.minutes;
  }

  /** Starts (or restarts) the countdown. */
  arm(): void {
    this.armed = true;
    this.touch();
  }

  touch(): void {
    if (!this.armed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.disarm();
      this.onIdle();
    }, this.minutes * 60_000);
    this.timer.unref?.();
  }

  setMinutes(minutes: number): void {
    this.minutes = minutes;
    this.touch();
  }

  disarm(): void {
    this.armed = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
