/**
 * The `--trace` text: a ladder (one line per message, arrows between our address and the peer's)
 * followed by every message in full, as sent or received.
 */
import type { TraceRecord } from '../../sip/transport/types.ts';
import { endpointText } from '../report/report-helpers.ts';

const WIDTH = 44;

export function formatTrace(records: readonly TraceRecord[]): string {
  if (records.length === 0) return '(no SIP messages)\n';
  const t0 = records[0]!.at;
  const lines: string[] = ['SIP ladder', ''];
  for (const r of records) {
    const t = ((r.at - t0) / 1000).toFixed(3).padStart(8);
    const first = r.error ? `!! ${r.error}` : firstLine(r.raw);
    const label = ` ${first.length > WIDTH - 6 ? `${first.slice(0, WIDTH - 9)}...` : first} `;
    const local = endpointText(r.local).padStart(22);
    const remote = endpointText(r.remote);
    const fill = Math.max(2, WIDTH - label.length);
    const left = '─'.repeat(Math.floor(fill / 2));
    const right = '─'.repeat(fill - left.length);
    const arrow = r.dir === 'out' ? `${left}${label}${right}▶` : `◀${left}${label}${right}`;
    lines.push(`${t}s ${r.proto.toUpperCase().padEnd(3)} ${local} ${arrow} ${remote}`);
  }
  lines.push('', 'Messages', '');
  for (const r of records) {
    const dir = r.dir === 'out' ? 'sent to' : 'received from';
    lines.push(`----- ${new Date(r.at).toISOString()} ${r.proto.toUpperCase()} ${dir} ${endpointText(r.remote)} (local ${endpointText(r.local)}), ${r.raw.length} bytes${r.error ? ` — ${r.error}` : ''}`);
    lines.push(r.raw.toString('utf8').replace(/\r\n/g, '\n').trimEnd(), '');
  }
  return `${lines.join('\n')}\n`;
}

function firstLine(raw: Buffer): string {
  const text = raw.toString('utf8', 0, Math.min(raw.length, 512));
  const eol = text.search(/\r?\n/);
  const line = eol < 0 ? text : text.slice(0, eol);
  // Requests: "METHOD uri"; responses: "200 OK".
  if (line.startsWith('SIP/2.0 ')) return line.slice(8);
  const parts = line.split(' ');
  return parts[0] ?? line;
}
