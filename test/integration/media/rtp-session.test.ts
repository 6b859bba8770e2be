/**
 * Two RtpSessions (and raw UDP peers) on 127.0.0.1: audio both ways, echo, symmetric RTP,
 * RFC 4733 digits, direction, garbage, RTCP and socket release. Every wait is bounded.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { AudioSink, AudioSource } from '../../../src/main/media/audio.ts';
import type { Codec } from '../../../src/main/media/codec/codec.ts';
import { pcmaCodec, pcmuCodec } from '../../../src/main/media/codec/g711.ts';
import { parseRtp, serializeRtp, type RtpPacket } from '../../../src/main/media/rtp/rtp-packet.ts';
import { RtpSession } from '../../../src/main/media/session/rtp-session.ts';
import type {
  DtmfReceived,
  RtpSessionOptions,
  SessionCodec,
} from '../../../src/main/media/session/types.ts';
import { MediaSocket, type RemoteAddress } from '../../../src/main/media/transport/rtp-socket.ts';
import { ToneSource } from '../../../src/main/media/source/tone.ts';

const LOOP = '127.0.0.1';
const RANGE = { min: 10000, max: 19999 };
const PCMU = pcmuCodec as SessionCodec;

const sessions: RtpSession[] = [];
const sockets: MediaSocket[] = [];
afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.close()));
  await Promise.all(sockets.splice(0).map((s) => s.close()));
});

function tone(hz = 1004): AudioSource {
  const t = new ToneSource({ frequency: hz });
  return { read: (frame) => frame.set(t.next(frame.length)) };
}

function collector(): AudioSink & { frames: Array<{ dir: string; pcm: Int16Array }> } {
  const frames: Array<{ dir: string; pcm: Int16Array }> = [];
  return { frames, write: (pcm, _rate, dir) => frames.push({ dir, pcm }) };
}

async function open(opts: Partial<RtpSessionOptions> = {}): Promise<RtpSession> {
  const s = await RtpSession.open({
    bindAddress: LOOP,
    portRange: RANGE,
    rtcpMux: false,
    codec: PCMU,
    ptimeMs: 20,
    telephoneEventPt: 101,
    source: tone(),
    ...opts,
  });
  sessions.push(s);
  return s;
}

/** Two sessions pointed at each other (as after an offer/answer). */
async function pair(a: Partial<RtpSessionOptions> = {}, b: Partial<RtpSessionOptions> = {}) {
  const sa = await open(a);
  const sb = await open(b);
  sa.setRemote({ address: LOOP, port: sb.localPort, rtcpPort: sb.localRtcpPort });
  sb.setRemote({ address: LOOP, port: sa.localPort, rtcpPort: sa.localRtcpPort });
  return [sa, sb] as const;
}

async function until(cond: () => boolean, ms = 3000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function rawPeer(onPacket: (buf: Buffer, from: RemoteAddress) => void): Promise<MediaSocket> {
  const s = await MediaSocket.bind(LOOP, 0, onPacket);
  sockets.push(s);
  return s;
}

describe('RtpSession on 127.0.0.1', () => {
  it('carries audio both ways at one packet per ptime, decoded into the sinks', async () => {
    const sinkA = collector();
    const sinkB = collector();
    const [a, b] = await pair({ sinks: [sinkA] }, { sinks: [sinkB] });
    await sleep(1000);
    const sa = a.stats();
    const sb = b.stats();
    for (const s of [sa, sb]) {
      // 50 expected; the lower bound allows a stalled CI machine (the clock skips, never bursts).
      expect(s.sent.packets).toBeGreaterThanOrEqual(35);
      expect(s.sent.packets).toBeLessThanOrEqual(55);
      expect(s.sent.bytes).toBe(s.sent.packets * 160);
      expect(s.received.malformed).toEqual({});
    }
    // Everything sent arrived (loopback), minus what was in flight at the snapshot.
    expect(Math.abs(sb.received.packets - sa.sent.packets)).toBeLessThanOrEqual(2);
    expect(Math.abs(sa.received.packets - sb.sent.packets)).toBeLessThanOrEqual(3);
    expect(sb.received.ssrc).toBe(sa.sent.ssrc);
    expect(sa.received.ssrc).toBe(sb.sent.ssrc);
    expect(sa.received.remoteAddress).toBe(`${LOOP}:${b.localPort}`);
    // The sink heard a 1004 Hz tone at about -10 dBm0 (peak ~ 10 dB under full scale).
    const rx = sinkA.frames.filter((f) => f.dir === 'received');
    expect(rx.length).toBeGreaterThan(40);
    const peak = Math.max(...rx.at(-1)!.pcm.map(Math.abs));
    expect(peak).toBeGreaterThan(5000);
    expect(peak).toBeLessThan(15000);
    expect(sinkA.frames.filter((f) => f.dir === 'sent').length).toBeGreaterThanOrEqual(35);
  });

  it('switches codec mid-call (re-INVITE) without breaking the timestamp line', async () => {
    const [a, b] = await pair();
    const seen: Array<{ pt: number; ts: number; seq: number; marker: boolean }> = [];
    b.on('packet', (p) =>
      seen.push({ pt: p.payloadType, ts: p.timestamp, seq: p.sequenceNumber, marker: p.marker }),
    );
    await until(() => seen.length >= 10, 2000, 'PCMU packets');
    b.setCodec(pcmaCodec as SessionCodec);
    a.setCodec(pcmaCodec as SessionCodec);
    const n = seen.length;
    await until(() => seen.length >= n + 10, 2000, 'PCMA packets');
    const firstPcma = seen.findIndex((x) => x.pt === 8);
    expect(firstPcma).toBeGreaterThan(0);
    const before = seen[firstPcma - 1]!;
    const after = seen[firstPcma]!;
    expect(after.seq).toBe((before.seq + 1) & 0xffff);
    expect((after.ts - before.ts) >>> 0).toBe(160); // the next frame, in the same RTP clock
    expect(after.marker).toBe(true);
    expect(b.stats().codec).toBe('PCMA');
    expect(b.stats().received.malformed['unknown-payload-type'] ?? 0).toBeLessThanOrEqual(2);
  });

  it('echo returns what arrives: same payload bytes and type, our own SSRC and sequence', async () => {
    // A codec we cannot decode: the echo must not need to.
    const g729: Codec & { payloadType: number } = {
      name: 'G729',
      payloadType: 18,
      clockRate: 8000,
      channels: 1,
      encode: () => {
        throw new Error('no G.729 encoder');
      },
      decode: () => {
        throw new Error('no G.729 decoder');
      },
    };
    const echo = await open({ codec: g729, source: { kind: 'echo' }, sinks: [collector()] });
    const back: RtpPacket[] = [];
    const peer = await rawPeer((buf) => {
      const p = parseRtp(buf);
      if (p.ok) back.push({ ...p.value, payload: Buffer.from(p.value.payload) });
    });
    echo.setRemote({ address: LOOP, port: peer.port });
    const sent: Buffer[] = [];
    for (let i = 0; i < 40; i++) {
      const payload = Buffer.from(
        Array.from({ length: 20 }, () => Math.floor(Math.random() * 256)),
      );
      sent.push(payload);
      const pkt = {
        marker: i === 0,
        payloadType: 18,
        sequenceNumber: 500 + i,
        timestamp: 1000 + 160 * i,
        ssrc: 0x5eed,
        csrcs: [],
        payload,
      };
      peer.send(serializeRtp(pkt), { address: LOOP, port: echo.localPort });
      await sleep(20);
    }
    await until(() => back.length >= sent.length - 1, 2000, 'echoed packets');
    await sleep(100);
    // In order, byte-identical, nothing invented.
    const firstIdx = sent.findIndex((s) => s.equals(back[0]!.payload));
    expect(firstIdx).toBeGreaterThanOrEqual(0);
    expect(firstIdx).toBeLessThanOrEqual(1);
    back.forEach((p, i) => expect(p.payload.equals(sent[firstIdx + i]!)).toBe(true));
    expect(back.every((p) => p.payloadType === 18 && p.ssrc === echo.stats().sent.ssrc)).toBe(true);
    expect(back[0]!.ssrc).not.toBe(0x5eed);
    // Our own numbering: consecutive sequence, timestamps one frame apart.
    for (let i = 1; i < back.length; i++) {
      expect(back[i]!.sequenceNumber).toBe((back[i - 1]!.sequenceNumber + 1) & 0xffff);
      expect((back[i]!.timestamp - back[i - 1]!.timestamp) >>> 0 >= 160).toBe(true);
    }
    expect(echo.stats().received.decodeErrors).toBeGreaterThan(0); // counted, not thrown
  });

  it('echo between two sessions: what A sends comes back to A', async () => {
    const [a, b] = await pair({}, { source: { kind: 'echo' } });
    await sleep(800);
    const sa = a.stats();
    expect(sa.received.packets).toBeGreaterThanOrEqual(sa.sent.packets - 4);
    expect(sa.received.ssrc).toBe(b.stats().sent.ssrc);
    expect(sa.received.ssrc).not.toBe(sa.sent.ssrc);
  });

  it('latches onto the source of the peer RTP when the SDP named another port (symmetric RTP)', async () => {
    const [a, b] = await pair();
    // B's SDP says A is at a port nobody listens on; A really sends from its own port.
    const bogus = { address: LOOP, port: 19999 };
    b.setRemote(bogus);
    const latched: string[] = [];
    b.on('latched', (l) => latched.push(l.rtp));
    await until(() => b.stats().sent.latched, 2000, 'latching');
    const received = a.stats().received.packets;
    await sleep(300);
    const sb = b.stats();
    expect(latched).toEqual([`${LOOP}:${a.localPort}`]);
    expect(sb.sent.sdpRemoteAddress).toBe(`${LOOP}:19999`);
    expect(sb.sent.remoteAddress).toBe(`${LOOP}:${a.localPort}`);
    expect(a.stats().received.packets - received).toBeGreaterThanOrEqual(10);
    // A re-INVITE repeating the same SDP keeps the latch; a new address drops it.
    b.setRemote(bogus);
    expect(b.stats().sent.latched).toBe(true);
    b.setRemote({ address: LOOP, port: 19997 });
    expect(b.stats().sent.remoteAddress).toBe(`${LOOP}:19997`);
    await until(() => b.stats().sent.latched, 2000, 'latching again');
    expect(latched).toHaveLength(2);
  });

  it('without symmetric RTP keeps sending where the SDP said', async () => {
    const [a, b] = await pair({}, { symmetric: false });
    b.setRemote({ address: LOOP, port: 19999 });
    await sleep(400);
    const before = a.stats().received.packets;
    await sleep(300);
    expect(a.stats().received.packets).toBe(before);
    expect(b.stats().sent.remoteAddress).toBe(`${LOOP}:19999`);
    expect(b.stats().sent.latched).toBe(false);
  });

  it('sends "123#" as RFC 4733 events that the peer reports with method rfc2833', async () => {
    const [a, b] = await pair();
    const got: DtmfReceived[] = [];
    b.on('dtmf', (d) => got.push(d));
    const t0 = a.sessionMs();
    await a.sendDtmf('123#');
    const took = a.sessionMs() - t0;
    await until(() => got.length === 4, 2000, 'four digits');
    expect(got.map((d) => [d.digit, d.method, d.endSeen])).toEqual([
      ['1', 'rfc2833', true],
      ['2', 'rfc2833', true],
      ['3', 'rfc2833', true],
      ['#', 'rfc2833', true],
    ]);
    for (const d of got) expect(d.durationMs).toBe(100);
    // ≥ 50 ms between one digit's end packets and the next digit (three end frames + gap).
    for (let i = 1; i < 4; i++) expect(got[i]!.atMs - got[i - 1]!.atMs).toBeGreaterThanOrEqual(150);
    expect(took).toBeGreaterThanOrEqual(4 * 140);
    // The end packet goes out three times: the last two may still be in flight.
    await until(() => b.stats().received.telephoneEvents === 28, 1000, 'all 28 event packets');
    expect(a.stats().sent.dtmfEvents).toBe(28);
  });

  it('recvonly sends nothing but keeps receiving; sendrecv resumes', async () => {
    const [a, b] = await pair({ direction: 'recvonly' });
    await expect(a.sendDtmf('1')).rejects.toThrow(/recvonly/);
    await sleep(500);
    expect(a.stats().sent.packets).toBe(0);
    expect(b.stats().received.packets).toBe(0);
    expect(a.stats().received.packets).toBeGreaterThan(15);
    a.setDirection('sendrecv');
    await until(() => b.stats().received.packets > 5, 2000, 'resumed audio');
    b.setDirection('inactive');
    await sleep(100);
    const sent = b.stats().sent.packets;
    await sleep(200);
    expect(b.stats().sent.packets).toBe(sent);
  });

  it('counts garbage datagrams on RTP and RTCP ports and carries on', async () => {
    const [a, b] = await pair();
    const junk = await rawPeer(() => undefined);
    const rtp = { address: LOOP, port: a.localPort };
    const rtcp = { address: LOOP, port: a.localRtcpPort };
    const garbage = [
      Buffer.alloc(0),
      Buffer.from([1, 2, 3]),
      Buffer.from('INVITE sip:x SIP/2.0\r\n\r\n'),
      Buffer.from([0x8f, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
      serializeRtp({
        marker: false,
        payloadType: 99,
        sequenceNumber: 1,
        timestamp: 1,
        ssrc: 9,
        csrcs: [],
        payload: Buffer.alloc(10),
      }),
    ];
    for (const g of garbage) {
      junk.send(g, rtp);
      junk.send(g, rtcp);
    }
    await until(() => a.stats().rtcp.malformed >= garbage.length, 2000, 'RTCP garbage counted');
    const s = a.stats();
    expect(s.received.malformed).toEqual({
      'too-short': 2,
      'bad-version': 1,
      'csrc-overflow': 1,
      'unknown-payload-type': 1,
    });
    // Garbage from a stranger did not hijack the latched peer, and audio still flows.
    expect(s.sent.remoteAddress).toBe(`${LOOP}:${b.localPort}`);
    const before = s.received.packets;
    await sleep(200);
    expect(a.stats().received.packets).toBeGreaterThan(before + 5);
  });

  it('exchanges RTCP: SR with a report block for our SSRC, SDES CNAME, BYE on close', async () => {
    const [a, b] = await pair(
      { rtcpIntervalMs: 200, cname: 'alice@test' },
      { rtcpIntervalMs: 200 },
    );
    const byes: number[][] = [];
    b.on('bye', (x) => byes.push(x.ssrcs));
    await until(
      () => (b.stats().rtcp.lastPeerReport?.reports.length ?? 0) > 0,
      3000,
      'an SR with a block',
    );
    const sb = b.stats();
    const report = sb.rtcp.lastPeerReport!;
    expect(report.type).toBe('sr');
    expect(report.ssrc).toBe(a.stats().sent.ssrc);
    expect(report.sender!.packetCount).toBeGreaterThan(0);
    expect(report.sender!.octetCount).toBe(report.sender!.packetCount * 160);
    expect(report.reports[0]!.ssrc).toBe(sb.sent.ssrc);
    expect(report.reports[0]!.cumulativeLost).toBe(0);
    expect(sb.rtcp.peerCname).toBe('alice@test');
    expect(a.stats().rtcp.sent).toBeGreaterThan(0);
    await a.close('test over');
    await until(() => byes.length === 1, 2000, 'BYE');
    expect(byes[0]).toEqual([a.stats().sent.ssrc]);
  });

  it('runs with rtcp-mux on one port per side, and over IPv6', async () => {
    const [a, b] = await pair(
      { rtcpMux: true, rtcpIntervalMs: 200 },
      { rtcpMux: true, rtcpIntervalMs: 200 },
    );
    expect(a.localRtcpPort).toBe(a.localPort);
    await until(
      () => b.stats().rtcp.received > 0 && a.stats().rtcp.received > 0,
      3000,
      'muxed RTCP',
    );
    await until(() => b.stats().received.packets > 5, 2000, 'muxed RTP');
    expect(b.stats().received.malformed).toEqual({});
    expect(b.stats().rtcp.malformed).toBe(0);

    const v6a = await open({ bindAddress: '::1', rtcpMux: true });
    const v6b = await open({ bindAddress: '::1', rtcpMux: true });
    v6a.setRemote({ address: '::1', port: v6b.localPort });
    v6b.setRemote({ address: '::1', port: v6a.localPort });
    await until(() => v6b.stats().received.packets > 5, 2000, 'IPv6 audio');
    expect(v6b.stats().received.remoteAddress).toBe(`[::1]:${v6a.localPort}`);
  });

  it('releases its sockets on close: the ports can be bound again', async () => {
    const a = await open();
    const ports = [a.localPort, a.localRtcpPort];
    expect(ports[0]! % 2).toBe(0);
    expect(ports[1]).toBe(ports[0]! + 1);
    await a.close();
    await a.close(); // idempotent
    for (const port of ports) {
      const s = await MediaSocket.bind(LOOP, port, () => undefined);
      await s.close();
    }
    await expect(a.sendDtmf('1')).rejects.toThrow(/closed/);
  });
});
