import { describe, expect, it } from 'vitest';
import {
  codecImpairment,
  delayImpairment,
  effectiveEquipmentImpairment,
  eModel,
  mosFromR,
  oneWayDelayMs,
} from '../../../../src/main/media/stats/e-model.ts';

describe('E-model (ITU-T G.107, simplified) — PROTOCOL-NOTES §10 worked examples', () => {
  it('G.711 with PLC, 2 % random loss, Ta 150 ms → Ie,eff 7.011, Id 3.6, R 82.589, MOS 4.118', () => {
    const r = eModel({ codec: 'PCMU', lossPercent: 2, oneWayDelayMs: 150 });
    expect(r.ieEff).toBeCloseTo(190 / 27.1, 10);
    expect(r.id).toBeCloseTo(3.6, 10);
    expect(r.rFactor).toBeCloseTo(82.589, 3);
    expect(r.mos).toBeCloseTo(4.118, 3);
    expect(r.assumed).toBe(false);
  });

  it('the same without PLC (Bpl 4.3) → Ie,eff 30.159, R 59.441, MOS 3.071', () => {
    const r = eModel({ codec: 'PCMA', lossPercent: 2, oneWayDelayMs: 150, plc: false });
    expect(r.ieEff).toBeCloseTo(30.159, 3);
    expect(r.rFactor).toBeCloseTo(59.441, 3);
    expect(r.mos).toBeCloseTo(3.071, 3);
  });

  it('no impairment → R 93.2, MOS 4.409', () => {
    const r = eModel({ codec: 'PCMU', lossPercent: 0, oneWayDelayMs: 0 });
    expect(r.rFactor).toBe(93.2);
    expect(r.mos).toBeCloseTo(4.409, 3);
  });

  it('delay above 177.3 ms costs more per ms', () => {
    expect(delayImpairment(177.3)).toBeCloseTo(0.024 * 177.3, 10);
    expect(delayImpairment(277.3)).toBeCloseTo(0.024 * 277.3 + 11, 10);
    expect(delayImpairment(-5)).toBe(0);
  });

  it('MOS is clamped to 1 and 4.5; negative loss (duplicates) counts as none', () => {
    expect(mosFromR(-3)).toBe(1);
    expect(mosFromR(120)).toBe(4.5);
    expect(effectiveEquipmentImpairment(0, 25.1, -1)).toBe(0);
    // Bursty loss (BurstR > 1) hurts more than random loss.
    expect(effectiveEquipmentImpairment(0, 25.1, 5, 2)).toBeGreaterThan(
      effectiveEquipmentImpairment(0, 25.1, 5, 1),
    );
  });

  it('codec table: G.729A from G.113; G.722 / Opus / unknown flagged as assumed', () => {
    expect(codecImpairment('G729')).toMatchObject({ ie: 11, bpl: 19, assumed: false });
    expect(codecImpairment('G722').assumed).toBe(true);
    expect(codecImpairment('opus').assumed).toBe(true);
    expect(codecImpairment('speex')).toMatchObject({ ie: 0, bpl: 4.3, assumed: true });
  });

  it('one-way delay: RTT/2 + ptime + a jitter buffer of twice the jitter (at least one ptime)', () => {
    expect(oneWayDelayMs({ rttMs: 100, jitterMs: 5, ptimeMs: 20 })).toBe(50 + 20 + 20);
    expect(oneWayDelayMs({ rttMs: 100, jitterMs: 30, ptimeMs: 20 })).toBe(50 + 20 + 60);
    expect(oneWayDelayMs({ rttMs: null, jitterMs: 0 })).toBe(40);
  });
});
