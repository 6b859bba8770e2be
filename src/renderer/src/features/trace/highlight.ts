/** Split a SIP message into highlightable lines: start line, headers (name/value), SDP body. */
export type Line =
  | { kind: 'start'; text: string }
  | { kind: 'header'; name: string; value: string }
  | { kind: 'fold'; text: string }
  | { kind: 'blank' }
  | { kind: 'sdp'; key: string; value: string }
  | { kind: 'body'; text: string };

export function highlightLines(raw: string): Line[] {
  const text = raw ?? '';
  const sep = /\r?\n\r?\n/.exec(text);
  const head = sep ? text.slice(0, sep.index) : text;
  const body = sep ? text.slice(sep.index + sep[0].length) : '';
  const lines: Line[] = [];
  const headLines = head.split(/\r?\n/);
  let sdp = false;
  headLines.forEach((l, i) => {
    if (i === 0) return lines.push({ kind: 'start', text: l });
    if (/^[ \t]/.test(l)) return lines.push({ kind: 'fold', text: l });
    const c = l.indexOf(':');
    if (c <= 0) return lines.push({ kind: 'fold', text: l });
    const name = l.slice(0, c);
    const value = l.slice(c + 1);
    if (/^(content-type|c)$/i.test(name.trim()) && /application\/sdp/i.test(value)) sdp = true;
    lines.push({ kind: 'header', name, value });
  });
  if (sep) lines.push({ kind: 'blank' });
  if (body) {
    const looksSdp = sdp || /^v=0/.test(body);
    for (const l of body.split(/\r?\n/)) {
      const m = looksSdp ? /^([a-z])=(.*)$/.exec(l) : null;
      lines.push(m ? { kind: 'sdp', key: m[1]!, value: m[2]! } : { kind: 'body', text: l });
    }
  }
  return lines;
}
