/**
 * @doyensec/electronegativity over main/ and renderer/ (without the check
 * that needs the internet). It exits 0 whatever it finds, so this test reads
 * its CSV report and fails on any HIGH or MEDIUM finding that has no
 * `electronegativity-exempt: CHECK_NAME — reason` comment on the line of the
 * finding or the line above it.
 */
import { spawnSync } from 'node:child_process';
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempFolder } from '../helpers/temp-folder.js';
import { scaled } from '../helpers/time.js';

/** Minimal CSV reader for the report (quoted fields with doubled quotes). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  for (const line of text.split(/\r?\n/).filter(Boolean)) {
    const cells: string[] = [];
    let cell = '';
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      const char = line[i]!;
      if (quoted && char === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (char === '"') quoted = !quoted;
      else if (char === ',' && !quoted) {
        cells.push(cell.trim());
        cell = '';
      } else cell += char;
    }
    cells.push(cell.trim());
    rows.push(cells);
  }
  return rows;
}

describe('electronegativity', () => {
  it(
    'finds no unexplained HIGH or MEDIUM issue in main/ and renderer/',
    async () => {
      const scan = await tempFolder('medseal-electronegativity-');
      await mkdir(join(scan, 'src'));
      await cp('main', join(scan, 'src', 'main'), { recursive: true });
      await cp('renderer', join(scan, 'src', 'renderer'), { recursive: true });
      const electron = JSON.parse(await readFile('node_modules/electron/package.json', 'utf8')).version as string;
      await writeFile(
        join(scan, 'src', 'package.json'),
        JSON.stringify({ name: 'medseal-scan', devDependencies: { electron } }),
      );
      const report = join(scan, 'report.csv');
      const run = spawnSync(process.execPath, ['build/scripts/electronegativity.cjs', join(scan, 'src'), report], {
        encoding: 'utf8',
        timeout: scaled(240_000),
      });
      expect(run.status, run.stderr).toBe(0);

      const [header, ...rows] = parseCsv(await readFile(report, 'utf8'));
      expect(header?.slice(0, 5)).toEqual(['issue', 'severity', 'confidence', 'filename', 'location']);
      expect(rows.some((row) => row[0] === 'ELECTRON_VERSION_JSON_CHECK')).toBe(true); // the scan really ran over our files
      const unexplained: string[] = [];
      for (const [issue, severity, , filename, location] of rows) {
        if (severity !== 'HIGH' && severity !== 'MEDIUM') continue;
        const line = Number(location?.split(':')[0]);
        const source =
          filename && filename !== 'N/A' ? (await readFile(join(scan, 'src', filename), 'utf8')).split('\n') : [];
        const nearby = [source[line - 1], source[line - 2]].join('\n');
        if (!nearby.includes(`electronegativity-exempt: ${issue}`))
          unexplained.push(`${severity} ${issue} at ${filename}:${location}`);
      }
      expect(unexplained).toEqual([]);
    },
    scaled(300_000),
  );
});
