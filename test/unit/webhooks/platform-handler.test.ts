import { describe, expect, it } from 'vitest';
import {
  buildSignedRequest,
  kindOf,
  parseInstructions,
  PlatformHandler,
  type SignedRequest,
} from '../../../src/main/webhooks/index.ts';

const toIncoming = (r: SignedRequest, source = '127.0.0.1') => ({
  method: r.method,
  url: r.url,
  headers: r.headers,
  body: r.body ?? '',
  source,
});

describe('PlatformHandler (acting as the platform)', () => {
  it('answers a valid Twilio answer callback with TwiML that dials the configured URI; refuses a tampered one with 403', () => {
    const h = new PlatformHandler({
      provider: 'twilio',
      tokens: ['t'],
      dial: {
        uri: 'sip:agent@127.0.0.1:5060',
        username: 'u',
        password: 'p',
        callerId: '+1555',
        timeoutS: 9,
      },
    });
    const ok = h.handle(
      toIncoming(
        buildSignedRequest({
          provider: 'twilio',
          url: 'http://127.0.0.1:8080/answer',
          token: 't',
          params: { CallSid: 'CA1', To: '+1' },
        }),
      ),
    );
    expect(ok).toMatchObject({ kind: 'answer', valid: true, response: { status: 200 } });
    const ci = parseInstructions('twilio', ok.response.body);
    expect(ci).toMatchObject({
      callerId: '+1555',
      timeoutS: 9,
      targets: [{ uri: 'sip:agent@127.0.0.1:5060', username: 'u', password: 'p' }],
    });
    const bad = h.handle(
      toIncoming(
        buildSignedRequest({
          provider: 'twilio',
          url: 'http://127.0.0.1:8080/answer',
          token: 't',
          params: { To: '+1' },
          tamper: true,
        }),
      ),
    );
    expect(bad).toMatchObject({ valid: false, response: { status: 403 } });
    expect(bad.response.body).toMatch(/^refused: /);
  });

  it('records status callbacks as per-call transitions', () => {
    const h = new PlatformHandler({ provider: 'plivo', tokens: ['t'], dial: { uri: 'sip:a@b' } });
    const status = (s: string) =>
      h.handle(
        toIncoming(
          buildSignedRequest({
            provider: 'plivo',
            url: 'http://x.test/status',
            token: 't',
            params: { CallUUID: 'u-1', CallStatus: s },
          }),
        ),
      );
    expect(status('ringing').transition).toBe('(new) → ringing');
    expect(status('in-progress').transition).toBe('ringing → in-progress');
    expect(status('completed').transition).toBe('in-progress → completed');
    expect(h.states.get('u-1')).toBe('completed');
  });

  it('Exotel: the token is masked in the path and dropped from params', () => {
    const h = new PlatformHandler({
      provider: 'exotel',
      tokens: ['sec'],
      allowFrom: '127.0.0.1',
      dial: { uri: 'sip:a@127.0.0.1' },
    });
    const r = h.handle(
      toIncoming(
        buildSignedRequest({
          provider: 'exotel',
          url: 'http://127.0.0.1:9/answer',
          token: 'sec',
          params: { CallSid: 'c' },
        }),
      ),
    );
    expect(r.valid).toBe(true);
    expect(r.path).toContain('token=****');
    expect(r.params.token).toBeUndefined();
    expect(JSON.stringify(r.verdict)).not.toContain('sec&');
    expect(
      h.handle(
        toIncoming(
          buildSignedRequest({
            provider: 'exotel',
            url: 'http://127.0.0.1:9/answer',
            token: 'sec',
            params: {},
          }),
          '10.1.1.1',
        ),
      ).reason,
    ).toMatch(/not in the allowlist/);
  });

  it('kindOf: status by path or by Event=Hangup', () => {
    expect(kindOf('/twilio/status', {})).toBe('status');
    expect(kindOf('/plivo/hangup?x=1', {})).toBe('status');
    expect(kindOf('/answer', { Event: 'Hangup' })).toBe('status');
    expect(kindOf('/answer?status=1', {})).toBe('answer');
  });
});
