/**
 * `medseal` on Node (bundled to dist/cli/medseal-main.cjs, which medseal-entry.ts, the
 * dist/cli/medseal.cjs that users run, starts): for development, tests and `npm link`. Installed
 * workstations run the same CLI through the app binary (`MedSeal --cli`, main/launcher/).
 */
import './early-start-node.js'; // first: it readies the Argon2id worker while the rest loads
import { runCliToExitCode } from './run-cli.js';

export { runCli } from './run-cli.js';

if (process.env.MEDSEAL_CLI_NO_AUTORUN !== '1') {
  void runCliToExitCode(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
