import { describe, expect, it } from 'vitest';
import {
  blockAbout,
  ntpMiddle32,
  peerView,
  roundTripMs,
} from '../../../../src/main/media/stats/peer-view.ts';
import type { ReportBlock } from '../../../../src/main/media/rtp/rtcp-packet.ts';

describe('peer view from RTCP report blocks (RFC 3550 §6.4.1)', () => {
  it('RTT = A − LSR − DLSR: the RFC example gives 6.125 s', () => {
    expect(roundTripMs(0xb7108000, 0xb7052000, 0x00054000)).toBe(6125);
  });

  it('no SR seen by the peer (LSR 0) or a negative result → unknown RTT', () => {
    expect(roundTripMs(0xb7108000, 0, 0)).toBeNull();
    expect(roundTripMs(0xb7052000, 0xb7108000, 0)).toBeNull();
  });

  it('wraps modulo 2^32 (A just past the 16-bit seconds wrap)', () => {
    expect(roundTripMs(0x00001000, 0xfffff000, 0)).toBeCloseTo((0x2000 * 1000) / 65536, 9);
  });

  it('middle 32 bits of NTP', () => {
    expect(ntpMiddle32(0x12345678, 0x9abcdef0)).toBe(0x56789abc);
  });

  it('converts the block: fraction, loss, jitter in ms, packets the peer received', () => {
    const block: ReportBlock = {
      ssrc: 0xcafe,
      fractionLost: 64,
      cumulativeLost: 12,
      extendedHighestSeq: 65536 + 99,
      jitter: 160,
      lastSr: 0xb7052000,
      delaySinceLastSr: 0x00054000,
    };
    const v = peerView(block, { clockRate: 8000, arrivalNtp32: 0xb7108000, firstSeqSent: 65000 });
    expect(v).toMatchObject({
      ssrc: 0xcafe,
      fractionLost: 0.25,
      cumulativeLost: 12,
      jitterUnits: 160,
      jitterMs: 20,
      rttMs: 6125,
    });
    expect(v.packetsReceivedByPeer).toBe(65536 + 99 - 65000 + 1 - 12);
    expect(peerView(block, { clockRate: 0 }).jitterMs).toBeNull();
  });

  it('finds the block about our SSRC', () => {
    const blocks = [{ ssrc: 1 }, { ssrc: 0xffffffff }] as ReportBlock[];
    expect(blockAbout(blocks, 0xffffffff)).toBe(blocks[1]);
    expect(blockAbout(blocks, 2)).toBeUndefined();
  });
});
