/**
 * Send a signed webhook request (node's fetch) and read the answer defensively: redirects are
 * reported, not followed (providers differ; Exotel's Passthru treats 302 as "branch B"); the body
 * is cut off at a cap; timeouts, refused connections and TLS errors are reported with the reason.
 */
import type { SignedRequest } from './webhook-request.ts';

export const MAX_RESPONSE_BYTES = 256 * 1024;

export interface WebhookResponse {
  status: number;
  statusText: string;
  contentType: string;
  /** Redirect target when the status is 3xx. */
  location?: string;
  body: string;
  bytes: number;
  truncated: boolean;
  elapsedMs: number;
}

export type SendResult = { ok: true; response: WebhookResponse } | { ok: false; error: string; elapsedMs: number };

function describeError(err: unknown, timeoutMs: number): string {
  const e = err as Error & { cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return `no response within ${timeoutMs} ms (timeout)`;
  const code = e?.cause?.code;
  const msg = e?.cause?.message ?? e?.message ?? String(err);
  if (code === 'ECONNREFUSED') return `connection refused (${msg}): nothing listens at that address and port`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `host not found (${msg})`;
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return `the connection was closed before a full response (${msg})`;
  if (code && /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/i.test(code)) return `TLS error ${code}: ${msg}`;
  if (code && /HPE_|UND_ERR/.test(code)) return `malformed HTTP response (${code}: ${msg})`;
  return code ? `${code}: ${msg}` : msg;
}

async function readCapped(res: Response, cap: number): Promise<{ body: string; bytes: number; truncated: boolean }> {
  if (!res.body) return { body: '', bytes: 0, truncated: false };
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  let truncated = false;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    const room = cap - bytes;
    if (value.byteLength > room) {
      chunks.push(value.subarray(0, room));
      bytes += room;
      truncated = true;
      await reader.cancel().catch(() => undefined);
      break;
    }
    chunks.push(value);
    bytes += value.byteLength;
  }
  return { body: Buffer.concat(chunks).toString('utf8'), bytes, truncated };
}

export async function sendWebhook(req: SignedRequest, opts: { timeoutMs?: number; maxBytes?: number } = {}): Promise<SendResult> {
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const started = performance.now();
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const res = await fetch(req.url, { method: req.method, headers: req.headers, body: req.body, redirect: 'manual', signal });
    const read = await readCapped(res, opts.maxBytes ?? MAX_RESPONSE_BYTES);
    const response: WebhookResponse = {
      status: res.status,
      statusText: res.statusText,
      contentType: res.headers.get('content-type') ?? '',
      body: read.body,
      bytes: read.bytes,
      truncated: read.truncated,
      elapsedMs: Math.round(performance.now() - started),
    };
    const location = res.headers.get('location');
    if (location !== null) response.location = location;
    return { ok: true, response };
  } catch (err) {
    return { ok: false, error: describeError(err, timeoutMs), elapsedMs: Math.round(performance.now() - started) };
  }
}
