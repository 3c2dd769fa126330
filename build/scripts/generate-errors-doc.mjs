/**
 * `npm run errors:generate`: writes docs/ERRORS.md from the error catalogue (errors-doc.mjs).
 * Run it after adding or changing an error; a test fails while the committed file is stale.
 */
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderErrorsDoc } from './errors-doc.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
await writeFile(join(root, 'docs', 'ERRORS.md'), await renderErrorsDoc(root));
console.log('Wrote docs/ERRORS.md');
