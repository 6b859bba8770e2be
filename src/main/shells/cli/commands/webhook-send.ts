/**
 * `trunkscope webhook send`: act as the provider. Send a signed (or --tamper'ed) answer or status
 * callback, show the response, parse the call instructions; with --follow, place the SIP call they
 * describe through the `call` command itself.
 */
import type { Command } from 'commander';
import { collect, UsageError } from '../common.ts';
import { webhooks } from '../../../engine/index.ts';
import {
  methodArg,
  paramsArg,
  providerArg,
  secondsArg,
  tokensArg,
  urlArg,
  type RunCommand,
} from './webhook-args.ts';

interface SendOpts {
  provider?: string;
  url?: string;
  token?: string;
  param: string[];
  method?: string;
  kind: string;
  tamper?: boolean;
  follow?: boolean;
  duration: string;
  callArg: string[];
  httpTimeout: string;
  maxBytes: string;
  source?: string;
  signUrl?: string;
  tlsInsecure?: boolean;
  showSecrets?: boolean;
  json?: boolean;
}

export function registerWebhookSend(
  parent: Command,
  run: (fn: () => Promise<number>) => Promise<void>,
  runCommand: RunCommand,
): void {
  parent
    .command('send')
    .description(
      'act as the provider: send a signed answer or status callback and parse the call instructions it returns',
    )
    .option('--provider <name>', 'twilio, plivo or exotel')
    .option('--url <url>', "the platform's answer or status URL")
    .option(
      '--token <token>',
      'the auth token to sign with (Exotel: the per-phone token, sent as ?token=)',
    )
    .option('--param <k=v>', 'add or override a callback parameter (repeatable)', collect, [])
    .option('--method <m>', 'GET or POST (default: POST; Exotel GET)')
    .option('--kind <kind>', 'answer or status', 'answer')
    .option(
      '--tamper',
      'break the request on purpose: change a parameter after signing (Exotel: a wrong token)',
    )
    .option(
      '--follow',
      'place the SIP call the returned instructions describe (through `trunkscope call`)',
    )
    .option('--duration <s>', 'with --follow: seconds to stay connected', '3')
    .option(
      '--call-arg <arg>',
      'with --follow: an extra argument for `trunkscope call` (repeatable, e.g. --call-arg=--codec --call-arg=PCMA)',
      collect,
      [],
    )
    .option('--http-timeout <s>', 'seconds to wait for the HTTP response', '15')
    .option(
      '--max-bytes <n>',
      'cut the response body off after n bytes',
      String(webhooks.MAX_RESPONSE_BYTES),
    )
    .option('--source <ip>', 'local address to send from (e.g. 127.0.0.2 to test an allowlist)')
    .option(
      '--sign-url <url>',
      'sign as if the provider had requested this URL (the public URL in front of a proxy); default --url',
    )
    .option('--tls-insecure', 'accept a self-signed or unverifiable HTTPS certificate')
    .option('--show-secrets', 'print tokens and SIP passwords instead of masking them')
    .option('--json', 'print one JSON object (then the call report, with --follow)')
    .action((o: SendOpts) =>
      run(async () => {
        const provider = providerArg(o.provider);
        const url = urlArg(o.url);
        const tokens = tokensArg(o.token, true);
        if (o.kind !== 'answer' && o.kind !== 'status')
          throw new UsageError(`--kind: expected answer or status, got "${o.kind}"`);
        const kind = o.kind;
        if (o.follow && kind !== 'answer')
          throw new UsageError(
            '--follow needs --kind answer (a status callback returns no call instructions)',
          );
        const method = methodArg(o.method);
        const signUrl = o.signUrl !== undefined ? urlArg(o.signUrl, '--sign-url') : undefined;
        const timeoutS = secondsArg('http-timeout', o.httpTimeout, 0.1)!;
        const maxBytes = secondsArg('max-bytes', o.maxBytes, 1)!;
        const durationS = secondsArg('duration', o.duration, 0)!;
        const secret = o.showSecrets;
        const {
          report,
          request: req,
          instructions,
        } = await webhooks.runExchange({
          provider,
          url,
          token: tokens[0]!,
          kind,
          params: paramsArg(o.param),
          method,
          tamper: o.tamper,
          signUrl,
          timeoutMs: timeoutS * 1000,
          maxBytes: Math.floor(maxBytes),
          localAddress: o.source,
          tlsInsecure: o.tlsInsecure,
          showSecrets: secret,
          follow: o.follow,
        });
        let callArgs: string[] | undefined;
        if (o.follow && report.ok && instructions) {
          try {
            callArgs = webhooks.followArgs(instructions, {
              durationS,
              json: o.json,
              extra: o.callArg,
            });
          } catch (err) {
            report.ok = false;
            report.reason = `cannot follow: ${(err as Error).message}`;
          }
        }
        if (callArgs) report.follow = ['call', ...maskArgs(callArgs, secret)];
        if (o.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        else process.stdout.write(`${human(report, req, secret).join('\n')}\n`);
        if (!report.ok) return 1;
        if (!callArgs) return 0;
        // The call's own report follows; its exit code is ours.
        return runCommand(['call', ...callArgs]);
      }),
    );
}

function maskArgs(args: string[], show: boolean | undefined): string[] {
  if (show) return args;
  return args.map((a, i) => (args[i - 1] === '--password' ? '****' : a));
}

function human(
  report: webhooks.WebhookSendReport,
  req: webhooks.SignedRequest,
  secret: boolean | undefined,
): string[] {
  const lines = [`> ${req.method} ${webhooks.showUrl(req.url, secret)}`];
  for (const [k, v] of Object.entries(req.headers)) lines.push(`> ${k}: ${v}`);
  if (req.body) lines.push(`> ${req.body.length > 400 ? `${req.body.slice(0, 400)}…` : req.body}`);
  if (req.tampered) lines.push(`  (tampered: ${req.tampered})`);
  const res = report.response; // already masked unless --show-secrets
  if (res) {
    lines.push(
      `< ${res.status} ${res.statusText} (${res.elapsedMs} ms, ${res.bytes} bytes${res.truncated ? ', cut off' : ''})`,
    );
    if (res.body)
      lines.push(
        ...res.body
          .trim()
          .slice(0, 2000)
          .split('\n')
          .map((l) => `< ${l}`),
      );
  }
  lines.push(`${report.ok ? 'ok' : 'failed'}: ${report.reason}`);
  if (report.follow) lines.push(`following: trunkscope ${report.follow.join(' ')}`);
  return lines;
}
