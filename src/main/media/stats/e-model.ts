/**
 * ITU-T G.107 E-model, simplified for one call leg (every constant and its source is in
 * docs/quality.md):
 *
 *   R = R0 − Id − Ie,eff            R0 = 93.2 (G.107 with all default values; A = 0)
 *   Ie,eff = Ie + (95 − Ie) · Ppl / (Ppl / BurstR + Bpl)        (G.107 effective equipment impairment)
 *   Id ≈ 0.024·Ta + 0.11·(Ta − 177.3)·H(Ta − 177.3)             (Cole & Rosenbluth 2001,
 *        a fit of G.107's Idd + Idte with default echo values; not G.107's own formula)
 *   MOS = 1 + 0.035R + R(R − 60)(100 − R)·7·10⁻⁶ for 0 < R < 100  (G.107 Annex B)
 *
 * Ie/Bpl per codec: ITU-T G.113 Appendix I where it gives them; otherwise assumed (flagged).
 */

export const R0_DEFAULT = 93.2;

export interface CodecImpairment {
  /** Equipment impairment factor Ie. */
  ie: number;
  /** Packet-loss robustness factor Bpl. */
  bpl: number;
  /** Where the values come from. */
  source: string;
  /** True when no ITU table gives them and they are our assumption. */
  assumed: boolean;
}

const G711_PLC: CodecImpairment = {
  ie: 0,
  bpl: 25.1,
  source: 'G.113 App. I Table I.3 (G.711 with App. I PLC, random loss)',
  assumed: false,
};
const G711_NO_PLC: CodecImpairment = {
  ie: 0,
  bpl: 4.3,
  source: 'G.113 App. I Table I.3 (G.711 without PLC, random loss)',
  assumed: false,
};
const G729A: CodecImpairment = {
  ie: 11,
  bpl: 19.0,
  source: 'G.113 App. I Table I.3 (G.729A + VAD)',
  assumed: false,
};

/**
 * Ie and Bpl of a codec (RTP encoding name, any case). `plc`: the receiver conceals lost frames
 * (G.711 Appendix I or better); only G.711 has separate values without it.
 */
export function codecImpairment(codec: string, plc = true): CodecImpairment {
  const c = codec.toUpperCase();
  if (c === 'PCMU' || c === 'PCMA' || c === 'G711' || c === 'G711U' || c === 'G711A')
    return plc ? G711_PLC : G711_NO_PLC;
  if (c.startsWith('G729')) return G729A;
  if (c === 'G722') {
    return {
      ie: 0,
      bpl: 25.1,
      source:
        'assumed: G.722 rated like G.711 with PLC on the narrowband scale (G.113 gives no narrowband Bpl)',
      assumed: true,
    };
  }
  if (c === 'OPUS') {
    return {
      ie: 0,
      bpl: 25.1,
      source: 'assumed: Opus (not in G.113) rated like G.711 with PLC',
      assumed: true,
    };
  }
  return {
    ...G711_NO_PLC,
    source: `assumed: unknown codec "${codec}" rated like G.711 without PLC`,
    assumed: true,
  };
}

/** G.107 Ie,eff. `ppl` in percent; `burstR` 1 for random loss, > 1 for bursty loss. */
export function effectiveEquipmentImpairment(
  ie: number,
  bpl: number,
  ppl: number,
  burstR = 1,
): number {
  const p = Math.max(0, ppl);
  if (p === 0) return ie;
  return ie + ((95 - ie) * p) / (p / burstR + bpl);
}

/** Delay impairment from the one-way mouth-to-ear delay Ta (ms). */
export function delayImpairment(taMs: number): number {
  const ta = Math.max(0, taMs);
  return 0.024 * ta + (ta > 177.3 ? 0.11 * (ta - 177.3) : 0);
}

/** G.107 Annex B: MOS (conversational quality estimate) from R. */
export function mosFromR(r: number): number {
  if (r <= 0) return 1;
  if (r >= 100) return 4.5;
  return 1 + 0.035 * r + r * (r - 60) * (100 - r) * 7e-6;
}

export interface DelayInputs {
  /** Round-trip time from RTCP (RFC 3550 §6.4.1); unknown → network delay counts as 0. */
  rttMs?: number | null;
  /** Interarrival jitter (ms), for the jitter-buffer estimate. */
  jitterMs: number;
  /** Packetization interval (ms); default 20. */
  ptimeMs?: number;
}

/**
 * One-way mouth-to-ear delay estimate: network (RTT/2) + packetization (one ptime) + a jitter
 * buffer sized to twice the jitter, at least one ptime.
 */
export function oneWayDelayMs(d: DelayInputs): number {
  const ptime = d.ptimeMs ?? 20;
  const network = d.rttMs !== undefined && d.rttMs !== null && d.rttMs > 0 ? d.rttMs / 2 : 0;
  const jitterBuffer = Math.max(ptime, 2 * Math.max(0, d.jitterMs));
  return network + ptime + jitterBuffer;
}

export interface EModelInputs {
  codec: string;
  /** Packet loss, percent (negative — duplicates — counts as 0). */
  lossPercent: number;
  /** One-way delay Ta (ms); see `oneWayDelayMs`. */
  oneWayDelayMs: number;
  burstR?: number;
  plc?: boolean;
}

export interface EModelResult {
  rFactor: number;
  mos: number;
  ie: number;
  bpl: number;
  ieEff: number;
  id: number;
  taMs: number;
  assumed: boolean;
  source: string;
}

export function eModel(i: EModelInputs): EModelResult {
  const codec = codecImpairment(i.codec, i.plc ?? true);
  const ieEff = effectiveEquipmentImpairment(codec.ie, codec.bpl, i.lossPercent, i.burstR ?? 1);
  const id = delayImpairment(i.oneWayDelayMs);
  const r = R0_DEFAULT - id - ieEff;
  return {
    rFactor: r,
    mos: mosFromR(r),
    ie: codec.ie,
    bpl: codec.bpl,
    ieEff,
    id,
    taMs: i.oneWayDelayMs,
    assumed: codec.assumed,
    source: codec.source,
  };
}
