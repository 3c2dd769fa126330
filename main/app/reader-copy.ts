/**
 * "Save MedSeal Reader…": a copy of the page a partner without MedSeal opens
 * a passphrase package with (main/reader/), as installed beside the app, saved
 * where the sender chooses so that they can hand it over. The copy is the
 * installed file byte for byte: its SHA-256 is the one the release's
 * SHA256SUMS lists, which a careful partner can compare.
 */
import { readFile } from 'node:fs/promises';
import { toIoError } from '../errors/io-error.js';
import { isNodeError } from '../errors/node-error.js';
import { writeNewFile } from '../fs/write-new-file.js';
import { ReaderNotInstalled } from './errors.js';
import type { Host } from './host.js';

export async function saveReaderCopy(host: Host, readerPage: string | null): Promise<{ saved: boolean }> {
  if (readerPage === null) throw new ReaderNotInstalled();
  const page = await readFile(readerPage).catch((error: unknown) => {
    if (isNodeError(error, 'ENOENT')) throw new ReaderNotInstalled();
    throw toIoError('MedSeal Reader', error);
  });
  const path = await host.dialogs.chooseSaveLocation('reader', 'medseal-reader.html');
  if (!path) return { saved: false };
  await writeNewFile(path, page, 'the copy of MedSeal Reader');
  return { saved: true };
}
