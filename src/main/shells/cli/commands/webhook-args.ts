/** Argument helpers shared by the `webhook` subcommands. */
import { readFileSync } from 'node:fs';
import { UsageError } from '../common.ts';
import { webhooks } from '../../../engine/index.ts';

export type RunCommand = (argv: string[]) => Promise<number>;

export function providerArg(text: string | undefined): webhooks.Provider {
  if (text === undefined) throw new UsageError('--provider is required (twilio, plivo or exotel)');
  const p = text.trim().toLowerCase();
  if (!webhooks.isProvider(p))
    throw new UsageError(`--provider: unknown provider "${text}" (use twilio, plivo or exotel)`);
  return p;
}

export function urlArg(text: string | undefined, name = '--url'): string {
  if (text === undefined) throw new UsageError(`${name} is required`);
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw new UsageError(`${name}: not a URL: "${text}"`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw new UsageError(`${name}: expected an http:// or https:// URL, got "${text}"`);
  return text;
}

export function tokensArg(text: string | undefined, required: boolean): string[] {
  if (text === undefined) {
    if (required)
      throw new UsageError('--token is required (the auth token; old,new during a rotation)');
    return [];
  }
  const list = webhooks.splitTokens(text);
  if (list.length === 0 && required) throw new UsageError('--token is empty');
  return list;
}

/** `--param k=v` (repeatable; a repeated name becomes a list). */
export function paramsArg(list: string[]): webhooks.Params {
  const out: webhooks.Params = {};
  for (const item of list) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new UsageError(`--param: expected name=value, got "${item}"`);
    webhooks.addParam(out, item.slice(0, eq), item.slice(eq + 1));
  }
  return out;
}

export function methodArg(text: string | undefined): 'GET' | 'POST' | undefined {
  if (text === undefined) return undefined;
  const m = text.trim().toUpperCase();
  if (m !== 'GET' && m !== 'POST')
    throw new UsageError(`--method: expected GET or POST, got "${text}"`);
  return m;
}

/** `--header "Name: value"` into a lower-case header map. */
export function headersArg(list: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of list) {
    const colon = line.indexOf(':');
    if (colon <= 0) throw new UsageError(`--header: expected "Name: value", got "${line}"`);
    out[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return out;
}

export function readBodyFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`--body: cannot read ${file}: ${(err as Error).message}`);
  }
}

export function secondsArg(
  name: string,
  text: string | undefined,
  min: number,
): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isFinite(n) || n < min)
    throw new UsageError(`--${name}: expected a number >= ${min}, got "${text}"`);
  return n;
}
