/**
 * A stranger's requests outside any dialog against `trunkscope listen`: every final response
 * carries a To tag (RFC 3261 §8.2.6.2), Supported names only what is implemented, NOTIFY without
 * a subscription gets 481 (RFC 6665 §4.1.3) and MESSAGE gets 200 or 415 by its body (RFC 3428 §7).
 * Checked on the wire as SIPp traced it, and in our own --trace.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { stopAllStarted } from '../../support/processes.ts';
import { sippUacToListen } from '../../support/sip-flows.ts';

afterEach(stopAllStarted);

/** The responses in SIPp's -trace_msg file: status line and To header of each. */
function responsesIn(messages: string): Array<{ status: number; to: string; supported?: string }> {
  const out: Array<{ status: number; to: string; supported?: string }> = [];
  for (const block of messages.split(/\n(?=SIP\/2\.0 \d{3} )/)) {
    const m = /^SIP\/2\.0 (\d{3}) /.exec(block);
    if (!m) continue;
    const to = /^(?:To|t):\s*(.*)$/im.exec(block)?.[1] ?? '';
    const supported = /^(?:Supported|k):\s*(.*)$/im.exec(block)?.[1];
    out.push({ status: Number(m[1]), to, supported });
  }
  return out;
}

describe('responses outside a dialog', () => {
  it('OPTIONS 200, SUBSCRIBE 405, BYE 481, Require 420, NOTIFY 481, MESSAGE 200/415 all carry a To tag', async () => {
    const { listen, sipp, why } = await sippUacToListen('uac-out-of-dialog', 'udp', ['--answer', 'echo']);
    expect(sipp.code, why).toBe(0);
    const finals = responsesIn(sipp.messages).filter((r) => r.status >= 200);
    expect(finals.map((r) => r.status), why).toEqual([200, 405, 481, 420, 481, 200, 415]);
    for (const r of finals) expect(r.to, `${r.status}\n${why}`).toMatch(/;tag=[^;>\s]+/);
    expect(finals[0]!.supported ?? '', why).not.toMatch(/replaces/);
    // Our own trace shows the same: every final response we sent names a To tag.
    const sent = listen.stderr.split(/\n(?=\S)/).filter((b) => /SIP\/2\.0 [2-6]\d\d /.test(b) && /^(To|t):/m.test(b));
    for (const b of sent) expect(/^(?:To|t):.*$/m.exec(b)![0], why).toMatch(/;tag=/);
    expect(listen.json!.requests!.map((r) => `${r.method} ${r.status}`), why).toEqual(
      expect.arrayContaining(['OPTIONS 200', 'SUBSCRIBE 405', 'NOTIFY 481', 'MESSAGE 200', 'MESSAGE 415']),
    );
  });
});
