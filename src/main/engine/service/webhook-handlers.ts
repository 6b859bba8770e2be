/**
 * The contract's `webhook.send` and `webhook.verify` (issue 13): the GUI's Webhooks view runs the
 * same exchange and validation as `trunkscope webhook send|verify`. Secrets stay masked.
 */
import type { z } from 'zod';
import type { CommandResult, commands } from '../../../shared/api/contract.ts';
import { runExchange } from '../../webhooks/webhook-exchange.ts';
import { splitTokens } from '../../webhooks/hmac.ts';
import { validateRequest } from '../../webhooks/validate-request.ts';

type WebhookCommand = 'webhook.send' | 'webhook.verify';
type Args<K extends WebhookCommand> = z.output<(typeof commands)[K]['args']>;

export function webhookHandlers(): {
  [K in WebhookCommand]: (args: Args<K>) => Promise<CommandResult<K>>;
} {
  return {
    'webhook.send': async (a) => {
      const { report } = await runExchange({
        provider: a.provider,
        url: a.url,
        token: a.token,
        kind: a.kind,
        params: a.params,
        method: a.method,
        tamper: a.tamper,
        signUrl: a.signUrl,
        timeoutMs: a.timeoutSec * 1000,
      });
      return report;
    },
    'webhook.verify': async (a) => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(a.headers)) headers[k.toLowerCase()] = v;
      if (a.body && headers['content-type'] === undefined)
        headers['content-type'] = /^\s*[[{]/.test(a.body)
          ? 'application/json'
          : 'application/x-www-form-urlencoded';
      const v = validateRequest(
        { method: a.method, url: a.url, headers, body: a.body, source: a.source },
        { provider: a.provider, tokens: splitTokens(a.token), allowFrom: a.allowFrom },
      );
      return {
        command: 'webhook-verify' as const,
        provider: a.provider,
        valid: v.valid,
        reason: v.reason,
        tried: v.tried,
        likelySigned: v.likelySigned,
        bodyHashMatch: v.bodyHashMatch,
      };
    },
  };
}
