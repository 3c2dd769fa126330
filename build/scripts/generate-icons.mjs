// Renders every icon from the one source, build/icon.svg, into build/icons/NxN.png, icon.ico and icon.icns
// (committed; electron-builder takes the folder for Linux, the .ico for Windows and the .icns for macOS, and build/scripts/linux-packages.mjs puts them
// under /usr/share/icons/hicolor). Rendered by Debian's Chromium through playwright-core (both are what the
// end-to-end tests use), with a transparent background. build/icons/source.sha256 records the SVG they were
// made from; test/release/icons.test.ts fails when it changed without `npm run icons:generate`.
// Usage: node build/scripts/generate-icons.mjs   (CHROMIUM_PATH names another Chromium)
import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import png2icons from 'png2icons';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const ICON_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024];
const source = join(root, 'build', 'icon.svg');
const folder = join(root, 'build', 'icons');

const svg = await readFile(source);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--force-color-profile=srgb'],
});
try {
  const page = await browser.newPage({ deviceScaleFactor: 1 });
  await rm(folder, { recursive: true, force: true });
  await mkdir(folder, { recursive: true });
  const image = `data:image/svg+xml;base64,${svg.toString('base64')}`;
  for (const size of ICON_SIZES) {
    await page.setViewportSize({ width: size, height: size });
    await page.setContent(
      `<html><body style="margin:0;background:transparent"><img src="${image}" width="${size}" height="${size}" style="display:block"></body></html>`,
    );
    await page.waitForFunction('document.images[0]?.complete === true');
    const png = await page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
    await writeFile(join(folder, `${size}x${size}.png`), png);
  }
} finally {
  await browser.close();
}
// Windows' .ico and macOS' .icns from the largest rendering (png2icons: no native tools, no download).
const largest = await readFile(join(folder, '1024x1024.png'));
const ico = png2icons.createICO(largest, png2icons.BICUBIC2, 0, true, true);
const icns = png2icons.createICNS(largest, png2icons.BICUBIC2, 0);
if (!ico || !icns) throw new Error('png2icons could not make the .ico and .icns');
await writeFile(join(folder, 'icon.ico'), ico);
await writeFile(join(folder, 'icon.icns'), icns);
await writeFile(join(folder, 'source.sha256'), `${createHash('sha256').update(svg).digest('hex')}  icon.svg\n`);
console.log(
  `medseal: wrote ${ICON_SIZES.length} icons (${ICON_SIZES.join(', ')} px), icon.ico and icon.icns into build/icons/`,
);
