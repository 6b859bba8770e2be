import { describe, expect, it } from 'vitest';
import {
  buildDtmfBody,
  buildDtmfRelay,
  parseDtmfInfo,
} from '../../../../src/main/media/dtmf/info.ts';

describe('SIP INFO DTMF bodies', () => {
  it('builds application/dtmf-relay and application/dtmf', () => {
    expect(buildDtmfRelay('1', 160)).toEqual({
      contentType: 'application/dtmf-relay',
      body: 'Signal=1\r\nDuration=160\r\n',
    });
    expect(buildDtmfBody('#')).toEqual({ contentType: 'application/dtmf', body: '#' });
    expect(() => buildDtmfRelay('1', 0)).toThrow(RangeError);
  });

  it.each([
    ['application/dtmf-relay', 'Signal=1\r\nDuration=160\r\n', '1', 160],
    ['Application/DTMF-Relay; charset=x', 'signal= *\nduration = 250\n', '*', 250],
    ['application/dtmf-relay', 'Signal=11\r\nDuration=100\r\n', '#', 100],
    ['application/dtmf-relay', 'Signal=10\r\n', '*', undefined],
    ['application/dtmf-relay', 'Signal=b\r\nDuration=100\r\n', 'B', 100],
    ['application/dtmf', '5', '5', undefined],
    ['application/dtmf', '11\r\n', '#', undefined],
  ])('parses %s %j', (type, body, digit, durationMs) => {
    expect(parseDtmfInfo(type, body)).toEqual({ ok: true, digit, durationMs });
  });

  it('round-trips every digit', () => {
    for (const d of ['0', '5', '9', '*', '#', 'A', 'D'] as const) {
      const r = buildDtmfRelay(d, 200);
      expect(parseDtmfInfo(r.contentType, r.body)).toEqual({ ok: true, digit: d, durationMs: 200 });
      const b = buildDtmfBody(d);
      expect(parseDtmfInfo(b.contentType, b.body)).toMatchObject({ ok: true, digit: d });
    }
  });

  it.each([
    ['application/dtmf-relay', 'Duration=160\r\n', 400],
    ['application/dtmf-relay', 'Signal=X\r\n', 400],
    ['application/dtmf-relay', 'Signal=1\r\nDuration=abc\r\n', 400],
    ['application/dtmf', '', 400],
    ['application/dtmf', '17', 400],
    ['text/plain', 'Signal=1', 415],
  ])('rejects %s %j with %i', (type, body, status) => {
    const r = parseDtmfInfo(type, body);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.status).toBe(status);
      expect(r.reason).toMatch(/\S/);
    }
  });
});
