import { describe, expect, it } from 'vitest';
import { rendererFileFor } from '../../main/shell/renderer-path.js';

const ROOT = '/opt/medseal/renderer';

describe('the app protocol serves only files inside the renderer folder', () => {
  it('maps ordinary requests', () => {
    expect(rendererFileFor(ROOT, 'medseal-app://ui/')).toBe(`${ROOT}/index.html`);
    expect(rendererFileFor(ROOT, 'medseal-app://ui/assets/app.js')).toBe(`${ROOT}/assets/app.js`);
  });

  it.each([
    'medseal-app://ui/../../etc/passwd',
    'medseal-app://ui/%2e%2e/%2e%2e/etc/passwd',
    'medseal-app://ui/assets/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc/passwd',
    'medseal-app://ui/..%2f..%2f..%2fetc/passwd',
    'medseal-app://ui/..%5c..%5cwindows',
  ])('never escapes the folder: %s', (url) => {
    const file = rendererFileFor(ROOT, url);
    expect(file === null || file.startsWith(`${ROOT}/`)).toBe(true);
  });

  it.each([
    'medseal-app://ui/a%00.js',
    'medseal-app://ui/%E0%A4%A',
    'medseal-app://other-host/index.html',
    'file:///etc/passwd',
    'not a url',
  ])('refuses %s', (url) => {
    expect(rendererFileFor(ROOT, url)).toBeNull();
  });
});
