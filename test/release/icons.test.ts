/**
 * Every installer's icon comes from build/icon.svg: the committed PNG set in
 * build/icons/ was rendered from the SVG as it is now (npm run icons:generate
 * records its hash), at every size the installers and the Linux icon theme use,
 * square, with an alpha channel.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const BUILD = join(process.cwd(), 'build');
const SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024];

describe('icons', () => {
  it('were generated from the current build/icon.svg', async () => {
    const svg = await readFile(join(BUILD, 'icon.svg'));
    const recorded = (await readFile(join(BUILD, 'icons', 'source.sha256'), 'utf8')).split(/\s+/)[0];
    expect(recorded, 'build/icon.svg changed: run npm run icons:generate').toBe(
      createHash('sha256').update(svg).digest('hex'),
    );
  });

  it('are PNGs of every size, square, with alpha', async () => {
    for (const size of SIZES) {
      const png = await readFile(join(BUILD, 'icons', `${size}x${size}.png`));
      expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
      expect([png.readUInt32BE(16), png.readUInt32BE(20)], `${size}`).toEqual([size, size]);
      expect(png[25], 'colour type RGBA').toBe(6);
    }
  });

  it("include Windows' .ico (every size up to 256) and macOS' .icns", async () => {
    const ico = await readFile(join(BUILD, 'icons', 'icon.ico'));
    expect([ico.readUInt16LE(0), ico.readUInt16LE(2)], 'ICO header: reserved 0, type 1').toEqual([0, 1]);
    const sizes = Array.from({ length: ico.readUInt16LE(4) }, (_, index) => ico[6 + index * 16] || 256);
    expect(sizes).toEqual(expect.arrayContaining([16, 32, 48, 256]));
    const icns = await readFile(join(BUILD, 'icons', 'icon.icns'));
    expect(icns.subarray(0, 4).toString('latin1')).toBe('icns');
    expect(icns.readUInt32BE(4), 'the length it records is its length').toBe(icns.length);
  });
});
