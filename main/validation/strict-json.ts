/**
 * Parses untrusted UTF-8 JSON against a strict zod schema in one step, and
 * says what was wrong in words safe to show (a field name, never its value).
 */
import type { z } from 'zod';

export type StrictJsonResult<T> = { ok: true; value: T } | { ok: false; problem: string };

export function parseStrictJson<S extends z.ZodType>(
  input: Uint8Array | string,
  schema: S,
): StrictJsonResult<z.output<S>> {
  let json: unknown;
  try {
    const text = typeof input === 'string' ? input : new TextDecoder('utf-8', { fatal: true }).decode(input);
    json = JSON.parse(text);
  } catch (error) {
    // TextDecoder's fatal mode throws TypeError for bytes that are not UTF-8; JSON.parse, SyntaxError.
    if (error instanceof TypeError || error instanceof SyntaxError)
      return { ok: false, problem: 'it is not readable (not UTF-8 JSON)' };
    throw error;
  }
  return parseStrictValue(json, schema);
}

/** The same check for a value that did not come as JSON text (the registry, a plist). */
export function parseStrictValue<S extends z.ZodType>(value: unknown, schema: S): StrictJsonResult<z.output<S>> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0];
  return { ok: false, problem: `field "${issue?.path.join('.') || '(top level)'}" ${issue?.message ?? 'is invalid'}` };
}
