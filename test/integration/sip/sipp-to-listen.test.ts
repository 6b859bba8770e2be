/**
 * SIPp callers against `trunkscope listen`: a normal call (UDP and TCP), CANCEL while ringing, a
 * lost ACK, hold by re-INVITE, 422 for a too-small Session-Expires, OPTIONS, and 100rel.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { CallReport } from '../../../src/shared/model/report.ts';
import { stopAllStarted } from '../../support/processes.ts';
import { sippUacToListen, type SipTransport } from '../../support/sip-flows.ts';

afterEach(stopAllStarted);

function onlyCall(listen: CallReport | undefined, why: string): CallReport {
  expect(listen, why).toMatchObject({ command: 'listen', outcome: 'ok' });
  expect(listen!.calls, why).toHaveLength(1);
  return listen!.calls![0]!;
}

/** Ladder lines (--trace) naming `label`, e.g. "422": one per message sent or received. */
function laddered(stderr: string, label: string): number {
  return stderr.split('\n').filter((l) => /^\s+\d+\.\d{3}s /.test(l) && l.includes(` ${label} `)).length;
}

describe('SIPp UAC → listen', () => {
  for (const transport of ['udp', 'tcp'] as SipTransport[]) {
    it(`uac-basic over ${transport}: answered with PCMU, the caller's BYE ends it`, async () => {
      const { listen, sipp, port, why } = await sippUacToListen('uac-basic', transport, ['--answer', 'echo']);
      expect(sipp.code, why).toBe(0);
      expect(listen.code, why).toBe(0);
      const call = onlyCall(listen.json, why);
      expect(call, why).toMatchObject({ outcome: 'answered', finalStatus: 200, transport, endedBy: 'remote', local: `127.0.0.1:${port}` });
      expect(call.durationMs!, why).toBeGreaterThanOrEqual(400);
      expect(call.events!.map((e) => e.event), why).toEqual(expect.arrayContaining(['state:connected', 'ended']));
    });
  }

  it('uac-cancel: ring mode, CANCEL → 200 + 487, call reported cancelled', async () => {
    const { listen, sipp, why } = await sippUacToListen('uac-cancel', 'udp', ['--answer', 'ring']);
    expect(sipp.code, why).toBe(0);
    expect(listen.code, why).toBe(0);
    const call = onlyCall(listen.json, why);
    expect(call, why).toMatchObject({ outcome: 'cancelled', finalStatus: 487, endedBy: 'remote' });
    expect(call.durationMs, why).toBeNull();
  });

  it('uac-lost-ack: the 2xx is retransmitted until the ACK comes, then the call goes on', async () => {
    const { listen, sipp, why } = await sippUacToListen('uac-lost-ack', 'udp', ['--answer', 'echo'], { sipp: { extraArgs: ['-nr'] } });
    expect(sipp.code, why).toBe(0);
    expect(sipp.logs, why).toMatch(/retransmitted at/);
    expect(listen.code, why).toBe(0);
    const call = onlyCall(listen.json, why);
    expect(call, why).toMatchObject({ outcome: 'answered', finalStatus: 200, endedBy: 'remote' });
    // The first 200 and at least two retransmissions (T1 = 500 ms, then 1 s).
    const the200s = sipp.messages.match(/^SIP\/2\.0 200 OK[\s\S]*?^CSeq: 1 INVITE/gm) ?? [];
    expect(the200s.length, why).toBeGreaterThanOrEqual(3);
  });

  it('uac-reinvite: the caller holds (sendonly), we answer recvonly and report the hold', async () => {
    const { listen, sipp, why } = await sippUacToListen('uac-reinvite', 'udp', ['--answer', 'echo']);
    expect(sipp.code, why).toBe(0);
    const call = onlyCall(listen.json, why);
    expect(call, why).toMatchObject({ outcome: 'answered', finalStatus: 200, endedBy: 'remote' });
    const hold = call.events!.find((e) => e.event === 'hold');
    expect(hold, why).toBeDefined();
    expect(hold!.detail, why).toMatch(/sendonly.*remote|remote.*sendonly/);
  });

  it('uac-session-timer-422: Session-Expires 30 < --min-se 90 → 422 with Min-SE 90; the retry is answered', async () => {
    const { listen, sipp, why } = await sippUacToListen('uac-session-timer-422', 'udp', ['--answer', 'echo', '--min-se', '90']);
    expect(sipp.code, why).toBe(0);
    expect(listen.code, why).toBe(0);
    expect(laddered(listen.stderr, '422'), why).toBe(1);
    const calls = listen.json!.calls!;
    expect(calls.some((c) => c.finalStatus === 422 && c.outcome === 'rejected'), why).toBe(true);
    expect(calls.some((c) => c.outcome === 'answered'), why).toBe(true);
  });

  it('uac-options: OPTIONS → 200 with Allow, listed in requests[]', async () => {
    const { listen, sipp, why } = await sippUacToListen('uac-options', 'udp', ['--answer', 'echo']);
    expect(sipp.code, why).toBe(0);
    expect(listen.code, why).toBe(0);
    expect(listen.json!.calls, why).toEqual([]);
    expect(listen.json!.requests, why).toEqual([expect.objectContaining({ method: 'OPTIONS', status: 200 })]);
  });

  it('uac-100rel: Require 100rel → reliable 180 with RSeq, PRACK and INVITE both get 200', async () => {
    const { listen, sipp, why } = await sippUacToListen('uac-100rel', 'udp', ['--answer', 'echo']);
    expect(sipp.code, why).toBe(0);
    expect(sipp.logs, why).toMatch(/RSeq \d+; 200 OK for (PRACK then INVITE|INVITE then PRACK)/);
    const call = onlyCall(listen.json, why);
    expect(call, why).toMatchObject({ outcome: 'answered', finalStatus: 200, endedBy: 'remote' });
  });
});
