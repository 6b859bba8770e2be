/** One line per call the built-in agent handled, as `trunkscope listen` prints it when it ends. */
import type { CallReport } from '../../../shared/model/report.ts';
import { formatDiagnosis } from '../diagnose/format.ts';

/** The call's line and, indented under it, its diagnosis (verdict, causes, evidence). */
export function listenCallText(r: CallReport): string {
  return `${listenCallLine(r)}\n${formatDiagnosis(r).map((l) => `  ${l}\n`).join('')}`;
}

export function listenCallLine(r: CallReport): string {
  const parts = [`${r.outcome}: ${r.callId} from ${r.remote ?? '?'}`];
  const id = r.inbound;
  if (id?.dialed) parts.push(`to ${id.dialed}`);
  const caller = id?.pAssertedIdentity?.[0] ?? id?.from;
  if (caller) parts.push(`caller ${uriText(caller)}`);
  const m = r.media;
  if (m?.codec) parts.push(m.codec);
  const digits = m?.dtmf.received ?? [];
  if (digits.length > 0) parts.push(`digits ${digits.map((d) => d.digit).join('')} (${[...new Set(digits.map((d) => d.method))].join(', ')})`);
  if (id?.headers) parts.push(Object.entries(id.headers).map(([k, v]) => `${k}: ${v}`).join('; '));
  if (r.route) parts.push(`rule ${r.route.rule ?? '(none)'}`);
  return `${parts.join('  ')}  (${r.reason})`;
}

function uriText(nameAddr: string): string {
  return /<([^>]*)>/.exec(nameAddr)?.[1] ?? nameAddr.split(';')[0]!.trim();
}
