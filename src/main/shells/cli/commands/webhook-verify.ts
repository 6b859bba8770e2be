/** `trunkscope webhook verify`: is this captured provider request valid for this token, and if not, why? */
import type { Command } from 'commander';
import { collect, UsageError } from '../common.ts';
import { webhooks } from '../../../engine/index.ts';
import {
  headersArg,
  methodArg,
  paramsArg,
  providerArg,
  readBodyFile,
  tokensArg,
  urlArg,
} from './webhook-args.ts';

interface VerifyOpts {
  provider?: string;
  token?: string;
  url?: string;
  header: string[];
  signature?: string;
  nonce?: string;
  body?: string;
  param: string[];
  method?: string;
  source?: string;
  allowFrom?: string;
  json?: boolean;
}

export function registerWebhookVerify(
  parent: Command,
  run: (fn: () => Promise<number>) => Promise<void>,
): void {
  parent
    .command('verify')
    .description(
      'validate a captured provider request (signature, allowlist, token) and say why it fails',
    )
    .option('--provider <name>', 'twilio, plivo or exotel')
    .option(
      '--token <token>',
      'auth token (Exotel: the per-phone ?token=); old,new to accept both during a rotation',
    )
    .option('--url <url>', 'the webhook URL as configured for the number (with its query string)')
    .option(
      '--header <line>',
      'a request header "Name: value", e.g. "X-Twilio-Signature: …" (repeatable)',
      collect,
      [],
    )
    .option(
      '--signature <sig>',
      'shortcut for the signature header (X-Twilio-Signature / X-Plivo-Signature-V3)',
    )
    .option('--nonce <nonce>', 'shortcut for X-Plivo-Signature-V3-Nonce')
    .option('--body <file>', 'the raw request body (form-encoded or JSON)')
    .option('--param <k=v>', 'a POST form parameter (repeatable; instead of --body)', collect, [])
    .option('--method <m>', 'GET or POST', 'POST')
    .option('--source <ip>', 'the source IP of the request (Exotel allowlist)')
    .option(
      '--allow-from <list>',
      'Exotel: comma list of allowed IPs / IPv4 ranges; an empty list refuses everything',
    )
    .option('--json', 'print one JSON object')
    .action((o: VerifyOpts) =>
      run(async () => {
        const provider = providerArg(o.provider);
        const url = urlArg(o.url);
        const tokens = tokensArg(o.token, provider !== 'exotel');
        const method = methodArg(o.method) ?? 'POST';
        if (o.body !== undefined && o.param.length > 0)
          throw new UsageError('--body and --param: give one or the other');
        const headers = headersArg(o.header);
        if (o.signature !== undefined)
          headers[
            provider === 'plivo'
              ? webhooks.PLIVO_SIGNATURE_HEADER
              : webhooks.TWILIO_SIGNATURE_HEADER
          ] = o.signature;
        if (o.nonce !== undefined) headers[webhooks.PLIVO_NONCE_HEADER] = o.nonce;
        let body = '';
        if (o.body !== undefined) {
          body = readBodyFile(o.body);
          if (headers['content-type'] === undefined)
            headers['content-type'] = /^\s*[[{]/.test(body)
              ? 'application/json'
              : 'application/x-www-form-urlencoded';
        } else if (o.param.length > 0) {
          body = webhooks.encodeForm(paramsArg(o.param));
          headers['content-type'] = 'application/x-www-form-urlencoded';
        }
        let verdict: webhooks.Verdict;
        try {
          verdict = webhooks.validateRequest(
            { method, url, headers, body, source: o.source },
            { provider, tokens, allowFrom: o.allowFrom },
          );
        } catch (err) {
          if (err instanceof webhooks.AllowListError)
            throw new UsageError(`--allow-from: ${err.message}`);
          throw err;
        }
        const report = {
          command: 'webhook-verify',
          provider,
          valid: verdict.valid,
          reason: verdict.reason,
          tried: verdict.tried,
          likelySigned: verdict.likelySigned,
          bodyHashMatch: verdict.bodyHashMatch,
        };
        if (o.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        else {
          const lines = [`${verdict.valid ? 'valid' : 'invalid'}: ${verdict.reason}`];
          for (const t of verdict.tried)
            lines.push(
              `  ${t.match ? 'MATCH' : '     '} ${t.signature}  ${t.url}${t.variant ? `  (${t.variant}${t.token && tokens.length > 1 ? `, token #${t.token}` : ''})` : ''}`,
            );
          process.stdout.write(`${lines.join('\n')}\n`);
        }
        return verdict.valid ? 0 : 1;
      }),
    );
}
