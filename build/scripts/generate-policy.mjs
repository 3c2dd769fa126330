/**
 * `npm run policy:generate`: writes the Group Policy template (MedSeal.admx,
 * en-US/MedSeal.adml), the sample macOS profile (medseal.mobileconfig) and the
 * sample policy file (policy.sample.json, for /etc/medseal/policy.json)
 * under build/policy/ from main/policy/policy-catalogue.ts. Run it after
 * changing a policy key; a test fails while the committed files are stale.
 * electron-builder ships build/policy/ with the release artifacts.
 */
import { build } from 'esbuild';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const scratch = await mkdtemp(join(tmpdir(), 'medseal-policy-'));
try {
  const bundle = join(scratch, 'policy-templates.mjs');
  await build({
    entryPoints: [join(root, 'main/policy/policy-templates.ts')],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    format: 'esm',
    logLevel: 'warning',
  });
  const { renderAdmx, renderAdml, renderMobileconfig, renderPolicySample } = await import(pathToFileURL(bundle).href);
  const out = join(root, 'build', 'policy');
  await mkdir(join(out, 'en-US'), { recursive: true });
  await writeFile(join(out, 'MedSeal.admx'), renderAdmx());
  await writeFile(join(out, 'en-US', 'MedSeal.adml'), renderAdml());
  await writeFile(join(out, 'medseal.mobileconfig'), renderMobileconfig());
  await writeFile(join(out, 'policy.sample.json'), renderPolicySample());
  console.log(
    `Wrote ${join('build', 'policy')}: MedSeal.admx, en-US/MedSeal.adml, medseal.mobileconfig, policy.sample.json`,
  );
} finally {
  await rm(scratch, { recursive: true, force: true });
}
