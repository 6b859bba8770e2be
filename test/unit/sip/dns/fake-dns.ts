import type { DnsPort, NaptrRecord, SrvRecord } from '../../../../src/main/sip/dns/types.ts';

/** In-memory DnsPort: records by name; `fail` names reject like a timeout; every query logged. */
export class FakeDns implements DnsPort {
  naptr: Record<string, NaptrRecord[]> = {};
  srv: Record<string, SrvRecord[]> = {};
  a: Record<string, string[]> = {};
  aaaa: Record<string, string[]> = {};
  fail = new Set<string>();
  queries: string[] = [];

  private get<T>(type: string, table: Record<string, T[]>, name: string): Promise<T[]> {
    this.queries.push(`${type} ${name}`);
    if (this.fail.has(`${type} ${name}`))
      return Promise.reject(new Error(`queryTimeout ETIMEOUT ${name}`));
    return Promise.resolve(table[name] ?? []);
  }

  resolveNaptr(name: string): Promise<NaptrRecord[]> {
    return this.get('NAPTR', this.naptr, name);
  }
  resolveSrv(name: string): Promise<SrvRecord[]> {
    return this.get('SRV', this.srv, name);
  }
  resolve4(name: string): Promise<string[]> {
    return this.get('A', this.a, name);
  }
  resolve6(name: string): Promise<string[]> {
    return this.get('AAAA', this.aaaa, name);
  }
}

export const naptr = (
  order: number,
  preference: number,
  service: string,
  replacement: string,
  flags = 's',
): NaptrRecord => ({
  order,
  preference,
  flags,
  service,
  regexp: '',
  replacement,
});

export const srv = (name: string, port: number, priority = 10, weight = 0): SrvRecord => ({
  name,
  port,
  priority,
  weight,
});
