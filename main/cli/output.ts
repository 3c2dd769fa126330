/**
 * Everything the CLI prints goes through here: results on stdout (text or
 * one JSON document with --json), warnings and errors on stderr. Errors
 * print only the typed user message, never a stack or a system message
 * (those can contain file paths, and paths can name patients).
 */
import { isMedSealError } from '../errors/medseal-error.js';
import { EXIT, EXIT_FOR_CATEGORY } from './exit-codes.js';
import { forTerminal } from './terminal-text.js';

export interface Streams {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
}

export class Output {
  constructor(
    readonly json: boolean,
    private readonly streams: Streams = process,
  ) {}

  result(data: object, text: () => string[]): void {
    if (this.json) this.streams.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
    else this.streams.stdout.write(`${text().join('\n')}\n`);
  }

  warn(message: string): void {
    if (this.json) this.streams.stderr.write(`${JSON.stringify({ warning: message })}\n`);
    else this.streams.stderr.write(`medseal: warning: ${message}\n`);
  }

  /** Prints the error and returns the exit code for it. */
  error(error: unknown): number {
    const known = isMedSealError(error);
    const code = known ? error.code : 'INTERNAL';
    const message = known
      ? error.userMessage
      : 'An unexpected internal error occurred. Set MEDSEAL_DEBUG=1 to see details.';
    if (this.json) this.streams.stderr.write(`${JSON.stringify({ error: { code, message } })}\n`);
    // An error may name a contact as their card does (RECIPIENT_UNVERIFIED…): made safe like any card text.
    else this.streams.stderr.write(`medseal: error: ${forTerminal(message, { keepNewlines: true })}\n`);
    if (!known && process.env.MEDSEAL_DEBUG === '1')
      this.streams.stderr.write(`${(error as Error)?.stack ?? String(error)}\n`);
    return known ? EXIT_FOR_CATEGORY[error.category] : EXIT.internal;
  }
}
