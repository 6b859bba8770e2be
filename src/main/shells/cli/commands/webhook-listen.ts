/**
 * `trunkscope webhook listen`: act as the platform. An HTTP server (node:http) that validates each
 * callback as the platform would, answers answer callbacks with instructions that dial a SIP URI
 * (default the built-in agent) and records status callbacks.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Command } from 'commander';
import { UsageError } from '../common.ts';
import { webhooks } from '../../../engine/index.ts';
import { providerArg, secondsArg, tokensArg, urlArg } from './webhook-args.ts';
import { addSecretOptions, applySecret, DIAL_PASSWORD_SPEC } from '../password-source.ts';

const MAX_REQUEST_BODY = 1024 * 1024;

interface ListenOpts {
  port: string;
  bind: string;
  provider?: string;
  token?: string;
  allowFrom?: string;
  dial: string;
  dialUser?: string;
  dialPassword?: string;
  dialPasswordStdin?: boolean;
  dialPasswordFile?: string;
  callerId?: string;
  dialTimeout?: string;
  publicUrl?: string;
  duration?: string;
  json?: boolean;
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.byteLength;
      if (size > MAX_REQUEST_BODY) {
        resolve(undefined);
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(undefined));
  });
}

export function registerWebhookListen(
  parent: Command,
  run: (fn: () => Promise<number>) => Promise<void>,
): void {
  const cmd = parent
    .command('listen')
    .description(
      'act as the platform: receive provider callbacks, validate them, answer with instructions that dial a SIP URI',
    )
    .option('--port <n>', 'HTTP port (0: any free port)', '8080')
    .option('--bind <address>', 'address to listen on', '127.0.0.1')
    .option('--provider <name>', 'twilio, plivo or exotel')
    .option(
      '--token <token>',
      'auth token (Exotel: the per-phone ?token=); old,new accepts both during a rotation',
    )
    .option(
      '--allow-from <list>',
      'Exotel: comma list of allowed source IPs / IPv4 ranges (absent or empty: refuse everything)',
    )
    .option('--dial <uri>', 'SIP URI the answer instructions dial', 'sip:agent@127.0.0.1:5060')
    .option(
      '--dial-user <name>',
      'digest user for the dialled trunk (TwiML <Sip username>, PlivoXML sip:USER:PASS@)',
    );
  // issue 15: also --dial-password-stdin, --dial-password-file, $TRUNKSCOPE_DIAL_PASSWORD
  addSecretOptions(cmd, DIAL_PASSWORD_SPEC, 'digest password for the dialled trunk');
  cmd
    .option('--caller-id <id>', 'callerId on <Dial>')
    .option('--dial-timeout <s>', 'timeout on <Dial> (seconds to ring)')
    .option(
      '--public-url <base>',
      'scheme://host[:port] the provider uses to reach this server (signatures cover it; default http://<Host header>)',
    )
    .option('--duration <s>', 'stop after S seconds (default: until Ctrl-C)')
    .option('--json', 'print one JSON object per request as it arrives')
    .action((o: ListenOpts, self: Command) =>
      run(async () => {
        await applySecret(DIAL_PASSWORD_SPEC, o, self, o.dialUser !== undefined);
        const provider = providerArg(o.provider);
        const tokens = tokensArg(o.token, provider !== 'exotel');
        const port = Number(o.port);
        if (!/^\d+$/.test(o.port) || port > 65535)
          throw new UsageError(`--port: expected 0..65535, got "${o.port}"`);
        if (!/^sips?:/i.test(o.dial))
          throw new UsageError(`--dial: expected a sip: or sips: URI, got "${o.dial}"`);
        if ((o.dialUser === undefined) !== (o.dialPassword === undefined))
          throw new UsageError('--dial-user and --dial-password go together');
        const publicUrl =
          o.publicUrl !== undefined
            ? urlArg(o.publicUrl, '--public-url').replace(/\/+$/, '')
            : undefined;
        const durationS = secondsArg('duration', o.duration, 0);
        const dialTimeout = secondsArg('dial-timeout', o.dialTimeout, 1);
        let allowFrom = o.allowFrom;
        if (provider === 'exotel') {
          try {
            webhooks.parseAllowList(allowFrom ?? '');
          } catch (err) {
            throw new UsageError(`--allow-from: ${(err as Error).message}`);
          }
          if (allowFrom === undefined) {
            process.stderr.write(
              'trunkscope: no --allow-from: the Exotel allowlist is empty, so every request is refused\n',
            );
            allowFrom = '';
          }
        }
        const handler = new webhooks.PlatformHandler({
          provider,
          tokens,
          allowFrom,
          dial: {
            uri: o.dial,
            username: o.dialUser,
            password: o.dialPassword,
            callerId: o.callerId,
            timeoutS: dialTimeout,
          },
        });
        let count = 0;
        const server = createServer((req: IncomingMessage, res: ServerResponse) => {
          void (async () => {
            const body = await readBody(req);
            if (body === undefined) {
              res
                .writeHead(413, { 'content-type': 'text/plain' })
                .end(`request body over ${MAX_REQUEST_BODY} bytes\n`);
              return;
            }
            const headers: Record<string, string | undefined> = {};
            for (const [k, v] of Object.entries(req.headers))
              headers[k] = Array.isArray(v) ? v.join(', ') : v;
            const base = publicUrl ?? `http://${req.headers.host ?? `${o.bind}:${port}`}`;
            const handled = handler.handle({
              method: req.method ?? 'GET',
              url: base + (req.url ?? '/'),
              headers,
              body,
              source: req.socket.remoteAddress,
            });
            count++;
            res
              .writeHead(handled.response.status, { 'content-type': handled.response.contentType })
              .end(handled.response.body);
            if (o.json) {
              const line = {
                provider,
                path: handled.path,
                kind: handled.kind,
                valid: handled.valid,
                reason: handled.reason,
                params: handled.params,
                source: req.socket.remoteAddress ?? null,
                transition: handled.transition ?? null,
              };
              process.stdout.write(`${JSON.stringify(line)}\n`);
            } else {
              process.stdout.write(
                `${req.method} ${handled.path} ${handled.kind} ${handled.valid ? 'valid' : 'INVALID'}: ${handled.reason}${handled.transition ? ` [${handled.callId}: ${handled.transition}]` : ''}\n`,
              );
            }
          })().catch((err: unknown) => {
            process.stderr.write(`trunkscope: webhook request failed: ${(err as Error).message}\n`);
            if (!res.headersSent) res.writeHead(500).end();
          });
        });
        await new Promise<void>((resolve, reject) => {
          server.once('error', (err) =>
            reject(new Error(`cannot listen on ${o.bind}:${port}: ${err.message}`)),
          );
          server.listen(port, o.bind, () => resolve());
        });
        const addr = server.address();
        const actual = addr && typeof addr === 'object' ? addr.port : port;
        process.stderr.write(
          `trunkscope webhook listening on http://${o.bind.includes(':') ? `[${o.bind}]` : o.bind}:${actual} (${provider}; answer dials ${o.dial})\n`,
        );
        await new Promise<void>((resolve) => {
          const stop = (): void => resolve();
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
          if (durationS !== undefined) setTimeout(stop, durationS * 1000).unref();
        });
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        process.stderr.write(`trunkscope webhook: ${count} request(s) handled\n`);
        return 0;
      }),
    );
}
