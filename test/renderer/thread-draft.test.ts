/**
 * The renderer's pure parts of threads: a Reply starts a fresh Send draft
 * (the sender chosen when a contact, the subject filled in, the package it
 * answers kept), never carrying files of an earlier draft into it, and says
 * when it set one aside; "Not a reply" unlinks it; Activity's list keeps
 * each thread's packages together where its newest one stands.
 */
import { describe, expect, it } from 'vitest';
import type { Contact } from '../../renderer/src/api.js';
import type { FileRef } from '../../renderer/src/screens/send/sendDraft.js';
import { EMPTY_DRAFT, sendDraft } from '../../renderer/src/screens/send/sendDraft.js';
import { groupByThread, threadTitle, type Item } from '../../renderer/src/screens/activity/activityGroups.js';

const alice = { fingerprint: 'a'.repeat(64), name: 'Alice' } as Contact;
const file: FileRef = { token: 't'.repeat(16), name: 'scan.pdf', size: 1 };

describe('a reply on Send', () => {
  it('starts a fresh draft for the sender, answering the package, with the subject to edit', () => {
    const started = sendDraft(EMPTY_DRAFT, { type: 'replyStarted', replyTo: 7, subject: 'Re: Echo', recipient: alice });
    expect(started).toMatchObject({
      chosen: [alice],
      subject: 'Re: Echo',
      answering: { id: 7, subject: 'Re: Echo' },
      replyWithoutRecipient: false,
      replacedDraft: false,
      files: [],
    });
    expect(sendDraft(started, { type: 'subjectChanged', subject: 'Re: Echo (2)' }).subject).toBe('Re: Echo (2)');
    expect(sendDraft(started, { type: 'replyDropped' })).toMatchObject({ answering: null, chosen: [alice] });
    expect(sendDraft(started, { type: 'reset' })).toMatchObject({ answering: null, subject: '' });
  });

  it('never carries an earlier draft into it, and says it set one aside; no contact: the reader chooses', () => {
    const earlier = sendDraft(EMPTY_DRAFT, { type: 'filesAdded', files: [file] });
    const reply = sendDraft(earlier, { type: 'replyStarted', replyTo: 3, subject: '', recipient: null });
    expect(reply).toMatchObject({ files: [], chosen: [], replacedDraft: true, replyWithoutRecipient: true });
  });
});

describe("Activity's threads", () => {
  const item = (id: number, thread: Item['thread'], subject: string | null = null) =>
    ({ id, direction: 'sent', thread, subject }) as Item;

  it("keeps a thread's packages together where its newest stands; others alone, in order", () => {
    const t = { rootId: 1, size: 3 };
    const groups = groupByThread([item(9, t, 'Re: x'), item(8, null), item(5, t, 'Re: x'), item(1, t, 'x')]);
    expect(groups.map((group) => group.items.map((entry) => entry.id))).toEqual([[9, 5, 1], [8]]);
    expect(threadTitle(groups[0]!)).toBe('Thread: x'); // its first package's subject
    expect(threadTitle(groupByThread([item(4, { rootId: 2, size: 2 })])[0]!)).toBe('Thread without a subject');
  });
});
