/**
 * A tiny authoritative DNS server on 127.0.0.1 (random port) for RFC 3263 tests, on dns2's UDP
 * server and request parser. Responses are encoded here (RFC 1035 §4.1): dns2 has no NAPTR codec,
 * and it compresses SRV targets, which RFC 2782 forbids ("name compression is not to be used for
 * this field") and which c-ares rejects with EBADRESP. All names are written uncompressed.
 */
import { UDPServer } from 'dns2';
import type { NaptrRecord, SrvRecord } from '../../../src/main/sip/dns/types.ts';

export const TYPE = { A: 1, AAAA: 28, SRV: 33, NAPTR: 35 } as const;

export interface Zone {
  naptr?: Record<string, NaptrRecord[]>;
  srv?: Record<string, SrvRecord[]>;
  a?: Record<string, string[]>;
  aaaa?: Record<string, string[]>;
  /** Names whose queries get no answer at all (to exercise timeouts). */
  silent?: string[];
}

function charString(s: string): Buffer {
  const b = Buffer.from(s, 'ascii');
  if (b.length > 255) throw new Error('character-string too long');
  return Buffer.concat([Buffer.from([b.length]), b]);
}

/** Uncompressed domain name (RFC 1035 §3.1). */
export function domainName(name: string): Buffer {
  const labels = name
    .replace(/\.$/, '')
    .split('.')
    .filter((l) => l !== '');
  return Buffer.concat([...labels.map(charString), Buffer.from([0])]);
}

const u16 = (...values: number[]): Buffer => {
  const b = Buffer.alloc(values.length * 2);
  values.forEach((v, i) => b.writeUInt16BE(v, i * 2));
  return b;
};

/** NAPTR RDATA (RFC 3403 §4.1): ORDER, PREFERENCE, FLAGS, SERVICES, REGEXP, REPLACEMENT. */
export function naptrRdata(r: NaptrRecord): Buffer {
  return Buffer.concat([
    u16(r.order, r.preference),
    charString(r.flags),
    charString(r.service),
    charString(r.regexp),
    domainName(r.replacement),
  ]);
}

/** SRV RDATA (RFC 2782): PRIORITY, WEIGHT, PORT, TARGET. */
export function srvRdata(r: SrvRecord): Buffer {
  return Buffer.concat([u16(r.priority, r.weight, r.port), domainName(r.name)]);
}

function ipv4Rdata(a: string): Buffer {
  return Buffer.from(a.split('.').map((x) => Number(x)));
}

/** 16 bytes of an IPv6 address in text form (no embedded IPv4 needed here). */
function ipv6Rdata(a: string): Buffer {
  const [head = '', tail] = a.split('::');
  const h = head === '' ? [] : head.split(':');
  const t = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups =
    tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  if (groups.length !== 8) throw new Error(`bad IPv6 address ${a}`);
  return u16(...groups.map((g) => parseInt(g, 16)));
}

function answers(zone: Zone, name: string, type: number): { type: number; rdata: Buffer }[] {
  const list = <T>(t: Record<string, T[]> | undefined): T[] => t?.[name] ?? [];
  if (type === TYPE.NAPTR) return list(zone.naptr).map((r) => ({ type, rdata: naptrRdata(r) }));
  if (type === TYPE.SRV) return list(zone.srv).map((r) => ({ type, rdata: srvRdata(r) }));
  if (type === TYPE.A) return list(zone.a).map((a) => ({ type, rdata: ipv4Rdata(a) }));
  if (type === TYPE.AAAA) return list(zone.aaaa).map((a) => ({ type, rdata: ipv6Rdata(a) }));
  return [];
}

export interface RunningZone {
  port: number;
  /** Questions received, as "TYPE name" with the numeric type. */
  queries: string[];
  close(): Promise<void>;
}

export async function startZoneServer(zone: Zone): Promise<RunningZone> {
  const queries: string[] = [];
  const known = new Set<string>(
    [zone.naptr, zone.srv, zone.a, zone.aaaa]
      .flatMap((t) => Object.keys(t ?? {}))
      .map((n) => n.toLowerCase()),
  );
  const server = new UDPServer((request, send) => {
    const q = request.questions[0];
    if (!q) return;
    const name = q.name.toLowerCase();
    queries.push(`${q.type} ${name}`);
    if (zone.silent?.includes(name)) return;
    const rrs = answers(zone, name, q.type);
    // RFC 1035 §4.1.1 header: QR=1, AA=1, RD copied; RCODE 3 (NXDOMAIN) for names we do not
    // hold; NOERROR with no answers is NODATA.
    const flags = 0x8000 | 0x0400 | (request.header.rd ? 0x0100 : 0) | (known.has(name) ? 0 : 3);
    const header = u16(request.header.id, flags, 1, rrs.length, 0, 0);
    const question = Buffer.concat([domainName(q.name), u16(q.type, q.class)]);
    const body = rrs.map((rr) =>
      Buffer.concat([
        domainName(q.name),
        u16(rr.type, 1),
        Buffer.from([0, 0, 0, 60]),
        u16(rr.rdata.length),
        rr.rdata,
      ]),
    );
    void send(Buffer.concat([header, question, ...body]));
  });
  await server.listen(0, '127.0.0.1');
  return {
    port: server.address().port,
    queries,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
