/**
 * Activity's list in threads: the packages of one thread (main says which: `thread.rootId`) are
 * shown together, where the newest of them stands in the list, newest first; every other package
 * stands alone. Pure, so the order is the same whatever the screen does with it.
 */
import type { AnswerOf } from '../../api.js';

export type Item = AnswerOf<'history.recent'>[number];

export interface Group {
  readonly key: string;
  /** The thread (its first package's id and size), or null for a package on its own. */
  readonly thread: NonNullable<Item['thread']> | null;
  /** Newest first, as the list came. */
  readonly items: readonly Item[];
}

export function groupByThread(items: readonly Item[]): Group[] {
  const groups: { key: string; thread: Group['thread']; items: Item[] }[] = [];
  const byRoot = new Map<number, (typeof groups)[number]>();
  for (const item of items) {
    if (item.thread === null) {
      groups.push({ key: `${item.direction}-${item.id}`, thread: null, items: [item] });
      continue;
    }
    const known = byRoot.get(item.thread.rootId);
    if (known) known.items.push(item);
    else {
      const group = { key: `thread-${item.thread.rootId}`, thread: item.thread, items: [item] };
      byRoot.set(item.thread.rootId, group);
      groups.push(group);
    }
  }
  return groups;
}

/** What a thread is called: the subject of its first package when shown, else of its newest. */
export function threadTitle(group: Group): string {
  const first = group.items.find((item) => item.id === group.thread?.rootId);
  const subject = (first ?? group.items[0])?.subject ?? null;
  return subject === null ? 'Thread without a subject' : `Thread: ${subject}`;
}
