/**
 * Issue 15 item 1: 3000 stray responses with 60 KB Call-IDs sent to a real stack on 127.0.0.1.
 * Before the fix each became a permanent per-Call-ID counter keyed by the whole value (180 MB of
 * keys, RSS 115 → 475 MB); now the counters are bounded in count and bytes and keys are cut.
 */
import { createSocket } from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SipStack } from '../../../src/main/engine/stack/sip-stack.ts';
import { MAX_CALL_ID_KEY } from '../../../src/main/sip/syntax/header-scan.ts';

let stack: SipStack;
beforeAll(async () => {
  stack = await SipStack.start({ listen: [{ proto: 'udp', address: '127.0.0.1', port: 0 }], defaultProto: 'udp', traceLimit: 100_000 });
});
afterAll(async () => {
  await stack.close();
});

describe('stray Call-IDs', () => {
  it('3000 datagrams with 60 KB Call-IDs keep the stack tables bounded', async () => {
    const port = stack.transport.listeners[0]!.local.port;
    const sock = createSocket('udp4');
    const pad = 'x'.repeat(60_000);
    for (let i = 0; i < 3000; i++) {
      const d = Buffer.from(`SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bK${i}\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:a@b>\r\nCall-ID: ${i}-${pad}\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n`);
      await new Promise<void>((r, j) => sock.send(d, port, '127.0.0.1', (e) => (e ? j(e) : r())));
      // Paced by what the stack has read, so the kernel's buffer does not drop them.
      const wait = Date.now() + 2000;
      while (stack.totals.received < i - 40 && Date.now() < wait) await new Promise((r) => setTimeout(r, 2));
    }
    sock.close();
    const deadline = Date.now() + 10_000;
    while (stack.totals.received < 2900 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(stack.totals.received).toBeGreaterThan(2500);
    const t = stack.tableSizes();
    // Counter keys are cut to 256 characters: 3000 × ~0.5 KB, not 3000 × 120 KB.
    expect(t.countBytes).toBeLessThan(4 * 1024 * 1024);
    expect(stack.trace.every((r) => (r.callId?.length ?? 0) <= MAX_CALL_ID_KEY)).toBe(true);
    // The kept trace is bounded by bytes (64 MiB default), not only by count.
    expect(t.counts).toBeGreaterThan(2500);
    expect(t.traceBytes).toBeLessThanOrEqual(64 * 1024 * 1024 + 70_000);
  });
});
