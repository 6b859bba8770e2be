/**
 * Exports of the trace: text (ladder, RTP streams, every message in full) and pcap (SIP and the
 * calls' RTP, see pcap-writer.ts), each optionally redacted (redact.ts) with one Redactor per
 * export so placeholders stay consistent between the ladder, the messages and the packets.
 */
import type { RtpStreamSummary, TraceEntry } from '../../../shared/api/contract.ts';
import { pcapFile, splitHostPort, type PcapRecord } from './pcap-writer.ts';
import { Redactor } from './redact.ts';
import { ladderLines } from './ladder.ts';
import type { RtpPacketRecord } from '../media/rtp-stream.ts';

export interface ExportInput {
  entries: readonly TraceEntry[];
  summaries: readonly RtpStreamSummary[];
  /** RTP packets (any order; sorted by time with the SIP messages). */
  packets: () => Iterable<RtpPacketRecord>;
  redact: boolean;
  callId?: string;
}

function redactorFor(input: ExportInput): Redactor | undefined {
  if (!input.redact) return undefined;
  const r = new Redactor();
  for (const e of input.entries) r.reserve(`${e.raw}\n${e.local}\n${e.remote}`);
  for (const s of input.summaries) r.reserve(`${s.from} ${s.to}`);
  return r;
}

export function exportText(input: ExportInput): string {
  const red = redactorFor(input);
  const t = (s: string): string => (red ? red.text(s) : s);
  const { entries } = input;
  const lines: string[] = [
    `Trunkscope SIP trace: ${entries.length} message(s)${input.callId ? `, Call-ID ${t(input.callId)}` : ''}${red ? ', REDACTED' : ''}`,
    `Exported ${new Date().toISOString()}`,
    '',
    'Ladder',
    '',
  ];
  lines.push(
    ...ladderLines(
      entries.map((e) => ({
        at: e.at,
        dir: e.dir,
        proto: e.proto,
        local: t(e.local),
        remote: t(e.remote),
        label: t(e.error && !e.firstLine ? `!! ${e.error}` : e.firstLine),
        flags: `${e.retransmission ? '  (retransmission)' : ''}${e.error ? `  !! ${e.error}` : ''}`,
      })),
    ),
  );
  if (input.summaries.length > 0) {
    lines.push('', 'RTP streams', '');
    for (const s of input.summaries) {
      const end = s.endAt !== undefined ? new Date(s.endAt).toISOString() : 'still running';
      lines.push(
        `${s.dir.padEnd(8)} ${t(s.from)} → ${t(s.to)}  ${new Date(s.startAt).toISOString()} – ${end}  packets ${s.packets}  lost ${s.lost}  jitter ${s.jitterMs.toFixed(2)} ms${input.callId ? '' : `  (Call-ID ${t(s.callId)})`}`,
      );
    }
  }
  lines.push('', 'Messages', '');
  for (const e of entries) {
    const dir = e.dir === 'out' ? 'sent to' : 'received from';
    lines.push(
      `----- #${e.id} ${new Date(e.at).toISOString()} ${e.proto.toUpperCase()} ${dir} ${t(e.remote)} (local ${t(e.local)}), ${Buffer.byteLength(e.raw)} bytes${e.retransmission ? ', retransmission' : ''}${e.error ? ` — ${e.error}` : ''}`,
    );
    lines.push((red ? red.message(e.raw) : e.raw).replace(/\r\n/g, '\n').trimEnd(), '');
  }
  return `${lines.join('\n')}\n`;
}

export function exportPcap(input: ExportInput): Buffer {
  const red = redactorFor(input);
  const addr = (text: string): { address: string; port: number } => {
    const a = splitHostPort(text);
    if (!red) return a;
    return {
      address: a.address.includes(':') ? red.ipv6(a.address) : red.ipv4(a.address),
      port: a.port,
    };
  };
  const records: PcapRecord[] = [];
  for (const e of input.entries) {
    if (e.raw.length === 0) continue;
    const [src, dst] = e.dir === 'out' ? [e.local, e.remote] : [e.remote, e.local];
    records.push({
      at: e.at,
      src: addr(src),
      dst: addr(dst),
      payload: Buffer.from(red ? red.message(e.raw) : e.raw, 'utf8'),
    });
  }
  for (const p of input.packets()) {
    records.push({ at: p.at, src: addr(p.src), dst: addr(p.dst), payload: rtpPacket(p, !red) });
  }
  records.sort((a, b) => a.at - b.at);
  return pcapFile(records);
}

/**
 * RFC 3550 §5.1 header as sent or received, then the payload bytes when they were kept and the
 * export is not redacted (voice is personal data); otherwise silence of the original length.
 */
export function rtpPacket(p: RtpPacketRecord, withAudio: boolean): Buffer {
  const b = Buffer.alloc(12 + p.payloadBytes);
  b[0] = 0x80;
  b[1] = (p.marker ? 0x80 : 0) | (p.payloadType & 0x7f);
  b.writeUInt16BE(p.seq & 0xffff, 2);
  b.writeUInt32BE(p.timestamp >>> 0, 4);
  b.writeUInt32BE(p.ssrc >>> 0, 8);
  if (withAudio && p.payload && p.payload.length === p.payloadBytes) {
    b.set(p.payload, 12);
    return b;
  }
  const fill = p.payloadType === 0 ? 0xff : p.payloadType === 8 ? 0xd5 : 0;
  if (fill) b.fill(fill, 12);
  return b;
}

/** The trace.export result: a file name that says what it holds, its MIME type, base64 bytes. */
export function exportFile(
  input: ExportInput,
  format: 'text' | 'pcap',
): { filename: string; mime: string; base64: string } {
  const pcap = format === 'pcap';
  const data = pcap ? exportPcap(input) : Buffer.from(exportText(input), 'utf8');
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-');
  // A redacted file's name must not leak the Call-ID either.
  const which =
    input.callId && !input.redact
      ? `-${input.callId.replace(/[^A-Za-z0-9]/g, '').slice(0, 12)}`
      : '';
  return {
    filename: `trunkscope-trace${which}${input.redact ? '-redacted' : ''}-${stamp}.${pcap ? 'pcap' : 'txt'}`,
    mime: pcap ? 'application/vnd.tcpdump.pcap' : 'text/plain; charset=utf-8',
    base64: data.toString('base64'),
  };
}
