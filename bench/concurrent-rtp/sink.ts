/**
 * Receiver for the jitter measurement (a child process of run.ts, over the fork IPC channel): one
 * plain UDP socket that every stream of the generator sends to, doing as little as possible per
 * packet (parse the 12-byte header, take process.hrtime) so that the jitter it reports is the
 * sender's, not its own.
 *
 * Per SSRC: RFC 3550 A.8 interarrival jitter, D(i-1,i) = (R_i − R_{i−1}) − (S_i − S_{i−1}) in
 * timestamp units (8 kHz), J += (|D| − J)/16, averaged over the window's packets; and loss from
 * extended sequence numbers (A.3). Also the largest gap between two packets of a stream.
 *
 * Messages: bind → { port }, window-start, window-end → SinkWindow, close.
 */
import { createSocket } from 'node:dgram';

export interface SinkWindow {
  streams: number;
  seconds: number;
  /** Mean J per stream, ms, sorted. */
  jitterMs: number[];
  /** Largest inter-arrival gap per stream, ms, sorted. */
  maxGapMs: number[];
  expected: number;
  received: number;
}

interface S {
  lastSeq: number;
  cycles: number;
  extFirst: number;
  extMax: number;
  received: number;
  lastArr: number;
  lastTs: number;
  j: number;
  jSum: number;
  jN: number;
  maxGap: number;
}

const sock = createSocket('udp4');
let measuring = false;
let t0 = 0;
let streams = new Map<number, S>();
const hr = () => Number(process.hrtime.bigint()) / 1e6;

sock.on('message', (b) => {
  if (!measuring || b.length < 12 || b[0]! >> 6 !== 2) return;
  const pt = b[1]! & 0x7f;
  if (pt >= 72 && pt <= 76) return; // RTCP (rtcp-mux, RFC 5761 §4)
  const now = hr();
  const seq = b.readUInt16BE(2);
  const ts = b.readUInt32BE(4);
  const ssrc = b.readUInt32BE(8);
  let s = streams.get(ssrc);
  if (!s) {
    s = {
      lastSeq: seq,
      cycles: 0,
      extFirst: seq,
      extMax: seq,
      received: 1,
      lastArr: now,
      lastTs: ts,
      j: 0,
      jSum: 0,
      jN: 0,
      maxGap: 0,
    };
    streams.set(ssrc, s);
    return;
  }
  if (seq < s.lastSeq && s.lastSeq - seq > 0x8000) s.cycles += 0x10000;
  const ext = s.cycles + seq;
  if (ext > s.extMax) s.extMax = ext;
  s.lastSeq = seq;
  s.received++;
  const gap = now - s.lastArr;
  if (gap > s.maxGap) s.maxGap = gap;
  const d = gap * 8 - ((ts - s.lastTs) | 0);
  s.j += (Math.abs(d) - s.j) / 16;
  s.jSum += s.j;
  s.jN++;
  s.lastArr = now;
  s.lastTs = ts;
});

type Msg = { t: 'bind' } | { t: 'window-start' } | { t: 'window-end' } | { t: 'close' };

async function handle(m: Msg): Promise<unknown> {
  switch (m.t) {
    case 'bind':
      await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
      sock.setRecvBufferSize(8 << 20); // capped by net.core.rmem_max
      return { port: sock.address().port, recvBuffer: sock.getRecvBufferSize() };
    case 'window-start':
      streams = new Map();
      t0 = hr();
      measuring = true;
      return {};
    case 'window-end': {
      measuring = false;
      const all = [...streams.values()];
      const w: SinkWindow = {
        streams: all.length,
        seconds: (hr() - t0) / 1000,
        jitterMs: all
          .filter((s) => s.jN > 0)
          .map((s) => s.jSum / s.jN / 8)
          .sort((a, b) => a - b),
        maxGapMs: all.map((s) => s.maxGap).sort((a, b) => a - b),
        expected: all.reduce((a, s) => a + s.extMax - s.extFirst + 1, 0),
        received: all.reduce((a, s) => a + s.received, 0),
      };
      return w;
    }
    case 'close':
      sock.close();
      setTimeout(() => process.exit(0), 50);
      return {};
  }
}

process.on('message', (m: Msg & { id: number }) => {
  handle(m).then(
    (r) => process.send!({ id: m.id, ok: true, r }),
    (e: Error) => process.send!({ id: m.id, ok: false, error: String(e?.stack ?? e) }),
  );
});
process.on('disconnect', () => process.exit(0));
