import { describe, expect, it } from 'vitest';
import { SignalingOnlyMedia } from '../../../src/main/engine/media/signaling-only-media.ts';
import { callIdOfRaw } from '../../../src/main/engine/stack/sip-stack.ts';
import { newTag } from '../../../src/main/sip/ua/message-factory.ts';
import { generateBranch } from '../../../src/main/sip/transaction/branch.ts';

const offer = (port: number): string =>
  ['v=0', 'o=- 1 1 IN IP4 192.0.2.1', 's=-', 'c=IN IP4 192.0.2.1', 't=0 0', `m=audio ${port} RTP/AVP 8 0 101`, 'a=rtpmap:101 telephone-event/8000', ''].join('\r\n');

describe('SignalingOnlyMedia', () => {
  it('answers an identical offer identically (cached) and a different one anew', () => {
    const a = new SignalingOnlyMedia('127.0.0.1').answer(offer(6000));
    const b = new SignalingOnlyMedia('127.0.0.1').answer(offer(6000));
    expect(a.ok && b.ok).toBe(true);
    if (!a.ok || !b.ok) return;
    // The same answer but for the o= line: each call its own session id (RFC 4566 §5.2).
    const origin = (sdp: string) => /^o=\S+ (\d+) (\d+) /m.exec(sdp)!.slice(1);
    expect(b.sdp.replace(/^o=.*$/m, '')).toBe(a.sdp.replace(/^o=.*$/m, ''));
    expect(origin(b.sdp)[0]).not.toBe(origin(a.sdp)[0]);
    expect(a.sdp).toMatch(/^m=audio 9 RTP\/AVP 8 101\r?$/m);
    const other = new SignalingOnlyMedia('127.0.0.2').answer(offer(6000));
    expect(other.ok && other.sdp.includes('127.0.0.2')).toBe(true);
    const again = new SignalingOnlyMedia('127.0.0.1');
    const first = again.answer(offer(6000));
    const second = again.answer(offer(6002)); // the next version, the same session id (RFC 3264 §8)
    if (!first.ok || !second.ok) throw new Error('no answer');
    expect(origin(second.sdp)).toEqual([origin(first.sdp)[0], String(Number(origin(first.sdp)[1]) + 1)]);
    const offered = again.offer('sendrecv');
    expect(origin(offered)).toEqual([origin(first.sdp)[0], String(Number(origin(first.sdp)[1]) + 2)]);
  });

  it('rejects an offer without audio, as before', () => {
    const r = new SignalingOnlyMedia('127.0.0.1').answer(offer(6000).replace('m=audio', 'm=video'));
    expect(r.ok).toBe(false);
  });
});

describe('per-call identifiers and counters', () => {
  it('tags and branches are fresh random hex (RFC 3261 §19.3, §8.1.1.7)', () => {
    const tags = new Set(Array.from({ length: 2000 }, () => newTag()));
    expect(tags.size).toBe(2000);
    for (const t of tags) expect(t).toMatch(/^[0-9a-f]{12}$/);
    expect(generateBranch()).toMatch(/^z9hG4bK[0-9a-f]{20}$/);
  });

  it('callIdOfRaw reads Call-ID in any spelling', () => {
    expect(callIdOfRaw(Buffer.from('BYE sip:a SIP/2.0\r\nVia: x\r\nCall-ID: abc@h \r\n\r\n'))).toBe('abc@h');
    expect(callIdOfRaw(Buffer.from('BYE sip:a SIP/2.0\r\ni: short@h\r\n\r\n'))).toBe('short@h');
    expect(callIdOfRaw(Buffer.from('BYE sip:a SIP/2.0\r\ncall-id:lower\r\n\r\n'))).toBe('lower');
    expect(callIdOfRaw(Buffer.from('BYE sip:a SIP/2.0\r\nVia: x\r\n\r\n'))).toBeUndefined();
  });
});

describe('SipStack message counters', () => {
  it('stops counting a Call-ID per call once its report took the count (late 200 to BYE)', async () => {
    const { SipStack } = await import('../../../src/main/engine/stack/sip-stack.ts');
    const stack = await SipStack.start({ listen: [{ proto: 'udp', address: '127.0.0.1', port: 0 }], defaultProto: 'udp', traceLimit: 0 });
    try {
      const rec = (dir: 'in' | 'out', id: string) => ({
        dir,
        at: Date.now(),
        proto: 'udp' as const,
        local: { address: '127.0.0.1', port: 1 },
        remote: { address: '127.0.0.1', port: 2 },
        raw: Buffer.from(`BYE sip:a SIP/2.0\r\nCall-ID: ${id}\r\n\r\n`),
      });
      // What the transport reports for each message (its emit is protected: reached via a cast).
      const transport = stack.transport as unknown as { emit(event: 'trace', r: ReturnType<typeof rec>): void };
      transport.emit('trace', rec('in', 'c1'));
      transport.emit('trace', rec('out', 'c1'));
      expect(stack.messageCount('c1', true)).toEqual({ sent: 1, received: 1 });
      transport.emit('trace', rec('out', 'c1')); // after the report
      expect(stack.messageCount('c1')).toEqual({ sent: 0, received: 0 });
      expect(stack.totals).toEqual({ sent: 2, received: 1 });
    } finally {
      await stack.close();
    }
  });
});
