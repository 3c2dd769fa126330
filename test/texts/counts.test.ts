/** Counted words follow plural rules: "1 contact", never "1 contacts" or "contact(s)". */
import { describe, expect, it } from 'vitest';
import { counted } from '../../main/texts/counts.js';

describe('counted words', () => {
  it('one and many, and nothing', () => {
    expect(counted('contact', 1)).toBe('1 contact');
    expect(counted('contact', 2)).toBe('2 contacts');
    expect(counted('contact', 0)).toBe('0 contacts');
    expect(counted('entry', 1)).toBe('1 entry');
    expect(counted('entry', 12)).toBe('12 entries');
    expect(counted('file', 1)).toBe('1 file');
    expect(counted('use', 0)).toBe('0 uses');
    expect(counted('day', 1)).toBe('1 day');
  });

  it('contacts a filter shows, of all of them', () => {
    expect(counted('contact-match', 0, { total: 1 })).toBe('0 of 1 contact match');
    expect(counted('contact-match', 1, { total: 3 })).toBe('1 of 3 contacts match');
  });
});
