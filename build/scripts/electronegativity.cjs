// Runs @doyensec/electronegativity's scanner directly. Its own CLI front end cannot be used:
// it requires an undeclared old `commander` and picks up this project's newer one. Its CSV
// writer also races (header and rows are two concurrent writes), so the report is written here
// from the issues the scanner returns, with the same columns.
// Usage: node build/scripts/electronegativity.cjs INPUT_DIR OUTPUT.csv
const fs = require('node:fs');
const path = require('node:path');
const defaultExport = (module) => module.default ?? module;
const i18n = defaultExport(require('@doyensec/electronegativity/dist/locales/i18n.js'));
const run = defaultExport(require('@doyensec/electronegativity/dist/runner.js'));

async function main() {
  const [input, output] = process.argv.slice(2);
  if (!input || !output) throw new Error('usage: electronegativity.cjs INPUT_DIR OUTPUT.csv');
  await i18n();
  const root = path.resolve(input);
  const result = await run(
    {
      input: root,
      output: undefined,
      isSarif: false,
      customScan: [],
      excludeFromScan: ['availablesecurityfixesglobalcheck'], // needs the internet
      severitySet: undefined,
      confidenceSet: undefined,
      isRelative: true,
      isVerbose: false,
      electronUpgrade: undefined,
      electronVersionOverride: undefined,
      parserPlugins: [],
    },
    false,
  );
  const cell = (value) => (value == null ? 'N/A' : `"${String(value).replace(/"/g, '""')}"`);
  const lines = ['issue, severity, confidence, filename, location, sample, description, url'];
  for (const issue of result.issues) {
    const file =
      issue.file && issue.file !== 'N/A' && path.isAbsolute(issue.file) ? path.relative(root, issue.file) : issue.file;
    const location = `${issue.location?.line}:${issue.location?.column}`;
    lines.push(
      [
        issue.id,
        cell(issue.severity?.name),
        cell(issue.confidence?.name),
        cell(file),
        cell(location),
        cell(issue.sample),
        cell(issue.description),
        `https://github.com/doyensec/electronegativity/wiki/${issue.id}`,
      ].join(','),
    );
  }
  fs.writeFileSync(output, `${lines.join('\n')}\n`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
