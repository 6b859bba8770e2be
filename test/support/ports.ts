/**
 * Free ports on 127.0.0.1 for integration tests, so peers started by different tests (or by a
 * developer's own SIPp on 5060) never collide.
 *
 * Ports are drawn from 20000–32000, below Linux's ephemeral range (32768–60999) that `call
 * --local-port 0` and outgoing TCP connections use, and a port is only handed out when both UDP
 * and TCP can bind it (SIP over UDP and TCP share the number). A port handed out once is never
 * handed out again by this process.
 */
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';

const LOW = 20_000;
const HIGH = 32_000;
const issued = new Set<number>();

function udpFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = createSocket(host.includes(':') ? 'udp6' : 'udp4');
    sock.once('error', () => {
      sock.close();
      resolve(false);
    });
    sock.bind({ port, address: host, exclusive: true }, () => sock.close(() => resolve(true)));
  });
}

function tcpFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen({ port, host, exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

/** True when `port` can be bound on `host` over both UDP and TCP right now. */
export async function portFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return (await udpFree(port, host)) && (await tcpFree(port, host));
}

/**
 * A port P such that P .. P+span-1 are free over UDP and TCP on 127.0.0.1 (span 2 for `listen
 * --transport udp,tls`, which puts TLS on P+1; span 4 for SIPp's media ports).
 */
export async function freePort(span = 1, host = '127.0.0.1'): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = LOW + Math.floor(Math.random() * (HIGH - LOW - span));
    let ok = true;
    for (let p = base; p < base + span && ok; p++) ok = !issued.has(p) && (await portFree(p, host));
    if (!ok) continue;
    for (let p = base; p < base + span; p++) issued.add(p);
    return base;
  }
  throw new Error(`no free port block of ${span} found on ${host} after 50 attempts`);
}

/** `n` distinct free ports. */
export async function freePorts(n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(await freePort());
  return out;
}

/**
 * Resolve once something has bound `port` on 127.0.0.1 over `proto` (a peer we started is
 * listening), or reject after `timeoutMs`.
 */
export async function waitForBound(port: number, proto: 'udp' | 'tcp', timeoutMs = 5000, host = '127.0.0.1'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const free = proto === 'udp' ? await udpFree(port, host) : await tcpFree(port, host);
    if (!free) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nothing bound ${proto} ${host}:${port} within ${timeoutMs} ms`);
}
