/**
 * `medseal org partner add | list | refresh | remove | code`: partner
 * organisations whose published directories vouch for their clinicians
 * (services/partner-organisations.ts, FORMAT.md §11). IT adds a partner once,
 * with the 30-digit code of its directory key that the partner's IT read out
 * on the phone; `code KEY` prints that code for one's own key.
 */
import type { Command } from 'commander';
import { isDirectoryKey, directoryKeyCode } from '../../directory/partner.js';
import { groupDigits } from '../../identity/fingerprint.js';
import { isMedSealError } from '../../errors/medseal-error.js';
import { PartnerDirectories, type PartnerView } from '../../services/partner-organisations.js';
import { PartnerKeyInvalid } from '../../services/errors.js';
import { PARTNER_STATUS_TEXT as STATUS_TEXT } from '../../texts/partner-texts.js';
import { formatLocalTime } from '../format-text.js';
import { forTerminal } from '../terminal-text.js';
import type { Handle } from './identity.js';

function partnerLines(view: PartnerView): string[] {
  return [
    `${forTerminal(view.name)}${view.managed ? ' (set by your IT)' : ''}: ${STATUS_TEXT[view.status]}`,
    `    ${view.cards} clinician(s); directory ${view.head ? `change ${view.head.seq}, valid until ${formatLocalTime(view.head.validUntil)}` : 'none accepted yet'}`,
    `    from ${forTerminal(view.source)}; key code ${view.code}`,
    ...(view.lastProblem ? [`    last fetch: ${view.lastProblem}`] : []),
    ...(view.alarm ? [`    alarm: ${view.alarm}`] : []),
  ];
}

export function registerOrgPartnerCommands(org: Command, handle: Handle): void {
  const partner = org
    .command('partner')
    .description('partner organisations whose directories vouch for their clinicians');

  const code = partner
    .command('code')
    .description("print a directory key's 30-digit code, to read out to (or compare with) a partner's IT")
    .argument('<key>', 'the directory key (base64, as medseal org init printed it)');
  handle(code, async (context) => {
    const key = code.args[0]!.trim();
    if (!isDirectoryKey(key)) throw new PartnerKeyInvalid();
    const digits = groupDigits(directoryKeyCode(key));
    context.out.result({ code: digits }, () => [digits]);
  });

  const add = partner
    .command('add')
    .description("add a partner organisation, after comparing its key's code with its IT by phone")
    .argument('<name>', 'what your clinicians will see: "Vouched for by NAME"')
    .requiredOption('--key <key>', "the partner's directory key (base64)")
    .requiredOption(
      '--source <where>',
      'https://… URL, absolute folder path, or sftp://USER@HOST/PATH of its directory file',
    )
    .requiredOption('--code <digits>', "the 30-digit code the partner's IT read out for that key");
  handle(add, async (context) => {
    await context.unlock();
    const options = add.opts<{ key: string; source: string; code: string }>();
    const partners = new PartnerDirectories(await context.session());
    const view = partners.add({ name: add.args[0]!, key: options.key.trim(), source: options.source }, options.code);
    const [fetched] = await partners.refresh(view.name);
    const after = partners.list().find((entry) => entry.id === view.id)!;
    context.out.result({ partner: after, fetch: fetched?.outcome ?? null }, () => [
      `Added ${forTerminal(after.name)}.`,
      ...partnerLines(after),
      ...(fetched?.problem && isMedSealError(fetched.problem) ? [`Its directory: ${fetched.problem.userMessage}`] : []),
    ]);
  });

  const list = partner.command('list').description('the partner organisations and the state of their directories');
  handle(list, async (context) => {
    await context.unlock();
    const views = new PartnerDirectories(await context.session()).list();
    context.out.result({ partners: views }, () =>
      views.length === 0 ? ['No partner organisations.'] : views.flatMap(partnerLines),
    );
  });

  const refresh = partner
    .command('refresh')
    .description("fetch each partner's directory again (or the one named) and check it")
    .argument('[name]');
  handle(refresh, async (context) => {
    await context.unlock();
    const partners = new PartnerDirectories(await context.session());
    const results = await partners.refresh(refresh.args[0]);
    const failed = results.filter((result) => result.outcome !== 'accepted');
    context.out.result(
      {
        results: results.map((result) => ({
          name: result.name,
          outcome: result.outcome,
          code: result.problem && isMedSealError(result.problem) ? result.problem.code : null,
        })),
      },
      () =>
        results.map(
          (result) =>
            `${forTerminal(result.name)}: ${result.outcome}${result.problem && isMedSealError(result.problem) ? `: ${result.problem.userMessage}` : ''}`,
        ),
    );
    // A refused directory (rolled back, forked, not signed…) is an alarm: after the results, the first
    // refusal ends the command as its error (exit 6, untrusted party), so that scripts notice.
    const refused = failed.find((result) => result.outcome === 'refused')?.problem;
    if (refused) throw refused;
  });

  const remove = partner.command('remove').description('remove a partner organisation').argument('<name>');
  handle(remove, async (context) => {
    await context.unlock();
    new PartnerDirectories(await context.session()).remove(remove.args[0]!);
    context.out.result({ removed: remove.args[0] }, () => [`Removed ${forTerminal(remove.args[0]!)}.`]);
  });
}
