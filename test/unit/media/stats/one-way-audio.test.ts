import { describe, expect, it } from 'vitest';
import {
  oneWayAudioVerdict,
  type OneWayAudioFacts,
} from '../../../../src/main/media/stats/one-way-audio.ts';
import { isPublicAddress, nonPublicReason } from '../../../../src/main/media/stats/ip-address.ts';

/** A healthy call 8 s after answer: RTP both ways, from the SDP address. */
function facts(over: Partial<OneWayAudioFacts> = {}): OneWayAudioFacts {
  return {
    answeredAtMs: 1000,
    nowMs: 9000,
    sdpRemote: { address: '203.0.113.7', port: 4000 },
    signalingRemoteAddress: '203.0.113.7',
    received: {
      firstPacketMs: 1050,
      lastPacketMs: 8990,
      packets: 397,
      fromAddress: { address: '203.0.113.7', port: 4000 },
      srtpAuthFailures: 0,
    },
    sent: { packets: 400, lastPacketMs: 8995 },
    ...over,
  };
}

describe('one-way-audio verdicts', () => {
  it('ok when RTP flows both ways from the SDP address', () => {
    const v = oneWayAudioVerdict(facts());
    expect(v).toMatchObject({ verdict: 'ok', direction: null, others: [] });
    expect(v.evidence[0]).toContain('received 397 RTP packets from 203.0.113.7:4000, sent 400');
  });

  it('no-inbound-rtp: names the SDP address, the seconds since answer and what we sent', () => {
    const v = oneWayAudioVerdict(facts({ received: { packets: 0, srtpAuthFailures: 0 } }));
    expect(v).toMatchObject({ verdict: 'no-inbound-rtp', direction: 'inbound', sinceMs: 1000 });
    expect(v.evidence[0]).toBe(
      'no RTP from 203.0.113.7:4000 (SDP) in the 8.0 s since answer; 400 packets sent to it',
    );
  });

  it('too early to judge: ok with a note before the threshold', () => {
    const v = oneWayAudioVerdict(
      facts({ nowMs: 3000, received: { packets: 0, srtpAuthFailures: 0 } }),
    );
    expect(v.verdict).toBe('ok');
    expect(v.evidence.join(' ')).toContain('too early to judge: 2.0 s of 5.0 s');
  });

  it('no RTP either way: no-inbound-rtp with direction both, no-outbound-rtp among the others', () => {
    const v = oneWayAudioVerdict(
      facts({ received: { packets: 0, srtpAuthFailures: 0 }, sent: { packets: 0 } }),
    );
    expect(v).toMatchObject({ verdict: 'no-inbound-rtp', direction: 'both' });
    expect(v.others.map((o) => o.verdict)).toEqual(['no-outbound-rtp']);
  });

  it('no-outbound-rtp when we send nothing', () => {
    const v = oneWayAudioVerdict(facts({ sent: { packets: 0 } }));
    expect(v).toMatchObject({ verdict: 'no-outbound-rtp', direction: 'outbound' });
    expect(v.evidence[0]).toContain(
      'we sent no RTP to 203.0.113.7:4000 in the 8.0 s since answer; 397 packets received',
    );
  });

  it('no-outbound-rtp when the peer RTCP says nothing of ours arrived', () => {
    const v = oneWayAudioVerdict(
      facts({
        peerRtcp: {
          reportsReceived: 2,
          lastReport: {
            atMs: 6200,
            packetsReceivedByPeer: 0,
            cumulativeLost: 0,
            extendedHighestSeq: 0,
          },
        },
      }),
    );
    expect(v).toMatchObject({ verdict: 'no-outbound-rtp', direction: 'outbound' });
    expect(v.evidence[0]).toContain(
      "the peer's RTCP report at 5.2 s after answer says 0 of our packets arrived",
    );
    expect(v.evidence[0]).toContain('we sent 400 to 203.0.113.7:4000');
  });

  it('no-outbound-rtp when peer reports never mention our SSRC', () => {
    const v = oneWayAudioVerdict(facts({ peerRtcp: { reportsReceived: 3 } }));
    expect(v).toMatchObject({ verdict: 'no-outbound-rtp', direction: 'outbound' });
    expect(v.evidence[0]).toContain(
      '3 RTCP reports from the peer in 8.0 s and none mentions our SSRC',
    );
  });

  it('silent-inbound: RTP arrives but carries silence', () => {
    const v = oneWayAudioVerdict(facts({ energy: { silentSinceMs: 2000 } }));
    expect(v).toMatchObject({ verdict: 'silent-inbound', direction: 'inbound', sinceMs: 2000 });
    expect(v.evidence[0]).toContain('carries silence for the last 7.0 s');
    // Not silent long enough yet.
    expect(oneWayAudioVerdict(facts({ energy: { silentSinceMs: 6000 } })).verdict).toBe('ok');
  });

  it('inbound-stopped: RTP arrived and then stopped', () => {
    const v = oneWayAudioVerdict(
      facts({
        received: {
          firstPacketMs: 1050,
          lastPacketMs: 4000,
          packets: 150,
          fromAddress: { address: '203.0.113.7', port: 4000 },
          srtpAuthFailures: 0,
        },
      }),
    );
    expect(v).toMatchObject({ verdict: 'inbound-stopped', direction: 'inbound', sinceMs: 4000 });
    expect(v.evidence[0]).toBe(
      'RTP from 203.0.113.7:4000 stopped 3.0 s after answer after 150 packets; none in the 5.0 s since',
    );
  });

  it('nat-mismatch: RTP from another address/port than the SDP named, with both addresses', () => {
    const v = oneWayAudioVerdict(
      facts({
        received: {
          firstPacketMs: 1050,
          lastPacketMs: 8990,
          packets: 397,
          fromAddress: { address: '198.51.100.20', port: 31000 },
          srtpAuthFailures: 0,
        },
      }),
    );
    expect(v).toMatchObject({ verdict: 'nat-mismatch', direction: 'outbound', sinceMs: 1050 });
    expect(v.evidence[0]).toContain(
      'RTP arrives from 198.51.100.20:31000 but the SDP named 203.0.113.7:4000',
    );
  });

  it('private-sdp-address: RFC 1918 address in SDP from a public signalling address', () => {
    const v = oneWayAudioVerdict(
      facts({
        sdpRemote: { address: '192.168.1.20', port: 4000 },
        received: {
          packets: 300,
          firstPacketMs: 1100,
          lastPacketMs: 8990,
          fromAddress: { address: '203.0.113.7', port: 4000 },
          srtpAuthFailures: 0,
        },
      }),
    );
    expect(v).toMatchObject({ verdict: 'private-sdp-address', direction: 'outbound' });
    expect(v.evidence[0]).toContain(
      '192.168.1.20:4000 (RFC 1918 private) while its SIP comes from public 203.0.113.7',
    );
    expect(v.others.map((o) => o.verdict)).toEqual(['nat-mismatch']);
  });

  it('no private-sdp-address verdict when signalling is private too (a LAN PBX)', () => {
    const v = oneWayAudioVerdict(
      facts({
        sdpRemote: { address: '10.0.0.5', port: 4000 },
        signalingRemoteAddress: '10.0.0.5',
        received: { ...facts().received, fromAddress: { address: '10.0.0.5', port: 4000 } },
      }),
    );
    expect(v.verdict).toBe('ok');
  });

  it('srtp-mismatch: SRTP offered, answer without crypto → both directions', () => {
    const v = oneWayAudioVerdict(
      facts({
        srtp: { ourPolicy: 'optional', active: false, offeredCrypto: true, answeredCrypto: false },
      }),
    );
    expect(v).toMatchObject({ verdict: 'srtp-mismatch', direction: 'both' });
    expect(v.evidence[0]).toContain('we offered SRTP (a=crypto) but the answer has none');
  });

  it('no srtp-mismatch when a best-effort offer (either side) is answered plain, or our best-effort offer is answered with SRTP', () => {
    for (const srtp of [
      { ourPolicy: 'off' as const, active: false, offeredCrypto: false, answeredCrypto: false, offerer: 'peer' as const, offerHadCrypto: true },
      { ourPolicy: 'optional' as const, active: false, offeredCrypto: false, answeredCrypto: false, offerer: 'us' as const, offerHadCrypto: true },
      { ourPolicy: 'optional' as const, active: true, offeredCrypto: false, answeredCrypto: true, offerer: 'us' as const, offerHadCrypto: true },
      { ourPolicy: 'optional' as const, active: true, offeredCrypto: false, answeredCrypto: true, offerer: 'peer' as const, offerHadCrypto: true },
    ]) {
      expect(oneWayAudioVerdict(facts({ srtp })).verdict, JSON.stringify(srtp)).toBe('ok');
    }
  });

  it('srtp-mismatch names the side that did it: the peer required SRTP and our answer has none', () => {
    const v = oneWayAudioVerdict(
      facts({ srtp: { ourPolicy: 'off', active: false, offeredCrypto: true, answeredCrypto: false, offerer: 'peer', offerHadCrypto: true } }),
    );
    expect(v.verdict).toBe('srtp-mismatch');
    expect(v.evidence[0]).toBe('the peer offered SRTP as required (RTP/SAVP) but our answer has no a=crypto; SRTP policy off');
  });

  it('srtp-mismatch: inbound packets failing authentication win over no-inbound-rtp', () => {
    const v = oneWayAudioVerdict(
      facts({
        received: {
          packets: 0,
          srtpAuthFailures: 380,
          fromAddress: { address: '203.0.113.7', port: 4000 },
        },
        srtp: { ourPolicy: 'required', active: true, offeredCrypto: true, answeredCrypto: true },
      }),
    );
    expect(v).toMatchObject({ verdict: 'srtp-mismatch', direction: 'inbound' });
    expect(v.evidence[0]).toBe(
      '380 SRTP packets from 203.0.113.7:4000 failed authentication, 0 passed (keys do not match)',
    );
    expect(v.others.map((o) => o.verdict)).toEqual(['no-inbound-rtp']);
  });

  it('thresholds can be changed', () => {
    const f = facts({
      nowMs: 3500,
      received: { packets: 0, srtpAuthFailures: 0 },
      thresholdsMs: { noRtpMs: 2000 },
    });
    expect(oneWayAudioVerdict(f).verdict).toBe('no-inbound-rtp');
  });
});

describe('address classes', () => {
  it('RFC 1918, RFC 6598, loopback, link-local, ULA are not public', () => {
    expect(
      [
        '10.1.2.3',
        '172.16.0.1',
        '172.31.255.255',
        '192.168.0.1',
        '100.64.0.1',
        '127.0.0.1',
        '169.254.1.1',
        'fd00::1',
        'fe80::1',
        '::1',
      ]
        .map(nonPublicReason)
        .every(Boolean),
    ).toBe(true);
    expect(
      ['8.8.8.8', '172.32.0.1', '100.128.0.1', '2001:db8::1', '203.0.113.7'].map(nonPublicReason),
    ).toEqual([null, null, null, null, null]);
    expect(isPublicAddress('sip.example.com')).toBe(false);
  });

  it('outbound-stopped: the peer\'s RTCP stops counting our packets mid-call while we keep sending', () => {
    const lastReport = { atMs: 8000, packetsReceivedByPeer: 100, cumulativeLost: 250, extendedHighestSeq: 1099 };
    const v = oneWayAudioVerdict(facts({ peerRtcp: { reportsReceived: 3, seqStalledSinceMs: 3000, lastReport } }));
    expect(v.verdict).toBe('outbound-stopped');
    expect(v.direction).toBe('outbound');
    expect(v.sinceMs).toBe(3000);
    expect(v.evidence.join(' ')).toMatch(/stopped counting our packets 2\.0 s after answer .*1099.*100 received.*400 packets/);
  });

  it('outbound-stopped dated to the packet: the send time of the last packet the peer counted', () => {
    const lastReport = { atMs: 8000, packetsReceivedByPeer: 100, cumulativeLost: 250, extendedHighestSeq: 1099 };
    const v = oneWayAudioVerdict(
      facts({ peerRtcp: { reportsReceived: 3, seqStalledSinceMs: 3000, lastCountedSentMs: 2980, lastReport } }),
    );
    expect(v.verdict).toBe('outbound-stopped');
    expect(v.sinceMs).toBe(2980);
    expect(v.evidence.join(' ')).toMatch(
      /stopped counting our packets after the one we sent 2\.0 s after answer \(highest sequence 1099, 100 received by the peer; no report since 2\.0 s after answer counts more\)/,
    );
  });

  it('no outbound-stopped while the peer\'s reports still advance, or too soon', () => {
    const lastReport = { atMs: 8000, packetsReceivedByPeer: 350, cumulativeLost: 0, extendedHighestSeq: 1349 };
    expect(oneWayAudioVerdict(facts({ peerRtcp: { reportsReceived: 3, lastReport } })).verdict).toBe('ok');
    expect(oneWayAudioVerdict(facts({ peerRtcp: { reportsReceived: 3, seqStalledSinceMs: 7000, lastReport } })).verdict).toBe('ok');
  });
});
