import { describe, expect, it } from 'vitest';
import { MediaPrefsError, parseCodecList, parseDigits, parseDtmfMethod, parsePortRange, parseSrtpPolicy } from '../../../src/main/engine/media/media-prefs.ts';

describe('media preferences from the command line', () => {
  it('canonicalises codec names, keeps order, drops repeats', () => {
    expect(parseCodecList('pcma, PCMU,opus,pcma')).toEqual(['PCMA', 'PCMU', 'opus']);
  });
  it('names an unknown codec', () => {
    expect(() => parseCodecList('PCMA,AMR')).toThrow(/unknown codec "AMR"/);
    expect(() => parseCodecList(' , ')).toThrow(MediaPrefsError);
  });
  it('accepts the three DTMF methods (rfc4733 as an alias)', () => {
    expect(parseDtmfMethod('RFC2833')).toBe('rfc2833');
    expect(parseDtmfMethod('rfc4733')).toBe('rfc2833');
    expect(parseDtmfMethod('info')).toBe('info');
    expect(() => parseDtmfMethod('sip')).toThrow(/rfc2833, info or inband/);
  });
  it('validates SRTP policies, port ranges and digits', () => {
    expect(parseSrtpPolicy('require')).toBe('require');
    expect(() => parseSrtpPolicy('on')).toThrow(/off, offer or require/);
    expect(parsePortRange('20000-20100')).toEqual({ min: 20000, max: 20100 });
    expect(() => parsePortRange('20-10')).toThrow(/--rtp-ports/);
    expect(() => parsePortRange('100-200')).toThrow(/1024/);
    expect(parseDigits('12a#,*')).toBe('12A#,*');
    expect(() => parseDigits('12x')).toThrow(/--send-dtmf/);
  });
});
