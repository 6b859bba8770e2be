/**
 * `trunkscope load` against real peers on 127.0.0.1: our own `listen`, SIPp's built-in UAS and a
 * SIPp UAS refusing every third call with 503. Small rates and a few seconds each (shared CPU).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { LoadReport } from '../../../src/shared/model/load-report.ts';
import { explain, repoRoot, runCli, startListen } from '../../support/cli.ts';
import { freePort } from '../../support/ports.ts';
import { startProcess, stopAllStarted, waitForOutput } from '../../support/processes.ts';
import { scenarioDir, startSipp } from '../../support/sipp.ts';

const bin = join(repoRoot, 'bin', 'trunkscope.mjs');
process.env.TRUNKSCOPE_CONFIG_DIR ??= mkdtempSync(join(tmpdir(), 'trunkscope-load-cfg-'));

afterEach(stopAllStarted);

function loadReport(stdout: string): LoadReport {
  return JSON.parse(stdout) as LoadReport;
}

describe('trunkscope load', () => {
  it('places the asked calls at the asked rate against our listen, and listen sees each one', async () => {
    const port = await freePort();
    const agent = startListen(['--port', String(port), '--transport', 'udp', '--no-media', '--json']);
    await agent.ready;
    const r = await runCli(['load', `sip:echo@127.0.0.1:${port}`, '--rate', '8', '--calls', '16', '--concurrency', '10', '--call-duration', '0.5', '--no-media', '--json'], { timeoutMs: 40_000 });
    expect(r.code, explain(r)).toBe(0);
    const rep = loadReport(r.stdout);
    expect(rep).toMatchObject({ command: 'load', attempted: 16, answered: 16, failed: 0, asr: 1, cpsTarget: 8, byStatus: { '200': 16 }, byCause: { answered: 16 }, stoppedBy: 'calls' });
    // 16 calls at 8/s: the 16th starts 1.875 s after the first.
    expect(rep.cpsAchieved).toBeGreaterThan(6);
    expect(rep.cpsAchieved).toBeLessThan(9);
    expect(rep.maxConcurrent).toBeLessThanOrEqual(10);
    expect(rep.setupMs.p50).not.toBeNull();
    expect(rep.setupMs.max!).toBeGreaterThanOrEqual(rep.setupMs.p95!);
    expect(rep.intervals.reduce((n, iv) => n + iv.started, 0)).toBe(16);
    expect(rep.calls).toHaveLength(16);
    expect(new Set(rep.calls.map((c) => c.callId)).size).toBe(16);
    // Each call stayed up its --call-duration and was hung up for that reason (none cut short).
    for (const c of rep.calls) {
      expect(c.reason).toMatch(/duration reached \(BYE 200\)/);
      expect(c.durationMs!).toBeGreaterThanOrEqual(450);
    }
    const seen = await agent.stop();
    expect(seen.json?.callSummary?.total, explain(seen)).toBe(16);
    expect(seen.json?.callSummary?.byOutcome).toEqual({ answered: 16 });
  });

  it('--workers 2: the calls spread over two threads, each with its own stack and source port, one merged report', async () => {
    const port = await freePort();
    const agent = startListen(['--port', String(port), '--transport', 'udp', '--no-media', '--json']);
    await agent.ready;
    const r = await runCli(['load', `sip:echo@127.0.0.1:${port}`, '--rate', '10', '--calls', '12', '--call-duration', '0.3', '--no-media', '--workers', '2', '--keep-calls', '0', '--json'], { timeoutMs: 40_000 });
    expect(r.code, explain(r)).toBe(0);
    const rep = loadReport(r.stdout);
    expect(rep).toMatchObject({ attempted: 12, answered: 12, failed: 0, byStatus: { '200': 12 }, stoppedBy: 'calls' });
    expect(rep.calls).toHaveLength(12);
    expect(new Set(rep.calls.map((c) => c.local)).size).toBe(2);
    expect(rep.intervals.reduce((n, iv) => n + iv.started, 0)).toBe(12);
    expect(rep.cpsAchieved).toBeGreaterThan(7);
    expect(rep.cpsAchieved).toBeLessThan(13);
    const seen = await agent.stop();
    expect(seen.json?.callSummary?.total).toBe(12);
  });

  it('measures media per call (G.711 both ways through the echo) and honours --concurrency', async () => {
    const port = await freePort();
    const agent = startListen(['--port', String(port), '--transport', 'udp']);
    await agent.ready;
    const r = await runCli(['load', `sip:echo@127.0.0.1:${port}`, '--rate', '10', '--calls', '4', '--concurrency', '2', '--call-duration', '1.5', '--codec', 'PCMA', '--json'], { timeoutMs: 40_000 });
    expect(r.code, explain(r)).toBe(0);
    const rep = loadReport(r.stdout);
    expect(rep).toMatchObject({ attempted: 4, answered: 4, maxConcurrent: 2 });
    expect(rep.media.calls).toBe(4);
    expect(rep.media.lossPct.max).toBe(0);
    expect(rep.media.oneWay).toBe(0);
    for (const c of rep.calls) {
      expect(c.media?.codec).toBe('PCMA');
      expect(c.media!.received.packets).toBeGreaterThan(40);
    }
    await agent.stop();
  });

  it("against SIPp's UAS: totals honoured, thresholds that hold exit 0", async () => {
    const port = await freePort();
    const sipp = await startSipp({ scenario: 'uas', localPort: port, calls: 10, timeoutMs: 30_000 });
    await sipp.ready;
    const r = await runCli(['load', `sip:service@127.0.0.1:${port}`, '--rate', '5', '--calls', '10', '--call-duration', '0.2', '--no-media', '--min-asr', '1', '--max-setup-p95', '2000', '--json'], { timeoutMs: 40_000 });
    expect(r.code, explain(r)).toBe(0);
    const rep = loadReport(r.stdout);
    expect(rep).toMatchObject({ attempted: 10, answered: 10, failed: 0, byStatus: { '200': 10 } });
    expect(rep.thresholds?.map((t) => [t.name, t.ok])).toEqual([
      ['min-asr', true],
      ['max-setup-p95', true],
    ]);
    const done = await sipp.result;
    expect(done.code, done.stderr).toBe(0);
  });

  it('a UAS answering 503 to every third call: failures counted by status and cause, a breached threshold exits 1, JUnit per cause and threshold', async () => {
    const port = await freePort();
    const sipp = await startSipp({ scenario: 'uas-503-every-third', localPort: port, calls: 9, timeoutMs: 30_000, extraArgs: ['-inf', join(scenarioDir, 'uas-503-every-third.csv')] });
    await sipp.ready;
    const dir = mkdtempSync(join(tmpdir(), 'trunkscope-load-'));
    const junit = join(dir, 'load.xml');
    const r = await runCli(['load', `sip:service@127.0.0.1:${port}`, '--rate', '6', '--calls', '9', '--concurrency', '1', '--call-duration', '0.2', '--no-media', '--max-fail-pct', '10', '--min-asr', '0.5', '--junit', junit, '--json'], { timeoutMs: 40_000 });
    expect(r.code, explain(r)).toBe(1);
    const rep = loadReport(r.stdout);
    expect(rep).toMatchObject({ attempted: 9, answered: 6, failed: 3, byStatus: { '200': 6, '503': 3 }, byCause: { answered: 6, 'service-unavailable': 3 } });
    expect(rep.asr).toBeCloseTo(6 / 9, 3);
    expect(rep.thresholds).toEqual([
      { name: 'max-fail-pct', limit: 10, value: 33.33, ok: false },
      { name: 'min-asr', limit: 0.5, value: rep.asr, ok: true },
    ]);
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toContain('<testsuites tests="4" failures="2">');
    expect(xml).toMatch(/<testcase classname="trunkscope.load.cause" name="service-unavailable"[^]*?<failure message="3 call\(s\): service-unavailable"/);
    expect(xml).toMatch(/<testcase classname="trunkscope.load.threshold" name="max-fail-pct"[^]*?<failure/);
    expect(xml).toMatch(/<testcase classname="trunkscope.load.threshold" name="min-asr"[^]*?<system-out>/);
    expect((await sipp.result).code).toBe(0);
  });

  it('Ctrl-C mid-run: stops starting calls, sends BYE for every answered call, prints the report', async () => {
    const port = await freePort();
    const agent = startListen(['--port', String(port), '--transport', 'udp', '--no-media', '--json']);
    await agent.ready;
    const proc = startProcess(process.execPath, [bin, 'load', `sip:echo@127.0.0.1:${port}`, '--rate', '4', '--calls', '100', '--call-duration', '60', '--no-media', '--json'], 60_000, { cwd: repoRoot });
    await waitForOutput(proc, 'stderr', (t) => /answered ([3-9]|\d\d)/.test(t), 30_000);
    const exit = await proc.stop('SIGINT', 20_000);
    expect(exit.code, proc.stderr()).toBe(0);
    const rep = loadReport(proc.stdout());
    expect(rep.stoppedBy).toBe('signal');
    expect(rep.attempted).toBeLessThan(100);
    expect(rep.answered).toBeGreaterThanOrEqual(3);
    const seen = await agent.stop();
    const calls = seen.json?.calls ?? [];
    expect(calls.length).toBe(rep.attempted);
    // Every call the agent answered ended by the caller's BYE, none by the agent's own stop.
    for (const c of calls.filter((x) => x.outcome === 'answered')) expect(c.reason, JSON.stringify(c)).toMatch(/remote hangup \(BYE/);
    expect(calls.filter((x) => x.outcome === 'answered').length).toBe(rep.answered);
  });

  it('a target that is down ends with a clear report (timeouts), exit 1, not a hang', async () => {
    const port = await freePort();
    const r = await runCli(['load', `sip:nobody@127.0.0.1:${port}`, '--rate', '5', '--calls', '3', '--timeout', '1', '--no-media'], { timeoutMs: 30_000 });
    expect(r.code, explain(r)).toBe(1);
    expect(r.stdout).toMatch(/load: 3 attempted, 0 answered, 3 failed/);
    expect(r.stdout).toMatch(/by cause: (timeout|unreachable|no-response|connection-refused)×3/);
    expect(r.stdout).toMatch(/BREACHED max-fail-pct: 100/);
  });

  it('bad input is a usage error (exit 2) before any call: rates, counts, durations, a CSV row with a bad URI', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trunkscope-load-'));
    const csv = join(dir, 'numbers.csv');
    writeFileSync(csv, 'target,from\nsip:a@127.0.0.1:5999,sip:me@127.0.0.1\nsip:@@,\n');
    const cases: Array<[string[], RegExp]> = [
      [['--rate', '0'], /--rate: expected a number > 0/],
      [['--rate', 'fast'], /--rate: expected a number/],
      [['--calls', '0'], /--calls: expected an integer 1\.\./],
      [['--concurrency', '-1'], /--concurrency/],
      [['--call-duration', '90-30'], /--call-duration: range "90-30"/],
      [['--duration', '0'], /--duration: expected a number of seconds > 0/],
      [['--numbers', csv], /numbers\.csv line 3: target is not a valid SIP URI "sip:@@"/],
    ];
    for (const [args, msg] of cases) {
      const r = await runCli(['load', ...(args[0] === '--numbers' ? [] : ['sip:a@127.0.0.1:5999']), ...args], { timeoutMs: 20_000 });
      expect(r.code, explain(r)).toBe(2);
      expect(r.stderr).toMatch(msg);
    }
  });
});
