/**
 * The parameters each provider really sends to an answer URL and a status callback, so a replay
 * looks like the real thing. `--param k=v` overrides or adds to them.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Params, Provider } from './types.ts';

export type WebhookKind = 'answer' | 'status';

function sid(prefix: string): string {
  return prefix + randomBytes(16).toString('hex');
}

export function defaultParams(provider: Provider, kind: WebhookKind, now = new Date()): Params {
  const from = '+15551230000';
  const to = '+15559870000';
  if (provider === 'twilio') {
    const base: Params = {
      AccountSid: sid('AC'),
      ApiVersion: '2010-04-01',
      CallSid: sid('CA'),
      Called: to,
      Caller: from,
      Direction: 'inbound',
      From: from,
      To: to,
      CallStatus: 'ringing',
    };
    if (kind === 'status')
      Object.assign(base, {
        CallStatus: 'completed',
        CallDuration: '5',
        Duration: '1',
        CallbackSource: 'call-progress-events',
        SequenceNumber: '0',
        Timestamp: now.toUTCString(),
      });
    return base;
  }
  if (provider === 'plivo') {
    const uuid = randomUUID();
    const base: Params = {
      CallUUID: uuid,
      ALegUUID: uuid,
      ALegRequestUUID: randomUUID(),
      RequestUUID: uuid,
      Direction: 'inbound',
      From: from.slice(1),
      To: to.slice(1),
      CallStatus: 'ringing',
      Event: 'StartApp',
      BillRate: '0.0085',
      ParentAuthID: 'MA' + randomBytes(9).toString('hex').toUpperCase(),
      SessionStart: now.toISOString().replace('T', ' ').replace('Z', ''),
    };
    if (kind === 'status')
      Object.assign(base, {
        CallStatus: 'completed',
        Event: 'Hangup',
        Duration: '5',
        BillDuration: '60',
        HangupCause: 'NORMAL_CLEARING',
        HangupCauseName: 'Normal Hangup',
        StartTime: now.toISOString(),
        EndTime: now.toISOString(),
        TotalCost: '0.00850',
      });
    return base;
  }
  const base: Params = {
    CallSid: randomBytes(16).toString('hex'),
    CallFrom: '0' + from.slice(3),
    CallTo: '0' + to.slice(3),
    From: '0' + from.slice(3),
    To: '0' + to.slice(3),
    Direction: 'incoming',
    CallType: 'call-attempt',
    Created: now.toUTCString(),
    CurrentTime: now.toISOString().replace('T', ' ').slice(0, 19),
    DialCallDuration: '0',
    digits: '',
  };
  if (kind === 'status')
    Object.assign(base, {
      Status: 'completed',
      CallType: 'completed',
      DialCallStatus: 'completed',
      DialCallDuration: '5',
      DateUpdated: now.toISOString().replace('T', ' ').slice(0, 19),
      RecordingUrl: '',
    });
  return base;
}

/** The call's state as a status callback names it, for the transition log. */
export function statusOf(provider: Provider, params: Params): string | undefined {
  const pick = (k: string): string | undefined => {
    const v = params[k];
    return Array.isArray(v) ? v[0] : v;
  };
  if (provider === 'exotel') return pick('Status') ?? pick('DialCallStatus') ?? pick('CallType');
  return pick('CallStatus');
}

export function callIdOf(provider: Provider, params: Params): string | undefined {
  const v = params[provider === 'plivo' ? 'CallUUID' : 'CallSid'];
  return Array.isArray(v) ? v[0] : v;
}
