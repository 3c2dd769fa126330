// Loads electron-builder.yml and validates it against electron-builder's own schema, without
// downloading Electron or building anything (the CI machines cannot download Electron).
// Usage: node build/scripts/validate-builder-config.cjs [PROJECT_DIR]
const path = require('node:path');
const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config.js');
const { DebugLogger } = require('builder-util/out/DebugLogger.js');

async function main() {
  const projectDir = path.resolve(process.argv[2] ?? '.');
  const config = await getConfig(projectDir, null, null);
  await validateConfiguration(config, new DebugLogger(false));
  process.stdout.write(
    `${JSON.stringify({ valid: true, targets: { win: config.win?.target, mac: config.mac?.target, linux: config.linux?.target } })}\n`,
  );
}

main().catch((error) => {
  process.stderr.write(`electron-builder configuration is invalid: ${error.message}\n`);
  process.exit(1);
});
