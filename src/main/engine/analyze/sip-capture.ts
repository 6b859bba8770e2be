/**
 * SIP messages of a capture (issue 11, `trunkscope diagnose`): UDP datagrams that carry SIP, and
 * TCP streams reassembled in sequence order and framed with the SIP stack's own framer (RFC 3261
 * §18.3: several messages per segment, one message across segments). A TCP gap (bytes never
 * captured) is reported and framing restarts after it; nothing here throws on bad input.
 */
import { FramingError, StreamFramer } from '../../sip/syntax/framer.ts';
import type { Segment } from '../../media/pcap/ip-packets.ts';

export interface CapturedSip {
  /** Frame that carried the message (for TCP: the segment that completed it). */
  frame: number;
  timeMs: number;
  epochMs: number | null;
  proto: 'udp' | 'tcp';
  src: string;
  srcPort: number;
  dst: string;
  dstPort: number;
  raw: Buffer;
}

/** Ports where a TCP stream is taken as SIP even when the capture starts mid-message. */
const SIP_PORTS = new Set([5060, 5061, 5080]);

const SIP_START = /^(?:SIP\/2\.0 \d{3}(?: [^\r\n]*)?|[A-Z]+ \S+ SIP\/2\.0)\r?\n/;

/** True when a datagram's first line is a SIP request or status line. */
export function looksLikeSip(payload: Uint8Array): boolean {
  const head = Buffer.from(payload.subarray(0, 256)).toString('latin1');
  const eol = head.indexOf('\n');
  return eol > 0 && SIP_START.test(head.slice(0, eol + 1));
}

interface TcpFlow {
  framer: StreamFramer;
  next: number | undefined;
  /** Segments ahead of `next`, by sequence number. */
  ahead: Map<number, Segment>;
  sip: boolean | undefined;
}

const mod32 = (x: number): number => ((x % 0x100000000) + 0x100000000) % 0x100000000;
/** Signed distance a − b in sequence space (RFC 793 §3.3 comparisons mod 2^32). */
const seqDiff = (a: number, b: number): number => {
  const d = mod32(a - b);
  return d > 0x7fffffff ? d - 0x100000000 : d;
};

export function sipMessagesOf(segments: readonly Segment[]): { messages: CapturedSip[]; warnings: string[] } {
  const messages: CapturedSip[] = [];
  const warnings: string[] = [];
  const flows = new Map<string, TcpFlow>();
  const emit = (s: Segment, raw: Buffer): void => {
    messages.push({ frame: s.frame, timeMs: s.timeMs, epochMs: s.epochMs, proto: s.proto, src: s.src, srcPort: s.srcPort, dst: s.dst, dstPort: s.dstPort, raw });
  };
  const feed = (key: string, f: TcpFlow, s: Segment, data: Uint8Array): void => {
    if (data.length === 0) return;
    try {
      for (const out of f.framer.push(Buffer.from(data))) if (out.kind === 'message') emit(s, out.data);
    } catch (err) {
      if (err instanceof FramingError) for (const out of err.output) if (out.kind === 'message') emit(s, out.data);
      warnings.push(`TCP ${key}: framing stopped at frame ${s.frame} (${(err as Error).message}); the rest of this stream is reframed from the next message start`);
      f.framer = new StreamFramer();
    }
  };
  const deliver = (key: string, f: TcpFlow, trigger?: Segment): void => {
    for (;;) {
      let progressed = false;
      for (const [seq, s] of f.ahead) {
        const d = seqDiff(f.next!, seq);
        if (d < 0) continue;
        f.ahead.delete(seq);
        // Retransmitted or overlapping bytes: only what lies beyond `next` is new.
        if (d < s.payload.length) {
          // A message is complete in the frame that completed it: the later of the two (as Wireshark).
          feed(key, f, trigger && trigger.frame > s.frame ? trigger : s, s.payload.subarray(d));
          f.next = mod32(seq + s.payload.length);
        }
        progressed = true;
      }
      if (!progressed) return;
    }
  };
  for (const s of segments) {
    if (s.proto === 'udp') {
      if (looksLikeSip(s.payload)) emit(s, Buffer.from(s.payload));
      continue;
    }
    const key = `${s.src}:${s.srcPort} → ${s.dst}:${s.dstPort}`;
    let f = flows.get(key);
    if (!f) flows.set(key, (f = { framer: new StreamFramer(), next: undefined, ahead: new Map(), sip: undefined }));
    const syn = ((s.flags ?? 0) & 0x02) !== 0;
    if (syn) {
      f.next = mod32(s.seq! + 1);
      continue;
    }
    if (s.payload.length === 0) continue;
    if (f.sip === undefined) f.sip = looksLikeSip(s.payload) || SIP_PORTS.has(s.srcPort) || SIP_PORTS.has(s.dstPort);
    if (!f.sip) continue;
    f.next ??= s.seq!;
    f.ahead.set(s.seq!, s);
    deliver(key, f, s);
  }
  // Segments left ahead of a hole: bytes the capture never saw. Report, then frame what follows.
  for (const [key, f] of flows) {
    while (f.ahead.size > 0) {
      const seqs = [...f.ahead.keys()].sort((a, b) => seqDiff(a, b));
      const first = f.ahead.get(seqs[0]!)!;
      const missing = seqDiff(seqs[0]!, f.next!);
      warnings.push(`TCP ${key}: ${missing} bytes missing before frame ${first.frame} (a gap in the capture); the message cut by it is skipped`);
      f.framer = new StreamFramer();
      f.next = seqs[0]!;
      // Frame from the first segment that starts a message; what precedes it belongs to the cut one.
      const startAt = seqs.find((q) => looksLikeSip(f.ahead.get(q)!.payload));
      if (startAt === undefined) {
        f.ahead.clear();
        break;
      }
      for (const q of seqs) {
        if (q === startAt) break;
        f.ahead.delete(q);
      }
      f.next = startAt;
      deliver(key, f);
    }
    if (f.framer.buffered > 0) warnings.push(`TCP ${key}: the capture ends inside a message (${f.framer.buffered} bytes)`);
  }
  messages.sort((a, b) => a.frame - b.frame);
  return { messages, warnings };
}
