/**
 * One direction of a call's RTP as the ladder and the exports see it: loss and interarrival
 * jitter by RFC 3550 (A.3 extended sequence numbers, A.8 jitter), first/last packet times, and a
 * bounded ring of packets (time, addresses, seq, timestamp, SSRC, PT, and the payload bytes while
 * the process-wide payload budget lasts) so the pcap export can rebuild the stream, audio included.
 */
import type { RtpStreamSummary } from '../../../shared/api/contract.ts';
import type { PacketInfo } from '../../media/session/types.ts';
import { Rfc3550Reception } from '../../media/stats/rfc3550-reception.ts';

export interface RtpPacketRecord {
  /** Wall clock, ms since epoch (fractional). */
  at: number;
  src: string;
  dst: string;
  seq: number;
  timestamp: number;
  ssrc: number;
  payloadType: number;
  marker: boolean;
  payloadBytes: number;
  /** The payload as sent or received (after SRTP); undefined when it was not kept. */
  payload?: Uint8Array;
}

/** Default ring size per direction: 5 minutes of 20 ms packets. */
export const DEFAULT_RING = 15_000;

/**
 * Payload bytes all streams of the process may hold (the GUI keeps up to 100 ended calls): 5 min
 * of G.711 both ways is 9.6 MB, so this covers about 13 such calls. Past it, packets keep their
 * headers only and the export writes silence of the same length for them.
 */
export class PayloadBudget {
  used = 0;
  readonly limit: number;
  constructor(limit: number) {
    this.limit = limit;
  }
  take(n: number): boolean {
    if (this.used + n > this.limit) return false;
    this.used += n;
    return true;
  }
  give(n: number): void {
    this.used = Math.max(0, this.used - n);
  }
}

export const defaultPayloadBudget = new PayloadBudget(128 * 1024 * 1024);

/** Distinct source addresses named one by one per stream. */
const MAX_PEERS = 100_000;
const OTHER_PEERS = '(other sources)';

export class RtpStream {
  readonly callId: string;
  readonly dir: 'sent' | 'received';
  private readonly ring: number;
  // Packet ring, struct-of-arrays to keep ~30 bytes per packet.
  private readonly at: Float64Array;
  private readonly seqs: Uint16Array;
  private readonly tss: Uint32Array;
  private readonly ssrcs: Uint32Array;
  private readonly pts: Uint8Array;
  private readonly sizes: Uint16Array;
  private readonly peer: Uint32Array;
  /** Distinct peer addresses and their index (a Map: one lookup per packet, not a linear search). */
  private readonly peers: string[] = [];
  private readonly peerIndex = new Map<string, number>();
  private payloads: Array<Uint8Array | undefined> | undefined;
  private readonly budget: PayloadBudget;
  private head = 0;
  private stored = 0;
  local: string;
  packets = 0;
  startAt: number | undefined;
  lastAt: number | undefined;
  endAt: number | undefined;
  private lastPeer = '';
  // RFC 3550 A.1/A.3/A.8 figures of the current source (the one implementation media/stats uses).
  private ssrc: number | undefined;
  private rx: Rfc3550Reception | undefined;
  clockRate = 8000;
  /** RFC 4733 events keep one timestamp per event: no jitter from them. */
  telephoneEventPt: number | undefined;

  constructor(
    callId: string,
    dir: 'sent' | 'received',
    local: string,
    ring = DEFAULT_RING,
    budget = defaultPayloadBudget,
  ) {
    this.budget = budget;
    this.callId = callId;
    this.dir = dir;
    this.local = local;
    this.ring = ring;
    this.at = new Float64Array(ring);
    this.seqs = new Uint16Array(ring);
    this.tss = new Uint32Array(ring);
    this.ssrcs = new Uint32Array(ring);
    this.pts = new Uint8Array(ring);
    this.sizes = new Uint16Array(ring);
    this.peer = new Uint32Array(ring);
  }

  /** A packet sent or received now (`p.from` is the peer's address in both directions). */
  add(p: PacketInfo, at = performance.timeOrigin + performance.now()): void {
    const peer = p.from.address.includes(':')
      ? `[${p.from.address}]:${p.from.port}`
      : `${p.from.address}:${p.from.port}`;
    this.lastPeer = peer;
    let pi = this.peerIndex.get(peer);
    if (pi === undefined) {
      // Bounded: past MAX_PEERS distinct sources the rest share one "(other sources)" entry.
      if (this.peers.length < MAX_PEERS) pi = this.peers.push(peer) - 1;
      else pi = this.peerIndex.get(OTHER_PEERS) ?? this.peers.push(OTHER_PEERS) - 1;
      this.peerIndex.set(this.peers[pi]!, pi);
    }
    const i = this.head;
    this.at[i] = at;
    this.seqs[i] = p.sequenceNumber;
    this.tss[i] = p.timestamp;
    this.ssrcs[i] = p.ssrc;
    this.pts[i] = (p.payloadType & 0x7f) | (p.marker ? 0x80 : 0);
    this.sizes[i] = Math.min(p.payloadBytes, 0xffff);
    this.peer[i] = pi;
    this.keepPayload(i, p.payload);
    this.head = (i + 1) % this.ring;
    this.stored = Math.min(this.stored + 1, this.ring);
    this.packets++;
    this.startAt ??= at;
    this.lastAt = at;
    this.measure(p, at);
  }

  private keepPayload(i: number, payload: Uint8Array | undefined): void {
    const old = this.payloads?.[i];
    if (old) {
      this.budget.give(old.length);
      this.payloads![i] = undefined;
    }
    if (!payload || !this.budget.take(payload.length)) return;
    this.payloads ??= new Array<Uint8Array | undefined>(this.ring);
    this.payloads[i] = Uint8Array.from(payload);
  }

  /** Let go of the kept payload bytes (the call left the book); headers stay. */
  dropPayloads(): void {
    if (!this.payloads) return;
    for (const p of this.payloads) if (p) this.budget.give(p.length);
    this.payloads = undefined;
  }

  private measure(p: PacketInfo, at: number): void {
    if (this.ssrc !== p.ssrc || !this.rx) {
      // A new source restarts the statistics (RFC 3550 A.1 init_seq).
      this.ssrc = p.ssrc;
      this.rx = new Rfc3550Reception();
    }
    // RFC 4733 events keep one timestamp per event: no jitter from them (clock rate 0).
    const audio = p.kind === 'audio' && p.payloadType !== this.telephoneEventPt;
    this.rx.add(p.sequenceNumber, p.timestamp, at, audio ? this.clockRate : 0);
  }

  get lost(): number {
    return this.rx ? Math.max(0, this.rx.expected - this.rx.packetsReceived) : 0;
  }

  get jitterMs(): number {
    return this.rx ? (this.rx.jitterExact * 1000) / this.clockRate : 0;
  }

  get lostPercent(): number {
    const expected = (this.rx?.packetsReceived ?? 0) + this.lost;
    return expected > 0 ? (this.lost * 100) / expected : 0;
  }

  summary(): RtpStreamSummary | undefined {
    if (this.startAt === undefined) return undefined;
    const [from, to] =
      this.dir === 'sent' ? [this.local, this.lastPeer] : [this.lastPeer, this.local];
    const s: RtpStreamSummary = {
      callId: this.callId,
      dir: this.dir,
      from,
      to,
      startAt: Math.round(this.startAt),
      packets: this.packets,
      lost: this.lost,
      jitterMs: Math.round(this.jitterMs * 100) / 100,
    };
    if (this.endAt !== undefined) s.endAt = Math.round(this.endAt);
    return s;
  }

  /** The call ended: the stream ends at its last packet. */
  close(): void {
    this.endAt ??= this.lastAt;
  }

  /** Packets in the ring, oldest first. */
  *records(): Generator<RtpPacketRecord> {
    const start = (this.head - this.stored + this.ring) % this.ring;
    for (let k = 0; k < this.stored; k++) {
      const i = (start + k) % this.ring;
      const peer = this.peers[this.peer[i]!] ?? '';
      yield {
        at: this.at[i]!,
        src: this.dir === 'sent' ? this.local : peer,
        dst: this.dir === 'sent' ? peer : this.local,
        seq: this.seqs[i]!,
        timestamp: this.tss[i]!,
        ssrc: this.ssrcs[i]!,
        payloadType: this.pts[i]! & 0x7f,
        marker: (this.pts[i]! & 0x80) !== 0,
        payloadBytes: this.sizes[i]!,
        payload: this.payloads?.[i],
      };
    }
  }
}
