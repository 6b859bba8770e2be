/**
 * The SIP ladder's geometry, as pure functions: one column per endpoint address (in order of
 * first appearance, the sender before the receiver), one arrow per message from the sender's
 * column to the receiver's, colored by method or response class, retransmissions marked; RTP
 * streams interleaved by start time as bands between the columns of their addresses.
 */
import type { RtpStreamSummary, TraceEntry } from '../../../../shared/api/contract.ts';

export interface LadderColumn {
  address: string;
  /** True for an address of ours (the local side of some message). */
  local: boolean;
}

export interface LadderArrow {
  from: number;
  to: number;
  label: string;
  /** CSS class: m-invite, m-bye …, s-1xx … s-6xx, or error. */
  tone: string;
  retransmission: boolean;
}

export type LadderItem = { kind: 'msg'; index: number } | { kind: 'rtp'; stream: RtpStreamSummary };

export const OTHERS = '…others';

export function endpoints(e: TraceEntry): [string, string] {
  return e.dir === 'out' ? [e.local, e.remote] : [e.remote, e.local];
}

/** Columns for the given entries (indexes into `entries`); beyond `max`, the rest share one. */
export function ladderColumns(
  entries: readonly TraceEntry[],
  indexes: readonly number[],
  max = 6,
): LadderColumn[] {
  const seen = new Map<string, LadderColumn>();
  const add = (address: string, local: boolean): void => {
    const c = seen.get(address);
    if (c) c.local ||= local;
    else seen.set(address, { address, local });
  };
  for (const i of indexes) {
    const e = entries[i];
    if (!e) continue;
    const [src, dst] = endpoints(e);
    add(src, e.dir === 'out');
    add(dst, e.dir === 'in');
  }
  const cols = [...seen.values()];
  if (cols.length <= max) return cols;
  return [...cols.slice(0, max - 1), { address: OTHERS, local: false }];
}

/** address → column index (addresses beyond the cap map to the "others" column). */
export function columnIndex(cols: readonly LadderColumn[]): (address: string) => number {
  const map = new Map(cols.map((c, i) => [c.address, i]));
  const others = map.get(OTHERS) ?? -1;
  return (a) => map.get(a) ?? others;
}

export function toneOf(e: TraceEntry): string {
  if (e.error) return 'error';
  if (e.status !== undefined) return `s-${Math.floor(e.status / 100)}xx`;
  const m = (e.method ?? '').toLowerCase();
  return [
    'invite',
    'ack',
    'bye',
    'cancel',
    'register',
    'options',
    'prack',
    'update',
    'info',
    'refer',
    'notify',
  ].includes(m)
    ? `m-${m}`
    : 'm-other';
}

export function labelOf(e: TraceEntry): string {
  if (e.status !== undefined)
    return (e.firstLine ?? String(e.status)).replace(/^SIP\/2\.0\s+/i, '');
  return e.method ?? (e.firstLine ?? '').split(' ')[0] ?? '?';
}

export function arrowFor(e: TraceEntry, col: (address: string) => number): LadderArrow {
  const [src, dst] = endpoints(e);
  return {
    from: col(src),
    to: col(dst),
    label: labelOf(e),
    tone: toneOf(e),
    retransmission: !!e.retransmission,
  };
}

/** Message rows and stream bands in time order. */
export function ladderItems(
  entries: readonly TraceEntry[],
  indexes: readonly number[],
  streams: readonly RtpStreamSummary[] = [],
): LadderItem[] {
  const sorted = [...streams].sort((a, b) => a.startAt - b.startAt);
  const out: LadderItem[] = [];
  let s = 0;
  for (const i of indexes) {
    const at = entries[i]?.at ?? 0;
    while (s < sorted.length && sorted[s]!.startAt <= at)
      out.push({ kind: 'rtp', stream: sorted[s++]! });
    out.push({ kind: 'msg', index: i });
  }
  while (s < sorted.length) out.push({ kind: 'rtp', stream: sorted[s++]! });
  return out;
}

/**
 * Columns of an RTP band: exact address, else same host (preferring our side for our end), else
 * our first local column / a peer column. On loopback both ends can land on one column; the peer
 * end then moves to the nearest other column so the band still spans the ladder.
 */
export function streamColumns(
  r: RtpStreamSummary,
  cols: readonly LadderColumn[],
): { from: number; to: number } {
  const host = (a: string) => a.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  const find = (a: string, local: boolean): number => {
    let i = cols.findIndex((c) => c.address === a);
    if (i < 0) i = cols.findIndex((c) => host(c.address) === host(a) && c.local === local);
    if (i < 0) i = cols.findIndex((c) => host(c.address) === host(a));
    if (i < 0) i = cols.findIndex((c) => c.local === local);
    return i < 0 ? (local ? 0 : Math.max(0, cols.length - 1)) : i;
  };
  const ours = find(r.dir === 'sent' ? r.from : r.to, true);
  let peer = find(r.dir === 'sent' ? r.to : r.from, false);
  if (peer === ours && cols.length > 1) peer = ours + 1 < cols.length ? ours + 1 : ours - 1;
  return r.dir === 'sent' ? { from: ours, to: peer } : { from: peer, to: ours };
}
