/**
 * Parse results of the media layer. Malformed input from the network never throws: it becomes an
 * `{ ok: false }` value with a machine-readable reason (for counters) and a human detail (for traces).
 */
export type ParseResult<T, R extends string = string> =
  { ok: true; value: T } | { ok: false; reason: R; detail: string };

export function ok<T>(value: T): { ok: true; value: T } {
  return { ok: true, value };
}

export function fail<R extends string>(
  reason: R,
  detail: string,
): { ok: false; reason: R; detail: string } {
  return { ok: false, reason, detail };
}
