/**
 * How a queued delivery is told, the same in the CLI, the hot folder and
 * the app: one message, that it WILL be tried again and when; never "send
 * it another way" beside it (services/delivery/delivery-queue.ts).
 */

/** When a queued delivery is tried next, in local time: "14:05" today, "3 Mar 14:05" on another day. */
export function nextTryText(iso: string, now: Date = new Date()): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return 'soon';
  const time = at.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
  return at.toDateString() === now.toDateString()
    ? time
    : `${at.toLocaleDateString('en-GB', { day: 'numeric', month: 'short' })} ${time}`;
}

/** A recipient's status while queued (Activity, `packages list`). */
export function queuedStatusText(when: string): string {
  return `queued, next try ${when}`;
}

/** The outcome for a recipient whose delivery waits in the queue (`name` and `exchange` made safe by the caller). */
export function queuedText(name: string, exchange: string, when: string): string {
  return `Not delivered to ${name} yet: ${exchange} could not be reached. The package is queued and will be tried again automatically (next try ${when}); there is no need to send it another way.`;
}
