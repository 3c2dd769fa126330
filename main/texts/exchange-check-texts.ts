/**
 * The words of an exchange's check (`medseal doctor`, Settings → "Test
 * connection"): each step as it passed, and what to do after the step that
 * failed. One table for the CLI and the app, so both say the same. Plain
 * data, no imports: the renderer may bundle it as it is.
 */
export type ExchangeCheckStepText =
  | 'connect'
  | 'host-key'
  | 'inbox'
  | 'announced'
  | 'writable'
  // a mailbox: sending (SMTP login over verified TLS), receiving (IMAP), a test message to oneself and back
  | 'sending'
  | 'receiving'
  | 'round-trip';

/** A step that passed, in a few words. */
export const EXCHANGE_STEP_PASSED: Record<ExchangeCheckStepText, string> = {
  connect: 'connected',
  'host-key': 'host key as pinned',
  inbox: 'your inbox is there',
  announced: 'announced to partners',
  writable: 'writable',
  sending: 'sending works (TLS verified, logged in)',
  receiving: 'receiving works (TLS verified, logged in)',
  'round-trip': 'a test message to yourself arrived (and was removed)',
};

/** The step that failed, as a heading. */
export const EXCHANGE_STEP_FAILED: Record<ExchangeCheckStepText, string> = {
  connect: 'cannot connect',
  'host-key': 'host key changed',
  inbox: 'your inbox is missing',
  announced: 'your inbox is not announced',
  writable: 'your inbox is not writable',
  sending: 'cannot send e-mail',
  receiving: 'cannot read your mailbox',
  'round-trip': 'the test message did not come back',
};

export interface NextStep {
  /** What to do, in words for the app and the CLI alike. */
  readonly words: string;
  /** A `medseal` command that does it (the CLI prints it with the --home of the run), or null. */
  readonly command: string | null;
}

/** What to do after `step` failed with the error `code`, on an exchange named `name` (managed: set by the organisation). */
export function exchangeNextStep(step: ExchangeCheckStepText, code: string, name: string, managed: boolean): NextStep {
  const quoted = /^[\w./:@%+=,-]+$/.test(name) ? name : `"${name.replace(/(["\\$`])/g, '\\$1')}"`;
  if (code === 'LOGIN_KEY_MISSING')
    return {
      words: 'Add your login key (Settings → Exchanges in the app).',
      command: `exchange add ${quoted} --key-file YOUR-KEY-FILE`,
    };
  switch (step) {
    case 'connect':
      return code === 'IO_ERROR'
        ? { words: 'Check that the share is mounted and that you may read and write it.', command: null }
        : code === 'TRANSPORT_UNREACHABLE'
          ? {
              words:
                'Check the network, then ask IT whether the server is running and accepts your login key. Packages for you wait there meanwhile.',
              command: null,
            }
          : { words: 'Tell IT what the message says: they prepare the exchange.', command: null };
    case 'host-key':
      return {
        words: managed
          ? 'Send nothing through it and call IT: someone may be in between. Only IT can confirm a new key (in the policy).'
          : 'Send nothing through it and call IT: someone may be in between. Only if IT confirms that the server changed, remove this exchange and add it again with the new key.',
        command: null,
      };
    case 'inbox':
    case 'announced':
      return code === 'INBOX_MISSING' || code === 'INBOX_NOT_ANNOUNCED'
        ? { words: 'Unlock MedSeal or look at your inbox: that makes and announces it again.', command: 'inbox' }
        : { words: 'Tell IT what the message says: they prepare the exchange.', command: null };
    case 'writable':
      return { words: "Ask IT to check the exchange's free space and your permissions there.", command: null };
    case 'sending':
    case 'receiving':
      if (code === 'MAILBOX_MISSING')
        return {
          words: "Your organisation's policy does not allow this mailbox's servers: set it up on the servers IT gives.",
          command: `exchange add-mail --address ${quoted}`,
        };
      return code === 'MAIL_TLS_REFUSED'
        ? { words: 'Send nothing by e-mail and tell IT: the mail server could not prove who it is.', command: null }
        : code === 'MAIL_LOGIN_REFUSED'
          ? {
              words: 'Set up the mailbox again with the right password (Settings → Exchanges in the app).',
              command: `exchange add-mail --address ${quoted}`,
            }
          : {
              words:
                'Check the network, then ask IT whether the mail server is running. Packages wait in the delivery queue meanwhile.',
              command: null,
            };
    case 'round-trip':
      return {
        words: 'Ask IT whether mail sent to your own address is delivered (and not held by a filter).',
        command: null,
      };
  }
}
