/**
 * The lint rules that keep the layers apart (build/lint/layers.js): each
 * test plants a violating import in a file of the tree (linted as text, so
 * nothing is written) and checks that lint fails, and that the allowed
 * direction still passes.
 */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { ruleIdsFor } from '../helpers/lint-text.js';
import { forbiddenFor, LAYERS } from '../../build/lint/layers.js';

const RESTRICTED = '@typescript-eslint/no-restricted-imports';

describe('only main/shell/ may import electron', () => {
  it.each([
    ["import { app } from 'electron';\nexport const a = app;", RESTRICTED],
    ["import { ipcRenderer } from 'electron/renderer';\nexport const a = ipcRenderer;", RESTRICTED],
    ["export const load = () => import('electron');", 'no-restricted-syntax'],
  ])('is an error in main/package/x.ts: %s', async (code, rule) => {
    expect(await ruleIdsFor('main/package/x.ts', code)).toContain(rule);
  });

  it('is an error in renderer/ and test/ too', async () => {
    expect(await ruleIdsFor('renderer/app.ts', "import { shell } from 'electron';\nexport const s = shell;")).toContain(
      RESTRICTED,
    );
    expect(
      await ruleIdsFor('renderer/src/App.tsx', "import { shell } from 'electron';\nexport const s = shell;"),
    ).toContain(RESTRICTED);
    expect(await ruleIdsFor('test/unit/y.ts', "import { app } from 'electron';\nexport const a = app;")).toContain(
      RESTRICTED,
    );
  });

  it('is allowed in main/shell/', async () => {
    expect(await ruleIdsFor('main/shell/window.ts', "import { app } from 'electron';\nexport const a = app;")).toEqual(
      [],
    );
  });
});

describe('imports go one way between the layers of main/', () => {
  const planted = (from: string, to: string) =>
    `import { thing } from '${'../'.repeat(from.split('/').length - 2)}${to}/thing.js';\nexport const used = thing;`;

  it.each([
    ['main/fs/x.ts', 'package'],
    ['main/audit/x.ts', 'store'],
    ['main/package/payload/chunk-workers/x.ts', 'store'],
    ['main/identity/x.ts', 'services'],
    ['main/store/x.ts', 'services'],
    ['main/services/x.ts', 'jobs'],
    ['main/services/x.ts', 'app'],
    ['main/jobs/x.ts', 'cli'],
    ['main/cli/x.ts', 'app'],
    ['main/cli/x.ts', 'shell'],
    ['main/app/x.ts', 'cli'],
    ['main/ipc/x.ts', 'store'],
  ])('%s importing main/%s/ fails lint', async (file, target) => {
    expect(await ruleIdsFor(file, planted(file, target))).toContain(RESTRICTED);
  });

  it.each([
    ['main/package/x.ts', 'fs'],
    ['main/store/x.ts', 'audit'],
    ['main/services/x.ts', 'store'],
    ['main/jobs/x.ts', 'services'],
    ['main/cli/x.ts', 'services'],
    ['main/app/x.ts', 'ipc'],
    ['main/shell/x.ts', 'app'],
  ])('%s importing main/%s/ is allowed', async (file, target) => {
    expect(await ruleIdsFor(file, planted(file, target))).toEqual([]);
  });

  // The import rules above match import text; medseal/layers resolves each import to its file.
  it.each([
    ['a dynamic import()', 'main/fs/x.ts', "export const load = () => import('../services/send.js');"],
    ['a re-export', 'main/package/x.ts', "export { SendService } from '../services/send.js';"],
    [
      'a path that leaves main/ and comes back',
      'main/audit/x.ts',
      "import { thing } from '../../main/store/thing.js';\nexport const used = thing;",
    ],
    [
      'a path through the same folder first',
      'main/identity/x.ts',
      "import { thing } from './../../main/./services/thing.js';\nexport const used = thing;",
    ],
    ['a require()', 'main/crypto/x.ts', "export const load = () => require('../jobs/thing.js');"],
  ])('%s upwards fails lint', async (_what, file, code) => {
    expect(await ruleIdsFor(file, code)).toContain('medseal/layers');
  });

  it('a computed import() in main/ fails lint (it cannot be checked)', async () => {
    expect(
      await ruleIdsFor('main/package/x.ts', 'export const load = (name: string) => import(`../${name}/thing.js`);'),
    ).toContain('medseal/layers');
  });

  it('a folder of main/ that the layer table does not list fails lint', async () => {
    expect(await ruleIdsFor('main/newfolder/x.ts', 'export const nothing = 1;')).toContain('medseal/layers');
    expect(
      await ruleIdsFor('main/fs/x.ts', "import { thing } from '../crypto/thing.js';\nexport const used = thing;"),
    ).toEqual([]);
  });

  it('every folder of the table forbids every layer above it', () => {
    const order = LAYERS.flatMap((layer) => layer.folders.map((folder) => ({ folder, rank: LAYERS.indexOf(layer) })));
    for (const { folder, rank } of order) {
      for (const other of order.filter((entry) => entry.rank > rank))
        expect(forbiddenFor(folder), `${folder} → ${other.folder}`).toContain(other.folder);
    }
  });

  it('SQL (better-sqlite3) only in main/store/', async () => {
    const code = "import Database from 'better-sqlite3';\nexport const db = Database;";
    expect(await ruleIdsFor('main/services/x.ts', code)).toContain(RESTRICTED);
    expect(await ruleIdsFor('main/audit/x.ts', code)).toContain(RESTRICTED);
    expect(await ruleIdsFor('main/store/x.ts', code)).toEqual([]);
  });

  it('the renderer imports only types from the IPC contract, and the shared texts', async () => {
    expect(
      await ruleIdsFor(
        'renderer/src/x.ts',
        "import { CONTRACT } from '../../main/ipc/contract.js';\nexport const c = CONTRACT;",
      ),
    ).toContain(RESTRICTED);
    expect(
      await ruleIdsFor(
        'renderer/src/x.ts',
        "import { ProfileSession } from '../../main/services/profile-session.js';\nexport const c = ProfileSession;",
      ),
    ).toContain(RESTRICTED);
    expect(
      await ruleIdsFor(
        'renderer/src/x.ts',
        "import type { Channel } from '../../main/ipc/contract.js';\nexport type C = Channel;",
      ),
    ).toEqual([]);
    expect(
      await ruleIdsFor(
        'renderer/src/x.ts',
        "import { TRUST_LABEL } from '../../main/texts/trust-texts.js';\nexport const t = TRUST_LABEL;",
      ),
    ).toEqual([]);
  });
});

describe('type-aware rules', () => {
  it('a promise left unhandled fails lint (checked against a real file of the project)', async () => {
    const typed = new ESLint({ cwd: process.cwd() });
    const code =
      "import { readFile } from 'node:fs/promises';\nexport function forgetful(): void {\n  readFile('x');\n}\n";
    const [result] = await typed.lintText(code, { filePath: 'main/fs/errors.ts' });
    expect(result?.messages.map((message) => message.ruleId)).toContain('@typescript-eslint/no-floating-promises');
  });

  it('react-hooks: a hook called conditionally fails lint', async () => {
    const code =
      "import { useState } from 'react';\nexport function Screen({ show }: { show: boolean }) {\n  if (show) useState(0);\n  return null;\n}\n";
    expect(await ruleIdsFor('renderer/src/x.tsx', code)).toContain('react-hooks/rules-of-hooks');
  });
});
