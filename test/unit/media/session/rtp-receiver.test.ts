import { describe, expect, it } from 'vitest';
import type { AudioSink } from '../../../../src/main/media/audio.ts';
import { pcmaCodec } from '../../../../src/main/media/codec/g711.ts';
import { encodeTelephoneEvent, planDtmfPackets } from '../../../../src/main/media/dtmf/rfc4733.ts';
import { serializeRtp, type RtpPacket } from '../../../../src/main/media/rtp/rtp-packet.ts';
import { RtpReceiver } from '../../../../src/main/media/session/rtp-receiver.ts';
import { SrtpGlue } from '../../../../src/main/media/session/srtp-glue.ts';
import type {
  DtmfReceived,
  PacketInfo,
  SessionCodec,
} from '../../../../src/main/media/session/types.ts';

const PCMA = pcmaCodec as SessionCodec;
const FROM = { address: '127.0.0.1', port: 4000 };

function rtp(over: Partial<RtpPacket> = {}): Buffer {
  return serializeRtp({
    marker: false,
    payloadType: 8,
    sequenceNumber: 100,
    timestamp: 8000,
    ssrc: 0xabc,
    csrcs: [],
    payload: Buffer.alloc(160, 0xd5),
    ...over,
  });
}

function receiver(extra: Partial<ConstructorParameters<typeof RtpReceiver>[0]> = {}) {
  const packets: PacketInfo[] = [];
  const digits: DtmfReceived[] = [];
  const audio: Buffer[] = [];
  const r = new RtpReceiver({
    codec: PCMA,
    ptimeMs: 20,
    telephoneEventPt: 101,
    telephoneEventRate: 8000,
    sinks: [],
    timestampJumpMs: 1000,
    onPacket: (p) => packets.push(p),
    onDtmf: (d) => digits.push(d),
    onAudio: (pkt) => audio.push(pkt.payload),
    ...extra,
  });
  return { r, packets, digits, audio };
}

describe('RtpReceiver', () => {
  it('counts each kind of malformed datagram by reason and never throws', () => {
    const { r, packets } = receiver();
    const good = rtp();
    const badVersion = Buffer.from(good);
    badVersion[0] = 0x40;
    const csrc = Buffer.from(good.subarray(0, 16));
    csrc[0] = 0x8f; // 15 CSRCs announced, one present
    const ext = Buffer.from(good.subarray(0, 20));
    ext[0] = 0x90;
    ext.writeUInt16BE(50, 14); // extension of 50 words in a 20-byte packet
    const pad = Buffer.from(good);
    pad[0] = 0xa0;
    pad[pad.length - 1] = 0; // padding count 0
    const inputs = [
      Buffer.alloc(0),
      Buffer.from([0x80, 0x08, 0x00]),
      badVersion,
      csrc,
      ext,
      pad,
      rtp({ payloadType: 18 }),
      Buffer.from('GET / HTTP/1.1\r\n\r\n'),
    ];
    for (const b of inputs) expect(r.handle(b, FROM, 0)).toBeUndefined();
    expect(r.malformed).toEqual({
      'too-short': 2,
      'bad-version': 2,
      'csrc-overflow': 1,
      'extension-truncated': 1,
      'bad-padding': 1,
      'unknown-payload-type': 1,
    });
    expect(packets).toHaveLength(0);
    expect(r.handle(good, FROM, 0)).toBeDefined();
    expect(r.counters).toMatchObject({ packets: 1, bytes: 160 });
  });

  it('reports each packet with arrival time and sequence, and passes audio to echo and sinks', () => {
    const got: Array<[number, string, number]> = [];
    const sink: AudioSink = { write: (pcm, _rate, dir, atMs) => got.push([pcm.length, dir, atMs]) };
    const { r, packets, audio } = receiver({ sinks: [sink] });
    r.handle(rtp({ sequenceNumber: 1 }), FROM, 5);
    r.handle(rtp({ sequenceNumber: 2, timestamp: 8160 }), FROM, 25);
    expect(packets.map((p) => [p.arrivalMs, p.sequenceNumber, p.kind, p.from.port])).toEqual([
      [5, 1, 'audio', 4000],
      [25, 2, 'audio', 4000],
    ]);
    expect(audio).toHaveLength(2);
    expect(got).toEqual([
      [160, 'received', 5],
      [160, 'received', 25],
    ]);
  });

  it('counts SSRC changes and timestamp jumps without dropping the packets', () => {
    const { r } = receiver();
    r.handle(rtp({ sequenceNumber: 10, timestamp: 1000 }), FROM, 0);
    r.handle(rtp({ sequenceNumber: 11, timestamp: 1160 }), FROM, 20);
    r.handle(rtp({ sequenceNumber: 12, timestamp: 1160 + 8000 * 5 }), FROM, 40); // +5 s
    r.handle(rtp({ sequenceNumber: 13, timestamp: 1160 + 8000 * 5 + 160 }), FROM, 60);
    // A talkspurt after silence (marker set) may jump legitimately.
    r.handle(rtp({ sequenceNumber: 14, timestamp: 9_000_000, marker: true }), FROM, 80);
    r.handle(rtp({ ssrc: 0xdef, sequenceNumber: 5000, timestamp: 7 }), FROM, 100);
    r.handle(rtp({ ssrc: 0xabc, sequenceNumber: 15, timestamp: 9_000_160 }), FROM, 120);
    expect(r.counters).toMatchObject({ packets: 7, ssrcChanges: 2, timestampJumps: 1 });
    expect(r.ssrc).toBe(0xabc);
  });

  it('turns RFC 4733 packets into one digit each, with start time and duration', () => {
    const { r, digits } = receiver();
    let seq = 0;
    for (const [i, d] of (['1', '2', '3', '#'] as const).entries()) {
      for (const p of planDtmfPackets({ digit: d, durationMs: 100 })) {
        const buf = rtp({
          payloadType: 101,
          sequenceNumber: seq++,
          timestamp: 16000 * (i + 1),
          marker: p.marker,
          payload: encodeTelephoneEvent(p.payload),
        });
        r.handle(buf, FROM, 1000 * i + p.atMs);
      }
    }
    expect(digits.map((d) => [d.digit, d.method, d.atMs, d.durationMs, d.endSeen])).toEqual([
      ['1', 'rfc2833', 20, 100, true],
      ['2', 'rfc2833', 1020, 100, true],
      ['3', 'rfc2833', 2020, 100, true],
      ['#', 'rfc2833', 3020, 100, true],
    ]);
    expect(r.counters.telephoneEvents).toBe(28);
  });

  it('ends a digit whose end packets were lost when polled after the timeout', () => {
    const { r, digits } = receiver();
    const payload = encodeTelephoneEvent({ event: 7, end: false, volume: 10, duration: 160 });
    r.handle(rtp({ payloadType: 101, payload, marker: true }), FROM, 0);
    r.poll(100);
    expect(digits).toHaveLength(0);
    r.poll(600);
    expect(digits).toEqual([
      { digit: '7', method: 'rfc2833', atMs: 0, durationMs: 20, endSeen: false },
    ]);
  });

  it('with SRTP, counts authentication failures and replays and accepts the genuine packet', () => {
    const key = Buffer.alloc(30, 7);
    const peer = new SrtpGlue({ sendKey: key, recvKey: key, suite: 'AES_CM_128_HMAC_SHA1_80' });
    const glue = new SrtpGlue({ sendKey: key, recvKey: key, suite: 'AES_CM_128_HMAC_SHA1_80' });
    const { r } = receiver({ srtp: glue });
    const sealed = peer.protectRtp(rtp());
    const tampered = Buffer.from(sealed);
    tampered[20] = tampered[20]! ^ 1;
    expect(r.handle(tampered, FROM, 0)).toBeUndefined();
    expect(r.handle(sealed, FROM, 0)?.payload).toEqual(Buffer.alloc(160, 0xd5));
    expect(r.handle(sealed, FROM, 0)).toBeUndefined();
    expect(r.handle(Buffer.alloc(5), FROM, 0)).toBeUndefined();
    expect(r.counters.packets).toBe(1);
    expect(r.malformed).toEqual({ 'too-short': 1 });
    expect(glue.rtp).toEqual({ authFailures: 1, replays: 1, malformed: 0 });
  });
});
