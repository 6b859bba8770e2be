/**
 * A UDP relay on 127.0.0.1 that stands between two RTP endpoints and impairs each direction with a
 * seeded, reproducible profile: random loss, bursty loss (Gilbert–Elliott), added delay (uniform or
 * normal, so packets reorder once the delay spread exceeds the packet interval), explicit
 * reordering, duplication, and a blackhole (everything in one direction dropped, optionally from t
 * seconds on).
 *
 *      A ──► relay.portA ─┐            ┌─ relay.portB ◄── B
 *      A ◄── relay.portA ◄┼─ aToB ─────┼► relay.portB ──► B      (A→B leaves from portB)
 *                         └─ bToA ◄────┘                          (B→A leaves from portA)
 *
 * So B sees A's stream coming from `portB` (the address put in A's SDP before B reads it) and A sees
 * B's stream coming from `portA`: with symmetric RTP nothing latches elsewhere. Each leg also has an
 * RTCP socket on port + 1 (RFC 3550 §11) that forwards unimpaired, except through a blackhole
 * (a firewall drops RTCP as well; `blackholeRtcp: false` lets it through).
 *
 * Where each side is: told (`setA`/`setB`, typically from its SDP) or learned from the first
 * packet it sends to its leg. Every decision (drop, delay, duplicate, reorder) is drawn from a
 * mulberry32 generator seeded per direction, so the same seed gives the same impairment for the
 * same packet sequence; only the wall-clock arrival times vary. The relay closes itself after
 * `maxLifetimeMs` whatever happens.
 */
import { createSocket, type Socket } from 'node:dgram';
import { seededRandom } from '../../src/shared/seeded-random.ts';

/** The seeded PRNG (mulberry32), one per direction. */
export const mulberry32 = seededRandom;

export interface DelayProfile {
  /** Added one-way delay per packet, ms: uniform in [minMs, maxMs], or normal (clamped to it). */
  minMs: number;
  maxMs: number;
  distribution?: 'uniform' | 'normal';
  /** Normal distribution: mean (default the middle of the range) and standard deviation (default range/6). */
  meanMs?: number;
  sdMs?: number;
}

export interface ImpairProfile {
  /** Independent random loss, percent of packets. */
  lossPercent?: number;
  /**
   * Bursty loss (two-state Gilbert–Elliott, every packet in the bad state lost): long-run loss
   * `percent`, mean burst length `meanBurst` packets.
   */
  burstLoss?: { percent: number; meanBurst: number };
  delay?: DelayProfile;
  /** Percent of packets held back and sent right after the next packet (a swap). */
  reorderPercent?: number;
  /** Percent of packets sent twice. */
  duplicatePercent?: number;
  /** Drop every packet in this direction, from `afterMs` (since the relay started; default 0) on. */
  blackhole?: { afterMs?: number };
}

export interface RelayOptions {
  aToB?: ImpairProfile;
  bToA?: ImpairProfile;
  seed?: number;
  /** Open RTCP legs on port + 1 (default true). */
  rtcp?: boolean;
  /** A blackhole drops RTCP too (default true). */
  blackholeRtcp?: boolean;
  /** The relay closes itself after this long (default 60 s). */
  maxLifetimeMs?: number;
  /** Port range for the relay's sockets (an even RTP port, RTCP next to it). */
  portRange?: { min: number; max: number };
}

export interface Endpoint {
  address: string;
  port: number;
  /** Default port + 1. */
  rtcpPort?: number;
}

export interface DirectionCounters {
  /** RTP packets that reached the relay in this direction. */
  received: number;
  /** Packets sent on (duplicates included). */
  forwarded: number;
  lostRandom: number;
  lostBurst: number;
  /** Dropped by the blackhole. */
  blackholed: number;
  duplicated: number;
  /** Packets held back by explicit reordering. */
  reordered: number;
  /** Packets that had added delay. */
  delayed: number;
  maxAddedDelayMs: number;
  /** Arrived before the far side's address was known (dropped). */
  noDestination: number;
  /** performance.now() of the first packet the blackhole dropped, undefined if none. */
  blackholeStartedAt?: number;
  /** performance.now() of the last packet forwarded. */
  lastForwardedAt?: number;
  rtcpReceived: number;
  rtcpForwarded: number;
  rtcpBlackholed: number;
}


const emptyCounters = (): DirectionCounters => ({
  received: 0,
  forwarded: 0,
  lostRandom: 0,
  lostBurst: 0,
  blackholed: 0,
  duplicated: 0,
  reordered: 0,
  delayed: 0,
  maxAddedDelayMs: 0,
  noDestination: 0,
  rtcpReceived: 0,
  rtcpForwarded: 0,
  rtcpBlackholed: 0,
});

/** What happens to one packet: dropped (and why), or sent `copies` times after `delayMs`. */
export type Decision =
  | { drop: 'random' | 'burst' | 'blackhole' }
  | { drop?: undefined; delayMs: number; copies: 1 | 2; holdForSwap: boolean };

/**
 * The per-direction impairment decisions, separated from sockets so they are unit-testable: feed
 * it packets in order (with the ms since the relay started) and it says what to do with each.
 */
export class Impairer {
  readonly profile: ImpairProfile;
  private readonly rng: () => number;
  private bad = false;

  constructor(profile: ImpairProfile, seed: number) {
    this.profile = profile;
    this.rng = mulberry32(seed);
  }

  decide(elapsedMs: number): Decision {
    const p = this.profile;
    // Draw every random number for every packet, in a fixed order, so a decision for packet n does
    // not depend on which branches earlier packets took.
    const uLoss = this.rng();
    const uBurst = this.rng();
    const uDelay1 = this.rng();
    const uDelay2 = this.rng();
    const uReorder = this.rng();
    const uDup = this.rng();
    if (p.blackhole && elapsedMs >= (p.blackhole.afterMs ?? 0)) return { drop: 'blackhole' };
    if (p.burstLoss && p.burstLoss.percent > 0) {
      // Gilbert–Elliott: P(bad→good) = r = 1/meanBurst; long-run loss π_bad = p/(p+r) ⇒ p = π·r/(1−π).
      const pi = Math.min(p.burstLoss.percent / 100, 0.95);
      const r = 1 / Math.max(1, p.burstLoss.meanBurst);
      const pGoodToBad = (pi * r) / (1 - pi);
      this.bad = this.bad ? uBurst >= r : uBurst < pGoodToBad;
      if (this.bad) return { drop: 'burst' };
    }
    if (p.lossPercent && uLoss * 100 < p.lossPercent) return { drop: 'random' };
    let delayMs = 0;
    if (p.delay) delayMs = drawDelay(p.delay, uDelay1, uDelay2);
    const holdForSwap = p.reorderPercent !== undefined && uReorder * 100 < p.reorderPercent;
    const copies = p.duplicatePercent !== undefined && uDup * 100 < p.duplicatePercent ? 2 : 1;
    return { delayMs, copies, holdForSwap };
  }
}

function drawDelay(d: DelayProfile, u1: number, u2: number): number {
  const lo = Math.min(d.minMs, d.maxMs);
  const hi = Math.max(d.minMs, d.maxMs);
  if (d.distribution === 'normal') {
    // Box–Muller; u1 in (0,1].
    const z = Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    const mean = d.meanMs ?? (lo + hi) / 2;
    const sd = d.sdMs ?? (hi - lo) / 6;
    return Math.min(hi, Math.max(lo, mean + z * sd));
  }
  return lo + u1 * (hi - lo);
}

type Dir = 'aToB' | 'bToA';

interface Leg {
  rtp: Socket;
  rtcp: Socket | undefined;
  port: number;
}

export class ImpairRelay {
  readonly counters: Record<Dir, DirectionCounters> = {
    aToB: emptyCounters(),
    bToA: emptyCounters(),
  };
  readonly startedAt = performance.now();
  private a: Endpoint | undefined;
  private b: Endpoint | undefined;
  private readonly impairers: Record<Dir, Impairer>;
  private readonly held: Record<
    Dir,
    { buf: Buffer; copies: number; timer: NodeJS.Timeout } | undefined
  > = { aToB: undefined, bToA: undefined };
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly lifetime: NodeJS.Timeout;
  private closed = false;
  private readonly legA: Leg;
  private readonly legB: Leg;
  private readonly opts: RelayOptions;

  private constructor(legA: Leg, legB: Leg, opts: RelayOptions) {
    this.legA = legA;
    this.legB = legB;
    this.opts = opts;
    const seed = opts.seed ?? 1;
    this.impairers = {
      aToB: new Impairer(opts.aToB ?? {}, seed),
      bToA: new Impairer(opts.bToA ?? {}, (seed ^ 0x9e3779b9) >>> 0),
    };
    this.lifetime = setTimeout(() => void this.close(), opts.maxLifetimeMs ?? 60_000);
    this.lifetime.unref();
    legA.rtp.on('message', (buf, rinfo) => this.onRtp('aToB', buf, rinfo));
    legB.rtp.on('message', (buf, rinfo) => this.onRtp('bToA', buf, rinfo));
    legA.rtcp?.on('message', (buf, rinfo) => this.onRtcp('aToB', buf, rinfo));
    legB.rtcp?.on('message', (buf, rinfo) => this.onRtcp('bToA', buf, rinfo));
  }

  /** Bind both legs (RTP on an even port, RTCP on the next) on 127.0.0.1. */
  static async start(opts: RelayOptions = {}): Promise<ImpairRelay> {
    const withRtcp = opts.rtcp ?? true;
    const legA = await bindLeg(withRtcp, opts.portRange);
    let legB: Leg;
    try {
      legB = await bindLeg(withRtcp, opts.portRange);
    } catch (e) {
      closeLeg(legA);
      throw e;
    }
    return new ImpairRelay(legA, legB, opts);
  }

  /** The port A sends its RTP to (put in B's SDP before A reads it); RTCP on port + 1. */
  get portA(): number {
    return this.legA.port;
  }

  /** The port B sends its RTP to (put in A's SDP before B reads it). */
  get portB(): number {
    return this.legB.port;
  }

  /** Where A is (else learned from A's first packet). */
  setA(e: Endpoint): void {
    this.a = e;
  }

  setB(e: Endpoint): void {
    this.b = e;
  }

  /** ms since the relay started. */
  elapsedMs(): number {
    return performance.now() - this.startedAt;
  }

  private onRtp(dir: Dir, buf: Buffer, rinfo: { address: string; port: number }): void {
    if (this.closed) return;
    this.learn(dir, rinfo);
    const c = this.counters[dir];
    c.received++;
    const d = this.impairers[dir].decide(this.elapsedMs());
    if (d.drop !== undefined) {
      if (d.drop === 'blackhole') {
        c.blackholed++;
        c.blackholeStartedAt ??= performance.now();
      } else if (d.drop === 'burst') c.lostBurst++;
      else c.lostRandom++;
      return;
    }
    const dest = this.destination(dir);
    if (!dest) {
      c.noDestination++;
      return;
    }
    if (d.copies === 2) c.duplicated++;
    if (d.delayMs > 0) {
      c.delayed++;
      c.maxAddedDelayMs = Math.max(c.maxAddedDelayMs, d.delayMs);
    }
    const send = (): void => {
      for (let i = 0; i < d.copies; i++) this.send(dir, buf, dest.port, dest.address);
    };
    if (d.holdForSwap && !this.held[dir]) {
      // Hold this one (its added delay is ignored) until the next packet has gone, or 200 ms.
      c.reordered++;
      const timer = setTimeout(() => this.releaseHeld(dir), 200);
      this.held[dir] = { buf, copies: d.copies, timer };
      return;
    }
    this.later(d.delayMs, () => {
      send();
      this.releaseHeld(dir);
    });
  }

  private releaseHeld(dir: Dir): void {
    const h = this.held[dir];
    if (!h) return;
    this.held[dir] = undefined;
    clearTimeout(h.timer);
    const dest = this.destination(dir);
    for (let i = 0; dest && i < h.copies; i++) this.send(dir, h.buf, dest.port, dest.address);
  }

  private send(dir: Dir, buf: Buffer, port: number, address: string): void {
    if (this.closed) return;
    const out = dir === 'aToB' ? this.legB.rtp : this.legA.rtp;
    this.counters[dir].forwarded++;
    this.counters[dir].lastForwardedAt = performance.now();
    out.send(buf, port, address);
  }

  /** Run `fn` now (no added delay: no timer jitter) or after `ms`. */
  private later(ms: number, fn: () => void): void {
    if (ms <= 0) {
      fn();
      return;
    }
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  private onRtcp(dir: Dir, buf: Buffer, rinfo: { address: string; port: number }): void {
    if (this.closed) return;
    const c = this.counters[dir];
    c.rtcpReceived++;
    const side = dir === 'aToB' ? this.a : this.b;
    if (!side) this.learn(dir, { address: rinfo.address, port: rinfo.port - 1 });
    const bh = this.opts[dir]?.blackhole;
    if (bh && (this.opts.blackholeRtcp ?? true) && this.elapsedMs() >= (bh.afterMs ?? 0)) {
      c.rtcpBlackholed++;
      return;
    }
    const dest = this.destination(dir);
    const out = dir === 'aToB' ? this.legB.rtcp : this.legA.rtcp;
    if (!dest || !out) return;
    c.rtcpForwarded++;
    out.send(buf, dest.rtcpPort ?? dest.port + 1, dest.address);
  }

  private learn(dir: Dir, rinfo: { address: string; port: number }): void {
    if (dir === 'aToB') this.a ??= { address: rinfo.address, port: rinfo.port };
    else this.b ??= { address: rinfo.address, port: rinfo.port };
  }

  private destination(dir: Dir): Endpoint | undefined {
    return dir === 'aToB' ? this.b : this.a;
  }

  /** A one-line summary of what the relay did, for assertion messages. */
  describe(): string {
    const one = (d: Dir): string => {
      const c = this.counters[d];
      return `${d}: in ${c.received} out ${c.forwarded} lost ${c.lostRandom}+${c.lostBurst} burst, blackholed ${c.blackholed}, dup ${c.duplicated}, reordered ${c.reordered}, delayed ${c.delayed} (max ${c.maxAddedDelayMs.toFixed(1)} ms), rtcp ${c.rtcpForwarded}/${c.rtcpReceived}`;
    };
    return `${one('aToB')}; ${one('bToA')}`;
  }

  /** Stop: pending delayed packets are dropped, sockets closed. Safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.lifetime);
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const d of ['aToB', 'bToA'] as const) {
      const h = this.held[d];
      if (h) clearTimeout(h.timer);
      this.held[d] = undefined;
    }
    await Promise.all([closeLeg(this.legA), closeLeg(this.legB)]);
  }
}

function bindSocket(port: number): Promise<Socket | undefined> {
  return new Promise((resolve) => {
    const s = createSocket('udp4');
    s.once('error', () => {
      s.close();
      resolve(undefined);
    });
    s.bind({ port, address: '127.0.0.1', exclusive: true }, () => {
      s.removeAllListeners('error');
      s.on('error', () => undefined);
      resolve(s);
    });
  });
}

async function bindLeg(withRtcp: boolean, range = { min: 40_000, max: 44_000 }): Promise<Leg> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const span = Math.max(2, range.max - range.min - 1);
    const port = (range.min + Math.floor(Math.random() * span)) & ~1;
    if (port < range.min) continue;
    const rtp = await bindSocket(port);
    if (!rtp) continue;
    if (!withRtcp) return { rtp, rtcp: undefined, port };
    const rtcp = await bindSocket(port + 1);
    if (rtcp) return { rtp, rtcp, port };
    await new Promise<void>((r) => rtp.close(() => r()));
  }
  throw new Error(
    `impair-relay: no free even port pair in ${range.min}-${range.max} after 50 attempts`,
  );
}

function closeLeg(l: Leg): Promise<void> {
  const one = (s: Socket | undefined): Promise<void> =>
    new Promise((r) => {
      if (!s) return r();
      try {
        s.close(() => r());
      } catch {
        r();
      }
    });
  return Promise.all([one(l.rtp), one(l.rtcp)]).then(() => undefined);
}

// ---- SDP helpers: point each side's RTP at the relay ----

/** The audio RTP address and port an SDP names (c= at media level, else session level). */
export function sdpMedia(sdp: string): Endpoint {
  const lines = sdp.split(/\r?\n/);
  const mIdx = lines.findIndex((l) => l.startsWith('m=audio '));
  if (mIdx < 0) throw new Error(`no m=audio line in SDP:\n${sdp}`);
  const port = Number(lines[mIdx]!.split(' ')[1]);
  const mediaC = lines
    .slice(mIdx + 1)
    .find((l, i, rest) => l.startsWith('c=') && !rest.slice(0, i).some((x) => x.startsWith('m=')));
  const sessionC = lines.slice(0, mIdx).find((l) => l.startsWith('c='));
  const c = mediaC ?? sessionC;
  if (!c) throw new Error(`no c= line in SDP:\n${sdp}`);
  const rtcpLine = lines.slice(mIdx + 1).find((l) => l.startsWith('a=rtcp:'));
  const rtcpPort = rtcpLine ? Number(/^a=rtcp:(\d+)/.exec(rtcpLine)?.[1]) : undefined;
  return { address: c.trim().split(' ')[2]!, port, ...(rtcpPort ? { rtcpPort } : {}) };
}

/**
 * The same SDP with its audio port (and a=rtcp port) and/or every c= (and o=) address replaced,
 * line endings kept.
 */
export function rewriteSdpMedia(sdp: string, to: { port?: number; address?: string }): string {
  const eol = sdp.includes('\r\n') ? '\r\n' : '\n';
  return sdp
    .split(/\r?\n/)
    .map((l) => {
      if (to.port !== undefined && l.startsWith('m=audio ')) {
        const parts = l.split(' ');
        parts[1] = String(to.port);
        return parts.join(' ');
      }
      if (to.port !== undefined && l.startsWith('a=rtcp:'))
        return l.replace(/^a=rtcp:\d+/, `a=rtcp:${to.port + 1}`);
      if (to.address !== undefined && l.startsWith('c=IN IP4 ')) return `c=IN IP4 ${to.address}`;
      if (to.address !== undefined && l.startsWith('o='))
        return l.replace(/IN IP4 \S+$/, `IN IP4 ${to.address}`);
      return l;
    })
    .join(eol);
}
