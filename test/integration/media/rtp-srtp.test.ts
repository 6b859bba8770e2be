/**
 * SRTP/SRTCP between RtpSessions on 127.0.0.1 (RFC 3711, keys as SDES would give them):
 * matching keys carry audio, RTCP and DTMF; mismatched keys are counted per direction; replays
 * and plain RTP sent to an SRTP session are counted, never delivered.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { AudioSink } from '../../../src/main/media/audio.ts';
import { pcmuCodec } from '../../../src/main/media/codec/g711.ts';
import { serializeRtp } from '../../../src/main/media/rtp/rtp-packet.ts';
import { RtpSession } from '../../../src/main/media/session/rtp-session.ts';
import { SrtpGlue } from '../../../src/main/media/session/srtp-glue.ts';
import type {
  DtmfReceived,
  RtpSessionOptions,
  SessionCodec,
} from '../../../src/main/media/session/types.ts';
import { ToneSource } from '../../../src/main/media/source/tone.ts';
import type { SrtpSuiteName } from '../../../src/main/media/srtp/suites.ts';
import { MediaSocket } from '../../../src/main/media/transport/rtp-socket.ts';

const LOOP = '127.0.0.1';
const sessions: RtpSession[] = [];
const sockets: MediaSocket[] = [];
afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.close()));
  await Promise.all(sockets.splice(0).map((s) => s.close()));
});

async function open(opts: Partial<RtpSessionOptions>): Promise<RtpSession> {
  const t = new ToneSource();
  const s = await RtpSession.open({
    bindAddress: LOOP,
    portRange: { min: 10000, max: 19999 },
    rtcpMux: false,
    codec: pcmuCodec as SessionCodec,
    ptimeMs: 20,
    telephoneEventPt: 101,
    source: { read: (f) => f.set(t.next(f.length)) },
    rtcpIntervalMs: 200,
    ...opts,
  });
  sessions.push(s);
  return s;
}

async function srtpPair(suite: SrtpSuiteName, keyA: Buffer, keyB: Buffer, bSeesA = keyA) {
  const peaks: number[] = [];
  const sink: AudioSink = {
    write: (pcm, _r, dir) => {
      if (dir === 'received') peaks.push(Math.max(...pcm.map(Math.abs)));
    },
  };
  const a = await open({ srtp: { suite, sendKey: keyA, recvKey: keyB } });
  const b = await open({ srtp: { suite, sendKey: keyB, recvKey: bSeesA }, sinks: [sink] });
  a.setRemote({ address: LOOP, port: b.localPort });
  b.setRemote({ address: LOOP, port: a.localPort });
  return { a, b, peaks };
}

async function until(cond: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each<SrtpSuiteName>(['AES_CM_128_HMAC_SHA1_80', 'AES_CM_128_HMAC_SHA1_32'])(
  'SRTP %s',
  (suite) => {
    it('carries audio, SRTCP reports and DTMF both ways with matching keys', async () => {
      const { a, b, peaks } = await srtpPair(suite, randomBytes(30), randomBytes(30));
      const digits: DtmfReceived[] = [];
      b.on('dtmf', (d) => digits.push(d));
      await until(() => b.stats().rtcp.received > 0 && a.stats().rtcp.received > 0, 3000, 'SRTCP');
      await until(() => Math.min(a.stats().received.packets, peaks.length) > 15, 2000, 'audio');
      await a.sendDtmf('9#', { durationMs: 60 });
      await until(() => digits.length === 2, 2000, 'digits over SRTP');
      expect(digits.map((d) => d.digit)).toEqual(['9', '#']);
      for (const s of [a.stats(), b.stats()]) {
        expect(s.srtp).toBe(true);
        expect(s.received.packets).toBeGreaterThan(10);
        expect(s.received.srtpAuthFailures).toBe(0);
        expect(s.received.srtpReplays).toBe(0);
        expect(s.received.malformed).toEqual({});
        expect(s.rtcp.srtcpAuthFailures).toBe(0);
        expect(s.rtcp.lastPeerReport).toBeDefined();
      }
      // Decrypted audio is the tone again (a wrong keystream would be noise near full scale).
      const p = peaks.slice(5);
      expect(p.length).toBeGreaterThan(5);
      expect(p.every((x) => x > 5000 && x < 15000)).toBe(true);
    });
  },
);

describe('SRTP failures', () => {
  it('counts authentication failures in the direction whose keys do not match', async () => {
    const keyA = randomBytes(30);
    const keyB = randomBytes(30);
    // B believes A's key is something else: A→B fails, B→A works.
    const { a, b } = await srtpPair('AES_CM_128_HMAC_SHA1_80', keyA, keyB, randomBytes(30));
    await sleep(600);
    const sa = a.stats();
    const sb = b.stats();
    expect(sb.received.packets).toBe(0);
    expect(sb.received.srtpAuthFailures).toBeGreaterThanOrEqual(sa.sent.packets - 3);
    expect(sb.rtcp.srtcpAuthFailures).toBeGreaterThan(0);
    expect(sb.rtcp.lastPeerReport).toBeUndefined();
    expect(sa.received.packets).toBeGreaterThan(20);
    expect(sa.received.srtpAuthFailures).toBe(0);
    // Without a valid packet there is nothing to latch onto.
    expect(sb.sent.latched).toBe(false);
  });

  it('counts replayed SRTP packets and plain RTP sent to an SRTP session', async () => {
    const key = randomBytes(30);
    const b = await open({
      srtp: { suite: 'AES_CM_128_HMAC_SHA1_80', sendKey: randomBytes(30), recvKey: key },
    });
    const peerCtx = new SrtpGlue({ suite: 'AES_CM_128_HMAC_SHA1_80', sendKey: key, recvKey: key });
    const peer = await MediaSocket.bind(LOOP, 0, () => undefined);
    sockets.push(peer);
    const to = { address: LOOP, port: b.localPort };
    const plain = (seq: number) =>
      serializeRtp({
        marker: false,
        payloadType: 0,
        sequenceNumber: seq,
        timestamp: seq * 160,
        ssrc: 0x77,
        csrcs: [],
        payload: Buffer.alloc(160, 0xff),
      });
    const sealed = [1, 2, 3].map((s) => peerCtx.protectRtp(plain(s)));
    for (const p of sealed) peer.send(p, to);
    await until(() => b.stats().received.packets === 3, 2000, 'genuine packets');
    for (const p of sealed) peer.send(p, to); // replayed
    peer.send(plain(4), to); // not SRTP at all
    await until(
      () => b.stats().received.srtpReplays === 3 && b.stats().received.srtpAuthFailures === 1,
      2000,
      'replays and auth failure counted',
    );
    expect(b.stats().received.packets).toBe(3);
  });

  it('refuses keys of the wrong length before binding anything', async () => {
    await expect(
      open({
        srtp: {
          suite: 'AES_CM_128_HMAC_SHA1_80',
          sendKey: randomBytes(16),
          recvKey: randomBytes(30),
        },
      }),
    ).rejects.toThrow(/30 bytes/);
  });
});
