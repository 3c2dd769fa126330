/** The lint rule that keeps 'electron' out of everything but main/shell/. */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function ruleIdsFor(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((message) => message.ruleId ?? message.message);
}

describe('only main/shell/ may import electron', () => {
  it.each([
    ["import { app } from 'electron';\nexport const a = app;", 'no-restricted-imports'],
    ["import { ipcRenderer } from 'electron/renderer';\nexport const a = ipcRenderer;", 'no-restricted-imports'],
    ["export const load = () => import('electron');", 'no-restricted-syntax'],
  ])('is an error in main/package/x.ts: %s', async (code, rule) => {
    expect(await ruleIdsFor('main/package/x.ts', code)).toContain(rule);
  });

  it('is an error in renderer/ and test/ too', async () => {
    expect(await ruleIdsFor('renderer/app.ts', "import { shell } from 'electron';\nexport const s = shell;")).toContain('no-restricted-imports');
    expect(await ruleIdsFor('renderer/src/App.tsx', "import { shell } from 'electron';\nexport const s = shell;")).toContain('no-restricted-imports');
    expect(await ruleIdsFor('test/unit/y.ts', "import { app } from 'electron';\nexport const a = app;")).toContain('no-restricted-imports');
  });

  it('is allowed in main/shell/', async () => {
    expect(await ruleIdsFor('main/shell/window.ts', "import { app } from 'electron';\nexport const a = app;")).toEqual([]);
  });
});
