/**
 * Cost of call-quality measurement (issue: measurement that agrees with Wireshark): CPU of N
 * calls' media in one process with the measurement off, then on, in the same run.
 *
 * Each "call" is a pair of CallMedia objects on 127.0.0.1 (tone ↔ echo, PCMU 20 ms) negotiated
 * through real SDP offer/answer, so both ends run the RTP engine; with measurement "on" each end
 * also runs CallQuality's per-packet Wireshark/RFC 3550 figures, speech detection and RTCP peer
 * view (what every call does in the product); "off" detaches those listeners. CPU is
 * process.cpuUsage() over the measured window after a warm-up.
 *
 *   npx node bench/measurement-cost/run.ts [--calls 50,100] [--seconds 10] [--json]
 *
 * Bounded: every run lasts warm-up + seconds, then every call is closed.
 */
import { CallMedia } from '../../src/main/engine/media/call-media.ts';
import type { MediaPrefs } from '../../src/main/engine/media/media-prefs.ts';

interface Options {
  calls: number[];
  seconds: number;
  warmup: number;
  json: boolean;
}

function parseArgs(argv: string[]): Options {
  const o: Options = { calls: [50, 100], seconds: 10, warmup: 2, json: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = argv[i + 1] ?? '';
    if (a === '--calls') o.calls = v.split(',').map(Number);
    else if (a === '--seconds') o.seconds = Number(v);
    else if (a === '--warmup') o.warmup = Number(v);
    else if (a === '--json') {
      o.json = true;
      continue;
    } else throw new Error(`unknown argument ${a}`);
    i++;
  }
  if (o.calls.some((n) => !(n > 0 && n <= 500)) || !(o.seconds > 0 && o.seconds <= 120)) throw new Error('calls 1..500, seconds 1..120');
  return o;
}

const prefs = (source: MediaPrefs['source']): MediaPrefs => ({
  codecs: ['PCMU'],
  dtmf: 'rfc2833',
  srtp: 'off',
  symmetric: true,
  portRange: { min: 20000, max: 60000 },
  bindAddress: '127.0.0.1',
  sdpAddress: '127.0.0.1',
  ptime: 20,
  rtcpMux: false,
  source,
});

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Detach the measurement's per-packet listeners (the "off" case). */
function measurementOff(m: CallMedia): void {
  const rtp = m.rtp as unknown as { listeners: Map<string, Set<unknown>> };
  for (const ev of ['packet', 'sent', 'rtcp']) rtp.listeners.get(ev)?.clear();
  // Decoded audio still reaches the in-band DTMF detector; the quality sink stops looking at it.
  (m.quality as unknown as { write: () => void }).write = () => undefined;
}

async function run(calls: number, measure: boolean, o: Options): Promise<{ cpuMsPerCallSecond: number; packets: number }> {
  const pairs: Array<[CallMedia, CallMedia]> = [];
  for (let i = 0; i < calls; i++) {
    const a = await CallMedia.open(prefs({ kind: 'tone', hz: 1004 }));
    const b = await CallMedia.open(prefs({ kind: 'echo' }));
    const ans = b.answer(a.offer('sendrecv'));
    if (!ans.ok) throw new Error(ans.reason);
    a.onAnswer(ans.sdp);
    a.markAnswered();
    b.markAnswered();
    if (!measure) {
      measurementOff(a);
      measurementOff(b);
    }
    pairs.push([a, b]);
  }
  await sleep(o.warmup * 1000);
  const before = process.cpuUsage();
  const p0 = pairs.reduce((n, [a]) => n + a.rtp.stats().received.packets, 0);
  await sleep(o.seconds * 1000);
  const used = process.cpuUsage(before);
  const packets = pairs.reduce((n, [a]) => n + a.rtp.stats().received.packets, 0) - p0;
  if (measure) for (const [a] of pairs) a.report(); // the report is built too, once per call
  await Promise.all(pairs.flat().map((m) => m.close()));
  return { cpuMsPerCallSecond: (used.user + used.system) / 1000 / calls / o.seconds, packets };
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  const rows = [];
  for (const calls of o.calls) {
    const off = await run(calls, false, o);
    const on = await run(calls, true, o);
    rows.push({
      calls,
      offCpuMsPerCallSecond: Math.round(off.cpuMsPerCallSecond * 100) / 100,
      onCpuMsPerCallSecond: Math.round(on.cpuMsPerCallSecond * 100) / 100,
      overheadPercent: Math.round(((on.cpuMsPerCallSecond - off.cpuMsPerCallSecond) / off.cpuMsPerCallSecond) * 1000) / 10,
      packetsOff: off.packets,
      packetsOn: on.packets,
    });
  }
  if (o.json) {
    process.stdout.write(`${JSON.stringify({ date: new Date().toISOString(), seconds: o.seconds, rows }, null, 2)}\n`);
    return;
  }
  console.log('calls  CPU ms per call-second (off → on)  overhead  packets received by callers (off / on)');
  for (const r of rows) {
    console.log(`${String(r.calls).padStart(5)}  ${String(r.offCpuMsPerCallSecond).padStart(8)} → ${String(r.onCpuMsPerCallSecond).padEnd(8)}            ${String(r.overheadPercent).padStart(6)} %  ${r.packetsOff} / ${r.packetsOn}`);
  }
}

await main();
