import { describe, expect, it } from 'vitest';
import { LEARN_PACKETS, LEARN_WINDOW_MS, SourceLatch } from '../../../../src/main/media/session/source-latch.ts';
import { PortPool } from '../../../../src/main/media/transport/port-pool.ts';

function rtp(seq: number, ssrc = 0x1234): Buffer {
  const b = Buffer.alloc(172);
  b[0] = 0x80;
  b.writeUInt16BE(seq & 0xffff, 2);
  b.writeUInt32BE(ssrc, 8);
  return b;
}
const peer = { address: '127.0.0.1', port: 4000 };
const spoof = { address: '127.0.0.2', port: 4000 };

describe('SourceLatch (issue 15: RTP bleed)', () => {
  it('latches to the SDP address at once and refuses every other source', () => {
    const l = new SourceLatch(0, '127.0.0.1');
    expect(l.acceptRtp(rtp(1), spoof, 10)).toBe(false);
    expect(l.acceptRtp(rtp(5), peer, 20)).toBe(true);
    expect(l.source).toEqual(peer);
    for (let i = 0; i < 50; i++) expect(l.acceptRtp(rtp(100 + i, 99), spoof, 30 + i)).toBe(false);
    expect(l.foreign).toBe(51);
    expect(l.foreignSources).toEqual(['127.0.0.2:4000']);
    // Same IP, another port: still consistent with the SDP (counted by the receiver as another source).
    expect(l.acceptRtp(rtp(6), { address: '127.0.0.1', port: 4002 }, 90)).toBe(true);
  });

  it('accepts anything before any SDP is known, and applies the rule once it is', () => {
    const l = new SourceLatch(0);
    expect(l.acceptRtp(rtp(1), spoof, 10)).toBe(true);
    l.reset(20, '127.0.0.1');
    expect(l.acceptRtp(rtp(2), spoof, 30)).toBe(false);
    expect(l.acceptRtp(rtp(3), peer, 40)).toBe(true);
  });

  it('an offerer accepts nothing before the answer names the peer', () => {
    const l = new SourceLatch(0);
    l.expectSdp();
    for (let i = 0; i < 10; i++) expect(l.acceptRtp(rtp(i), spoof, 10)).toBe(false);
    l.reset(20, '127.0.0.1');
    expect(l.acceptRtp(rtp(30), peer, 30)).toBe(true);
  });

  it('learns a source the signaling did not name only after consecutive packets, in the window', () => {
    const l = new SourceLatch(0, '10.0.0.1');
    // A spray with random sequence numbers never qualifies.
    for (let i = 0; i < 20; i++) expect(l.acceptRtp(rtp(i * 7), spoof, 10)).toBe(false);
    const nat = { address: '198.51.100.7', port: 30000 };
    for (let i = 0; i < LEARN_PACKETS - 1; i++) expect(l.acceptRtp(rtp(500 + i), nat, 20)).toBe(false);
    expect(l.acceptRtp(rtp(500 + LEARN_PACKETS - 1), nat, 20)).toBe(true);
    expect(l.source).toEqual(nat);
    expect(l.acceptRtp(rtp(600), spoof, 30)).toBe(false);
  });

  it('learns nothing after the window, and a new SDP starts the rule again', () => {
    const l = new SourceLatch(0, '10.0.0.1');
    for (let i = 0; i < 10; i++) expect(l.acceptRtp(rtp(i), spoof, LEARN_WINDOW_MS + 1)).toBe(false);
    l.reset(LEARN_WINDOW_MS + 10, '127.0.0.2');
    expect(l.acceptRtp(rtp(11), spoof, LEARN_WINDOW_MS + 20)).toBe(true);
  });

  it('takes RTCP from the latched IP or the signaling only', () => {
    const l = new SourceLatch(0, '127.0.0.1');
    expect(l.acceptRtcp({ address: '127.0.0.1', port: 4001 })).toBe(true);
    expect(l.acceptRtcp({ address: '127.0.0.2', port: 4001 })).toBe(false);
    l.setSignalingAddress('127.0.0.3');
    expect(l.acceptRtcp({ address: '127.0.0.3', port: 9 })).toBe(true);
    expect(l.foreignRtcp).toBe(1);
  });
});

describe('PortPool random choice', () => {
  it('does not hand out ports in sequence', async () => {
    const pool = new PortPool({ min: 20000, max: 29999 });
    const got: number[] = [];
    for (let i = 0; i < 40; i++) {
      const a = await pool.allocate(true, async (p) => p);
      got.push(a.port);
      a.release();
    }
    const sequential = got.slice(1).filter((p, i) => p === got[i]! + 2).length;
    expect(sequential).toBeLessThan(3);
    expect(new Set(got).size).toBeGreaterThan(35);
  });
});
