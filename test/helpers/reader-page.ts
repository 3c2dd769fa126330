/**
 * MedSeal Reader (app/dist/medseal-reader.html, built by `npm run build`) in
 * Debian's Chromium, loaded from a file:// URL as a partner would open it.
 * The save dialogs of the File System Access API cannot be driven headless,
 * so `streams: true` puts pickers in their place that hand the page
 * writables keeping the bytes in the page (the test reads their SHA-256);
 * `streams: false` removes the API, as in Firefox or Safari, and the page
 * falls back to downloads. Every request the page makes and every console
 * error are recorded for the tests to assert on.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';

export const READER_PAGE = join(process.cwd(), 'app', 'dist', 'medseal-reader.html');

export interface ReaderPage {
  readonly page: Page;
  readonly context: BrowserContext;
  /** Every URL the page requested (its own file:// URL included). */
  readonly requests: string[];
  readonly consoleErrors: string[];
}

/**
 * In the page: writables that keep what they are given, by name (or with `keep` false, only count it:
 * the benchmark's 500 MiB); names aborted or removed.
 */
function fakeFileSystemAccess(keep: boolean): void {
  const state = {
    saved: new Map<string, Uint8Array>(),
    bytesWritten: 0,
    aborted: [] as string[],
    removed: [] as string[],
    pickerCalls: 0,
    decline: false,
  };
  (window as unknown as { __reader: typeof state }).__reader = state;
  const writableFor = (name: string) => {
    const parts: Uint8Array[] = [];
    return {
      write: async (data: Uint8Array) => {
        state.bytesWritten += data.length;
        if (keep) parts.push(new Uint8Array(data));
      },
      close: async () => {
        const whole = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
        let at = 0;
        for (const part of parts) {
          whole.set(part, at);
          at += part.length;
        }
        state.saved.set(name, whole);
      },
      abort: async () => {
        state.aborted.push(name);
      },
    };
  };
  const picker = async <T>(answer: T): Promise<T> => {
    state.pickerCalls++;
    if (state.decline) throw new DOMException('The user aborted a request.', 'AbortError');
    return answer;
  };
  Object.assign(window, {
    showSaveFilePicker: ({ suggestedName }: { suggestedName: string }) =>
      picker({ createWritable: async () => writableFor(suggestedName) }),
    showDirectoryPicker: () =>
      picker({
        getFileHandle: async (name: string, options?: { create?: boolean }) => {
          if (!options?.create && !state.saved.has(name)) throw new DOMException('not found', 'NotFoundError');
          return { createWritable: async () => writableFor(name) };
        },
        removeEntry: async (name: string) => {
          state.removed.push(name);
        },
      }),
  });
}

function withoutFileSystemAccess(): void {
  for (const name of ['showSaveFilePicker', 'showDirectoryPicker', 'showOpenFilePicker'])
    delete (window as unknown as Record<string, unknown>)[name];
}

export async function openReader(
  browser: Browser,
  options: {
    streams: boolean;
    /** False: the fake writables count what they get and keep nothing (large benchmark packages). */
    keep?: boolean;
    viewport?: { width: number; height: number };
    deviceScaleFactor?: number;
  },
): Promise<ReaderPage> {
  if (!existsSync(READER_PAGE)) throw new Error('app/dist/medseal-reader.html is missing: run "npm run build" first.');
  const context = await browser.newContext({
    acceptDownloads: true,
    viewport: options.viewport ?? { width: 1024, height: 768 },
    deviceScaleFactor: options.deviceScaleFactor ?? 1,
  });
  const page = await context.newPage();
  const requests: string[] = [];
  const consoleErrors: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(error.message));
  if (options.streams) await page.addInitScript(fakeFileSystemAccess, options.keep ?? true);
  else await page.addInitScript(withoutFileSystemAccess);
  await page.goto(pathToFileURL(READER_PAGE).href);
  return { page, context, requests, consoleErrors };
}

/** Chooses the package, types the words and opens; resolves once the result or an error shows. */
export async function openPackageIn(page: Page, packagePath: string, words: string): Promise<void> {
  await page.getByLabel('The package file').setInputFiles(packagePath);
  await page.getByLabel('The six words').fill(words);
  await page.getByRole('button', { name: 'Open the package' }).click();
  await page.waitForFunction(
    () =>
      document.querySelector('#result h2') !== null ||
      (document.querySelector('form [role="alert"]')?.textContent ?? '') !== '',
    undefined,
    { timeout: 60_000 },
  );
}

/** SHA-256 (hex) of what a fake writable saved under `name`, or null. */
export async function savedDigest(page: Page, name: string): Promise<string | null> {
  return page.evaluate(async (wanted) => {
    const bytes = (window as unknown as { __reader: { saved: Map<string, Uint8Array> } }).__reader.saved.get(wanted);
    if (!bytes) return null;
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
    return Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('');
  }, name);
}

/** The page's record of the fake pickers: names aborted and removed, how often a picker opened. */
export async function pickerRecord(
  page: Page,
): Promise<{ saved: string[]; aborted: string[]; removed: string[]; pickerCalls: number }> {
  return page.evaluate(() => {
    const state = (
      window as unknown as {
        __reader: { saved: Map<string, Uint8Array>; aborted: string[]; removed: string[]; pickerCalls: number };
      }
    ).__reader;
    return {
      saved: [...state.saved.keys()],
      aborted: state.aborted,
      removed: state.removed,
      pickerCalls: state.pickerCalls,
    };
  });
}

/** How many bytes the fake writables were given in all. */
export async function bytesWritten(page: Page): Promise<number> {
  return page.evaluate(() => (window as unknown as { __reader: { bytesWritten: number } }).__reader.bytesWritten);
}

/** The bytes a fake writable saved under `name` (small files only: they cross as JSON). */
export async function savedBytes(page: Page, name: string): Promise<Buffer | null> {
  const bytes = await page.evaluate(
    (wanted) =>
      Array.from(
        (window as unknown as { __reader: { saved: Map<string, Uint8Array> } }).__reader.saved.get(wanted) ?? [],
      ),
    name,
  );
  return bytes.length === 0 ? null : Buffer.from(bytes);
}
