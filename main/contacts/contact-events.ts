/**
 * The audit events that change the contact list, named once. The contact
 * set's MAC (store/sqlite-contact-storage.ts) is bound to the newest of
 * them: an event missing from its list is a change whose rows can be rolled
 * back without a tamper alarm (issue 26, item 6: contact.replacement-rejected
 * was left out). So the list is derived from the type: the object below must
 * name every member of `ContactEvent` (the compiler refuses a missing or an
 * extra key), and every member must be an audit action.
 */
import type { AuditAction } from '../audit/audit-entry.js';

export type ContactEvent =
  | 'contact.imported'
  | 'contact.identity-changed'
  | 'contact.verified'
  | 'contact.key-changed'
  | 'contact.replacement-rejected'
  | 'contact.removed';

/** Fails to compile when a contact event is not an audit action (it could not be written to the log). */
type MustBeAuditActions<T extends AuditAction> = T;
type CheckedContactEvent = MustBeAuditActions<ContactEvent>;

const EVERY_CONTACT_EVENT: { readonly [Event in CheckedContactEvent]: true } = {
  'contact.imported': true,
  'contact.identity-changed': true,
  'contact.verified': true,
  'contact.key-changed': true,
  'contact.replacement-rejected': true,
  'contact.removed': true,
};

/** Every contact event, in one list: the contact set MAC's events are these. */
export const CONTACT_EVENTS: readonly ContactEvent[] = Object.freeze(
  Object.keys(EVERY_CONTACT_EVENT) as ContactEvent[],
);

export function isContactEvent(action: string): action is ContactEvent {
  return Object.hasOwn(EVERY_CONTACT_EVENT, action);
}
