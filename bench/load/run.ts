/**
 * trunkscope load --no-media vs SIPp's built-in UAC (`sipp -sn uac`), both calling the same SIPp
 * UAS started with `-buff_size 4194304` (a fresh one per step), step by step up in rate: the
 * highest rate with 0 failed calls and 0 retransmissions, and CPU per call (user+sys of the caller
 * process and its threads, from the shell's `times`).
 *
 *   npx node bench/load/run.ts [--rates 100,200,400,800] [--seconds 5] [--workers 1,2] [--out FILE]
 *
 * Calls end at once (SIPp -d 0; trunkscope --call-duration 0): INVITE, 180, 200, ACK, BYE, 200.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lastCsvRow, num, parseTimes } from '../cps/proc.ts';
import { runUac, sippUacArgs, startSippUas, stopChildrenOnSignal } from '../cps/processes.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

interface Step {
  tool: string;
  rate: number;
  calls: number;
  successful: number;
  failed: number;
  retransmissions: number;
  cpuMs: number;
  cpuPerCallMs: number;
  /** CPU per call without the process's start-up cost (a one-call run of the same tool subtracted). */
  cpuPerCallNetMs?: number;
  uas: Record<string, number | string>;
}

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1]! : fallback;
}

const rates = arg('--rates', '100,200,400,800').split(',').map(Number);
const seconds = Number(arg('--seconds', '5'));
const workers = arg('--workers', '1,2').split(',').map(Number);
const out = arg('--out', join(dirname(fileURLToPath(import.meta.url)), 'results.json'));
let port = 24_000 + Math.floor(Math.random() * 2000) * 4;

async function step(tool: string, rate: number): Promise<Step> {
  const dir = mkdtempSync(join(tmpdir(), 'trunkscope-bench-load-'));
  const uasPort = (port += 4);
  const uas = await startSippUas(uasPort, dir, true);
  const calls = Math.round(rate * seconds);
  const times = join(dir, 'caller.times');
  let successful: number;
  let failed: number;
  let retransmissions = 0;
  if (tool === 'sipp') {
    const csv = join(dir, 'uac.csv');
    await runUac(dir, sippUacArgs(uasPort, uasPort + 1, rate, calls, seconds, 10_000, csv), (seconds + 60) * 1000, times);
    const row = lastCsvRow(readFileSync(csv, 'latin1')) ?? {};
    successful = num(row['SuccessfulCall(C)']);
    failed = num(row['FailedCall(C)']) + Math.max(0, calls - successful - num(row['FailedCall(C)']));
    retransmissions = num(row['Retransmissions(C)']);
  } else {
    const w = Number(tool.split(':')[1]);
    const json = join(dir, 'load.json');
    const args = ['load', `sip:service@127.0.0.1:${uasPort}`, '--no-media', '--rate', String(rate), '--calls', String(calls), '--call-duration', '0', '--concurrency', String(Math.min(Math.max(rate * 3, 100), 15_000)), '--timeout', '10', '--workers', String(w), '--json'];
    const script = 'node "$BIN" "$@" > "$JSON_OUT" 2>/dev/null; rc=$?; times > "$TIMES_FILE"; exit $rc';
    const { spawn } = await import('node:child_process');
    const child = spawn('/bin/sh', ['-c', script, 'sh', ...args], { cwd: root, stdio: 'ignore', env: { ...process.env, BIN: join(root, 'bin', 'trunkscope.mjs'), JSON_OUT: json, TIMES_FILE: times } });
    await new Promise<void>((res) => {
      const t = setTimeout(() => {
        if (child.pid) process.kill(child.pid, 'SIGKILL');
        res();
      }, (seconds + 60) * 1000);
      child.once('exit', () => {
        clearTimeout(t);
        res();
      });
    });
    try {
      const r = JSON.parse(readFileSync(json, 'utf8')) as { answered: number; failed: number; attempted: number; retransmissions: number };
      successful = r.answered;
      failed = r.failed + Math.max(0, calls - r.attempted);
      retransmissions = r.retransmissions;
    } catch {
      successful = 0;
      failed = calls;
    }
  }
  const uasStats = await uas.stop();
  let cpuMs = NaN;
  try {
    cpuMs = parseTimes(readFileSync(times, 'utf8'));
  } catch {
    // no times file: the caller was killed
  }
  return { tool, rate, calls, successful, failed, retransmissions, cpuMs, cpuPerCallMs: Math.round((cpuMs / Math.max(1, successful)) * 1000) / 1000, uas: uasStats };
}

stopChildrenOnSignal();
const tools = ['sipp', ...workers.map((w) => `trunkscope:${w}`)];
const steps: Step[] = [];
// Start-up cost of each caller (Node loading TypeScript, SIPp parsing its scenario): one call.
const baseline: Record<string, number> = {};
for (const tool of tools) baseline[tool] = (await step(tool, 1)).cpuMs;
process.stdout.write(`start-up CPU (one-call run): ${JSON.stringify(baseline)}\n`);
const clean = (s: Step): boolean => s.failed === 0 && s.retransmissions === 0 && s.successful === s.calls;
const stillClean = new Set(tools);
for (const rate of rates) {
  for (const tool of tools) {
    if (!stillClean.has(tool)) continue;
    const s = await step(tool, rate);
    s.cpuPerCallNetMs = Math.round(((s.cpuMs - baseline[tool]!) / Math.max(1, s.successful)) * 1000) / 1000;
    steps.push(s);
    process.stdout.write(`${tool.padEnd(13)} ${String(rate).padStart(5)} cps: ${s.successful}/${s.calls} ok, ${s.failed} failed, ${s.retransmissions} retrans, ${s.cpuMs} ms CPU (${s.cpuPerCallNetMs} ms/call without start-up)\n`);
    if (!clean(s)) stillClean.delete(tool);
  }
}
const highest: Record<string, number> = {};
for (const t of tools) highest[t] = Math.max(0, ...steps.filter((s) => s.tool === t && clean(s)).map((s) => s.rate));
const ratios = Object.fromEntries(workers.map((w) => [`trunkscope:${w}`, highest.sipp ? Math.round((highest[`trunkscope:${w}`]! / highest.sipp) * 100) / 100 : null]));
const result = { date: new Date().toISOString(), seconds, rates, highest, ratioToSipp: ratios, startupCpuMs: baseline, steps };
writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
process.stdout.write(`highest clean rate: ${JSON.stringify(highest)}; ratio to sipp: ${JSON.stringify(ratios)}\n`);
