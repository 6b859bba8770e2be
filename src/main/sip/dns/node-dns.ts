/**
 * DnsPort adapter on node:dns/promises (c-ares). The only node:dns user in the SIP stack
 * (DESIGN.md: Node I/O only in adapters). NODATA / NXDOMAIN become [] per the DnsPort contract;
 * other errors (timeout, SERVFAIL, refused) reject with the c-ares code in the message.
 */
import { Resolver } from 'node:dns/promises';
import type { DnsPort, NaptrRecord, SrvRecord } from './types.ts';

export interface NodeDnsOptions {
  /** DNS servers as "ip" or "ip:port" / "[ipv6]:port", e.g. ['127.0.0.1:5353']; default: system. */
  servers?: readonly string[];
  /** Per-attempt timeout in ms (c-ares); default 2000. */
  timeoutMs?: number;
  /** Attempts per server; default 2. */
  tries?: number;
}

/** c-ares codes that mean "no such records" rather than "lookup failed". */
const EMPTY_CODES = new Set(['ENODATA', 'ENOTFOUND']);

export class NodeDnsPort implements DnsPort {
  private readonly resolver: Resolver;

  constructor(opts: NodeDnsOptions = {}) {
    this.resolver = new Resolver({ timeout: opts.timeoutMs ?? 2000, tries: opts.tries ?? 2 });
    if (opts.servers && opts.servers.length > 0) this.resolver.setServers([...opts.servers]);
  }

  resolveNaptr(name: string): Promise<NaptrRecord[]> {
    return this.run(() => this.resolver.resolveNaptr(name));
  }

  resolveSrv(name: string): Promise<SrvRecord[]> {
    return this.run(() => this.resolver.resolveSrv(name));
  }

  resolve4(name: string): Promise<string[]> {
    return this.run(() => this.resolver.resolve4(name));
  }

  resolve6(name: string): Promise<string[]> {
    return this.run(() => this.resolver.resolve6(name));
  }

  /** Abort outstanding queries (they reject with ECANCELLED). */
  cancel(): void {
    this.resolver.cancel();
  }

  private async run<T>(fn: () => Promise<T[]>): Promise<T[]> {
    try {
      return await fn();
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== undefined && EMPTY_CODES.has(code)) return [];
      throw e;
    }
  }
}
