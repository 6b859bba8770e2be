import { describe, expect, it } from 'vitest';
import {
  AllowListError,
  parseAllowList,
  validateExotel,
} from '../../../src/main/webhooks/index.ts';

const url = 'https://platform.example.com/exotel/answer?CallSid=abc&token=s3cret-phone-token';

describe('Exotel allowlist and per-phone token', () => {
  it('passes an allowed IP with the right token', () => {
    const v = validateExotel({
      allowFrom: '10.0.0.1, 127.0.0.0/8',
      source: '::ffff:127.0.0.1',
      url,
      tokens: ['s3cret-phone-token'],
    });
    expect(v.valid).toBe(true);
    expect(v.reason).toMatch(/127\.0\.0\.1 is allowed by 127\.0\.0\.0\/8/);
  });

  it('an empty allowlist refuses everything', () => {
    for (const list of ['', ' , ']) {
      const v = validateExotel({
        allowFrom: list,
        source: '127.0.0.1',
        url,
        tokens: ['s3cret-phone-token'],
      });
      expect(v.valid).toBe(false);
      expect(v.reason).toMatch(/empty/);
    }
  });

  it('an IP outside the allowlist is refused, naming the IP', () => {
    const v = validateExotel({
      allowFrom: '127.0.0.1',
      source: '127.0.0.2',
      url,
      tokens: ['s3cret-phone-token'],
    });
    expect(v.valid).toBe(false);
    expect(v.reason).toMatch(/127\.0\.0\.2 is not in the allowlist/);
  });

  it('CIDR edges', () => {
    const list = parseAllowList('192.168.4.0/22');
    expect(list[0]!.match('192.168.7.255')).toBe(true);
    expect(list[0]!.match('192.168.8.0')).toBe(false);
    expect(parseAllowList('0.0.0.0/0')[0]!.match('8.8.8.8')).toBe(true);
    expect(() => parseAllowList('300.1.1.1')).toThrow(AllowListError);
    expect(() => parseAllowList('10.0.0.0/40')).toThrow(/range/);
  });

  it('missing and wrong token; rotated tokens', () => {
    expect(
      validateExotel({
        allowFrom: undefined,
        source: undefined,
        url: 'https://p.example/a',
        tokens: ['t'],
      }).reason,
    ).toMatch(/no \?token=/);
    expect(
      validateExotel({ allowFrom: undefined, source: undefined, url, tokens: ['other'] }).reason,
    ).toMatch(/matches none/);
    const v = validateExotel({
      allowFrom: '127.0.0.1',
      source: '127.0.0.1',
      url,
      tokens: ['old', 's3cret-phone-token'],
    });
    expect(v.valid).toBe(true);
    expect(v.reason).toMatch(/token #2 of 2/);
    // The token is never echoed in the verdict.
    expect(JSON.stringify(v)).not.toContain('s3cret-phone-token');
  });
});
