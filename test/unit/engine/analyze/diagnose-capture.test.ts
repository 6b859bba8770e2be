import { describe, expect, it } from 'vitest';
import { diagnoseCapture } from '../../../../src/main/engine/analyze/diagnose-capture.ts';
import { pcmuCodec } from '../../../../src/main/media/codec/g711.ts';
import { buildPcap, CALL_ID, rtpPackets, sipCall, type Link, type Packet } from './capture-builder.ts';

const CALLER = { ip: '198.51.100.2', sip: 5060 };
const CALLEE = { ip: '203.0.113.5', sip: 5060 };
const tone = (i: number): Buffer => pcmuCodec.encode(Int16Array.from({ length: 160 }, (_, k) => Math.round(8000 * Math.sin((2 * Math.PI * 440 * (i * 160 + k)) / 8000))));

function sip(atMs: number, fromCaller: boolean, text: string, tcp?: { seq: number }): Packet {
  const a = fromCaller ? CALLER : CALLEE;
  const b = fromCaller ? CALLEE : CALLER;
  return { atMs, src: a.ip, dst: b.ip, sport: a.sip, dport: b.sip, payload: Buffer.from(text, 'latin1'), ...(tcp ? { tcp } : {}) };
}

/** A whole call: INVITE … BYE, RTP both ways for 3 s; the callee's audio as given. */
function callPackets(o: { calleeMedia?: string; calleeRtpFrom?: string; calleeFill?: number | ((i: number) => Buffer); final?: string } = {}): Packet[] {
  const m = sipCall({ callerMedia: `${CALLER.ip}:20000`, calleeMedia: o.calleeMedia ?? `${CALLEE.ip}:40000`, final: o.final });
  const answered = (o.final ?? '200 OK').startsWith('200');
  const out = [sip(0, true, m.invite), sip(10, false, m.trying), sip(50, false, m.final), sip(60, true, m.ack)];
  if (!answered) return out;
  out.push(...rtpPackets(`${CALLER.ip}:20000`, o.calleeMedia ?? `${CALLEE.ip}:40000`, 150, 100, tone, 0x1111));
  out.push(...rtpPackets(o.calleeRtpFrom ?? `${CALLEE.ip}:40000`, `${CALLER.ip}:20000`, 150, 105, o.calleeFill ?? tone, 0x2222));
  out.push(sip(3200, true, m.bye), sip(3210, false, m.byeOk));
  return out.sort((a, b) => a.atMs - b.atMs);
}

const only = (buf: Buffer) => {
  const r = diagnoseCapture(buf);
  if (!r.ok) throw new Error(r.message);
  return r;
};

describe('diagnoseCapture: calls from captures', () => {
  for (const link of ['ethernet', 'vlan', 'sll', 'sll2', 'raw'] as Link[]) {
    it(`a clean call over ${link}: ladder, both streams, audio present, verdict ok`, () => {
      const r = only(buildPcap(callPackets(), { link }));
      expect(r.calls).toHaveLength(1);
      const c = r.calls[0]!;
      expect(c.callId).toBe(CALL_ID);
      expect(c.ladder.map((e) => `${e.dir} ${e.firstLine}`)).toEqual([
        'out INVITE sip:+15551234567@trunk.example.net SIP/2.0',
        'in 100 Trying',
        'in 200 OK',
        'out ACK sip:+15551234567@203.0.113.5 SIP/2.0',
        'out BYE sip:alice@198.51.100.2 SIP/2.0',
        'in 200 OK',
      ]);
      expect(c.frames).toEqual([1, 2, 3, 4, expect.any(Number), expect.any(Number)]);
      expect(c.report).toMatchObject({ outcome: 'answered', finalStatus: 200, endedBy: 'local' });
      expect(c.report.media!.received).toMatchObject({ packets: 150, lost: 0 });
      expect(c.report.media!.sent.packets).toBe(150);
      // From the caller's side: sent goes to the callee's media, received comes from it.
      expect(c.report.media!.sent.remoteAddress).toBe(`${CALLEE.ip}:40000`);
      expect(c.report.media!.received.remoteAddress).toBe(`${CALLEE.ip}:40000`);
      expect(c.report.media!.received.audio!.activeMs).toBeGreaterThan(2900);
      expect(c.streams).toHaveLength(2);
      expect(c.report.diagnosis).toEqual({ verdict: 'ok', causes: [] });
    });
  }

  it('a stream of 0xFF μ-law from the callee is silence: silent-audio', () => {
    const c = only(buildPcap(callPackets({ calleeFill: 0xff }))).calls[0]!;
    expect(c.report.media!.received.audio).toMatchObject({ decoded: true, activeMs: 0, silentMs: 3000 });
    expect(c.report.diagnosis).toMatchObject({ verdict: 'failed', causes: [{ code: 'silent-audio' }] });
  });

  it("a private c= address while the peer signals from a public one (built from templates)", () => {
    const c = only(buildPcap(callPackets({ calleeMedia: '10.20.30.40:40000', calleeRtpFrom: `${CALLEE.ip}:40000` }))).calls[0]!;
    const codes = c.report.diagnosis!.causes.map((x) => x.code);
    expect(codes).toContain('private-media-address');
    expect(codes).toContain('nat-mismatch');
    expect(c.report.diagnosis!.causes.find((x) => x.code === 'private-media-address')!.evidence[0]!.text).toContain('10.20.30.40:40000 (RFC 1918 private)');
  });

  it('a 486 from the capture: busy, the evidence at its frame', () => {
    const c = only(buildPcap(callPackets({ final: '486 Busy Here' }))).calls[0]!;
    expect(c.report).toMatchObject({ outcome: 'busy', finalStatus: 486 });
    expect(c.report.diagnosis!.causes[0]).toMatchObject({ code: 'busy', evidence: [{ ref: 'frame 3', text: 'SIP/2.0 486 Busy Here' }] });
  });

  it('SIP in IPv4 fragments is reassembled', () => {
    const r = only(buildPcap(callPackets(), { fragmentAt: 256 }));
    expect(r.decode.fragments).toBeGreaterThan(2);
    expect(r.decode.reassembled).toBeGreaterThanOrEqual(2);
    expect(r.calls[0]!.ladder).toHaveLength(6);
    expect(r.calls[0]!.report.diagnosis!.verdict).toBe('ok');
  });

  it('--call-id picks one call; an unknown one says so', () => {
    const buf = buildPcap(callPackets());
    const r = diagnoseCapture(buf, { callId: 'nope' });
    expect(r.ok && r.calls).toEqual([]);
    expect(r.ok && r.warnings.join('\n')).toContain('no call with Call-ID nope in the capture (1 call(s) found)');
  });
});

describe('diagnoseCapture: SIP over TCP', () => {
  const m = sipCall({ callerMedia: `${CALLER.ip}:20000`, calleeMedia: `${CALLEE.ip}:40000`, final: '486 Busy Here' });
  it('a message split across segments, two messages in one segment, segments out of order', () => {
    const inv = Buffer.from(m.invite, 'latin1');
    const both = Buffer.from(m.trying + m.final, 'latin1');
    const cut = 100;
    const packets: Packet[] = [
      { ...sip(0, true, ''), tcp: { seq: 999, flags: 0x02 } },
      // Second half of the INVITE arrives first (reordered), then the first half.
      { ...sip(2, true, inv.subarray(cut).toString('latin1')), tcp: { seq: 1000 + cut } },
      { ...sip(1, true, inv.subarray(0, cut).toString('latin1')), tcp: { seq: 1000 } },
      { ...sip(10, false, both.toString('latin1')), tcp: { seq: 5000 } },
      { ...sip(20, true, m.ack), tcp: { seq: 1000 + inv.length } },
    ];
    const r = only(buildPcap(packets));
    const c = r.calls[0]!;
    expect(c.ladder.map((e) => e.firstLine)).toEqual(['INVITE sip:+15551234567@trunk.example.net SIP/2.0', '100 Trying', '486 Busy Here', 'ACK sip:+15551234567@203.0.113.5 SIP/2.0']);
    // The INVITE is complete in frame 3 (the first half, which came last).
    expect(c.frames[0]).toBe(3);
    expect(c.report).toMatchObject({ transport: 'tcp', outcome: 'busy' });
    expect(r.warnings).toEqual([]);
  });

  it('a TCP gap: the cut message is skipped, the rest is read, and the result says so', () => {
    const inv = Buffer.from(m.invite, 'latin1');
    const packets: Packet[] = [
      { ...sip(0, true, inv.subarray(0, 50).toString('latin1')), tcp: { seq: 1000 } },
      // bytes 50..99 never captured
      { ...sip(1, true, inv.subarray(100).toString('latin1')), tcp: { seq: 1100 } },
      { ...sip(10, false, m.trying + m.final), tcp: { seq: 5000 } },
      { ...sip(20, true, m.ack), tcp: { seq: 1000 + inv.length } },
    ];
    const r = only(buildPcap(packets));
    expect(r.warnings.join('\n')).toMatch(/50 bytes missing before frame 2 \(a gap in the capture\)/);
    const c = r.calls[0]!;
    expect(c.ladder.map((e) => e.firstLine)).toEqual(['100 Trying', '486 Busy Here', 'ACK sip:+15551234567@203.0.113.5 SIP/2.0']);
    expect(c.report.finalStatus).toBe(486);
  });
});

describe('diagnoseCapture: malformed captures never crash', () => {
  const good = buildPcap(callPackets());
  it('empty, wrong magic and garbage give a clear error', () => {
    expect(diagnoseCapture(Buffer.alloc(0))).toMatchObject({ ok: false, reason: 'not-a-capture', message: 'the file is empty' });
    expect(diagnoseCapture(Buffer.from('hello world, not a pcap at all'))).toMatchObject({ ok: false, reason: 'not-a-capture' });
  });
  it('a truncated capture gives a partial result with a warning', () => {
    const r = diagnoseCapture(good.subarray(0, good.length - 700));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.warnings.length).toBeGreaterThan(0);
    expect(r.calls[0]!.ladder.length).toBeGreaterThanOrEqual(4);
  });
  it('zero-length frames are counted as skipped', () => {
    const zero = Buffer.alloc(16);
    zero.writeUInt32LE(1_765_000_001, 0);
    const r = diagnoseCapture(Buffer.concat([good.subarray(0, 24), zero, good.subarray(24)]));
    expect(r.ok && r.warnings.join('\n')).toContain('skipped: zero-length frame');
    expect(r.ok && r.calls).toHaveLength(1);
  });
  it('random bytes after a valid header never throw', () => {
    for (let seed = 1; seed <= 30; seed++) {
      let x = seed;
      const junk = Buffer.from(Array.from({ length: 2000 }, () => ((x = (x * 1103515245 + 12345) >>> 0) >>> 24)));
      const buf = Buffer.concat([good.subarray(0, 24 + 16 + 200), junk]);
      expect(() => diagnoseCapture(buf)).not.toThrow();
    }
  });
});
