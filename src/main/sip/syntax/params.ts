/**
 * Generic parameters (`;name=value`, RFC 3261 §25.1 generic-param). Names are lower-cased;
 * a parameter without a value maps to null. Quoted values keep their quotes removed.
 */
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
