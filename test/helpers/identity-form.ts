/**
 * Fills the first-run form the same way in every UI driver (the Chromium
 * end-to-end tests and the Electron smoke run), so a relabelled field breaks
 * both at once rather than one silently.
 */
import type { Page } from 'playwright-core';

export interface NewIdentity {
  readonly name: string;
  readonly organisation: string;
  readonly role: string;
  readonly email: string;
  readonly passphrase: string;
}

export async function fillNewIdentity(page: Page, identity: NewIdentity): Promise<void> {
  await page.getByLabel('Full name').fill(identity.name);
  await page.getByLabel('Organisation').fill(identity.organisation);
  await page.getByLabel('Role (optional)').fill(identity.role);
  await page.getByLabel('Work e-mail').fill(identity.email);
  await page
    .getByLabel('Passphrase (at least 12 characters; a few unrelated words work well)')
    .fill(identity.passphrase);
  await page.getByLabel('Type it again').fill(identity.passphrase);
}
