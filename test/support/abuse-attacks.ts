/**
 * The attacks of issue 15, each bounded in count and time and aimed at a listener on 127.0.0.1
 * from another loopback address: the mutation fuzzer, stray 60 KB Call-IDs, the Call-ID ReDoS
 * datagram, an OPTIONS flood, idle and slowloris TCP. Used by the standing abuse suite
 * (test/integration/abuse/standing-suite.test.ts) and by bench/abuse/run.ts.
 *
 * UDP attacks are paced by a "barrier": every `batch` datagrams, one OPTIONS round trip from the
 * same socket, so the kernel does not drop what the listener has not read yet and the round trips
 * measure how the listener answers during the attack.
 */
import { connect, type Socket } from 'node:net';
import { RawUac } from './raw-uac.ts';
import { fuzzDatagram, loadCorpus } from './sip-fuzzer.ts';

export interface AttackResult {
  name: string;
  sent: number;
  /** OPTIONS round trips during the attack, ms (one per barrier). */
  pings: number[];
  /** Barriers not answered within their timeout. */
  lostPings: number;
  elapsedMs: number;
  /** Attack-specific figures. */
  detail?: Record<string, number | string>;
}

export interface UdpAttackOptions {
  port: number;
  /** Source address of the attacker (default 127.0.0.3). */
  from?: string;
  /** Datagrams between barriers. */
  batch?: number;
  /** Stop early (with what was sent) after this long. */
  maxMs?: number;
}

/** Send `count` datagrams made by `make(i, uacPort)`, paced by OPTIONS barriers. */
async function paced(name: string, count: number, make: (i: number, uacPort: number) => Buffer, o: UdpAttackOptions): Promise<AttackResult> {
  const uac = await RawUac.open(o.from ?? '127.0.0.3');
  const batch = o.batch ?? 64;
  const t0 = Date.now();
  const pings: number[] = [];
  let lostPings = 0;
  let lostInARow = 0;
  let sent = 0;
  try {
    for (let i = 0; i < count; i++) {
      await uac.send(make(i, uac.port), o.port);
      sent++;
      if ((i + 1) % batch !== 0 && i !== count - 1) continue;
      const rtt = await uac.optionsRtt(o.port, 2000);
      if (rtt === undefined) {
        lostPings++;
        if (++lostInARow >= 5) throw new Error(`${name}: the listener stopped answering OPTIONS after datagram ${i} (5 barriers in a row unanswered)`);
      } else {
        lostInARow = 0;
        pings.push(rtt);
      }
      if (o.maxMs !== undefined && Date.now() - t0 > o.maxMs) break;
    }
  } finally {
    uac.close();
  }
  return { name, sent, pings, lostPings, elapsedMs: Date.now() - t0 };
}

/** The seeded mutation fuzzer: `count` datagrams, datagram i = fuzzDatagram(corpus, seed, i). */
export async function fuzzAttack(o: UdpAttackOptions & { seed: number; count: number }): Promise<AttackResult> {
  const corpus = loadCorpus();
  const host = o.from ?? '127.0.0.3';
  const r = await paced('mutation fuzzer', o.count, (i, port) => fuzzDatagram(corpus, o.seed, i, { host, port }), o);
  return { ...r, detail: { seed: o.seed, corpus: corpus.length } };
}

/** Stray responses with huge Call-IDs (issue 15 item 1): `count` × `bytes`-byte Call-IDs. */
export async function strayCallIdAttack(o: UdpAttackOptions & { count: number; bytes?: number }): Promise<AttackResult> {
  const pad = 'x'.repeat(o.bytes ?? 60_000);
  return paced(
    'stray 60 KB Call-IDs',
    o.count,
    (i) =>
      Buffer.from(
        `SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 127.0.0.3:9;branch=z9hG4bKstray${i}\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:a@b>\r\nCall-ID: ${i}-${pad}\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n`,
        'latin1',
      ),
    { batch: 10, ...o },
  );
}

/**
 * The Call-ID ReDoS datagram (issue 15 item 2): a compact `i:` header followed by 8 000, 16 000
 * or 60 000 spaces (66 ms and 257 ms each for the old expression), as OPTIONS and as responses.
 */
export async function redosAttack(o: UdpAttackOptions & { count: number }): Promise<AttackResult> {
  const sizes = [8000, 16_000, 60_000];
  return paced(
    'Call-ID ReDoS datagrams',
    o.count,
    (i, port) => {
      const spaces = ' '.repeat(sizes[i % sizes.length]!);
      const start = i % 2 === 0 ? `OPTIONS sip:echo@127.0.0.1:${o.port} SIP/2.0` : 'SIP/2.0 200 OK';
      return Buffer.from(
        `${start}\r\nVia: SIP/2.0/UDP ${o.from ?? '127.0.0.3'}:${port};branch=z9hG4bKredos${i};rport\r\nMax-Forwards: 70\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:a@b>\r\ni:${spaces}x${i}\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n`,
        'latin1',
      );
    },
    { batch: 10, ...o },
  );
}

/**
 * An OPTIONS flood: `count` well-formed OPTIONS, each a new transaction, sent in bursts of
 * `burst` with no pacing but the event loop (the kernel drops what the listener cannot read);
 * then one barrier. `answered` counts the responses that came back.
 */
export async function optionsFlood(o: { port: number; count: number; from?: string; burst?: number; maxMs?: number }): Promise<AttackResult> {
  const uac = await RawUac.open(o.from ?? '127.0.0.3');
  const t0 = Date.now();
  let sent = 0;
  const burst = o.burst ?? 200;
  const pings: number[] = [];
  let lostPings = 0;
  try {
    while (sent < o.count && Date.now() - t0 < (o.maxMs ?? 60_000)) {
      const sends: Promise<void>[] = [];
      for (let k = 0; k < burst && sent < o.count; k++, sent++) sends.push(uac.send(uac.request('OPTIONS', `sip:flood@127.0.0.1:${o.port}`, `flood-${sent}`), o.port));
      await Promise.all(sends);
      await new Promise((r) => setImmediate(r));
    }
    const elapsedMs = Date.now() - t0;
    const rtt = await uac.optionsRtt(o.port, 3000);
    if (rtt === undefined) lostPings++;
    else pings.push(rtt);
    // Let the responses still in flight arrive.
    await new Promise((r) => setTimeout(r, 500));
    return { name: 'OPTIONS flood', sent, pings, lostPings, elapsedMs, detail: { answered: uac.received - pings.length, perSecond: Math.round((sent * 1000) / Math.max(1, elapsedMs)) } };
  } finally {
    uac.close();
  }
}

export interface TcpProbe {
  socket: Socket;
  openedAt: number;
  /** When the listener closed it (or it was refused), ms since epoch. */
  closedAt?: number;
}

function open(port: number, localAddress: string): Promise<TcpProbe> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1', localAddress });
    const probe: TcpProbe = { socket, openedAt: Date.now() };
    socket.on('error', () => undefined);
    socket.once('close', () => (probe.closedAt ??= Date.now()));
    socket.once('connect', () => resolve(probe));
    socket.once('error', () => resolve(probe));
  });
}

/**
 * `idle` TCP connections that never send a byte (from `idleFrom`) and `slow` slowloris ones that
 * drip one byte of an OPTIONS every `dripMs` and never finish a header (from `slowFrom`).
 * `stop()` ends the drips and destroys whatever is still open.
 */
export async function tcpAttack(o: { port: number; idle: number; slow: number; idleFrom?: string; slowFrom?: string; dripMs?: number }): Promise<{ idle: TcpProbe[]; slow: TcpProbe[]; stop(): void }> {
  const idle: TcpProbe[] = [];
  for (let i = 0; i < o.idle; i++) idle.push(await open(o.port, o.idleFrom ?? '127.0.0.4'));
  const slow = await Promise.all(Array.from({ length: o.slow }, () => open(o.port, o.slowFrom ?? '127.0.0.5')));
  const text = `OPTIONS sip:slow@127.0.0.1:${o.port} SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.5:9;branch=z9hG4bKslow\r\n`;
  let at = 0;
  const drip = setInterval(() => {
    const ch = text[at++ % text.length]!;
    for (const s of slow) if (s.closedAt === undefined && s.socket.writable) s.socket.write(ch);
  }, o.dripMs ?? 500);
  return {
    idle,
    slow,
    stop() {
      clearInterval(drip);
      for (const p of [...idle, ...slow]) p.socket.destroy();
    },
  };
}

/** Wait until every probe is closed or `ms` have passed. */
export async function allClosed(probes: TcpProbe[], ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (probes.every((p) => p.closedAt !== undefined)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return probes.every((p) => p.closedAt !== undefined);
}
