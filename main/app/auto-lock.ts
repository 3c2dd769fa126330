/**
 * Locks the app after a period without activity (default 15 minutes).
 * Only real user input counts (keys, pointer, wheel, touch in the window,
 * reported by the preload as session.activity): calls the window makes on
 * its own, such as refreshing the inbox when a package arrives, do not, so
 * whoever can write to an inbox cannot keep an unattended workstation
 * unlocked. The timer does not keep the process alive.
 */
/**
 * 15 minutes by default; 5 on Linux, where Electron reports no OS screen lock (its lock-screen
 * event exists on macOS and Windows only), so walking away with the screen locked does not lock
 * MedSeal there: a shorter idle time narrows that gap (docs/SECURITY.md).
 */
export function defaultAutoLockMinutes(platform: NodeJS.Platform = process.platform): number {
  return platform === 'linux' ? 5 : 15;
}

export class AutoLock {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private armed = false;

  constructor(
    private readonly onIdle: () => void,
    private minutes = defaultAutoLockMinutes(),
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
