/**
 * Debian's Chromium through playwright-core, headless, with nothing of its own
 * reaching out (no background networking, updates, sync or QUIC): for the
 * renderer's end-to-end tests, MedSeal Reader's tests and its benchmark.
 * CHROMIUM_PATH names another binary.
 */
import { chromium, type Browser } from 'playwright-core';

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
    ],
  });
}
