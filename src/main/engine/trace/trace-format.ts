/**
 * The `--trace` text: a ladder (one line per message, arrows between our address and the peer's)
 * followed by every message in full, as sent or received.
 */
import type { TraceRecord } from '../../sip/transport/types.ts';
import { endpointText } from '../report/report-helpers.ts';
import { ladderLabel, ladderLines } from './ladder.ts';
import { maskDigestSecrets } from './mask-secrets.ts';

export interface TraceFormatOptions {
  /** Print digest responses as sent (`--show-secrets`); by default they are masked. */
  showSecrets?: boolean;
}

export function formatTrace(records: readonly TraceRecord[], opts: TraceFormatOptions = {}): string {
  if (records.length === 0) return '(no SIP messages)\n';
  const lines: string[] = ['SIP ladder', ''];
  lines.push(
    ...ladderLines(
      records.map((r) => ({
        at: r.at,
        dir: r.dir,
        proto: r.proto,
        local: endpointText(r.local),
        remote: endpointText(r.remote),
        label: r.error ? `!! ${r.error}` : ladderLabel(firstLine(r.raw)),
      })),
    ),
  );
  lines.push('', 'Messages', '');
  for (const r of records) {
    const dir = r.dir === 'out' ? 'sent to' : 'received from';
    lines.push(`----- ${new Date(r.at).toISOString()} ${r.proto.toUpperCase()} ${dir} ${endpointText(r.remote)} (local ${endpointText(r.local)}), ${r.raw.length} bytes${r.error ? ` — ${r.error}` : ''}`);
    const text = r.raw.toString('utf8').replace(/\r\n/g, '\n').trimEnd();
    lines.push(opts.showSecrets ? text : maskDigestSecrets(text), '');
  }
  return `${lines.join('\n')}\n`;
}

function firstLine(raw: Buffer): string {
  const text = raw.toString('utf8', 0, Math.min(raw.length, 512));
  const eol = text.search(/\r?\n/);
  return eol < 0 ? text : text.slice(0, eol);
}
