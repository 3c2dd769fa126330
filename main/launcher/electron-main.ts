/**
 * The app binary's entry (bundled to app/dist/main.cjs). `MedSeal --cli …` runs the command line
 * in this process, without a window: workstations have no Node and the RunAsNode fuse is off, so
 * the `medseal` command that installers put on the PATH calls the binary this way. Anything else
 * starts the desktop app. It is the one place that sees both front ends; neither sees the other.
 */
import './early-start-electron.js'; // first: for `--cli seal|open…` it readies the Argon2id worker while the rest loads
import { reportCliFailure, runCliToExitCode } from '../cli/run-cli.js';
import { cliArgumentsOf, runCliMode } from '../shell/cli-mode.js';
import { startShell } from '../shell/start.js';

const cli = cliArgumentsOf(process.argv);
if (cli) void runCliMode(cli, { run: runCliToExitCode, report: reportCliFailure });
else startShell(__dirname);
