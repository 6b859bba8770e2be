import { describe, expect, it } from 'vitest';
import { readCapture, relativeMs, udpDatagrams } from '../../../../src/main/media/pcap/capture.ts';
import {
  concat,
  ethernet,
  nullLoopback,
  pcapFile,
  pcapngSection,
  rtp,
  sll,
  sll2,
  udpIp,
} from './pcap-builder.ts';

// A small epoch keeps nanoseconds exact in a double.
const T0 = 1_000;
const dgram = (i: number, src = '10.0.0.1', dst = '10.0.0.2'): Uint8Array =>
  udpIp({ src, dst, sport: 4000, dport: 5000 + i, payload: rtp({ seq: i, ts: i * 160 }) });

function frames(buf: Uint8Array) {
  const r = readCapture(buf);
  if (!r.ok) throw new Error(`${r.reason}: ${r.message}`);
  return r;
}

describe('pcap reader', () => {
  for (const bigEndian of [false, true]) {
    for (const nanos of [false, true]) {
      it(`${bigEndian ? 'big' : 'little'}-endian, ${nanos ? 'ns' : 'µs'} timestamps`, () => {
        const buf = pcapFile(
          [
            { t: T0 + 0.000123, data: ethernet(dgram(1)) },
            { t: T0 + 1.5, data: ethernet(dgram(2)) },
          ],
          { bigEndian, nanos },
        );
        const r = frames(buf);
        expect(r.format).toBe('pcap');
        expect(r.frames.map((f) => [f.number, f.linkType, f.data.length])).toEqual([
          [1, 1, 14 + 20 + 8 + 172],
          [2, 1, 14 + 20 + 8 + 172],
        ]);
        expect(r.frames[0]!.timeNs).toBe(BigInt(T0) * 1_000_000_000n + 123_000n);
        expect(relativeMs(r.frames[1]!.timeNs!, r.frames[0]!.timeNs!)).toBeCloseTo(1499.877, 9);
        expect(r.warnings).toEqual([]);
      });
    }
  }

  it('keeps nanosecond precision', () => {
    const r = frames(
      pcapFile([{ t: T0 + 0.000000123, data: ethernet(dgram(1)) }], { nanos: true }),
    );
    expect(r.frames[0]!.timeNs! % 1_000_000_000n).toBe(123n);
  });

  it('a truncated last record is a warning; the packets before it are kept', () => {
    const buf = pcapFile([
      { t: T0, data: ethernet(dgram(1)) },
      { t: T0 + 0.02, data: ethernet(dgram(2)) },
    ]);
    const r = frames(buf.subarray(0, buf.length - 10));
    expect(r.frames).toHaveLength(1);
    expect(r.warnings[0]).toMatch(
      /capture truncated: record 2 at byte \d+ needs 214 bytes, 204 left \(1 packets read\)/,
    );
    const headOnly = frames(buf.subarray(0, 24 + 7));
    expect(headOnly.frames).toHaveLength(0);
    expect(headOnly.warnings[0]).toContain('record 1 header');
  });

  it('a header cut short, garbage, empty input and absurd record lengths are errors with a reason', () => {
    const buf = pcapFile([{ t: T0, data: ethernet(dgram(1)) }]);
    expect(readCapture(buf.subarray(0, 10))).toMatchObject({ ok: false, reason: 'truncated' });
    expect(readCapture(new TextEncoder().encode('GET / HTTP/1.1\r\n\r\n'))).toMatchObject({
      ok: false,
      reason: 'not-a-capture',
      message: 'not a pcap or pcapng file (starts with 47 45 54 20)',
    });
    expect(readCapture(new Uint8Array(0))).toMatchObject({
      ok: false,
      reason: 'not-a-capture',
      message: 'the file is empty',
    });
    const bad = buf.slice();
    new DataView(bad.buffer).setUint32(24 + 8, 0x7fffffff, true);
    expect(readCapture(bad)).toMatchObject({ ok: false, reason: 'corrupt' });
    // Random bytes after a valid magic never throw.
    const noise = new Uint8Array(4096).map((_, i) => (i * 2654435761) >>> 24);
    noise.set([0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0], 0);
    expect(() => readCapture(noise)).not.toThrow();
  });
});

describe('pcapng reader', () => {
  it('several interfaces with their own link types and timestamp resolutions', () => {
    const buf = pcapngSection(
      [{ linkType: 1 }, { linkType: 113, tsresol: 9 }, { linkType: 101, tsresol: 0x80 | 10 }],
      [
        { kind: 'epb', iface: 0, units: BigInt(T0) * 1_000_000n + 5n, data: ethernet(dgram(1)) },
        {
          kind: 'epb',
          iface: 1,
          units: BigInt(T0) * 1_000_000_000n + 20_000_007n,
          data: sll(dgram(2)),
        },
        { kind: 'raw', type: 0x00000005, body: new Uint8Array(16) }, // Interface Statistics Block: skipped
        { kind: 'epb', iface: 2, units: BigInt(T0) * 1024n + 41n, data: dgram(3) },
      ],
    );
    const r = frames(buf);
    expect(r.format).toBe('pcapng');
    expect(r.frames.map((f) => [f.interfaceId, f.linkType])).toEqual([
      [0, 1],
      [1, 113],
      [2, 101],
    ]);
    const base = BigInt(T0) * 1_000_000_000n;
    expect(r.frames.map((f) => f.timeNs! - base)).toEqual([
      5000n,
      20_000_007n,
      (41n * 1_000_000_000n) / 1024n,
    ]);
    const { datagrams, summary } = udpDatagrams(r);
    expect(datagrams.map((d) => d.dstPort)).toEqual([5001, 5002, 5003]);
    expect(summary).toMatchObject({ frames: 3, udp: 3, fragments: 0 });
  });

  it('big-endian sections, several sections, simple packet blocks', () => {
    const a = pcapngSection(
      [{ linkType: 1 }],
      [{ kind: 'epb', iface: 0, units: BigInt(T0) * 1_000_000n, data: ethernet(dgram(1)) }],
      { bigEndian: true },
    );
    const b = pcapngSection([{ linkType: 228 }], [{ kind: 'spb', data: dgram(2) }]);
    const r = frames(concat([a, b]));
    expect(r.frames.map((f) => [f.linkType, f.timeNs])).toEqual([
      [1, BigInt(T0) * 1_000_000_000n],
      [228, BigInt(T0) * 1_000_000_000n],
    ]);
    expect(r.warnings).toEqual([
      '1 simple packet blocks without a timestamp (given the previous packet time)',
    ]);
    expect(udpDatagrams(r).datagrams).toHaveLength(2);
  });

  it('truncated, unknown interface and corrupt blocks give reasons, not crashes', () => {
    const ok = pcapngSection(
      [{ linkType: 1 }],
      [
        { kind: 'epb', iface: 0, units: 0n, data: ethernet(dgram(1)) },
        { kind: 'epb', iface: 0, units: 1n, data: ethernet(dgram(2)) },
      ],
    );
    const cut = frames(ok.subarray(0, ok.length - 30));
    expect(cut.frames).toHaveLength(1);
    expect(cut.warnings[0]).toMatch(/^capture truncated: block at byte \d+ needs \d+ bytes/);
    expect(readCapture(ok.subarray(0, 20))).toMatchObject({ ok: false, reason: 'truncated' });
    const noIface = frames(
      pcapngSection([], [{ kind: 'epb', iface: 3, units: 0n, data: dgram(1) }]),
    );
    expect(noIface.frames).toHaveLength(0);
    expect(noIface.warnings[0]).toContain('names interface 3');
    const badBom = ok.slice();
    badBom[8] = 0;
    expect(readCapture(badBom)).toMatchObject({ ok: false, reason: 'corrupt' });
  });
});

describe('link layers and IP', () => {
  const linkTypes: Array<[string, number, (ip: Uint8Array) => Uint8Array]> = [
    ['Ethernet', 1, (ip) => ethernet(ip)],
    ['Ethernet with 802.1Q + 802.1ad tags', 1, (ip) => ethernet(ip, [100, 200])],
    ['DLT_NULL loopback', 0, nullLoopback],
    ['Linux cooked (SLL)', 113, sll],
    ['Linux cooked v2 (SLL2)', 276, sll2],
    ['raw IP', 101, (ip) => ip],
    ['raw IPv4', 228, (ip) => ip],
  ];
  for (const [name, linkType, wrap] of linkTypes) {
    it(`${name} (link type ${linkType}) over IPv4 and IPv6`, () => {
      const v4 = dgram(1);
      const v6 = udpIp({
        src: '2001:db8::1',
        dst: 'fe80::2',
        sport: 4000,
        dport: 6000,
        payload: rtp({ seq: 1, ts: 0 }),
      });
      const r = frames(
        pcapFile(
          [
            { t: T0, data: wrap(v4) },
            { t: T0 + 0.02, data: wrap(v6) },
          ],
          { linkType },
        ),
      );
      const { datagrams } = udpDatagrams(r);
      expect(
        datagrams.map((d) => [d.ipVersion, d.src, d.dst, d.srcPort, d.dstPort, d.payload.length]),
      ).toEqual([
        [4, '10.0.0.1', '10.0.0.2', 4000, 5001, 172],
        [6, '2001:db8::1', 'fe80::2', 4000, 6000, 172],
      ]);
      expect(datagrams[1]!.timeMs).toBeCloseTo(20, 6);
    });
  }

  it('IPv4 fragments are counted and skipped; non-UDP and unknown link types are counted', () => {
    const frag = udpIp({
      src: '10.0.0.1',
      dst: '10.0.0.2',
      sport: 1,
      dport: 2,
      payload: new Uint8Array(100),
      fragment: 0x2000,
    });
    const tcpLike = dgram(1).slice();
    tcpLike[9] = 6;
    const r = frames(
      pcapFile([
        { t: T0, data: ethernet(frag) },
        { t: T0, data: ethernet(tcpLike) },
        { t: T0, data: ethernet(dgram(2)) },
      ]),
    );
    expect(udpDatagrams(r).summary).toMatchObject({
      frames: 3,
      udp: 1,
      fragments: 1,
      skipped: { 'not UDP': 1 },
    });
    const odd = frames(pcapFile([{ t: T0, data: dgram(1) }], { linkType: 147 }));
    expect(udpDatagrams(odd).summary.skipped).toEqual({ 'unsupported link type 147': 1 });
  });

  it('Ethernet padding after a short IP packet is not UDP payload', () => {
    const ip = udpIp({
      src: '10.0.0.1',
      dst: '10.0.0.2',
      sport: 1,
      dport: 2,
      payload: new Uint8Array([1, 2, 3]),
    });
    const padded = concat([ethernet(ip), new Uint8Array(18)]);
    const { datagrams } = udpDatagrams(frames(pcapFile([{ t: T0, data: padded }])));
    expect(Array.from(datagrams[0]!.payload)).toEqual([1, 2, 3]);
  });
});
