/**
 * One provider → platform exchange, as `webhook send` and the GUI's Webhooks view do it: build the
 * signed request, send it, judge the answer, parse the call instructions. Secrets are masked in
 * the report unless `showSecrets`; the unmasked instructions are returned for --follow.
 */
import type { WebhookSendReport } from '../../shared/api/webhook-contract.ts';
import {
  maskInstructions,
  maskInstructionsText,
  type CallInstructions,
  type InstructionsError,
} from './call-instructions.ts';
import { parseInstructions } from './parse-instructions.ts';
import { defaultParams, type WebhookKind } from './provider-params.ts';
import { sendWebhook } from './send-webhook.ts';
import type { Params, Provider } from './types.ts';
import { buildSignedRequest, type SignedRequest } from './webhook-request.ts';

export interface ExchangeInput {
  provider: Provider;
  url: string;
  token: string;
  kind: WebhookKind;
  params: Params;
  method?: 'GET' | 'POST';
  tamper?: boolean;
  signUrl?: string;
  timeoutMs?: number;
  maxBytes?: number;
  localAddress?: string;
  tlsInsecure?: boolean;
  showSecrets?: boolean;
  /** The caller means to follow: an Exotel 302/200 without ExoML is then a failure. */
  follow?: boolean;
}

export interface Exchange {
  report: WebhookSendReport;
  request: SignedRequest;
  instructions?: CallInstructions;
}

export function showUrl(url: string, showSecrets: boolean | undefined): string {
  return showSecrets ? url : url.replace(/([?&]token=)[^&#]*/, '$1****');
}

export async function runExchange(input: ExchangeInput): Promise<Exchange> {
  const { provider, kind } = input;
  const params = { ...defaultParams(provider, kind), ...input.params };
  const req = buildSignedRequest({
    provider,
    url: input.url,
    token: input.token,
    params,
    method: input.method,
    tamper: input.tamper,
    signUrl: input.signUrl,
  });
  const sent = await sendWebhook(req, {
    timeoutMs: input.timeoutMs,
    maxBytes: input.maxBytes,
    localAddress: input.localAddress,
    tlsInsecure: input.tlsInsecure,
  });
  const secret = input.showSecrets;
  const report: WebhookSendReport = {
    command: 'webhook-send',
    provider,
    kind,
    ok: false,
    reason: '',
    request: {
      method: req.method,
      url: showUrl(req.url, secret),
      signedUrl: input.signUrl ?? null,
      headers: req.headers,
      body: req.body ?? null,
      tampered: req.tampered ?? null,
    },
    response: null,
    instructions: null,
    instructionsError: null,
  };
  let instructions: CallInstructions | undefined;
  if (!sent.ok) {
    report.reason = `request failed: ${sent.error}`;
    return { report, request: req };
  }
  const res = sent.response;
  report.response = secret ? res : { ...res, body: maskInstructionsText(res.body) };
  const cut = res.truncated ? ` (body cut off at ${res.bytes} bytes)` : '';
  if (res.status >= 300 && res.status < 400) {
    const branchB = provider === 'exotel' && res.status === 302;
    report.ok = branchB && !input.follow;
    report.reason = branchB
      ? `302 Found: Exotel's Passthru takes branch B${res.location ? ` (Location ${res.location}, not followed)` : ''}`
      : `HTTP ${res.status} redirect to ${res.location ?? '(no Location)'}: not followed (providers expect the answer at the configured URL)`;
  } else if (res.status < 200 || res.status >= 300) {
    const body = secret ? res.body : maskInstructionsText(res.body);
    report.reason = `HTTP ${res.status} ${res.statusText}: the platform refused the ${kind} callback${body ? `: ${body.trim().slice(0, 300)}` : ''}${cut}`;
  } else if (kind === 'status') {
    report.ok = true;
    report.reason = `HTTP ${res.status}: status callback accepted${cut}`;
  } else if (provider === 'exotel' && !/^\s*</.test(res.body) && !input.follow) {
    report.ok = true;
    report.reason = `HTTP ${res.status}: Exotel's Passthru takes branch A (no ExoML in the body)${cut}`;
  } else {
    try {
      instructions = parseInstructions(provider, res.body);
      report.instructions = secret ? instructions : maskInstructions(instructions);
      report.ok = true;
      const t = instructions.targets[0];
      const what = t
        ? `dial ${t.uri}${t.transport ? ` over ${t.transport}` : ''}${t.username !== undefined ? ` as ${t.username} (digest, from ${t.credentialsFrom})` : ''}`
        : `dial number ${instructions.numbers.join(', ')}`;
      report.reason = `HTTP ${res.status}: ${what}${cut}`;
    } catch (err) {
      const e = err as InstructionsError;
      report.instructionsError = { message: e.message, element: e.element ?? null };
      report.reason = `HTTP ${res.status} but the call instructions are unusable: ${e.message}${res.truncated ? ` (the body was cut off at ${res.bytes} bytes)` : ''}`;
    }
  }
  return { report, request: req, instructions };
}
