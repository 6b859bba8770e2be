/**
 * Types of the RFC 3263 resolver and the DNS port it runs on. The port is the only way the
 * resolver touches DNS, so selection logic is pure and driven by a fake in unit tests;
 * node-dns.ts adapts node:dns/promises to it (DESIGN.md: node:dns only in adapters).
 */
import type { TransportProto } from '../transport/types.ts';

/** RFC 3403 §4.1 NAPTR RDATA (field names as node:dns returns them). */
export interface NaptrRecord {
  order: number;
  preference: number;
  flags: string;
  service: string;
  regexp: string;
  replacement: string;
}

/** RFC 2782 SRV RDATA; `name` is the target host ("" or "." = service decidedly not available). */
export interface SrvRecord {
  priority: number;
  weight: number;
  port: number;
  name: string;
}

/**
 * Promise-returning lookups. NODATA and NXDOMAIN resolve to []; other failures (timeout,
 * SERVFAIL, refused) reject, and the resolver records them and carries on (see onLookup).
 */
export interface DnsPort {
  resolveNaptr(name: string): Promise<NaptrRecord[]>;
  resolveSrv(name: string): Promise<SrvRecord[]>;
  resolve4(name: string): Promise<string[]>;
  resolve6(name: string): Promise<string[]>;
}

/** The parts of a SIP/SIPS URI that RFC 3263 §4 looks at (maddr, if any, goes in `host`). */
export interface SipUriLocation {
  host: string;
  port?: number;
  transport?: TransportProto;
  /** A sips: URI (RFC 3261 §19.1): TLS only. */
  secure?: boolean;
}

/** One place to send a request, in the order to try them (RFC 3263 §4.3). */
export interface SipTarget {
  proto: TransportProto;
  address: string;
  port: number;
  /** The name the address came from: SRV target, URI host, or the literal itself. */
  host: string;
  family: 4 | 6;
  /** Which step produced it: a numeric host, NAPTR→SRV→A, SRV→A, or A/AAAA directly. */
  source: 'literal' | 'naptr' | 'srv' | 'a';
}

/** One DNS query made while resolving, for the trace and for error messages. */
export interface DnsLookup {
  type: 'NAPTR' | 'SRV' | 'A' | 'AAAA';
  name: string;
  /** Number of records returned; absent when the query failed. */
  count?: number;
  error?: string;
}
