/**
 * Caps on inbound TCP/TLS connections (issue 15: 19 980 idle connections reached the process's
 * file limit and calls then failed with 503 "bind EMFILE"): at most `maxPerSource` from one IP
 * (a new one beyond is refused) and `maxTotal` in all (the connection idle longest is closed to
 * make room, so a flood of idle sockets cannot lock out a carrier that is talking). The default
 * total leaves room under the file limit for media sockets (two per call) and the rest of the
 * process. Counted at accept, TLS sockets before their handshake included.
 */
import { readFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { normalizeAddress } from './ip.ts';

export interface ConnectionCaps {
  /** Inbound connections in all; default min(10 000, file limit − room for media). */
  maxConnections?: number;
  /** Inbound connections from one IP address; default 100. */
  maxConnectionsPerSource?: number;
}

export const DEFAULT_PER_SOURCE = 100;
const HARD_DEFAULT = 10_000;

/** The soft RLIMIT_NOFILE from /proc (Linux); undefined elsewhere. */
export function openFileLimit(): number | undefined {
  try {
    const m = /^Max open files\s+(\d+)/m.exec(readFileSync('/proc/self/limits', 'latin1'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** Total connections allowed by default: a quarter of the file limit (≥ 256) stays for media and files. */
export function defaultMaxConnections(limit = openFileLimit()): number {
  if (limit === undefined) return 1000;
  const room = Math.max(256, Math.floor(limit / 4));
  return Math.max(16, Math.min(HARD_DEFAULT, limit - room));
}

interface Tracked {
  socket: Socket;
  source: string;
  lastActive: number;
}

export class ConnectionGuard {
  readonly maxTotal: number;
  readonly maxPerSource: number;
  private readonly byKey = new Map<string, Tracked>();
  private readonly perSource = new Map<string, number>();
  /** Refused (per-source cap) and evicted (total cap) so far. */
  refused = 0;
  evicted = 0;
  private readonly now: () => number;

  constructor(caps: ConnectionCaps = {}, now: () => number = Date.now) {
    this.maxTotal = caps.maxConnections ?? defaultMaxConnections();
    this.maxPerSource = caps.maxConnectionsPerSource ?? DEFAULT_PER_SOURCE;
    this.now = now;
  }

  get size(): number {
    return this.byKey.size;
  }

  /** A socket was accepted: keep it (true) or destroy it (false, over its source's cap). */
  admit(socket: Socket): boolean {
    const source = normalizeAddress(socket.remoteAddress ?? '');
    const key = `${source}|${socket.remotePort ?? 0}`;
    if ((this.perSource.get(source) ?? 0) >= this.maxPerSource) {
      this.refused++;
      socket.destroy();
      return false;
    }
    while (this.byKey.size >= this.maxTotal && this.evictIdlest()) this.evicted++;
    this.byKey.set(key, { socket, source, lastActive: this.now() });
    this.perSource.set(source, (this.perSource.get(source) ?? 0) + 1);
    socket.once('close', () => this.forget(key));
    return true;
  }

  /** Bytes arrived on the connection from `address:port`. */
  touch(address: string, port: number): void {
    const t = this.byKey.get(`${normalizeAddress(address)}|${port}`);
    if (t) t.lastActive = this.now();
  }

  private forget(key: string): void {
    const t = this.byKey.get(key);
    if (!t) return;
    this.byKey.delete(key);
    const n = (this.perSource.get(t.source) ?? 1) - 1;
    if (n <= 0) this.perSource.delete(t.source);
    else this.perSource.set(t.source, n);
  }

  /** Close the connection with the oldest activity; false if there is none. */
  private evictIdlest(): boolean {
    let oldest: [string, Tracked] | undefined;
    for (const e of this.byKey) if (!oldest || e[1].lastActive < oldest[1].lastActive) oldest = e;
    if (!oldest) return false;
    this.forget(oldest[0]);
    oldest[1].socket.destroy();
    return true;
  }
}
