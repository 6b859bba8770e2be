/**
 * A softphone registers and answers what the registrar sends to its contact (issue 10 item 8):
 * `trunkscope register --answer echo` with Kamailio as registrar and proxy, SIPp calling the
 * registered user through Kamailio. And what the carrier delivered (item 7): the per-call report
 * of `listen` and `register --answer` names the dialed number, the caller and custom headers,
 * and `--json` prints it as the call ends (one object per line).
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { CallReport } from '../../../src/shared/model/report.ts';
import { bin, explain, repoRoot, runCli, startListen } from '../../support/cli.ts';
import { kamailioPassword, kamailioRegistrarProxyCfg, startKamailio } from '../../support/kamailio.ts';
import { freePort } from '../../support/ports.ts';
import { startProcess, stopAllStarted, waitForOutput } from '../../support/processes.ts';
import { explainSipp, runSipp } from '../../support/sipp.ts';

afterAll(async () => {
  await stopAllStarted();
});

/** The per-call JSON lines a `--json` run printed before its final report. */
function callLines(stdout: string): CallReport[] {
  const lines = stdout.split('\n').filter((l) => l.startsWith('{'));
  return lines.slice(0, -1).map((l) => JSON.parse(l) as CallReport);
}

describe('register --answer: registered, then answering calls routed to the contact', () => {
  it('Kamailio routes a SIPp call for the registered user to us; we answer with echo', async () => {
    const kam = await startKamailio({ cfg: kamailioRegistrarProxyCfg, timeoutMs: 60_000 });
    try {
      const reg = startProcess(process.execPath, [bin, 'register', `sip:bob@127.0.0.1:${kam.port}`, '--user', 'bob', '--password', kamailioPassword, '--expires', '60', '--duration', '6', '--answer', 'echo', '--json', '--bind', '127.0.0.1'], 40_000, { cwd: repoRoot });
      await waitForOutput(kam.proc, 'stderr', (t) => /REGISTER sip:bob@127\.0\.0\.1.*saved/.test(t), 10_000);
      const sipp = await runSipp({ scenario: 'uac-basic', remote: `127.0.0.1:${kam.port}`, localPort: await freePort(), service: 'bob', timeoutMs: 15_000 });
      const exit = await reg.exited;
      const stdout = reg.stdout();
      const why = `register exit ${exit.code}\nstdout:\n${stdout}\nstderr:\n${reg.stderr().slice(-3000)}\nsipp:\n${explainSipp(sipp)}\nkamailio:\n${kam.log().slice(-3000)}`;
      expect(sipp.code, why).toBe(0);
      expect(exit.code, why).toBe(0);
      expect(kam.log(), why).toMatch(/INVITE for bob relayed to contact sip:bob@127\.0\.0\.1:\d+/);
      // The call's report came out as the call ended, before the run's report.
      const calls = callLines(stdout);
      expect(calls, why).toHaveLength(1);
      expect(calls[0], why).toMatchObject({ command: 'listen', outcome: 'answered', endedBy: 'remote' });
      expect(calls[0]!.inbound, why).toMatchObject({ dialed: 'bob' });
      expect(calls[0]!.inbound!.from, why).toContain('sip:sipp@127.0.0.1');
      const final = JSON.parse(stdout.trim().split('\n').at(-1)!) as CallReport;
      expect(final, why).toMatchObject({ command: 'register', outcome: 'registered', registration: { unregisterStatus: 200 }, callSummary: { total: 1 } });
    } finally {
      await kam.stop();
    }
  });
});

describe('listen: what the carrier delivered', () => {
  it('dialed number, caller, P-Asserted-Identity, Diversion and X-* headers in the report, printed as the call ends', async () => {
    const port = await freePort();
    const listen = startListen(['--port', String(port), '--bind', '127.0.0.1', '--transport', 'udp', '--rtp-ports', '20000-20999', '--json']);
    await listen.ready;
    const call = await runCli([
      'call', `sip:+14155550100@127.0.0.1:${port}`, '--from', 'sip:+12125550111@carrier.example', '--duration', '1', '--send-dtmf', '12', '--dtmf-at', '0.2',
      '--header', 'P-Asserted-Identity: <sip:+12125550111@carrier.example>',
      '--header', 'Diversion: <sip:+14155550199@carrier.example>;reason=unconditional',
      '--header', 'X-Agent-Id: agent-7', '--header', 'X-Customer: acme', '--bind', '127.0.0.1', '--rtp-ports', '21000-21999',
    ]);
    const done = await listen.stop();
    const why = `${explain(call)}\nlisten:\n${explain(done)}`;
    expect(call.code, why).toBe(0);
    const r = done.json!.calls![0]!;
    expect(r.inbound, why).toMatchObject({
      dialed: '+14155550100',
      pAssertedIdentity: ['<sip:+12125550111@carrier.example>'],
      diversion: ['<sip:+14155550199@carrier.example>;reason=unconditional'],
      headers: { 'X-Agent-Id': 'agent-7', 'X-Customer': 'acme' },
    });
    expect(r.inbound!.requestUri, why).toBe(`sip:+14155550100@127.0.0.1:${port}`);
    expect(r.inbound!.from, why).toContain('sip:+12125550111@carrier.example');
    // The same report came out as its own line when the call ended.
    expect(callLines(done.stdout).map((c) => c.callId), why).toEqual([r.callId]);
  });

  it('the text line names the dialed number, the caller, the codec and the digits', async () => {
    const port = await freePort();
    const listen = startListen(['--port', String(port), '--bind', '127.0.0.1', '--transport', 'udp', '--rtp-ports', '22000-22999']);
    await listen.ready;
    const call = await runCli(['call', `sip:5550100@127.0.0.1:${port}`, '--codec', 'PCMA', '--duration', '1.5', '--send-dtmf', '12#', '--dtmf-at', '0.2', '--header', 'X-Agent-Id: agent-9', '--bind', '127.0.0.1', '--rtp-ports', '23000-23999']);
    const done = await listen.stop();
    const why = `${explain(call)}\nlisten:\n${explain(done)}`;
    expect(call.code, why).toBe(0);
    const line = done.stdout.split('\n').find((l) => l.startsWith('answered:'));
    expect(line, why).toBeDefined();
    expect(line, why).toMatch(/to 5550100/);
    expect(line, why).toMatch(/PCMA/);
    expect(line, why).toMatch(/digits 12# \(rfc2833\)/);
    expect(line, why).toMatch(/X-Agent-Id: agent-9/);
  });
});
