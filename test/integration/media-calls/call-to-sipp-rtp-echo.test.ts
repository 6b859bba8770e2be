/**
 * `trunkscope call` against SIPp callees whose media is SIPp's RTP echo (`-rtp_echo`): what we send
 * comes back. Once with a normal offer in the INVITE (uas-rtp-echo), once with a late offer: SIPp
 * offers in its 200 and reads our answer in the ACK (uas-rtp-echo-late-offer). Then DTMF the
 * callee cannot take: no telephone-event in its SDP (uas-basic), INFO refused (uas-info-501).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { RTP_PORTS, digits, mediaOf } from '../../support/media-peers.ts';
import { stopAllStarted } from '../../support/processes.ts';
import { callSippUas } from '../../support/sip-flows.ts';

afterEach(stopAllStarted);

// SIPp binds its RTP echo on [media_ip]:[media_port] (-mi/-mp; sipp.ts picks -mp).
const echoArgs = { sipp: { extraArgs: ['-rtp_echo', '-mi', '127.0.0.1'] } };

describe('call → SIPp UAS with RTP echo', () => {
  it('uas-rtp-echo: PCMU negotiated, our RTP (and RFC 2833 digit) comes back from SIPp', async () => {
    const { cli, sipp, why } = await callSippUas(
      'uas-rtp-echo',
      'udp',
      ['--duration', '2', '--codec', 'PCMU,PCMA', '--send-dtmf', '1', '--rtp-ports', RTP_PORTS],
      echoArgs,
    );
    expect(sipp.code, why).toBe(0);
    expect(cli.code, why).toBe(0);
    expect(cli.json, why).toMatchObject({
      outcome: 'answered',
      finalStatus: 200,
      endedBy: 'local',
    });
    const m = mediaOf(cli.json, why);
    expect(m, why).toMatchObject({
      codec: 'PCMU',
      payloadType: 0,
      ptime: 20,
      telephoneEventPt: 101,
      srtp: { active: false },
    });
    // The answer named SIPp's media port; symmetric RTP latched onto the same address.
    expect(m.sdpRemote, why).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(m.sent.remoteAddress, why).toBe(m.sdpRemote);
    expect(m.received.remoteAddress, why).toBe(m.sdpRemote);
    // 2 s of 20 ms packets: ~100 sent; nearly all of them come back (the last few may still be in
    // flight when we hang up).
    expect(m.sent.packets, why).toBeGreaterThanOrEqual(80);
    expect(m.received.packets, why).toBeGreaterThanOrEqual(Math.floor(m.sent.packets * 0.9));
    expect(m.received.packets, why).toBeLessThanOrEqual(m.sent.packets);
    expect(m.received.bytes, why).toBeLessThanOrEqual(m.sent.bytes);
    // SIPp's rtp_echo returns each datagram byte for byte: it does not rewrite the RTP header, so
    // the SSRC we receive is our own SSRC, and there is only that one stream (no SSRC change).
    expect(m.sent.ssrc, why).toMatch(/^0x[0-9a-f]{8}$/);
    expect(m.received.ssrc, why).toBe(m.sent.ssrc);
    expect(m.received.ssrcChanges, why).toBe(0);
    expect(m.received.malformed, why).toBe(0);
    // The RFC 4733 events we sent are echoed too, so our receiver reports the same digit.
    expect(digits(m.dtmf.sent), why).toEqual(['1:rfc2833']);
    expect(digits(m.dtmf.received), why).toEqual(['1:rfc2833']);
  });

  it('uas-rtp-echo-late-offer: INVITE without SDP, SIPp offers in the 200, our answer rides in the ACK', async () => {
    const { cli, sipp, why } = await callSippUas(
      'uas-rtp-echo-late-offer',
      'udp',
      ['--late-offer', '--duration', '2', '--codec', 'PCMU,PCMA', '--rtp-ports', RTP_PORTS],
      echoArgs,
    );
    // The scenario checks (check_it) that the INVITE had no body and that the ACK carried an
    // m=audio answer picking 8 or 0; it logs the payload type it saw.
    expect(sipp.code, why).toBe(0);
    expect(cli.code, why).toBe(0);
    expect(cli.json, why).toMatchObject({ outcome: 'answered', finalStatus: 200 });
    const m = mediaOf(cli.json, why);
    // SIPp offered PCMA first, PCMU second; as answerer we pick by our own preference (PCMU,PCMA).
    expect(m, why).toMatchObject({ codec: 'PCMU', payloadType: 0, telephoneEventPt: 101 });
    expect(sipp.logs, why).toMatch(/ACK answer picked payload type 0\b/);
    expect(m.sent.packets, why).toBeGreaterThanOrEqual(80);
    expect(m.received.packets, why).toBeGreaterThanOrEqual(Math.floor(m.sent.packets * 0.9));
    expect(m.received.ssrc, why).toBe(m.sent.ssrc);
  });

  it('--dtmf rfc2833 towards a callee whose SDP has no telephone-event: answered, no digit claimed, media.error says why', async () => {
    // uas-basic answers with PCMU only (no a=rtpmap telephone-event): RFC 4733 events cannot go out.
    const { cli, sipp, why } = await callSippUas('uas-basic', 'udp', ['--duration', '2', '--dtmf', 'rfc2833', '--send-dtmf', '12', '--dtmf-at', '0.5']);
    expect(sipp.code, why).toBe(0);
    // Issue 11: DTMF asked for and not sent fails the call (exit 1) with the causes that say why.
    expect(cli.code, why).toBe(1);
    expect(cli.json?.diagnosis?.causes.map((c) => c.code), why).toEqual(['dtmf-method-mismatch', 'dtmf-not-sent']);
    expect(cli.json, why).toMatchObject({ outcome: 'answered', endedBy: 'local' });
    const m = mediaOf(cli.json, why);
    expect(m.telephoneEventPt, why).toBeNull();
    expect(m.dtmf.sent, why).toEqual([]);
    expect(m.error, why).toMatch(/RFC 4733 DTMF cannot be sent: .*no telephone-event.*--dtmf info or inband/);
    expect(m.sent.packets, why).toBeGreaterThan(60);
  });

  it('--dtmf info towards a callee that answers INFO with 501: the refusal is reported, no further INFO, no digit claimed', async () => {
    const { cli, sipp, why } = await callSippUas('uas-info-501', 'udp', ['--duration', '2', '--dtmf', 'info', '--send-dtmf', '123', '--dtmf-at', '0.5']);
    // SIPp's scenario takes exactly one INFO and then the BYE: a second INFO would fail it.
    expect(sipp.code, why).toBe(0);
    expect(cli.code, why).toBe(1);
    expect(cli.json?.diagnosis?.causes.map((c) => c.code), why).toContain('dtmf-not-sent');
    expect(cli.json, why).toMatchObject({ outcome: 'answered', endedBy: 'local' });
    const m = mediaOf(cli.json, why);
    expect(m.dtmf.sent, why).toEqual([]);
    expect(m.error, why).toMatch(/SIP INFO DTMF 1 not accepted by the peer \(501 Not Implemented\)/);
  });
});
