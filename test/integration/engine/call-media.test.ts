import { createSocket } from 'node:dgram';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CallMedia } from '../../../src/main/engine/media/call-media.ts';
import type { MediaPrefs } from '../../../src/main/engine/media/media-prefs.ts';

const base: MediaPrefs = {
  codecs: ['PCMU', 'PCMA'],
  dtmf: 'rfc2833',
  srtp: 'off',
  symmetric: true,
  portRange: { min: 30000, max: 40000 },
  bindAddress: '127.0.0.1',
  sdpAddress: '127.0.0.1',
  ptime: 20,
  rtcpMux: false,
  source: { kind: 'tone', hz: 1004 },
};
const open: CallMedia[] = [];
async function media(p: Partial<MediaPrefs>): Promise<CallMedia> {
  const m = await CallMedia.open({ ...base, ...p });
  open.push(m);
  return m;
}
afterEach(async () => {
  await Promise.all(open.splice(0).map((m) => m.close()));
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('CallMedia offer/answer and RTP between two calls on 127.0.0.1', () => {
  it('negotiates the answerer-preferred codec, carries RTP both ways and RFC 4733 digits', async () => {
    const a = await media({ codecs: ['PCMU', 'PCMA'] });
    const b = await media({ codecs: ['PCMA'], source: { kind: 'echo' } });
    const ans = b.answer(a.offer('sendrecv'));
    expect(ans.ok).toBe(true);
    if (!ans.ok) return;
    a.onAnswer(ans.sdp);
    expect(a.report().codec).toBe('PCMA');
    a.markAnswered();
    b.markAnswered();
    await sleep(600);
    await a.sendMediaDigit('5', 100);
    await sleep(300);
    const ra = a.report();
    const rb = b.report();
    expect(ra.sent.packets).toBeGreaterThan(10);
    expect(rb.received.packets).toBeGreaterThan(10);
    expect(ra.received.packets).toBeGreaterThan(10); // the echo came back
    expect(rb.dtmf.received.map((d) => `${d.digit}/${d.method}`)).toEqual(['5/rfc2833']);
    expect(ra.dtmf.sent.map((d) => d.digit)).toEqual(['5']);
  });

  it('SRTP: require ↔ offer is encrypted both ways; require ↔ off is refused with 488', async () => {
    const a = await media({ srtp: 'require' });
    const b = await media({ srtp: 'offer', source: { kind: 'echo' } });
    const ans = b.answer(a.offer('sendrecv'));
    expect(ans.ok).toBe(true);
    if (!ans.ok) return;
    a.onAnswer(ans.sdp);
    await sleep(500);
    expect(a.report().srtp).toMatchObject({ active: true, suite: 'AES_CM_128_HMAC_SHA1_80' });
    expect(b.report().received.packets).toBeGreaterThan(5);
    expect(b.report().received.srtpAuthFailures).toBe(0);
    expect(a.report().received.packets).toBeGreaterThan(5);
    const c = await media({ srtp: 'off' });
    const refused = c.answer(a.offer('sendrecv'));
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.status).toBe(488);
    expect(!refused.ok && refused.reason).toMatch(/SRTP/);
  });

  it('keeps its o= line across offers and answers but for the version (RFC 3264 §8)', async () => {
    const a = await media({});
    const b = await media({ source: { kind: 'echo' } });
    const origin = (sdp: string) => /^o=(\S+) (\d+) (\d+) /m.exec(sdp)!.slice(1);
    const o1 = a.offer('sendrecv');
    await sleep(1100); // a new second: the id must not follow the clock
    const o2 = a.offer('sendonly');
    const ans1 = b.answer(o1);
    await sleep(1100);
    const ans2 = b.answer(o2);
    if (!ans1.ok || !ans2.ok) throw new Error('answer failed');
    expect(origin(o2)).toEqual([origin(o1)[0], origin(o1)[1], String(Number(origin(o1)[2]) + 1)]);
    expect(origin(ans2.sdp)[1]).toBe(origin(ans1.sdp)[1]);
    expect(Number(origin(ans2.sdp)[2])).toBe(Number(origin(ans1.sdp)[2]) + 1);
    expect(origin(ans1.sdp)[1]).not.toBe(origin(o1)[1]); // each side its own session id
  });

  it('no common codec → 488 naming both lists', async () => {
    const a = await media({ codecs: ['G729'] });
    const b = await media({ codecs: ['PCMU'] });
    const ans = b.answer(a.offer('sendrecv'));
    expect(ans.ok).toBe(false);
    expect(!ans.ok && ans.reason).toMatch(/G729.*PCMU|PCMU.*G729/);
  });

  it('hold: a sendonly offer is answered recvonly and the held side stops sending', async () => {
    const a = await media({});
    const b = await media({});
    const ans = b.answer(a.offer('sendrecv'));
    if (!ans.ok) throw new Error(ans.reason);
    a.onAnswer(ans.sdp);
    await sleep(300);
    const hold = b.answer(a.offer('sendonly'));
    expect(hold.ok && hold.sdp).toMatch(/a=recvonly/);
    if (hold.ok) a.onAnswer(hold.sdp);
    await sleep(100);
    const before = b.report().sent.packets;
    await sleep(400);
    expect(b.report().sent.packets - before).toBeLessThanOrEqual(1);
  });
});

describe('CallMedia recording', () => {
  it('a recording that cannot be written at close (its directory vanished) is reported, close still resolves', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trunkscope-rec-'));
    const path = join(dir, 'call.wav');
    const a = await media({});
    const b = await media({ source: { kind: 'echo' }, record: path });
    const ans = b.answer(a.offer('sendrecv'));
    if (!ans.ok) throw new Error(ans.reason);
    a.onAnswer(ans.sdp);
    a.markAnswered();
    b.markAnswered();
    await sleep(300);
    rmSync(dir, { recursive: true, force: true });
    await expect(b.close()).resolves.toBeUndefined();
    expect(existsSync(path)).toBe(false);
    expect(b.recordingError).toMatch(new RegExp(`cannot write the recording ${path}: .*ENOENT`));
    expect(b.report()).toMatchObject({ recording: path, recordingError: b.recordingError });
  });
});

describe('CallMedia report: what the malformed count is made of', () => {
  it('RTP on a payload type the SDP never named is counted by payload type (malformedBy, unknownPayloadTypes)', async () => {
    const a = await media({});
    const b = await media({ source: { kind: 'echo' } });
    const ans = b.answer(a.offer('sendrecv'));
    if (!ans.ok) throw new Error(ans.reason);
    a.onAnswer(ans.sdp);
    a.markAnswered();
    b.markAnswered();
    await sleep(200);
    // 12 RTP packets with PT 99 (never negotiated: PCMU 0, PCMA 8, telephone-event 101).
    const sock = createSocket('udp4');
    for (let i = 0; i < 12; i++) {
      const pkt = Buffer.alloc(12 + 4);
      pkt[0] = 0x80;
      pkt[1] = 99;
      pkt.writeUInt16BE(i, 2);
      pkt.writeUInt32BE(i * 160, 4);
      pkt.writeUInt32BE(0x1234, 8);
      await new Promise<void>((r) => sock.send(pkt, b.rtp.localPort, '127.0.0.1', () => r()));
    }
    await sleep(200);
    sock.close();
    const r = b.report().received;
    expect(r.unknownPayloadTypes).toEqual({ '99': 12 });
    expect(r.malformedBy).toMatchObject({ 'unknown-payload-type': 12 });
    expect(r.malformed).toBeGreaterThanOrEqual(12);
    // A clean stream has neither field.
    expect(a.report().received.malformedBy).toBeUndefined();
    expect(a.report().received.unknownPayloadTypes).toBeUndefined();
  });
});
