import { describe, expect, it } from 'vitest';
import { parseSdp } from '../../../src/main/sdp/parse-sdp.ts';
import { audioOffer, HEAD, sdp } from './fixtures.ts';

describe('parseSdp', () => {
  it('fills static payload types without rtpmap (RFC 3551 §6), incl. G.722 at 8000', () => {
    const r = parseSdp(audioOffer('0 9 18 13'));
    expect(r.ok && r.sdp.media[0]!.formats).toEqual([
      { pt: 0, name: 'PCMU', clockRate: 8000, channels: 1 },
      { pt: 9, name: 'G722', clockRate: 8000, channels: 1 },
      { pt: 18, name: 'G729', clockRate: 8000, channels: 1 },
      { pt: 13, name: 'CN', clockRate: 8000, channels: 1 },
    ]);
  });

  it('prefers media-level c= and direction over session-level ones', () => {
    const r = parseSdp(
      sdp(
        'v=0',
        'o=- 1 1 IN IP4 198.51.100.1',
        's=-',
        'c=IN IP4 198.51.100.1',
        't=0 0',
        'a=sendonly',
        'm=audio 4000 RTP/AVP 0',
        'c=IN IP4 198.51.100.2',
        'a=recvonly',
        'm=audio 5000 RTP/AVP 8',
        'a=rtcp:5005 IN IP4 198.51.100.3',
      ),
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.sdp.media.map((m) => [m.address, m.direction, m.rtcpPort, m.rtcpAddress])).toEqual([
      ['198.51.100.2', 'recvonly', undefined, undefined],
      ['198.51.100.1', 'sendonly', 5005, '198.51.100.3'],
    ]);
  });

  it('accepts LF-only line ends, trailing spaces and a decimal ptime', () => {
    const r = parseSdp(
      'v=0\no=- 1 1 IN IP4 192.0.2.1 \ns=-\nc=IN IP4 192.0.2.1\nt=0 0\nm=audio 4000 RTP/AVP 0\na=ptime:20.0\n',
    );
    expect(r.ok && r.sdp.media[0]!.ptime).toBe(20);
  });

  it('allows a rejected stream without c=', () => {
    const r = parseSdp(
      sdp('v=0', 'o=- 1 1 IN IP4 192.0.2.1', 's=-', 't=0 0', 'm=video 0 RTP/AVP 96'),
    );
    expect(r.ok && r.sdp.media[0]!.port).toBe(0);
  });

  it.each([
    ['empty body', ''],
    ['first line must be "v=0"', sdp('o=- 1 1 IN IP4 192.0.2.1', 'v=0')],
    ['is not <type>=<value>', sdp(...HEAD, 'garbage', 'm=audio 4000 RTP/AVP 0')],
    [
      'missing or invalid o= line',
      sdp('v=0', 's=-', 'c=IN IP4 192.0.2.1', 't=0 0', 'm=audio 4000 RTP/AVP 0'),
    ],
    ['no m= line', sdp(...HEAD)],
    ['bad m= line', sdp(...HEAD, 'm=audio 4000/2 RTP/AVP 0')],
    ['port 70000 is out of range', sdp(...HEAD, 'm=audio 70000 RTP/AVP 0')],
    ['lists no formats', sdp(...HEAD, 'm=audio 4000 RTP/AVP')],
    ['payload type "abc"', sdp(...HEAD, 'm=audio 4000 RTP/AVP 0 abc')],
    [
      'no c= line',
      sdp('v=0', 'o=- 1 1 IN IP4 192.0.2.1', 's=-', 't=0 0', 'm=audio 4000 RTP/AVP 0'),
    ],
  ])('rejects with 400: %s', (reason, text) => {
    const r = parseSdp(text);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.status).toBe(400);
      expect(r.reason).toContain(reason);
      expect(r.reason).toMatch(/^malformed SDP: /);
    }
  });
});
