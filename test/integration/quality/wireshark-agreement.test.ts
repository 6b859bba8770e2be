/**
 * Issue 4, "Agreement with Wireshark": two CallMedia endpoints (tone, PCMU, 20 ms) talk through a
 * seeded impairment relay on 127.0.0.1 while tshark captures the loopback interface. Then, for
 * every RTP stream of the call,
 *   (a) our live call report (`media.sent` / `media.received` of each endpoint) and
 *   (b) `trunkscope analyze <pcap> --json` on the same capture
 * must agree with `tshark -z rtp,streams`: packets and lost equal, mean and max jitter within
 * 0.1 ms, max delta within 0.5 ms.
 *
 *   A ──► relay.portA ══ aToB impairment ══► relay.portB ──► B      (and back the same way)
 *
 * Which tshark stream is which:
 *   A sent      = A → relay.portA  (what A put on the wire, before impairment)
 *   B received  = relay.portB → B  (after the relay's impairment)
 *   B sent      = B → relay.portB
 *   A received  = relay.portA → A
 *
 * Our live figures are computed from user-space timestamps (when Node handled each datagram), tshark's
 * from the kernel's capture timestamps. On a loaded machine the two drift apart whenever the
 * process is not scheduled; the test measures that drift per stream (`stampNoise`) and, when it
 * alone explains a jitter/delta difference, runs the call once more (MAX_ATTEMPTS). Packets, lost
 * and SSRC must be equal on the first attempt, and analyze (same packets, same timestamps) always.
 *
 * Set TRUNKSCOPE_QUALITY_TABLES=1 to print every comparison table, not only failing ones.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { CallMedia } from '../../../src/main/engine/media/call-media.ts';
import type { MediaPrefs } from '../../../src/main/engine/media/media-prefs.ts';
import type { MediaReport } from '../../../src/shared/model/report.ts';
import {
  ImpairRelay,
  rewriteSdpMedia,
  sdpMedia,
  type ImpairProfile,
} from '../../support/impair-relay.ts';
import {
  findStream,
  rtpPacketTimes,
  rtpStreams,
  startCapture,
  udpPortsFilter,
  type Capture,
  type CapturedRtpPacket,
  type TsharkStream,
} from '../../support/tshark.ts';
import { runCli } from '../../support/cli.ts';
import { stopAllStarted } from '../../support/processes.ts';

const CALL_MS = 5000;
/** After both sides stop sending: longer than the relay's largest added delay and swap hold. */
const DRAIN_MS = 400;
const TOL = { jitterMs: 0.1, maxDeltaMs: 0.5 };
/** tshark prints 3 decimals. */
const PRINT_EPS = 0.0005;

const prefs: MediaPrefs = {
  codecs: ['PCMU'],
  dtmf: 'rfc2833',
  srtp: 'off',
  symmetric: true,
  portRange: { min: 30000, max: 40000 },
  bindAddress: '127.0.0.1',
  sdpAddress: '127.0.0.1',
  ptime: 20,
  rtcpMux: false,
  source: { kind: 'tone', hz: 1004 },
};

interface Profile {
  name: string;
  seed: number;
  impair: ImpairProfile;
}

/** The same impairment both ways (the relay draws each direction from its own seeded generator). */
const PROFILES: Profile[] = [
  { name: 'none', seed: 1, impair: {} },
  { name: '2 % random loss', seed: 2, impair: { lossPercent: 2 } },
  { name: '10 % bursty loss', seed: 3, impair: { burstLoss: { percent: 10, meanBurst: 4 } } },
  {
    name: 'jitter 0–30 ms with reordering',
    seed: 4,
    impair: { delay: { minMs: 0, maxMs: 30 }, reorderPercent: 3 },
  },
  { name: '5 % duplication', seed: 5, impair: { duplicatePercent: 5 } },
  {
    name: 'mixed loss + jitter + duplication',
    seed: 6,
    impair: {
      lossPercent: 2,
      burstLoss: { percent: 3, meanBurst: 3 },
      delay: { minMs: 0, maxMs: 20, distribution: 'normal' },
      duplicatePercent: 2,
    },
  },
];

/** The figures compared: those of each direction of `media` (docs/report-schema.md), or of an analyze stream. */
type QualityFigures = Partial<
  Pick<MediaReport['sent'], 'lost' | 'jitterMeanMs' | 'jitterMaxMs' | 'maxDeltaMs' | 'ssrc'>
> & { packets: number };

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Run after each test, last registered first; `failed` says whether the test failed. */
const cleanups: Array<(failed: boolean) => Promise<void> | void> = [];
afterEach(async (ctx) => {
  const failed = ctx.task.result?.state === 'fail';
  for (const c of cleanups.splice(0).reverse()) await c(failed);
  await stopAllStarted();
});

/** Our own timestamps of one stream's packets: [sequence number, ms on the session clock]. */
type Stamps = Array<[number, number]>;

interface CallRun {
  a: MediaReport;
  b: MediaReport;
  relay: ImpairRelay;
  pcap: string;
  ports: { a: number; b: number; relayA: number; relayB: number };
  streams: TsharkStream[];
  raw: string;
  /** When each endpoint's RTP session stamped each packet it sent / received. */
  stamps: { aSent: Stamps; aReceived: Stamps; bSent: Stamps; bReceived: Stamps };
}

/**
 * One ~5 s call through the relay, captured; reports taken after the relay drained. Endpoints and
 * relay are closed before it returns; the pcap is deleted after the test unless the test failed.
 */
async function call(p: Profile): Promise<CallRun> {
  const a = await CallMedia.open({ ...prefs });
  cleanups.push(() => a.close());
  const b = await CallMedia.open({ ...prefs });
  cleanups.push(() => b.close());
  const relay = await ImpairRelay.start({
    aToB: p.impair,
    bToA: p.impair,
    seed: p.seed,
    maxLifetimeMs: 30_000,
  });
  cleanups.push(() => relay.close());
  const stamps: CallRun['stamps'] = { aSent: [], aReceived: [], bSent: [], bReceived: [] };
  a.rtp.on('sent', (x) => stamps.aSent.push([x.sequenceNumber, x.arrivalMs]));
  a.rtp.on('packet', (x) => stamps.aReceived.push([x.sequenceNumber, x.arrivalMs]));
  b.rtp.on('sent', (x) => stamps.bSent.push([x.sequenceNumber, x.arrivalMs]));
  b.rtp.on('packet', (x) => stamps.bReceived.push([x.sequenceNumber, x.arrivalMs]));
  const ports = {
    a: a.rtp.localPort,
    b: b.rtp.localPort,
    relayA: relay.portA,
    relayB: relay.portB,
  };
  const cap: Capture = await startCapture(
    udpPortsFilter([ports.a, ports.b, ports.relayA, ports.relayB]),
    { maxMs: 30_000 },
  );
  cleanups.push((failed) => {
    if (!failed) cap.cleanup();
  });

  // Each side's SDP is rewritten so the other sends to the relay.
  const offer = a.offer('sendrecv');
  relay.setA(sdpMedia(offer));
  const ans = b.answer(rewriteSdpMedia(offer, { port: relay.portB }));
  if (!ans.ok) throw new Error(`B refused the offer: ${ans.status} ${ans.reason}`);
  relay.setB(sdpMedia(ans.sdp));
  a.onAnswer(rewriteSdpMedia(ans.sdp, { port: relay.portA }));
  a.markAnswered();
  b.markAnswered();
  await sleep(CALL_MS);
  // Stop sending both ways, let delayed/held packets arrive, then read the final figures.
  a.rtp.setDirection('recvonly');
  b.rtp.setDirection('recvonly');
  await sleep(DRAIN_MS);
  const ra = a.report();
  const rb = b.report();
  const pcap = await cap.stop();
  await Promise.all([relay.close(), a.close(), b.close()]);
  const { streams, raw } = await rtpStreams(pcap, 20_000, [ports.a, ports.b, ports.relayA, ports.relayB]);
  return { a: ra, b: rb, relay, pcap, ports, streams, raw, stamps };
}

/**
 * How far our timestamps of a stream's packets wander from the kernel's capture timestamps of the
 * same packets: the largest change, from one packet to the next, of (our time − capture time).
 * Jitter and delta are built from consecutive differences, so a step of s ms can move a single D by
 * s, max delta by s and max jitter by s/16 per packet. A big step means the process was not running
 * when the packet arrived (CPU contention), which no user-space timestamp can avoid.
 */
function stampNoise(
  ours: Stamps,
  captured: CapturedRtpPacket[],
  srcPort: number,
  dstPort: number,
): number | undefined {
  const bySeq = new Map<number, number[]>();
  for (const c of captured) {
    if (c.srcPort !== srcPort || c.dstPort !== dstPort) continue;
    const q = bySeq.get(c.seq) ?? [];
    q.push(c.timeMs);
    bySeq.set(c.seq, q);
  }
  const offsets: number[] = [];
  for (const [seq, ms] of ours) {
    const t = bySeq.get(seq)?.shift();
    if (t !== undefined) offsets.push(ms - t);
  }
  if (offsets.length < 2) return undefined;
  let max = 0;
  for (let i = 1; i < offsets.length; i++)
    max = Math.max(max, Math.abs(offsets[i]! - offsets[i - 1]!));
  return max;
}

interface Row {
  stream: string;
  field: string;
  ours: number | string | undefined;
  tshark: number | string;
  tol: number;
  ok: boolean;
}

function num(x: unknown): number | undefined {
  return typeof x === 'number' && Number.isFinite(x) ? x : undefined;
}

/** Compare one of our streams with tshark's; one row per figure. */
function compare(
  stream: string,
  ours: QualityFigures | undefined,
  ts: TsharkStream | undefined,
): Row[] {
  if (!ts)
    return [
      { stream, field: 'tshark stream', ours: 'present', tshark: 'missing', tol: 0, ok: false },
    ];
  const o = ours ?? ({} as Partial<QualityFigures>);
  const exact = (field: string, mine: unknown, theirs: number): Row => ({
    stream,
    field,
    ours: num(mine),
    tshark: theirs,
    tol: 0,
    ok: num(mine) === theirs,
  });
  const near = (field: string, mine: unknown, theirs: number, tol: number): Row => {
    const m = num(mine);
    return {
      stream,
      field,
      ours: m,
      tshark: theirs,
      tol,
      ok: m !== undefined && Math.abs(m - theirs) <= tol + PRINT_EPS,
    };
  };
  return [
    exact('packets', o.packets, ts.packets),
    exact('lost', o.lost, ts.lost),
    near('jitterMeanMs', o.jitterMeanMs, ts.meanJitter, TOL.jitterMs),
    near('jitterMaxMs', o.jitterMaxMs, ts.maxJitter, TOL.jitterMs),
    near('maxDeltaMs', o.maxDeltaMs, ts.maxDelta, TOL.maxDeltaMs),
    {
      stream,
      field: 'ssrc',
      ours: o.ssrc ?? undefined,
      tshark: ts.ssrc,
      tol: 0,
      ok: (o.ssrc ?? '').toLowerCase() === ts.ssrc,
    },
  ];
}

function table(title: string, rows: Row[]): string {
  const fmt = (v: number | string | undefined): string =>
    v === undefined ? '—' : typeof v === 'number' ? String(Math.round(v * 1000) / 1000) : v;
  const cells = rows.map((r) => {
    const diff =
      typeof r.ours === 'number' && typeof r.tshark === 'number' ? fmt(r.ours - r.tshark) : '';
    return [
      r.stream,
      r.field,
      fmt(r.ours),
      fmt(r.tshark),
      diff,
      r.tol ? `±${r.tol}` : '=',
      r.ok ? 'ok' : 'FAIL',
    ];
  });
  const head = ['stream', 'figure', 'ours', 'tshark', 'diff', 'tol', ''];
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]): string => c.map((x, i) => x.padEnd(widths[i]!)).join('  ');
  return [title, line(head), ...cells.map(line)].join('\n');
}

/** Streams of `trunkscope analyze --json`, whatever the exact nesting, keyed like tshark's. */
interface AnalyzeStream extends QualityFigures {
  srcPort?: number;
  dstPort?: number;
}

function analyzeStreams(json: unknown): AnalyzeStream[] {
  const root = json as { streams?: unknown[] } | unknown[];
  const list = Array.isArray(root) ? root : Array.isArray(root?.streams) ? root.streams : [];
  return list.map((s) => {
    const o = s as Record<string, unknown>;
    const port = (addr: unknown, p: unknown): number | undefined =>
      num(p) ?? (typeof addr === 'string' ? num(Number(/:(\d+)$/.exec(addr)?.[1])) : undefined);
    const ssrc =
      typeof o.ssrc === 'string'
        ? o.ssrc
        : typeof o.ssrc === 'number'
          ? `0x${(o.ssrc >>> 0).toString(16).padStart(8, '0')}`
          : null;
    return {
      ...(o as object),
      packets: num(o.packets) ?? -1,
      ssrc,
      srcPort: port(o.src ?? o.source, o.srcPort),
      dstPort: port(o.dst ?? o.destination, o.dstPort),
    } as AnalyzeStream;
  });
}

/** The relay did impair as the profile says (else the comparison proves little). */
function impairmentSeen(p: Profile, r: ImpairRelay): string[] {
  const problems: string[] = [];
  for (const dir of ['aToB', 'bToA'] as const) {
    const c = r.counters[dir];
    const i = p.impair;
    if (c.received < (CALL_MS / 20) * 0.9)
      problems.push(`${dir}: only ${c.received} packets reached the relay`);
    if (i.lossPercent && c.lostRandom === 0) problems.push(`${dir}: no random loss`);
    if (i.burstLoss && c.lostBurst === 0) problems.push(`${dir}: no burst loss`);
    if (i.delay && c.delayed === 0) problems.push(`${dir}: no added delay`);
    if (i.reorderPercent && c.reordered === 0) problems.push(`${dir}: nothing reordered`);
    if (i.duplicatePercent && c.duplicated === 0) problems.push(`${dir}: nothing duplicated`);
    if (Object.keys(i).length === 0 && c.forwarded !== c.received)
      problems.push(`${dir}: forwarded ${c.forwarded} of ${c.received} without impairment`);
  }
  return problems;
}

const showAll = process.env.TRUNKSCOPE_QUALITY_TABLES === '1';
/**
 * A call whose live timing figures (jitter, max delta) disagree only where our own packet
 * timestamps were pushed around by CPU contention (see `stampNoise`) is run once more; a second
 * such disagreement is tried once more (3 runs in all), then fails. Counts, loss and SSRC never get a second chance, nor does analyze.
 */
const MAX_ATTEMPTS = 3;
const TIMING = new Set(['jitterMeanMs', 'jitterMaxMs', 'maxDeltaMs']);

describe('call quality agrees with Wireshark (tshark -z rtp,streams) through a seeded impairment relay', () => {
  for (const p of PROFILES) {
    it(`profile: ${p.name}`, { timeout: 60_000 }, async () => {
      for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
        const run = await call(p);
        const { ports, streams, relay } = run;
        const ts = {
          aSent: findStream(streams, ports.a, ports.relayA),
          bReceived: findStream(streams, ports.relayB, ports.b),
          bSent: findStream(streams, ports.b, ports.relayB),
          aReceived: findStream(streams, ports.relayA, ports.a),
        };
        const context = `profile "${p.name}" (seed ${p.seed}), attempt ${attempt}; relay ${relay.describe()}\npcap kept at ${run.pcap}\n${run.raw}`;

        // The harness itself: tshark saw the four streams, exactly what the relay took in and sent on.
        expect(impairmentSeen(p, relay), context).toEqual([]);
        expect(
          {
            aSent: ts.aSent?.packets,
            bReceived: ts.bReceived?.packets,
            bSent: ts.bSent?.packets,
            aReceived: ts.aReceived?.packets,
          },
          context,
        ).toEqual({
          aSent: relay.counters.aToB.received,
          bReceived: relay.counters.aToB.forwarded,
          bSent: relay.counters.bToA.received,
          aReceived: relay.counters.bToA.forwarded,
        });

        // (b) `trunkscope analyze` on the same capture: the same packets, so no timing excuse.
        const res = await runCli(['analyze', run.pcap, '--json'], { timeoutMs: 20_000 });
        let parsed: unknown;
        try {
          parsed = JSON.parse(res.stdout);
        } catch {
          parsed = undefined;
        }
        expect(
          parsed,
          `trunkscope analyze ${run.pcap} --json: exit ${res.code}\nstdout:\n${res.stdout.slice(0, 3000)}\nstderr:\n${res.stderr.slice(0, 3000)}`,
        ).toBeDefined();
        const ours = analyzeStreams(parsed);
        const pick = (t: TsharkStream | undefined): AnalyzeStream | undefined =>
          t &&
          ours.find(
            (s) =>
              s.srcPort === t.srcPort &&
              s.dstPort === t.dstPort &&
              (s.ssrc ?? '').toLowerCase() === t.ssrc,
          );
        const offline = [
          ...compare('A→relay', pick(ts.aSent), ts.aSent),
          ...compare('relay→B', pick(ts.bReceived), ts.bReceived),
          ...compare('B→relay', pick(ts.bSent), ts.bSent),
          ...compare('relay→A', pick(ts.aReceived), ts.aReceived),
        ];
        const offlineTable = table(`trunkscope analyze vs tshark — profile "${p.name}"`, offline);
        if (showAll) console.log(offlineTable);
        const offlineOk = offline.every((r) => r.ok);
        expect
          .soft(
            offline.filter((r) => !r.ok).length,
            `${offlineTable}\n\nanalyze streams: ${JSON.stringify(ours).slice(0, 2000)}\n\n${context}`,
          )
          .toBe(0);
        // Every RTP stream tshark found, and no other (RTCP and the capture's SYNC packets are not RTP).
        expect
          .soft(
            ours.length,
            `analyze found ${ours.length} streams, tshark ${streams.length}\n${context}`,
          )
          .toBe(streams.length);

        // (a) the live call reports.
        const live = [
          ...compare('A sent (A→relay)', run.a.sent, ts.aSent),
          ...compare('B received (relay→B)', run.b.received, ts.bReceived),
          ...compare('B sent (B→relay)', run.b.sent, ts.bSent),
          ...compare('A received (relay→A)', run.a.received, ts.aReceived),
        ];
        const failing = live.filter((r) => !r.ok);
        let noiseNote = '';
        if (failing.length > 0 || showAll) {
          const captured = await rtpPacketTimes(run.pcap);
          const noise = {
            'A sent (A→relay)': stampNoise(run.stamps.aSent, captured, ports.a, ports.relayA),
            'B received (relay→B)': stampNoise(
              run.stamps.bReceived,
              captured,
              ports.relayB,
              ports.b,
            ),
            'B sent (B→relay)': stampNoise(run.stamps.bSent, captured, ports.b, ports.relayB),
            'A received (relay→A)': stampNoise(
              run.stamps.aReceived,
              captured,
              ports.relayA,
              ports.a,
            ),
          } as Record<string, number | undefined>;
          noiseNote = `largest step of (our timestamp − capture timestamp), ms: ${Object.entries(
            noise,
          )
            .map(([k, v]) => `${k} ${v === undefined ? '—' : v.toFixed(3)}`)
            .join('; ')}`;
          // Retry only when every failing figure is a timing figure of a stream whose timestamps
          // were disturbed by more than that figure's tolerance.
          const explained =
            failing.length > 0 &&
            failing.every((r) => TIMING.has(r.field) && (noise[r.stream] ?? 0) > r.tol);
          if (explained && attempt < MAX_ATTEMPTS && offlineOk) {
            console.log(
              `profile "${p.name}": live timing off under CPU contention, running the call again\n${table(`failing figures, attempt ${attempt}`, failing)}\n${noiseNote}`,
            );
            continue;
          }
        }
        const liveTable = table(
          `call reports vs tshark — profile "${p.name}", attempt ${attempt}`,
          live,
        );
        if (showAll) console.log(`${liveTable}\n${noiseNote}`);
        expect(failing.length, `${liveTable}\n${noiseNote}\n\n${context}`).toBe(0);
        return;
      }
    });
  }
});
