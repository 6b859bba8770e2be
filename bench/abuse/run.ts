/**
 * bench/abuse: what each attack of issue 15 costs the listener. For every attack a fresh
 * `trunkscope listen` on 127.0.0.1 (and, where it makes sense, SIPp 3.6 answering OPTIONS with
 * bench/abuse/uas-options.xml as the comparison peer) takes the attack alone; the figures are the
 * listener's CPU (utime+stime from /proc/PID/stat), its RSS before, at the end and 3 s later
 * (VmRSS), its peak (VmHWM), and the OPTIONS round trips measured during the attack.
 *
 *   node bench/abuse/run.ts [--quick] [--seed N] [--out bench/abuse/results.json]
 *
 * --quick: a tenth of the counts. Attacks come from 127.0.0.2–5, all on loopback.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli, startListen } from '../../test/support/cli.ts';
import { freePort } from '../../test/support/ports.ts';
import { startProcess, type Proc } from '../../test/support/processes.ts';
import { cpuMs, vmHwmKiB, vmRssKiB } from '../../test/support/proc-stats.ts';
import { RawUac, offerSdp } from '../../test/support/raw-uac.ts';
import { startSpoofer } from '../../test/support/rtp-spoofer.ts';
import { fuzzSeed } from '../../test/support/sip-fuzzer.ts';
import { allClosed, fuzzAttack, optionsFlood, redosAttack, strayCallIdAttack, tcpAttack, type AttackResult } from '../../test/support/abuse-attacks.ts';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const seedAt = args.indexOf('--seed');
const seed = seedAt >= 0 ? Number(args[seedAt + 1]) >>> 0 : fuzzSeed();
const outAt = args.indexOf('--out');
const out = outAt >= 0 ? args[outAt + 1]! : join(here, 'results.json');
const k = quick ? 0.1 : 1;

interface Target {
  pid: number;
  port: number;
  rtp: number;
  stop(): Promise<void>;
  /** The last of its stderr, to say why it stopped. */
  tail?(): string;
}

async function trunkscope(): Promise<Target> {
  const port = await freePort();
  const rtp = await freePort(16);
  const l = startListen(['--bind', '127.0.0.1', '--port', String(port), '--transport', 'udp,tcp', '--rtp-ports', `${rtp}-${rtp + 15}`, '--allow-from', '127.0.0.1', '--json'], { timeoutMs: 600_000 });
  await l.ready;
  return { pid: l.proc.pid, port, rtp, stop: async () => void (await l.stop()) };
}

async function sipp(): Promise<Target> {
  const port = await freePort();
  const media = await freePort(5);
  // No message trace: SIPp at full speed, as it would run in production.
  const p: Proc = startProcess('sipp', ['-sf', join(here, 'uas-options.xml'), '-i', '127.0.0.1', '-p', String(port), '-t', 'u1', '-m', '100000000', '-mp', String(media), '-cp', String(media + 4), '-nostdin', '-buff_size', '4194304'], 600_000);
  const uac = await RawUac.open();
  const end = Date.now() + 10_000;
  while (Date.now() < end && (await uac.optionsRtt(port, 300)) === undefined);
  uac.close();
  let exit = '';
  void p.exited.then((e) => (exit = e.signal ? `killed by ${e.signal}` : `exit ${e.code}`));
  return { pid: p.pid, port, rtp: 0, stop: async () => void (await p.stop('SIGTERM', 3000)), tail: () => exit || (p.stderr() + p.stdout()).trim().split('\n').filter((l) => /\S/.test(l)).slice(-2).join(' / ').slice(0, 300) };
}

interface Row {
  attack: string;
  peer: 'trunkscope' | 'sipp';
  sent: number;
  elapsedMs: number;
  cpuMs: number;
  rssStartMiB: number;
  rssEndMiB: number;
  rssSettledMiB: number;
  peakMiB: number;
  pingP50Ms: number | null;
  pingP99Ms: number | null;
  lostPings: number;
  detail?: Record<string, number | string>;
  /** The attack stopped early: why (the peer stopped answering, or exited). */
  error?: string;
}

const mib = (kib: number): number => Math.round((kib / 1024) * 10) / 10;
const pct = (xs: number[], f: number): number | null => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? Math.round(s[Math.min(s.length - 1, Math.floor(s.length * f))]! * 10) / 10 : null;
};

async function measure(attack: string, peer: Row['peer'], start: () => Promise<Target>, run: (t: Target) => Promise<Omit<AttackResult, 'name'>>): Promise<Row> {
  const t = await start();
  try {
    await new Promise((r) => setTimeout(r, 1000));
    const rss0 = vmRssKiB(t.pid);
    const cpu0 = cpuMs(t.pid);
    const t0 = Date.now();
    let error: string | undefined;
    const r = await run(t).catch((err: unknown): Omit<AttackResult, 'name'> => {
      error = `${(err as Error).message}${Number.isNaN(vmRssKiB(t.pid)) ? ` (the peer exited${t.tail ? `: ${t.tail()}` : ''})` : ''}`;
      return { sent: Number(/datagram (\d+)/.exec(error)?.[1] ?? 0), pings: [], lostPings: 5, elapsedMs: Date.now() - t0 };
    });
    const cpu1 = cpuMs(t.pid);
    const rss1 = vmRssKiB(t.pid);
    await new Promise((res) => setTimeout(res, 3000));
    const row: Row = {
      attack,
      peer,
      sent: r.sent,
      elapsedMs: r.elapsedMs,
      cpuMs: Math.round(cpu1 - cpu0),
      rssStartMiB: mib(rss0),
      rssEndMiB: mib(rss1),
      rssSettledMiB: mib(vmRssKiB(t.pid)),
      peakMiB: mib(vmHwmKiB(t.pid)),
      pingP50Ms: pct(r.pings, 0.5),
      pingP99Ms: pct(r.pings, 0.99),
      lostPings: r.lostPings,
      ...(r.detail ? { detail: r.detail } : {}),
      ...(error ? { error } : {}),
    };
    process.stderr.write(`${JSON.stringify(row)}\n`);
    return row;
  } finally {
    await t.stop();
  }
}

const rows: Row[] = [];
const count = (n: number): number => Math.max(1, Math.round(n * k));
const both = async (attack: string, run: (t: Target) => Promise<Omit<AttackResult, 'name'>>): Promise<void> => {
  rows.push(await measure(attack, 'trunkscope', trunkscope, run));
  rows.push(await measure(attack, 'sipp', sipp, run));
};

await both(`mutation fuzzer (${count(100_000)}, seed ${seed})`, (t) => fuzzAttack({ port: t.port, seed, count: count(100_000), maxMs: 240_000 }));
await both(`stray 60 KB Call-IDs (${count(3000)})`, (t) => strayCallIdAttack({ port: t.port, count: count(3000) }));
await both(`Call-ID ReDoS datagrams (${count(300)})`, (t) => redosAttack({ port: t.port, count: count(300) }));
await both(`OPTIONS flood (${count(50_000)})`, (t) => optionsFlood({ port: t.port, count: count(50_000), maxMs: 60_000 }));

rows.push(
  await measure('out-of-range SDP INVITEs (70)', 'trunkscope', trunkscope, async (t) => {
    const uac = await RawUac.open();
    const t0 = Date.now();
    const statuses: Record<string, number> = {};
    const cases = ['a=ptime:5000', 'a=ptime:0', 'a=maxptime:99999', 'a=rtcp:0', 'a=ptime:abc'];
    for (let i = 0; i < 70; i++) {
      const res = await uac.invite(t.port, offerSdp([cases[i % cases.length]!]));
      statuses[String(res?.status ?? 'none')] = (statuses[String(res?.status ?? 'none')] ?? 0) + 1;
    }
    uac.close();
    return { sent: 70, pings: [], lostPings: 0, elapsedMs: Date.now() - t0, detail: statuses };
  }),
);

for (const spoofed of [false, true]) {
  rows.push(
    await measure(spoofed ? 'a 3 s call with spoofed RTP/RTCP/SRTP from 127.0.0.2' : 'a 3 s call, quiet (reference)', 'trunkscope', trunkscope, async (t) => {
      const cRtp = await freePort(8);
      const spoof = spoofed ? await startSpoofer({ ranges: [{ min: t.rtp, max: t.rtp + 15 }, { min: cRtp, max: cRtp + 7 }], durationMs: 8000 }) : undefined;
      const t0 = Date.now();
      const r = await runCli(['call', `sip:echo@127.0.0.1:${t.port}`, '--duration', '3', '--rtp-ports', `${cRtp}-${cRtp + 7}`, '--json'], { timeoutMs: 30_000 });
      await spoof?.stop();
      const m = r.json?.media;
      return { sent: spoof?.sent() ?? 0, pings: [], lostPings: 0, elapsedMs: Date.now() - t0, detail: { outcome: r.json?.outcome ?? 'none', received: m?.received.packets ?? 0, foreign: m?.received.foreign ?? 0, lost: m?.received.lost ?? 0, verdict: m?.oneWayAudio?.verdict ?? 'none' } };
    }),
  );
}

rows.push(
  await measure('idle (120) and slowloris (10) TCP', 'trunkscope', trunkscope, async (t) => {
    const t0 = Date.now();
    const tcp = await tcpAttack({ port: t.port, idle: 120, slow: 10 });
    const closed = await allClosed([...tcp.idle, ...tcp.slow], 16_000);
    const slowMs = Math.max(...tcp.slow.map((p) => (p.closedAt ?? Date.now()) - p.openedAt));
    tcp.stop();
    return { sent: 130, pings: [], lostPings: 0, elapsedMs: Date.now() - t0, detail: { allClosed: String(closed), slowlorisClosedAfterMs: slowMs } };
  }),
);

writeFileSync(out, `${JSON.stringify({ at: new Date().toISOString(), quick, seed, rows }, null, 2)}\n`);

// The README table: CPU per 1000 datagrams and the ratio to SIPp where SIPp ran the same attack.
const lines = ['| attack | peer | sent | s | CPU ms | CPU ms / 1000 | × SIPp CPU | RSS start → end → +3 s (MiB) | peak MiB | OPTIONS p50 / p99 ms (lost) |', '|---|---|--:|--:|--:|--:|--:|---|--:|---|'];
for (const r of rows) {
  const peer = rows.find((x) => x.attack === r.attack && x.peer === 'sipp');
  const ratio = r.peer === 'trunkscope' && peer && peer.cpuMs > 0 ? `${(r.cpuMs / peer.cpuMs).toFixed(1)}×` : '';
  lines.push(
    `| ${r.attack} | ${r.peer}${r.error ? ` (stopped: ${r.error.replace(/^[^:]*: /, '')})` : ''} | ${r.sent} | ${(r.elapsedMs / 1000).toFixed(1)} | ${r.cpuMs} | ${r.sent ? Math.round((r.cpuMs * 1000) / r.sent) : ''} | ${ratio} | ${r.rssStartMiB} → ${r.rssEndMiB} → ${r.rssSettledMiB} | ${r.peakMiB} | ${r.pingP50Ms ?? '-'} / ${r.pingP99Ms ?? '-'} (${r.lostPings}) |`,
  );
}
process.stdout.write(`${lines.join('\n')}\n`);
