/**
 * Load generator (a child process of run.ts, driven over the fork IPC channel): N product
 * RtpSessions (PCMU, 20 ms, 1004 Hz tone, rtcp-mux, default media clock), each on its own socket,
 * sending to a responder and measuring what comes back.
 *
 * Every payload carries a tag in its first 6 bytes (stream index, frame counter) written after
 * the real µ-law encode, and the session's codec reads the tag back in `decode` (the receiver
 * decodes for a no-op sink, so that costs what a real call costs). An echo returns payloads as is
 * (SIPp's rtp_echo returns whole packets; our agent re-sends payloads under its own header), so
 * the generator knows exactly which of the frames it sent in the window came back: the
 * round-trip loss. From the `onPacket` hook it also counts the returning stream's sequence
 * numbers (return-direction loss, RFC 3550 A.3) and runs the RFC 3550 A.8 jitter on arrival times
 * against RTP timestamps.
 *
 * Messages (parent → child): open, remotes, window-start, window-end, stop, close; each is answered.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { defaultMediaClock } from '../../src/main/media/clock/media-clock.ts';
import { decodeUlaw, encodeUlaw } from '../../src/main/media/codec/g711.ts';
import { RtpSession } from '../../src/main/media/session/rtp-session.ts';
import type { PacketInfo, SessionCodec } from '../../src/main/media/session/types.ts';
import { ToneAudioSource } from '../../src/main/media/source/tone-audio-source.ts';

export interface GenWindow {
  streams: number;
  seconds: number;
  /** Frames sent in the window and how many of them came back (tags). */
  sent: number;
  returned: number;
  /** Return direction, from the returning streams' sequence numbers (window by arrival time). */
  seqExpected: number;
  seqReceived: number;
  /** Per-stream RFC 3550 J of the returning stream (mean over the window), ms, sorted. */
  jitterMs: number[];
  tagMismatch: number;
  skippedFrames: number;
  /** Largest lateness of a clock tick since the process started (setup included), ms. */
  maxLateMs: number;
  loopDelayP99Ms: number;
  sendErrors: number;
}

const PTIME = 20;

class Stream {
  session!: RtpSession;
  k = 0;
  kStart = -1;
  got = new Uint8Array(4096);
  measuring = false;
  lastSeq = -1;
  extFirst = 0;
  extMax = 0;
  cycles = 0;
  received = 0;
  lastArr = NaN;
  lastTs = 0;
  j = 0;
  jSum = 0;
  jN = 0;
  mismatch = 0;
  readonly idx: number;
  constructor(idx: number) {
    this.idx = idx;
  }

  codec(): SessionCodec {
    return {
      name: 'PCMU',
      payloadType: 0,
      clockRate: 8000,
      channels: 1,
      encode: (pcm) => {
        const b = encodeUlaw(pcm);
        b.writeUInt16BE(this.idx & 0xffff, 0);
        b.writeUInt32BE(this.k++ >>> 0, 2);
        return b;
      },
      decode: (p) => {
        this.onPayload(p);
        return decodeUlaw(p);
      },
    };
  }

  private onPayload(p: Buffer): void {
    if (p.length < 6) return;
    if (p.readUInt16BE(0) !== (this.idx & 0xffff)) {
      this.mismatch++;
      return;
    }
    if (this.kStart < 0) return;
    const off = p.readUInt32BE(2) - this.kStart;
    if (off < 0) return;
    if (off >= this.got.length) {
      const g = new Uint8Array(Math.max(off + 1, this.got.length * 2));
      g.set(this.got);
      this.got = g;
    }
    this.got[off] = 1;
  }

  onPacket(p: PacketInfo): void {
    if (!this.measuring || p.kind !== 'audio') return;
    // RFC 3550 A.1/A.3: extended sequence numbers.
    if (this.lastSeq < 0) {
      this.extFirst = this.extMax = p.sequenceNumber;
    } else {
      if (p.sequenceNumber < this.lastSeq && this.lastSeq - p.sequenceNumber > 0x8000)
        this.cycles += 0x10000;
      const ext = this.cycles + p.sequenceNumber;
      if (ext > this.extMax) this.extMax = ext;
    }
    this.lastSeq = p.sequenceNumber;
    this.received++;
    // RFC 3550 A.8: D = (Rj - Ri) - (Sj - Si) in timestamp units; J += (|D| - J) / 16.
    if (!Number.isNaN(this.lastArr)) {
      const dTs = (p.timestamp - this.lastTs) | 0;
      const d = (p.arrivalMs - this.lastArr) * 8 - dTs;
      this.j += (Math.abs(d) - this.j) / 16;
      this.jSum += this.j;
      this.jN++;
    }
    this.lastArr = p.arrivalMs;
    this.lastTs = p.timestamp;
  }

  startWindow(): void {
    this.kStart = this.k;
    this.got.fill(0);
    this.measuring = true;
    this.lastSeq = -1;
    this.cycles = 0;
    this.received = 0;
    this.lastArr = NaN;
    this.j = this.jSum = this.jN = 0;
  }
}

const streams: Stream[] = [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const loopDelay = monitorEventLoopDelay({ resolution: 5 });
let windowAt = 0;
let skippedAt = 0;
let kEnd: number[] = [];

type Msg =
  | {
      t: 'open';
      n: number;
      remote?: { address: string; port: number };
      portMin: number;
      portMax: number;
    }
  | { t: 'remotes'; pairs: Array<[number, number]> }
  | { t: 'window-start' }
  | { t: 'window-end'; graceMs: number }
  | { t: 'stop' }
  | { t: 'close' };

async function handle(m: Msg): Promise<unknown> {
  switch (m.t) {
    case 'open': {
      for (let i = 0; i < m.n; i++) {
        const st = new Stream(streams.length);
        const tone = new ToneAudioSource();
        st.session = await RtpSession.open({
          bindAddress: '127.0.0.1',
          portRange: { min: m.portMin, max: m.portMax },
          rtcpMux: true,
          codec: st.codec(),
          ptimeMs: PTIME,
          remote: m.remote,
          source: tone,
          sinks: [{ write: () => undefined }],
          onPacket: (p) => st.onPacket(p),
        });
        streams.push(st);
        if (i % 20 === 19) await sleep(1); // spread the streams' phases a little more
      }
      return { ports: streams.map((s) => s.session.localPort) };
    }
    case 'remotes': {
      const byPort = new Map(streams.map((s) => [s.session.localPort, s]));
      let set = 0;
      for (const [local, remote] of m.pairs) {
        const st = byPort.get(local);
        if (!st) continue;
        st.session.setRemote({ address: '127.0.0.1', port: remote, rtcpPort: remote });
        set++;
      }
      return { set };
    }
    case 'window-start':
      for (const s of streams) s.startWindow();
      loopDelay.reset();
      loopDelay.enable();
      windowAt = performance.now();
      skippedAt = defaultMediaClock().stats().skippedFrames;
      return {};
    case 'window-end': {
      const seconds = (performance.now() - windowAt) / 1000;
      kEnd = streams.map((s) => s.k);
      for (const s of streams) s.measuring = false;
      loopDelay.disable();
      const clock = defaultMediaClock().stats();
      await sleep(m.graceMs); // late echoes still count as returned
      let sent = 0;
      let returned = 0;
      let seqExpected = 0;
      let seqReceived = 0;
      let mismatch = 0;
      let sendErrors = 0;
      const jitterMs: number[] = [];
      streams.forEach((s, i) => {
        const n = kEnd[i]! - s.kStart;
        sent += n;
        for (let f = 0; f < n; f++) returned += s.got[f]!;
        if (s.received > 0) {
          seqExpected += s.extMax - s.extFirst + 1;
          seqReceived += s.received;
        }
        if (s.jN > 0) jitterMs.push(s.jSum / s.jN / 8);
        mismatch += s.mismatch;
        sendErrors += s.session.stats().sent.sendErrors;
      });
      jitterMs.sort((a, b) => a - b);
      const w: GenWindow = {
        streams: streams.length,
        seconds,
        sent,
        returned,
        seqExpected,
        seqReceived,
        jitterMs,
        tagMismatch: mismatch,
        skippedFrames: clock.skippedFrames - skippedAt,
        maxLateMs: clock.maxLateMs,
        loopDelayP99Ms: loopDelay.percentile(99) / 1e6,
        sendErrors,
      };
      return w;
    }
    case 'stop':
      for (const s of streams) s.session.setDirection('inactive');
      await sleep(300);
      return { sent: streams.map((s) => [s.session.localPort, s.session.stats().sent.packets]) };
    case 'close':
      await Promise.all(streams.map((s) => s.session.close()));
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
