// Runs @doyensec/electronegativity's scanner directly. Its own CLI front end cannot be used:
// it requires an undeclared old `commander` and picks up this project's newer one.
// Usage: node build/scripts/electronegativity.cjs INPUT_DIR OUTPUT.csv
const path = require('node:path');
const defaultExport = (module) => module.default ?? module;
const i18n = defaultExport(require('@doyensec/electronegativity/dist/locales/i18n.js'));
const run = defaultExport(require('@doyensec/electronegativity/dist/runner.js'));

async function main() {
  const [input, output] = process.argv.slice(2);
  if (!input || !output) throw new Error('usage: electronegativity.cjs INPUT_DIR OUTPUT.csv');
  await i18n();
  await run(
    {
      input: path.resolve(input),
      output,
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
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
