import { describe, expect, it } from 'vitest';
import type { AudioSink, AudioSource } from '../../../../src/main/media/audio.ts';
import { pcmuCodec } from '../../../../src/main/media/codec/g711.ts';
import { parseRtp, type RtpPacket } from '../../../../src/main/media/rtp/rtp-packet.ts';
import { RtpSender, type EchoPacket } from '../../../../src/main/media/session/rtp-sender.ts';
import type { SessionCodec } from '../../../../src/main/media/session/types.ts';

const PCMU = pcmuCodec as SessionCodec;
const TS0 = 0xfffffe00; // close to the wrap, so timestamps must wrap modulo 2^32
const SEQ0 = 0xfffd;

const rampSource: AudioSource = {
  read(frame) {
    for (let i = 0; i < frame.length; i++) frame[i] = i * 10;
  },
};

function sender(extra: Partial<ConstructorParameters<typeof RtpSender>[0]> = {}) {
  const wire: RtpPacket[] = [];
  const s = new RtpSender({
    codec: PCMU,
    ptimeMs: 20,
    telephoneEventPt: 101,
    telephoneEventRate: 8000,
    source: rampSource,
    sinks: [],
    ssrc: 0x11223344,
    initialSequence: SEQ0,
    initialTimestamp: TS0,
    transmit: (packet) => {
      const p = parseRtp(packet);
      if (!p.ok) throw new Error(p.detail);
      wire.push({ ...p.value, payload: Buffer.from(p.value.payload) });
      return true;
    },
    ...extra,
  });
  return { s, wire };
}

const hex = (p: RtpPacket) => p.payload.toString('hex');
const ts = (frame: number) => (TS0 + frame * 160) >>> 0;

describe('RtpSender audio', () => {
  it('numbers packets from random-ish initial values, marks the first, steps the timestamp', () => {
    const { s, wire } = sender();
    for (let f = 0; f < 5; f++) s.tick(f, f * 20, true);
    expect(wire.map((p) => p.sequenceNumber)).toEqual([0xfffd, 0xfffe, 0xffff, 0, 1]);
    expect(wire.map((p) => p.timestamp)).toEqual([0, 1, 2, 3, 4].map(ts));
    expect(wire.map((p) => p.marker)).toEqual([true, false, false, false, false]);
    expect(wire.every((p) => p.ssrc === 0x11223344 && p.payloadType === 0)).toBe(true);
    expect(wire[0]!.payload).toEqual(pcmuCodec.encode(new Int16Array(160).map((_, i) => i * 10)));
    expect(s.counters).toMatchObject({ packets: 5, bytes: 5 * 160 });
  });

  it('sends nothing while not sending, then resumes with a marker and a clock-true timestamp', () => {
    const { s, wire } = sender();
    s.tick(0, 0, true);
    s.tick(1, 20, false);
    s.tick(2, 40, false);
    s.tick(3, 60, true);
    expect(wire.map((p) => [p.sequenceNumber, p.timestamp, p.marker])).toEqual([
      [SEQ0, ts(0), true],
      [SEQ0 + 1, ts(3), true],
    ]);
  });

  it('treats frames skipped by the clock as a gap: clock-true timestamp, marker', () => {
    const { s, wire } = sender();
    s.tick(0, 0, true);
    s.tick(1, 20, true);
    s.tick(9, 180, true); // the clock skipped frames 2..8 after a stall
    expect(wire.map((p) => [p.sequenceNumber, p.timestamp, p.marker])).toEqual([
      [SEQ0, ts(0), true],
      [SEQ0 + 1, ts(1), false],
      [SEQ0 + 2, ts(9), true],
    ]);
  });

  it('writes the sent PCM to sinks with the frame time', () => {
    const got: Array<[number, number, string, number]> = [];
    const sink: AudioSink = {
      write: (pcm, rate, dir, atMs) => got.push([pcm.length, rate, dir, atMs]),
    };
    const { s } = sender({ sinks: [sink] });
    s.tick(0, 0, true);
    s.tick(1, 20, true);
    expect(got).toEqual([
      [160, 8000, 'sent', 0],
      [160, 8000, 'sent', 20],
    ]);
  });
});

describe('RtpSender RFC 4733 events on the wire', () => {
  it('replaces audio with the event packets of a 100 ms digit (RFC 4733 §2.5.1)', async () => {
    const { s, wire } = sender();
    s.tick(0, 0, true);
    const done = s.dtmf.enqueue('5', 100, 10);
    let resolved = false;
    void done.then(() => (resolved = true));
    for (let f = 1; f <= 7; f++) s.tick(f, f * 20, true);
    await Promise.resolve();
    expect(resolved).toBe(true);
    const ev = wire.slice(1);
    // PROTOCOL-NOTES §8 vector: a 100 ms '5' at 20 ms.
    expect(ev.map(hex)).toEqual([
      '050a00a0',
      '050a0140',
      '050a01e0',
      '050a0280',
      '058a0320',
      '058a0320',
      '058a0320',
    ]);
    expect(ev.map((p) => p.payloadType)).toEqual(Array(7).fill(101));
    expect(ev.map((p) => p.marker)).toEqual([true, false, false, false, false, false, false]);
    // One timestamp for the whole event: the frame it started in.
    expect(new Set(ev.map((p) => p.timestamp))).toEqual(new Set([ts(1)]));
    // Every packet, end retransmissions included, has its own sequence number.
    expect(ev.map((p) => p.sequenceNumber)).toEqual(
      [1, 2, 3, 4, 5, 6, 7].map((i) => (SEQ0 + i) & 0xffff),
    );
    // Audio resumes after the event with a marker and the clock's timestamp.
    s.tick(8, 160, true);
    const next = wire.at(-1)!;
    expect([next.payloadType, next.marker, next.timestamp]).toEqual([0, true, ts(8)]);
  });

  it('plays queued digits one after the other with at least 50 ms of audio between them', async () => {
    const { s, wire } = sender();
    const all = Promise.all(['1', '2', '3', '#'].map((d) => s.dtmf.enqueue(d, 60)));
    for (let f = 0; f < 40; f++) s.tick(f, f * 20, true);
    await all;
    const frames = wire.map((p) =>
      p.payloadType === 101 ? `${p.payload[0]}${p.payload[1]! & 0x80 ? 'E' : ''}` : 'a',
    );
    // 60 ms: updates at 20, 40 ms then E ×3 (frames 0..4); gap of 3 audio frames (60 ms ≥ 50).
    const one = ['1', '1', '1E', '1E', '1E'];
    const gap = ['a', 'a', 'a'];
    const digit = (d: string) => one.map((x) => x.replace('1', d));
    expect(frames.slice(0, 32)).toEqual([
      ...digit('1'),
      ...gap,
      ...digit('2'),
      ...gap,
      ...digit('3'),
      ...gap,
      ...digit('11'),
      ...gap,
    ]);
    // Each digit is its own event: distinct timestamps, a marker on each event's first packet.
    const starts = wire.filter((p) => p.payloadType === 101 && p.marker);
    expect(starts.map((p) => p.payload[0])).toEqual([1, 2, 3, 11]);
    expect(new Set(starts.map((p) => p.timestamp)).size).toBe(4);
    expect(s.counters.dtmfEvents).toBe(20);
  });

  it('splits an event longer than 0xFFFF units into segments (§2.5.1.3)', async () => {
    const { s, wire } = sender();
    const done = s.dtmf.enqueue('9', 9000); // 72000 units at 8 kHz
    for (let f = 0; f < 460 && s.dtmf.pending > 0; f++) s.tick(f, f * 20, true);
    await done;
    const stamps = [...new Set(wire.map((p) => p.timestamp))];
    expect(stamps).toEqual([ts(0), (ts(0) + 0xffff) >>> 0]);
    const ends = wire.filter((p) => p.payload[1]! & 0x80);
    expect(ends.map(hex)).toEqual(
      Array(3).fill(`098a${(72000 - 0xffff).toString(16).padStart(4, '0')}`),
    );
    expect(wire.filter((p) => p.marker)).toHaveLength(1);
  });

  it('tells when each digit starts playing, not when it was queued', async () => {
    const { s } = sender();
    const started: Array<[string, number]> = [];
    let frame = 0;
    const a = s.dtmf.enqueue('1', 40, 10, () => started.push(['1', frame]));
    const b = s.dtmf.enqueue('2', 40, 10, () => started.push(['2', frame]));
    expect(started).toEqual([]);
    for (; frame < 20 && s.dtmf.pending > 0; frame++) s.tick(frame, frame * 20, true);
    await Promise.all([a, b]);
    // '2' waits until '1' is over (4 frames, its repeated end packets included) and the 50 ms
    // gap (3 frames of audio) has passed.
    expect(started).toEqual([
      ['1', 0],
      ['2', 7],
    ]);
  });

  it('rejects digits that are not DTMF, and cancels queued digits', async () => {
    const { s } = sender();
    await expect(s.dtmf.enqueue('x')).rejects.toThrow(RangeError);
    await expect(s.dtmf.enqueue('1', 0)).rejects.toThrow(RangeError);
    const p = s.dtmf.enqueue('1');
    s.dtmf.cancel('direction is recvonly');
    await expect(p).rejects.toThrow(/recvonly/);
  });
});

describe('RtpSender echo', () => {
  const pkt = (i: number, extra: Partial<EchoPacket> = {}): EchoPacket => ({
    payloadType: 3,
    payload: Buffer.alloc(33, i + 1),
    timestamp: (0xfffff000 + i * 160) >>> 0, // the peer's line wraps too
    marker: i === 0,
    ssrc: 0xabc,
    ...extra,
  });

  it('returns each payload on arrival with our SSRC/seq, keeping the peer timestamp spacing', () => {
    const { s, wire } = sender({ source: undefined });
    // A burst after a stall: all six go back at once, none dropped, no frame needed.
    for (let i = 0; i < 6; i++) s.echo(pkt(i), undefined, 1000, 1000, true);
    expect(wire.map((p) => p.payload[0])).toEqual([1, 2, 3, 4, 5, 6]);
    expect(wire.every((p) => p.payloadType === 3 && p.ssrc === 0x11223344)).toBe(true);
    expect(wire.map((p) => p.sequenceNumber)).toEqual([0xfffd, 0xfffe, 0xffff, 0, 1, 2]);
    // Anchored on our clock line at 1000 ms (= 8000 samples), then the peer's spacing.
    const t0 = (TS0 + 8000) >>> 0;
    expect(wire.map((p) => p.timestamp)).toEqual([0, 1, 2, 3, 4, 5].map((i) => (t0 + i * 160) >>> 0));
    expect(wire.map((p) => p.marker)).toEqual([true, false, false, false, false, false]);
    expect(s.counters.echoDropped).toBe(0);
  });

  it("hands the echoed audio's decoding to the 'sent' sinks, only when it went out", () => {
    const got: Array<[number, string, number]> = [];
    const sink: AudioSink = { write: (pcm, _rate, dir, atMs) => got.push([pcm[0]!, dir, atMs]) };
    const { s } = sender({ source: undefined, sinks: [sink] });
    s.echo(pkt(0), new Int16Array(160).fill(7), 40, 40, true);
    s.echo(pkt(1), new Int16Array(160).fill(8), 60, 60, false); // on hold: neither sent nor written
    s.echo(pkt(2), undefined, 80, 80, true); // not decoded (no sink needed it): nothing to write
    expect(got).toEqual([[7, 'sent', 40]]);
  });

  it('ticks send nothing for the echo; hold and a new peer SSRC or time jump re-anchor', () => {
    const { s, wire } = sender({ source: undefined });
    for (let f = 0; f < 5; f++) s.tick(f, f * 20, true);
    expect(wire).toHaveLength(0);
    s.echo(pkt(0), undefined, 100, 100, true);
    s.echo(pkt(1), undefined, 120, 120, false); // on hold: not sent
    s.echo(pkt(2), undefined, 140, 140, true); // resumes: marker, new anchor at 140 ms
    s.echo(pkt(3, { ssrc: 0xdef }), undefined, 160, 160, true); // new source: new anchor at 160 ms
    s.echo(pkt(3 + 8000, { ssrc: 0xdef }), undefined, 180, 180, true); // +8000 frames: jump, anchor at 180 ms
    expect(wire.map((p) => p.payload[0])).toEqual([1, 3, 4, (3 + 8000 + 1) & 0xff]);
    expect(wire.map((p) => p.timestamp)).toEqual([800, 1120, 1280, 1440].map((x) => (TS0 + x) >>> 0));
    expect(wire.map((p) => p.marker)).toEqual([true, true, true, true]);
  });

  it('lets RFC 4733 events replace echoed audio, counted, and resumes after them', async () => {
    const { s, wire } = sender({ source: undefined });
    const done = s.dtmf.enqueue('5', 40);
    s.tick(0, 0, true); // the event starts
    s.echo(pkt(0), undefined, 5, 5, true);
    for (let f = 1; f < 10 && s.dtmf.pending > 0; f++) s.tick(f, f * 20, true);
    await done;
    s.echo(pkt(10), undefined, 300, 300, true);
    expect(s.counters.echoDropped).toBe(1);
    const audio = wire.filter((p) => p.payloadType === 3);
    expect(audio.map((p) => p.payload[0])).toEqual([11]);
    expect(audio[0]!.marker).toBe(true);
    const event = wire.find((p) => p.payloadType === 101)!;
    expect((audio[0]!.timestamp - event.timestamp) >>> 0).toBe(300 * 8);
  });
});
