/**
 * The one text ladder: a line per SIP message, an arrow between our address and the peer's with
 * the request method or response status on it. The CLI's `--trace` and the GUI's text export
 * both print it.
 */

export interface LadderRow {
  /** ms since epoch. */
  at: number;
  dir: 'in' | 'out';
  proto: string;
  local: string;
  remote: string;
  /** "INVITE", "200 OK", or "!! reason" for a message that failed to parse. */
  label: string;
  /** Text after the remote address (retransmission, error). */
  flags?: string;
}

const WIDTH = 46;

export function ladderLines(rows: readonly LadderRow[]): string[] {
  const t0 = rows[0]?.at ?? 0;
  return rows.map((r) => {
    const time = ((r.at - t0) / 1000).toFixed(3).padStart(9);
    const label = ` ${r.label.length > WIDTH - 6 ? `${r.label.slice(0, WIDTH - 9)}...` : r.label} `;
    const fill = Math.max(2, WIDTH - label.length);
    const left = '─'.repeat(Math.floor(fill / 2));
    const right = '─'.repeat(fill - left.length);
    const arrow = r.dir === 'out' ? `${left}${label}${right}▶` : `◀${left}${label}${right}`;
    return `${time}s ${r.proto.toUpperCase().padEnd(3)} ${r.local.padStart(22)} ${arrow} ${r.remote}${r.flags ?? ''}`;
  });
}

/** The ladder label of a message's first line: "METHOD" for requests, "200 OK" for responses. */
export function ladderLabel(firstLine: string): string {
  if (firstLine.startsWith('SIP/2.0 ')) return firstLine.slice(8);
  return firstLine.split(' ')[0] ?? firstLine;
}
