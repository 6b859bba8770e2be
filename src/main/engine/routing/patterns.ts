/**
 * Value patterns of the routing file: `exact`, `prefix*` and `/regex/flags`. Regular expressions
 * come from a file the user edits, so each is checked before use: at most MAX_PATTERN characters,
 * no nested quantifiers (star height ≤ 1, via safe-regex2) and matched against at most MAX_INPUT
 * characters, so no pattern can make the agent spin on a long header.
 */
import safeRegex from 'safe-regex2';
import { normaliseE164 } from './e164.ts';

export const MAX_PATTERN = 256;
/** Longer values never match a pattern (a real number, URI or header value is far shorter). */
export const MAX_INPUT = 512;

export type PatternKind = 'exact' | 'prefix' | 'regex';

export interface Pattern {
  /** The pattern as written in the file. */
  text: string;
  kind: PatternKind;
  /** Whether candidate values (and exact/prefix patterns) are compared as E.164 numbers. */
  e164: boolean;
  test(value: string): boolean;
}

export class PatternError extends Error {
  override name = 'PatternError';
}

/** Compile one pattern; throws PatternError with the reason when it is unusable or unsafe. */
export function compilePattern(text: string, opts: { e164?: boolean; ignoreCase?: boolean } = {}): Pattern {
  const e164 = opts.e164 ?? false;
  if (text.length === 0) throw new PatternError('empty pattern');
  if (text.length > MAX_PATTERN) throw new PatternError(`pattern longer than ${MAX_PATTERN} characters`);
  const norm = (v: string): string => (e164 ? normaliseE164(v) : v);
  const fold = (v: string): string => (opts.ignoreCase ? v.toLowerCase() : v);
  const re = /^\/(.+)\/([imsu]*)$/s.exec(text);
  if (re) {
    let compiled: RegExp;
    try {
      compiled = new RegExp(re[1]!, re[2]);
    } catch (err) {
      throw new PatternError(`bad regular expression: ${(err as Error).message}`);
    }
    if (!safeRegex(compiled)) {
      throw new PatternError('regular expression has nested quantifiers (exponential backtracking risk); simplify it');
    }
    return { text, kind: 'regex', e164, test: (v) => v.length <= MAX_INPUT && compiled.test(norm(v)) };
  }
  if (text.endsWith('*')) {
    const prefix = fold(norm(text.slice(0, -1)));
    if (prefix.includes('*')) throw new PatternError('"*" is allowed only at the end of a prefix pattern (use /regex/ for more)');
    return { text, kind: 'prefix', e164, test: (v) => v.length <= MAX_INPUT && fold(norm(v)).startsWith(prefix) };
  }
  const exact = fold(norm(text));
  return { text, kind: 'exact', e164, test: (v) => v.length <= MAX_INPUT && fold(norm(v)) === exact };
}
