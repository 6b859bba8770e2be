import { describe, expect, it } from 'vitest';
import {
  answerDirection,
  effectiveDirection,
  holdDirection,
  mirrorDirection,
  resumeDirection,
  type SdpDirection,
} from '../../../src/main/sdp/direction.ts';
import { negotiateAnswer } from '../../../src/main/sdp/answer.ts';
import { parseAnswer } from '../../../src/main/sdp/parse-answer.ts';
import { buildOffer } from '../../../src/main/sdp/offer.ts';
import { audioOffer } from './fixtures.ts';

describe('direction mapping (RFC 3264 §6.1, §8.4)', () => {
  // offered × local → answer
  const TABLE: Array<[SdpDirection, SdpDirection, SdpDirection]> = [
    ['sendrecv', 'sendrecv', 'sendrecv'],
    ['sendonly', 'sendrecv', 'recvonly'],
    ['recvonly', 'sendrecv', 'sendonly'],
    ['inactive', 'sendrecv', 'inactive'],
    ['sendrecv', 'sendonly', 'sendonly'],
    ['sendonly', 'sendonly', 'inactive'],
    ['recvonly', 'sendonly', 'sendonly'],
    ['sendrecv', 'recvonly', 'recvonly'],
    ['recvonly', 'recvonly', 'inactive'],
    ['sendonly', 'recvonly', 'recvonly'],
    ['sendrecv', 'inactive', 'inactive'],
  ];
  it.each(TABLE)('offer %s, local %s → answer %s', (offered, local, expected) => {
    expect(answerDirection(offered, local)).toBe(expected);
  });

  it('mirrors, holds and resumes', () => {
    expect(
      ['sendrecv', 'sendonly', 'recvonly', 'inactive'].map((d) =>
        mirrorDirection(d as SdpDirection),
      ),
    ).toEqual(['sendrecv', 'recvonly', 'sendonly', 'inactive']);
    expect(holdDirection('sendrecv')).toBe('sendonly');
    expect(holdDirection('recvonly')).toBe('inactive');
    expect(resumeDirection('sendonly')).toBe('sendrecv');
    expect(resumeDirection('inactive')).toBe('sendrecv');
    expect(resumeDirection('inactive', false)).toBe('recvonly');
  });

  it('reads c=0.0.0.0 as the RFC 2543 hold', () => {
    expect(effectiveDirection('sendrecv', '0.0.0.0')).toBe('sendonly');
    expect(effectiveDirection('recvonly', '0.0.0.0')).toBe('inactive');
    expect(effectiveDirection('sendrecv', '192.0.2.1')).toBe('sendrecv');
  });
});

describe('hold and resume through offer/answer', () => {
  const common = { codecs: ['PCMU'], telephoneEvent: false, sessionId: 7 };
  const alice = { ...common, address: '192.0.2.1', port: 4000 };
  const bob = { ...common, address: '192.0.2.2', port: 5000 };

  it('alice holds bob with sendonly and resumes with sendrecv', () => {
    const steps: Array<[SdpDirection, SdpDirection, SdpDirection]> = [
      // alice offers, bob answers, alice's effective direction
      ['sendrecv', 'sendrecv', 'sendrecv'],
      [holdDirection('sendrecv'), 'recvonly', 'sendonly'],
      [resumeDirection('sendonly'), 'sendrecv', 'sendrecv'],
    ];
    steps.forEach(([offered, answered, effective], version) => {
      const offer = buildOffer({ ...alice, sessionVersion: version + 1, direction: offered });
      const answer = negotiateAnswer(offer, { ...bob, sessionVersion: version + 1 });
      expect(answer.ok && answer.direction).toBe(answered);
      if (!answer.ok) return;
      expect(answer.answerSdp).toContain(`a=${answered}\r\n`);
      const back = parseAnswer(answer.answerSdp, offer);
      expect(back.ok && back.direction).toBe(effective);
    });
  });

  it('bob holding alice from his answer limits alice to receiving', () => {
    const offer = buildOffer({ ...alice, sessionVersion: 1 });
    const answer = negotiateAnswer(offer, { ...bob, sessionVersion: 1, direction: 'sendonly' });
    expect(answer.ok && answer.direction).toBe('sendonly');
    const back = answer.ok ? parseAnswer(answer.answerSdp, offer) : answer;
    expect(back.ok && back.direction).toBe('recvonly');
  });

  it('answers a legacy c=0.0.0.0 hold with recvonly and flags it', () => {
    const offer = audioOffer('0').replace(/IN IP4 203\.0\.113\.5/g, 'IN IP4 0.0.0.0');
    const r = negotiateAnswer(offer, { ...bob, sessionVersion: 1 });
    expect(r.ok && [r.direction, r.remote.legacyHold]).toEqual(['recvonly', true]);
  });
});
