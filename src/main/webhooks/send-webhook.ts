/**
 * Send a signed webhook request and read the answer defensively: redirects are reported, not
 * followed (providers differ; Exotel's Passthru treats 302 as "branch B"); the body is cut off at
 * a cap; timeouts, refused connections, malformed HTTP and TLS errors are reported with the reason.
 * node:http/https rather than fetch so the source address can be chosen (an allowlist test).
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { SignedRequest } from './webhook-request.ts';
import type { WebhookResponse } from '../../shared/api/webhook-contract.ts';

export const MAX_RESPONSE_BYTES = 256 * 1024;

export type { WebhookResponse };

export type SendResult =
  { ok: true; response: WebhookResponse } | { ok: false; error: string; elapsedMs: number };

export interface SendOptions {
  timeoutMs?: number;
  maxBytes?: number;
  /** Local address to send from. */
  localAddress?: string;
  /** Accept a self-signed or unverifiable server certificate. */
  tlsInsecure?: boolean;
}

function describeError(err: NodeJS.ErrnoException): string {
  const code = err.code;
  const msg = err.message;
  if (code === 'ECONNREFUSED')
    return `connection refused (${msg}): nothing listens at that address and port`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `host not found (${msg})`;
  if (code === 'ECONNRESET') return `the connection was closed before a full response (${msg})`;
  if (code === 'EADDRNOTAVAIL') return `cannot send from that local address (${msg})`;
  if (
    (code && /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|HOSTNAME|EPROTO/i.test(code)) ||
    /SSL routines|TLS/i.test(msg)
  )
    return `TLS error ${code ?? ''}: ${msg}`;
  if (code && /^HPE_/.test(code)) return `malformed HTTP response (${code}: ${msg})`;
  return code ? `${code}: ${msg}` : msg;
}

export function sendWebhook(req: SignedRequest, opts: SendOptions = {}): Promise<SendResult> {
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const cap = opts.maxBytes ?? MAX_RESPONSE_BYTES;
  const started = performance.now();
  const elapsed = (): number => Math.round(performance.now() - started);
  return new Promise((resolve) => {
    let url: URL;
    try {
      url = new URL(req.url);
    } catch {
      resolve({ ok: false, error: `not a URL: ${req.url}`, elapsedMs: 0 });
      return;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      resolve({
        ok: false,
        error: `unsupported scheme ${url.protocol} (http or https)`,
        elapsedMs: 0,
      });
      return;
    }
    let settled = false;
    const done = (r: SendResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
    };
    const make = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const headers: Record<string, string> = { ...req.headers };
    if (req.body !== undefined) headers['content-length'] = String(Buffer.byteLength(req.body));
    const r = make(
      url,
      {
        method: req.method,
        headers,
        localAddress: opts.localAddress,
        rejectUnauthorized: !opts.tlsInsecure,
      },
      (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let bytes = 0;
        let truncated = false;
        const finish = (): void => {
          const response: WebhookResponse = {
            status: res.statusCode ?? 0,
            statusText: res.statusMessage ?? '',
            contentType: String(res.headers['content-type'] ?? ''),
            body: Buffer.concat(chunks).toString('utf8'),
            bytes,
            truncated,
            elapsedMs: elapsed(),
          };
          if (res.headers.location !== undefined) response.location = res.headers.location;
          done({ ok: true, response });
        };
        res.on('data', (chunk: Buffer) => {
          if (truncated) return;
          const room = cap - bytes;
          if (chunk.byteLength > room) {
            chunks.push(chunk.subarray(0, room));
            bytes += room;
            truncated = true;
            finish();
            res.destroy();
            return;
          }
          chunks.push(chunk);
          bytes += chunk.byteLength;
        });
        res.on('end', finish);
        res.on('aborted', () =>
          done({
            ok: false,
            error: `the response was cut off after ${bytes} bytes (connection closed mid-body)`,
            elapsedMs: elapsed(),
          }),
        );
        res.on('error', (err) =>
          truncated
            ? undefined
            : done({
                ok: false,
                error: `the response was cut off after ${bytes} bytes: ${describeError(err)}`,
                elapsedMs: elapsed(),
              }),
        );
      },
    );
    const timer = setTimeout(() => {
      done({
        ok: false,
        error: `no complete response within ${timeoutMs} ms (timeout)`,
        elapsedMs: elapsed(),
      });
      r.destroy();
    }, timeoutMs);
    r.on('error', (err: NodeJS.ErrnoException) =>
      done({ ok: false, error: describeError(err), elapsedMs: elapsed() }),
    );
    r.end(req.body);
  });
}
