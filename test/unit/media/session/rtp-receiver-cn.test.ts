import { describe, expect, it } from 'vitest';
import { pcmaCodec } from '../../../../src/main/media/codec/g711.ts';
import { serializeRtp } from '../../../../src/main/media/rtp/rtp-packet.ts';
import { RtpReceiver } from '../../../../src/main/media/session/rtp-receiver.ts';
import type { PacketInfo, SessionCodec } from '../../../../src/main/media/session/types.ts';
import { negotiateAnswer } from '../../../../src/main/sdp/answer.ts';

const FROM = { address: '127.0.0.1', port: 4000 };
const packet = (payloadType: number, seq: number, payload: Buffer): Buffer =>
  serializeRtp({ marker: false, payloadType, sequenceNumber: seq, timestamp: seq * 160, ssrc: 7, csrcs: [], payload });

describe('RFC 3389 comfort noise', () => {
  it('PT 13 is recognised: counted as comfort noise, never decoded, never malformed', () => {
    const packets: PacketInfo[] = [];
    const decoded: number[] = [];
    const r = new RtpReceiver({
      codec: pcmaCodec as SessionCodec,
      ptimeMs: 20,
      telephoneEventPt: 101,
      telephoneEventRate: 8000,
      sinks: [{ write: (pcm) => decoded.push(pcm.length) }],
      timestampJumpMs: 1000,
      onPacket: (p) => packets.push(p),
      onDtmf: () => undefined,
    });
    expect(r.handle(packet(8, 1, Buffer.alloc(160, 0xd5)), FROM, 0)).toBeDefined();
    expect(r.handle(packet(13, 2, Buffer.from([0x40])), FROM, 20)).toBeDefined();
    // A CN packet with a noise level and spectral coefficients (RFC 3389 §3) and an empty one.
    expect(r.handle(packet(13, 3, Buffer.from([0x50, 1, 2, 3])), FROM, 200)).toBeDefined();
    expect(r.handle(packet(13, 4, Buffer.alloc(0)), FROM, 400)).toBeDefined();
    expect(r.malformed).toEqual({});
    expect(packets.map((p) => p.kind)).toEqual(['audio', 'comfort-noise', 'comfort-noise', 'comfort-noise']);
    expect(decoded).toEqual([160]);
  });

  it('the answer accepts CN when the offer has it', () => {
    const offer = ['v=0', 'o=- 1 1 IN IP4 192.0.2.1', 's=-', 'c=IN IP4 192.0.2.1', 't=0 0', 'm=audio 4000 RTP/AVP 0 13 101', 'a=rtpmap:13 CN/8000', 'a=rtpmap:101 telephone-event/8000', ''].join('\r\n');
    const n = negotiateAnswer(offer, { address: '192.0.2.20', port: 20000, codecs: ['PCMU'], telephoneEvent: true, sessionVersion: 1, sessionId: 1 });
    expect(n.ok).toBe(true);
    if (!n.ok) return;
    expect(n.answerSdp).toMatch(/^m=audio 20000 RTP\/AVP 0 101 13\r$/m);
    expect(n.answerSdp).toContain('a=rtpmap:13 CN/8000');
    const without = negotiateAnswer(offer.replace(' 0 13 101', ' 0 101').replace('a=rtpmap:13 CN/8000\r\n', ''), { address: '192.0.2.20', port: 20000, codecs: ['PCMU'], telephoneEvent: true, sessionVersion: 1, sessionId: 1 });
    expect(without.ok && without.answerSdp).not.toContain('CN/8000');
  });
});
