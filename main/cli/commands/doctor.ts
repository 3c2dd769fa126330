/** `medseal doctor`: every health check with OK or the fix; exit 1 when any fails. */
import type { Command } from 'commander';
import { runDoctor } from '../../services/doctor.js';
import { EXIT } from '../exit-codes.js';
import type { Handle } from './identity.js';

export function registerDoctorCommand(program: Command, handle: Handle, setExitCode: (code: number) => void): void {
  const doctor = program.command('doctor').description('check this workstation: profile, database, audit chain, policy, exchange folders');
  handle(doctor, async (context) => {
    const results = await runDoctor(context.folder);
    context.out.result({ ok: results.every((result) => result.ok), checks: results }, () => results.map((result) => `${result.ok ? 'OK  ' : 'FAIL'}  ${result.name}: ${result.detail}`));
    if (!results.every((result) => result.ok)) setExitCode(EXIT.internal);
  });
}
