/**
 * Act as the platform behind a provider's webhook URLs: validate each request, answer an answer
 * callback with call instructions that dial a configured SIP URI, and record status callbacks as
 * per-call state transitions. Pure: the HTTP server lives in the shell.
 */
import { buildInstructions, emptyResponse, type DialSpec } from './build-instructions.ts';
import { callIdOf, statusOf, type WebhookKind } from './provider-params.ts';
import { requestParams, validateRequest, type IncomingRequest } from './validate-request.ts';
import type { Params, Provider, Verdict } from './types.ts';

export interface PlatformOptions {
  provider: Provider;
  tokens: string[];
  allowFrom?: string;
  dial: DialSpec;
}

export interface HandledRequest {
  provider: Provider;
  path: string;
  kind: WebhookKind;
  valid: boolean;
  reason: string;
  params: Params;
  /** For status callbacks: this call's state transition, e.g. "ringing → completed". */
  transition?: string;
  callId?: string;
  verdict: Verdict;
  response: { status: number; contentType: string; body: string };
}

/** Status callbacks go to a URL with status/hangup/callback in its path, or say Event=Hangup. */
export function kindOf(path: string, params: Params): WebhookKind {
  if (/status|hangup|callback|event/i.test(path.split('?')[0]!)) return 'status';
  if (params.Event === 'Hangup') return 'status';
  return 'answer';
}

export class PlatformHandler {
  /** Last known state of each call (CallSid / CallUUID), from its status callbacks. */
  readonly states = new Map<string, string>();

  private readonly opts: PlatformOptions;

  constructor(opts: PlatformOptions) {
    this.opts = opts;
  }

  handle(req: IncomingRequest): HandledRequest {
    const { provider } = this.opts;
    const { query, form } = requestParams(req);
    const params: Params = { ...query, ...form };
    delete params.token; // Exotel's per-phone secret is not a parameter to show.
    const path = req.url
      .replace(/^[a-z]+:\/\/[^/]*/i, '')
      .replace(/([?&])token=[^&#]*/, '$1token=****');
    let verdict: Verdict;
    try {
      verdict = validateRequest(req, this.opts);
    } catch (err) {
      verdict = { provider, valid: false, reason: (err as Error).message, tried: [] };
    }
    const kind = kindOf(path, params);
    const out: HandledRequest = {
      provider,
      path,
      kind,
      valid: verdict.valid,
      reason: verdict.reason,
      params,
      verdict,
      response: {
        status: 403,
        contentType: 'text/plain; charset=utf-8',
        body: `refused: ${verdict.reason}\n`,
      },
    };
    if (!verdict.valid) return out;
    if (kind === 'answer') {
      out.response = {
        status: 200,
        contentType: 'application/xml',
        body: buildInstructions(provider, this.opts.dial),
      };
      return out;
    }
    const callId = callIdOf(provider, params);
    const state = statusOf(provider, params);
    if (callId !== undefined && state !== undefined) {
      const prev = this.states.get(callId);
      this.states.set(callId, state);
      out.callId = callId;
      out.transition = `${prev ?? '(new)'} → ${state}`;
    }
    out.response = { status: 200, contentType: 'application/xml', body: emptyResponse() };
    return out;
  }
}
