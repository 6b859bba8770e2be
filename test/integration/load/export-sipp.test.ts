/**
 * `trunkscope export sipp`: the exported UAC scenario run by SIPp (through its run.sh) against
 * our `listen` (answered, codec and digits as asked), the exported UAS scenario called by
 * `trunkscope call`, and `load-report` on the statistics files those SIPp runs wrote.
 */
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { LoadReport } from '../../../src/shared/model/load-report.ts';
import { createHash } from 'node:crypto';
import { explain, runCli, startListen } from '../../support/cli.ts';
import { explainSipp, startSipp } from '../../support/sipp.ts';
import { freePort } from '../../support/ports.ts';
import { startProcess, stopAllStarted } from '../../support/processes.ts';
import { waitForBound } from '../../support/ports.ts';

process.env.TRUNKSCOPE_CONFIG_DIR ??= mkdtempSync(join(tmpdir(), 'trunkscope-export-cfg-'));

afterEach(stopAllStarted);

/** Run an exported run.sh (SIPp) with the test's ports and a hard limit. */
async function runSippScript(dir: string, hostTag: string, extra: string[], timeoutMs = 30_000, env: Record<string, string> = {}) {
  const media = await freePort(5);
  const proc = startProcess('sh', [join(dir, 'run.sh'), '-mp', String(media), '-cp', String(media + 4), '-timeout', `${Math.ceil(timeoutMs / 1000) - 5}s`, '-timeout_error', ...extra], timeoutMs, {
    cwd: dir,
    env: { ...process.env, SIPP_LOCAL_IP: '127.0.0.1', HOST_TAG: hostTag, ...env },
  });
  return proc;
}

describe('trunkscope export sipp', () => {
  it('the exported UAC runs on SIPp against our listen: answered, PCMA and the digits as asked; load-report reads both hosts back', async () => {
    const port = await freePort();
    const out = mkdtempSync(join(tmpdir(), 'trunkscope-export-'));
    const exp = await runCli(['export', 'sipp', `sip:echo@127.0.0.1:${port}`, '--codec', 'PCMA', '--send-dtmf', '15#', '--dtmf-at', '0.5', '--call-duration', '2', '--rate', '4', '--calls', '2', '--header', 'X-Campaign: export-test', '--out', out, '--json']);
    expect(exp.code, explain(exp)).toBe(0);
    for (const f of ['uac.xml', 'numbers.csv', 'audio.pcap', 'run.sh']) expect(existsSync(join(out, f)), f).toBe(true);
    expect(statSync(join(out, 'run.sh')).mode & 0o111).not.toBe(0);
    const script = readFileSync(join(out, 'run.sh'), 'utf8');
    expect(script).toMatch(new RegExp(`sipp 127\\.0\\.0\\.1:${port} -sf uac\\.xml -inf numbers\\.csv -t u1 -r 4 -rp 1000 -m 2 -l 100`));
    expect(script).toContain('-trace_stat');

    const agent = startListen(['--port', String(port), '--transport', 'udp', '--json']);
    await agent.ready;
    // Two SIPp "hosts" (one after the other here), each with its own statistics file.
    for (const host of ['h1', 'h2']) {
      const sipp = await runSippScript(out, host, ['-p', String(await freePort())]);
      const exit = await sipp.exited;
      expect(exit.code, `${sipp.stdout().slice(-3000)}\n${sipp.stderr()}`).toBe(0);
    }
    const seen = await agent.stop();
    const calls = seen.json?.calls ?? [];
    expect(calls.length, explain(seen)).toBe(4);
    for (const c of calls) {
      expect(c.outcome).toBe('answered');
      expect(c.reason).toMatch(/remote hangup \(BYE\)/);
      expect(c.media?.codec).toBe('PCMA');
      expect(c.media?.dtmf.received.map((d) => d.digit).join('')).toBe('15#');
      expect(c.media!.received.packets).toBeGreaterThan(50);
    }

    const rep = await runCli(['load-report', join(out, 'uac_h1_stat.csv'), join(out, 'uac_h2_stat.csv'), '--json']);
    expect(rep.code, explain(rep)).toBe(0);
    const lr = JSON.parse(rep.stdout) as LoadReport;
    expect(lr).toMatchObject({ command: 'load', attempted: 4, answered: 4, failed: 0, asr: 1, cpsTarget: 8, byStatus: { '200': 4 }, byCause: { answered: 4 }, retransmissions: 0, stoppedBy: 'sipp' });
    expect(lr.sources).toHaveLength(2);
    expect(lr.setupMs.p50).not.toBeNull();
    expect(lr.intervals.reduce((n, iv) => n + iv.started, 0)).toBe(4);
    const bad = await runCli(['load-report', join(out, 'numbers.csv')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/not a SIPp -trace_stat file/);
  });

  it('the exported UAS plays the agent\'s answer modes for trunkscope call: echo answers with media, reject:503 rejects', async () => {
    for (const [mode, outcome, status] of [
      ['echo', 'answered', 200],
      ['reject:503', 'rejected', 503],
    ] as const) {
      const port = await freePort();
      const out = mkdtempSync(join(tmpdir(), 'trunkscope-export-uas-'));
      const exp = await runCli(['export', 'sipp', '--uas', '--answer', mode, '--port', String(port), '--out', out]);
      expect(exp.code, explain(exp)).toBe(0);
      expect(readFileSync(join(out, 'uas.xml'), 'utf8')).toContain(status === 503 ? 'SIP/2.0 503 Service Unavailable' : 'SIP/2.0 200 OK');
      const sipp = await runSippScript(out, `uas-${status}`, ['-m', '1']);
      await waitForBound(port, 'udp', 10_000);
      const call = await runCli(['call', `sip:agent@127.0.0.1:${port}`, '--duration', '1.5', '--json'], { timeoutMs: 30_000 });
      expect(call.json?.outcome, explain(call)).toBe(outcome);
      expect(call.json?.finalStatus).toBe(status);
      if (status === 200) {
        expect(call.json?.media?.codec).toBe('PCMU');
        // SIPp's -rtp_echo returns our RTP: audio both ways.
        expect(call.json!.media!.received.packets).toBeGreaterThan(40);
      }
      const exit = await sipp.exited;
      expect(exit.code, sipp.stdout().slice(-2000)).toBe(0);
    }
  });

  it('refuses what SIPp cannot carry: a codec without a G.711 pcap, no URI', async () => {
    const out = mkdtempSync(join(tmpdir(), 'trunkscope-export-bad-'));
    const opus = await runCli(['export', 'sipp', 'sip:a@127.0.0.1', '--codec', 'opus', '--out', out]);
    expect(opus.code).toBe(2);
    expect(opus.stderr).toMatch(/--codec: SIPp plays G\.711/);
    const none = await runCli(['export', 'sipp', '--out', out]);
    expect(none.code).toBe(2);
  });

  it('the exported UAC answers a 407 with [authentication] (-au/-ap, the password from the environment; RFC 3261 §22.3)', async () => {
    const port = await freePort();
    const out = mkdtempSync(join(tmpdir(), 'trunkscope-export-auth-'));
    const target = `sip:trunk@127.0.0.1:${port}`;
    const exp = await runCli(['export', 'sipp', target, '--user', 'alice', '--password', 's3cret', '--no-media', '--call-duration', '0.5', '--calls', '1', '--out', out]);
    expect(exp.code, explain(exp)).toBe(0);
    expect(readFileSync(join(out, 'numbers.csv'), 'utf8')).toBe(`SEQUENTIAL\n${target};sip:alice@127.0.0.1:${port}\n`);
    expect(readFileSync(join(out, 'uac.xml'), 'utf8')).toContain('\n[authentication]\n');
    // The password is in no exported file: run.sh takes it from the environment.
    for (const f of ['uac.xml', 'numbers.csv', 'run.sh']) expect(readFileSync(join(out, f), 'utf8')).not.toContain('s3cret');
    expect(readFileSync(join(out, 'run.sh'), 'utf8')).toContain(`-au 'alice' -ap "\${SIPP_PASSWORD:?`);
    const md5 = (s: string): string => createHash('md5').update(s).digest('hex');
    const expected = md5(`${md5('alice:trunkscope.test:s3cret')}:6b8b4567327b23c6643c9869:${md5(`INVITE:${target}`)}`);
    const uas = await startSipp({ scenario: 'uas-407-auth', localPort: port, vars: { expected_response: expected }, timeoutMs: 30_000 });
    await uas.ready;
    const uac = await runSippScript(out, 'auth', ['-p', String(await freePort())], 30_000, { SIPP_PASSWORD: 's3cret' });
    const exit = await uac.exited;
    expect(exit.code, `${uac.stdout().slice(-3000)}\n${uac.stderr()}`).toBe(0);
    const done = await uas.result;
    expect(done.code, explainSipp(done)).toBe(0);
    expect(done.logs).toMatch(/ok=true/);
  });
});
