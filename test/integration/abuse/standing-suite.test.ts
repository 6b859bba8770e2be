/**
 * The standing abuse suite of issue 15: ONE `trunkscope listen` on 127.0.0.1 takes every attack
 * in turn — a seeded mutation fuzzer over the SIP fixtures (100 000 datagrams), stray 60 KB
 * Call-IDs, the Call-ID ReDoS datagram, out-of-range SDP INVITEs, spoofed RTP/RTCP/SRTP from
 * 127.0.0.2 during a call, idle and slowloris TCP, an OPTIONS flood — and must then answer
 * OPTIONS within 100 ms, be back within RSS_BOUND_MIB of its starting RSS, and give a normal call
 * the same clean figures as the same call on the quiet listener before the attacks.
 *
 * Attackers use other loopback addresses (127.0.0.2–5); the listener allows INVITEs only from
 * 127.0.0.1 (`--allow-from`), so a fuzzed INVITE is parsed, checked and refused with 403 and never
 * becomes a call that would send RTP or a BYE to an address a mutation made up. Everything stays on
 * 127.0.0.0/8. Replay a fuzzer failure with TRUNKSCOPE_FUZZ_SEED=<the printed seed>.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallReport } from '../../../src/shared/model/report.ts';
import { explain, runCli, startListen, type CliResult, type Listener } from '../../support/cli.ts';
import { freePort } from '../../support/ports.ts';
import { RawUac, offerSdp } from '../../support/raw-uac.ts';
import { startSpoofer } from '../../support/rtp-spoofer.ts';
import { vmRssKiB } from '../../support/proc-stats.ts';
import { fuzzSeed } from '../../support/sip-fuzzer.ts';
import { allClosed, fuzzAttack, optionsFlood, redosAttack, strayCallIdAttack, tcpAttack, type AttackResult } from '../../support/abuse-attacks.ts';

/** Datagrams of the mutation fuzzer. */
const FUZZ_COUNT = 100_000;
/**
 * How far above its starting RSS the listener may end, MiB. Measured on the 2-core VM: +95 to
 * +140 MiB after every attack below (V8 keeps the heap it grew to; the live heap after a full GC
 * is back at ~50 MB, see bench/README.md "abuse"). Before the Call-ID key fix, the 3000 stray
 * datagrams alone added ~180 MiB, which this bound catches.
 */
const RSS_BOUND_MIB = 192;
/** The header-read timeout of inbound TCP (DEFAULT_HEADER_MS in sip/transport/connection.ts). */
const HEADER_TIMEOUT_S = 10;

const seed = fuzzSeed();
let port: number;
let lRtp: number;
let cRtp: number;
let listener: Listener;
let rssStartKiB: number;
let quiet: CallReport;
let quietAgent: CallReport | undefined;

const mib = (kib: number): string => `${(kib / 1024).toFixed(1)} MiB`;
const log = (text: string): void => void process.stdout.write(`[abuse suite] ${text}\n`);

/** The calls the listener has reported so far (one NDJSON line each while it runs). */
function agentCalls(): CallReport[] {
  return listener.proc
    .stdout()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as CallReport)
    .filter((r) => r.callId !== null);
}

function call(): Promise<CliResult> {
  return runCli(['call', `sip:echo@127.0.0.1:${port}`, '--duration', '3', '--rtp-ports', `${cRtp}-${cRtp + 7}`, '--json'], { timeoutMs: 30_000 });
}

function summary(r: AttackResult): string {
  const p = [...r.pings].sort((a, b) => a - b);
  const q = (f: number): string => (p.length ? p[Math.min(p.length - 1, Math.floor(p.length * f))]!.toFixed(1) : '-');
  return `${r.name}: ${r.sent} sent in ${r.elapsedMs} ms; OPTIONS during it p50 ${q(0.5)} ms, p99 ${q(0.99)} ms, ${r.lostPings} unanswered; RSS ${mib(vmRssKiB(listener.proc.pid))}${r.detail ? ` ${JSON.stringify(r.detail)}` : ''}`;
}

function alive(): void {
  expect(listener.proc.done(), `the listener died:\n${listener.proc.stderr().slice(-3000)}`).toBe(false);
}

beforeAll(async () => {
  port = await freePort();
  lRtp = await freePort(16);
  cRtp = await freePort(8);
  listener = startListen(
    ['--bind', '127.0.0.1', '--port', String(port), '--transport', 'udp,tcp', '--rtp-ports', `${lRtp}-${lRtp + 15}`, '--allow-from', '127.0.0.1', '--json'],
    { timeoutMs: 300_000 },
  );
  await listener.ready;
  log(`listener pid ${listener.proc.pid} on 127.0.0.1:${port}; fuzzer seed ${seed} (replay: TRUNKSCOPE_FUZZ_SEED=${seed})`);
});
afterAll(async () => {
  await listener?.stop();
});

describe('standing abuse suite: one listener takes every attack', () => {
  it('a call on the quiet listener (the reference figures)', async () => {
    const r = await call();
    expect(r.json?.outcome, explain(r)).toBe('answered');
    quiet = r.json!;
    await new Promise((res) => setTimeout(res, 500));
    quietAgent = agentCalls().at(-1);
    rssStartKiB = vmRssKiB(listener.proc.pid);
    log(`quiet call: ${quiet.media?.received.packets} received, ${quiet.media?.sent.packets} sent, verdict ${quiet.media?.oneWayAudio?.verdict}; listener RSS ${mib(rssStartKiB)}`);
    expect(quiet.media?.received.lost).toBe(0);
    expect(quiet.media?.received.foreign).toBe(0);
  });

  it(`the seeded mutation fuzzer: ${FUZZ_COUNT} datagrams over the SIP fixtures`, { timeout: 150_000 }, async () => {
    const r = await fuzzAttack({ port, seed, count: FUZZ_COUNT, maxMs: 120_000 });
    log(summary(r));
    alive();
    expect(r.sent, `seed ${seed}`).toBe(FUZZ_COUNT);
    // A barrier every 64 datagrams: the listener kept answering throughout.
    expect(r.lostPings, `seed ${seed}`).toBeLessThanOrEqual(Math.ceil(r.pings.length / 100));
  });

  it('3000 stray responses with 60 KB Call-IDs, then 300 Call-ID ReDoS datagrams', async () => {
    const stray = await strayCallIdAttack({ port, count: 3000 });
    log(summary(stray));
    const redos = await redosAttack({ port, count: 300 });
    log(summary(redos));
    alive();
    expect(stray.lostPings).toBeLessThanOrEqual(3);
    expect(redos.lostPings).toBe(0);
    // The old expression cost 257 ms per 16 000-space datagram; a barrier every 10 of them.
    const sorted = [...redos.pings].sort((a, b) => a - b);
    expect(sorted[Math.floor(sorted.length / 2)]).toBeLessThan(100);
  });

  it('out-of-range SDP INVITEs all get a final response and free their ports', async () => {
    const uac = await RawUac.open();
    const bad: Array<[string[], string?]> = [
      [['a=ptime:5000']],
      [['a=ptime:0']],
      [['a=maxptime:99999']],
      [['a=rtpmap:96 opus/0'], 'm=audio 40000 RTP/AVP 96 0'],
      [['a=rtpmap:96 opus/48000/200'], 'm=audio 40000 RTP/AVP 96 0'],
      [['a=rtcp:0']],
      [[], 'm=audio 70000 RTP/AVP 0 101'],
    ];
    try {
      // 8 RTP port pairs on the listener; 35 bad INVITEs would exhaust them if any kept its pair.
      for (let round = 0; round < 5; round++) {
        for (const [extra, m] of bad) {
          const res = await uac.invite(port, offerSdp(extra, m));
          expect(res?.status, `${extra.join(' ')} ${m ?? ''}`).toBeOneOf([400, 488]);
        }
      }
    } finally {
      uac.close();
    }
    alive();
  });

  it('spoofed RTP/RTCP/SRTP from 127.0.0.2 during a call, while idle and slowloris TCP hold connections', { timeout: 60_000 }, async () => {
    // 120 idle connections from one source: 100 admitted (the per-source cap), 20 refused.
    const tcp = await tcpAttack({ port, idle: 120, slow: 10, idleFrom: '127.0.0.4', slowFrom: '127.0.0.5' });
    const openedAt = Date.now();
    try {
      const spoof = await startSpoofer({ ranges: [{ min: lRtp, max: lRtp + 15 }, { min: cRtp, max: cRtp + 7 }], durationMs: 8000 });
      const r = await call();
      await spoof.stop();
      log(`spoofed call: ${spoof.sent()} spoofed packets sent; caller counted ${r.json?.media?.received.foreign} foreign`);
      const m = r.json?.media;
      expect(r.json?.outcome, explain(r)).toBe('answered');
      expect(spoof.sent()).toBeGreaterThan(1000);
      expect(m!.received.foreign, 'spoofed packets are counted apart').toBeGreaterThan(50);
      expect(m!.received.ssrcChanges).toBe(0);
      expect(m!.received.srtpAuthFailures).toBe(0);
      expect(m!.dtmf.received).toEqual([]);
      expect(m!.received.packets).toBeLessThanOrEqual(m!.sent.packets + 2);
      expect(m!.oneWayAudio?.verdict).toBe(quiet.media?.oneWayAudio?.verdict);
      // Another source still gets TCP service while 127.0.0.4 sits at its cap.
      const opt = await runCli(['options', `sip:ping@127.0.0.1:${port}`, '--transport', 'tcp', '--json'], { timeoutMs: 15_000 });
      expect(opt.code, explain(opt)).toBe(0);
      // The header-read timer closes connections that never finish a header, dripping or not.
      const closed = await allClosed([...tcp.idle, ...tcp.slow], (HEADER_TIMEOUT_S + 6) * 1000 - (Date.now() - openedAt));
      const open = [...tcp.idle, ...tcp.slow].filter((p) => p.closedAt === undefined).length;
      const slowAfter = Math.max(...tcp.slow.map((p) => (p.closedAt ?? Date.now()) - p.openedAt));
      log(`TCP: ${tcp.idle.length} idle + ${tcp.slow.length} slowloris; ${open} still open; slowloris closed after ${slowAfter} ms`);
      expect(closed, `${open} connections still open`).toBe(true);
      expect(tcp.idle.filter((p) => p.closedAt! - p.openedAt < 2000).length, 'refused over the per-source cap').toBeGreaterThanOrEqual(20);
      expect(slowAfter).toBeGreaterThanOrEqual((HEADER_TIMEOUT_S - 1) * 1000);
    } finally {
      tcp.stop();
    }
    alive();
  });

  it('an OPTIONS flood of 20 000 requests', async () => {
    const r = await optionsFlood({ port, count: 20_000, maxMs: 30_000 });
    log(summary(r));
    alive();
    expect(r.sent).toBe(20_000);
    expect(Number(r.detail?.['answered'])).toBeGreaterThan(1000);
  });

  it('afterwards: OPTIONS within 100 ms, RSS back within the bound, a clean call with the quiet figures', { timeout: 60_000 }, async () => {
    // Let retransmissions of the refused INVITEs' 403s end (Timer H, 64·T1 = 32 s after the fuzzer).
    await new Promise((r) => setTimeout(r, 3000));
    const uac = await RawUac.open();
    const rtts: number[] = [];
    try {
      for (let i = 0; i < 10; i++) {
        rtts.push((await uac.optionsRtt(port, 1000)) ?? Infinity);
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      uac.close();
    }
    const rssEnd = vmRssKiB(listener.proc.pid);
    log(`after: OPTIONS ${rtts.map((x) => x.toFixed(1)).join(' ')} ms; RSS ${mib(rssStartKiB)} → ${mib(rssEnd)} (bound +${RSS_BOUND_MIB} MiB)`);
    // Every probe answered; 9 of 10 within 100 ms (one may meet a GC pause on a busy machine).
    expect(rtts.every((x) => x < 1000), rtts.join(' ')).toBe(true);
    expect(rtts.filter((x) => x <= 100).length, rtts.join(' ')).toBeGreaterThanOrEqual(9);
    expect(rssEnd - rssStartKiB, `RSS ${mib(rssStartKiB)} → ${mib(rssEnd)}`).toBeLessThan(RSS_BOUND_MIB * 1024);

    const r = await call();
    const after = r.json!;
    expect(after?.outcome, explain(r)).toBe('answered');
    const a = after.media!;
    const q = quiet.media!;
    log(`final call: ${a.received.packets} received, ${a.sent.packets} sent, verdict ${a.oneWayAudio?.verdict}`);
    expect(after.finalStatus).toBe(quiet.finalStatus);
    expect(after.diagnosis?.verdict).toBe(quiet.diagnosis?.verdict);
    expect(a.oneWayAudio?.verdict).toBe(q.oneWayAudio?.verdict);
    expect(a.codec).toBe(q.codec);
    for (const k of ['lost', 'foreign', 'foreignRtcp', 'ssrcChanges', 'malformed', 'srtpAuthFailures', 'duplicates'] as const) {
      expect(a.received[k], `received.${k}`).toBe(q.received[k]);
    }
    expect(a.received.lost).toBe(0);
    expect(a.received.foreign).toBe(0);
    expect(a.dtmf.received).toEqual([]);
    // Same 3 s call: packet counts equal within the scheduling slack of a busy machine.
    expect(Math.abs(a.received.packets - q.received.packets)).toBeLessThanOrEqual(5);
    expect(Math.abs(a.sent.packets - q.sent.packets)).toBeLessThanOrEqual(5);

    await new Promise((res) => setTimeout(res, 500));
    const agent = agentCalls().at(-1);
    expect(agent?.outcome).toBe(quietAgent?.outcome);
    expect(agent?.media?.received.foreign).toBe(0);
    expect(agent?.media?.received.lost).toBe(0);
    expect(agent?.media?.oneWayAudio?.verdict).toBe(quietAgent?.media?.oneWayAudio?.verdict);
  });

  it("the listener's own report stays bounded and counts what it refused", async () => {
    const end = await listener.stop();
    expect(end.code, explain(end)).toBe(0);
    const rep = end.json!;
    expect(rep.command).toBe('listen');
    // First and last 1000 out-of-dialog requests kept (--keep-calls), every one counted.
    expect(rep.requests!.length).toBeLessThanOrEqual(2000);
    expect(rep.requestSummary!.total).toBeGreaterThan(5000);
    expect(rep.requestSummary!.omitted).toBeGreaterThan(0);
    // The fuzzer's INVITEs from 127.0.0.3 were refused by --allow-from, and counted.
    expect(rep.refused?.total).toBeGreaterThan(1000);
    expect(end.stdout.length).toBeLessThan(8 * 1024 * 1024);
  });
});
