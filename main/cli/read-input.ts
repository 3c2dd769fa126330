/** Reads a small text input for the CLI: a file, or stdin when the name is "-". */
import { readFile } from 'node:fs/promises';
import { toIoError } from '../errors/io-error.js';

export async function readTextInput(file: string, subject: string): Promise<string> {
  if (file === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }
  return readFile(file, 'utf8').catch((error: unknown) => {
    throw toIoError(subject, error);
  });
}
