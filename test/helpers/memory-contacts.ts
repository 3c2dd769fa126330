/** Contact storage in memory: for testing the contact book's rules without a database. */
import type { ContactStorage } from '../../main/contacts/contact-book.js';
import type { ContactRecord } from '../../main/contacts/contact-record.js';

export class MemoryContactStorage implements ContactStorage {
  private records: ContactRecord[] = [];

  async load(): Promise<ContactRecord[]> {
    return [...this.records];
  }

  async save(records: readonly ContactRecord[], alongside?: () => void): Promise<void> {
    this.records = [...records];
    alongside?.();
  }
}
