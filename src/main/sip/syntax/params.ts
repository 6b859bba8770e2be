/**
 * Generic parameters (`;name=value`, RFC 3261 §25.1 generic-param). Names are lower-cased;
 * a parameter without a value maps to null. Quoted values keep their quotes removed.
 */
import { SipParseError } from './message.ts';

export type Params = Record<string, string | null>;

/** Parse `;a=b;c;d="x;y"` (the leading ';' optional). */
export function parseParams(text: string): Params {
  const out: Params = {};
  let i = 0;
  const n = text.length;
  while (i < n) {
    while (i < n && (text[i] === ';' || text[i] === ' ' || text[i] === '\t')) i++;
    if (i >= n) break;
    let j = i;
    while (j < n && text[j] !== '=' && text[j] !== ';') j++;
    const name = text.slice(i, j).trim().toLowerCase();
    if (j < n && text[j] === '=') {
      j++;
      while (j < n && (text[j] === ' ' || text[j] === '\t')) j++;
      if (text[j] === '"') {
        let k = j + 1;
        let v = '';
        while (k < n && text[k] !== '"') {
          if (text[k] === '\\' && k + 1 < n) k++;
          v += text[k];
          k++;
        }
        if (name) out[name] = v;
        i = k + 1;
        while (i < n && text[i] !== ';') i++;
      } else {
        let k = j;
        while (k < n && text[k] !== ';') k++;
        if (name) out[name] = text.slice(j, k).trim();
        i = k;
      }
    } else {
      if (name) out[name] = null;
      i = j;
    }
  }
  return out;
}

/** Serialize params as `;a=b;c`. Values containing separators are quoted. */
export function formatParams(params: Params): string {
  let s = '';
  for (const [k, v] of Object.entries(params)) {
    if (v === null) s += `;${k}`;
    else if (/^[\w.!%*+`'~\-:[\]]*$/.test(v)) s += `;${k}=${v}`;
    else s += `;${k}="${v.replace(/(["\\])/g, '\\$1')}"`;
  }
  return s;
}

/** Token chars plus the host chars ":" "[" "]" that gen-value = token / host / quoted-string adds. */
const GEN_VALUE = /^[A-Za-z0-9\-.!%*_+`'~:[\]]+$/;
const TOKEN_RE = /^[A-Za-z0-9\-.!%*_+`'~]+$/;

function isWs(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\r' || c === '\n';
}

/**
 * Strict form of parseParams: `*( SEMI generic-param )` with `generic-param = token [ EQUAL
 * gen-value ]` and `gen-value = token / host / quoted-string` (RFC 3261 §25.1; SEMI and EQUAL
 * allow LWS around them). Empty parameters (`;;`), missing values after "=", unterminated quotes
 * and stray characters throw a SipParseError. Names are lower-cased; the first of duplicates wins.
 */
export function parseParamsStrict(text: string): Params {
  const out: Params = {};
  const n = text.length;
  let i = 0;
  const skipWs = (): void => {
    while (i < n && isWs(text[i])) i++;
  };
  skipWs();
  while (i < n) {
    if (text[i] !== ';') throw new SipParseError(`bad parameter list: ${text.slice(0, 80)}`, 400);
    i++;
    skipWs();
    let j = i;
    while (j < n && !isWs(text[j]) && text[j] !== '=' && text[j] !== ';') j++;
    const name = text.slice(i, j);
    if (!TOKEN_RE.test(name)) throw new SipParseError(`bad parameter name in: ${text.slice(0, 80)}`, 400);
    i = j;
    skipWs();
    let value: string | null = null;
    if (text[i] === '=') {
      i++;
      skipWs();
      if (text[i] === '"') {
        let k = i + 1;
        value = '';
        for (;;) {
          if (k >= n) throw new SipParseError(`unterminated quoted parameter in: ${text.slice(0, 80)}`, 400);
          const ch = text[k]!;
          if (ch === '"') break;
          if (ch === '\\' && k + 1 < n) k++;
          value += text[k];
          k++;
        }
        i = k + 1;
      } else {
        let k = i;
        while (k < n && !isWs(text[k]) && text[k] !== ';') k++;
        value = text.slice(i, k);
        if (!GEN_VALUE.test(value)) throw new SipParseError(`bad parameter value in: ${text.slice(0, 80)}`, 400);
        i = k;
      }
      skipWs();
    }
    const key = name.toLowerCase();
    if (!Object.prototype.hasOwnProperty.call(out, key)) setOwn(out, key, value);
  }
  return out;
}

/** Assign as an own enumerable property, even for names such as "__proto__". */
export function setOwn<T>(obj: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}
