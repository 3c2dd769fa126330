/** `medseal packages withdraw ID`: take a sent package back from the exchange inboxes where it still waits. */
import type { Command } from 'commander';
import { UsageError } from '../../errors/usage-error.js';
import { isMedSealError } from '../../errors/medseal-error.js';
import { WithdrawService, withdrawalProblem } from '../../services/delivery/withdraw.js';
import { CANNOT_TAKE_BACK, withdrawOutcomeText } from '../../texts/withdraw-texts.js';
import { forTerminal } from '../terminal-text.js';
import type { Handle } from './identity.js';

export function registerWithdrawCommand(packages: Command, handle: Handle): void {
  const withdraw = packages
    .command('withdraw')
    .description(
      'take a package you sent back from every exchange inbox where it still waits (the # of `packages list`); what a recipient already downloaded or opened cannot be taken back',
    )
    .argument('<id>');
  handle(withdraw, async (context) => {
    const id = Number(withdraw.args[0]!.replace(/^#/, ''));
    if (!Number.isSafeInteger(id) || id < 1) throw new UsageError('Give the number (#) `packages list` shows.');
    const profile = await context.unlock();
    const outcome = await new WithdrawService(await context.session(), await context.exchanges()).withdraw(id);
    const names = new Map(
      (await profile.contacts.list()).map((contact) => [contact.fingerprint, contact.card.profile.name]),
    );
    const nameOf = (fingerprint: string) => forTerminal(names.get(fingerprint) ?? fingerprint.slice(0, 16));
    context.out.result(
      {
        id,
        recipients: outcome.recipients.map((entry) => ({ ...entry, name: names.get(entry.fingerprint) ?? null })),
        problems: outcome.problems.map((problem) => ({
          exchange: problem.exchange,
          code: isMedSealError(problem.error) ? problem.error.code : 'INTERNAL',
          message: isMedSealError(problem.error) ? problem.error.userMessage : 'internal error',
        })),
      },
      () => [
        `Package #${id}:`,
        ...outcome.recipients.map(
          (entry) =>
            `  ${withdrawOutcomeText(nameOf(entry.fingerprint), entry.outcome)}${entry.outcome === 'withdrawn' || entry.outcome === 'mailed' ? (entry.notified ? ' Their MedSeal is told.' : ' Their MedSeal could not be told now.') : ''}`,
        ),
        CANNOT_TAKE_BACK,
      ],
    );
    for (const problem of outcome.problems)
      context.out.warn(
        `${forTerminal(problem.exchange)}: ${isMedSealError(problem.error) ? problem.error.userMessage : 'an unexpected error occurred'}`,
      );
    const problem = withdrawalProblem(outcome, nameOf);
    if (problem) throw problem;
  });
}
