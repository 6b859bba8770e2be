/** Shared helpers for the transport integration tests: event waits with hard timeouts, messages. */
import { createRequest, Headers, type SipMessage } from '../../../src/main/sip/syntax/message.ts';
import type { TransportLayer, TransportEvents } from '../../../src/main/sip/transport/transport-layer.ts';
import type { TraceRecord } from '../../../src/main/sip/transport/types.ts';

/** Resolve with the next `event` satisfying `pred`, or reject after `ms`. */
export function next<K extends keyof TransportEvents>(
  layer: TransportLayer,
  event: K,
  pred: (...args: TransportEvents[K]) => boolean = () => true,
  ms = 3000,
): Promise<TransportEvents[K]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      layer.off(event, fn);
      reject(new Error(`timed out waiting for ${event}`));
    }, ms);
    const fn = (...args: TransportEvents[K]): void => {
      if (!pred(...args)) return;
      clearTimeout(timer);
      layer.off(event, fn);
      resolve(args);
    };
    layer.on(event, fn);
  });
}

/** Collect every trace record a layer emits. */
export function traces(layer: TransportLayer): TraceRecord[] {
  const out: TraceRecord[] = [];
  layer.on('trace', (r) => out.push(r));
  return out;
}

let seq = 0;
export function options(via: string, extra: Array<[string, string]> = []): SipMessage {
  seq++;
  const h = new Headers([
    ['Via', via],
    ['Max-Forwards', '70'],
    ['From', `<sip:a@example.com>;tag=t${seq}`],
    ['To', '<sip:b@example.com>'],
    ['Call-ID', `call-${seq}@test`],
    ['CSeq', `${seq} OPTIONS`],
    ...extra,
    ['Content-Length', '0'],
  ]);
  return createRequest('OPTIONS', 'sip:b@example.com', h);
}

/** A wire message as text with CRLFs (for raw sockets). */
export function wire(callId: string, bodyText = ''): string {
  return (
    'MESSAGE sip:b@example.com SIP/2.0\r\n' +
    'Via: SIP/2.0/TCP 127.0.0.1:5999;branch=z9hG4bK' + callId + '\r\n' +
    'Max-Forwards: 70\r\n' +
    'From: <sip:a@example.com>;tag=1\r\n' +
    'To: <sip:b@example.com>\r\n' +
    `Call-ID: ${callId}\r\n` +
    'CSeq: 1 MESSAGE\r\n' +
    'Content-Type: text/plain\r\n' +
    `Content-Length: ${Buffer.byteLength(bodyText)}\r\n` +
    '\r\n' +
    bodyText
  );
}

export function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Count active handles of the given kinds once earlier tests' sockets have finished closing. */
export async function settledHandles(kinds: string[]): Promise<number> {
  const count = (): number => process.getActiveResourcesInfo().filter((r) => kinds.includes(r)).length;
  let last = count();
  for (let i = 0; i < 50; i++) {
    await delay(20);
    const c = count();
    if (c === last) return c;
    last = c;
  }
  return last;
}
