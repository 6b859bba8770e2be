/**
 * Codec cost per 20 ms frame: encode and decode measured separately for every codec that really
 * encodes audio (PCMU, PCMA, G722, opus), through `createCodec` as a call would use it.
 *
 * Input is a 1004 Hz tone at -10 dBm0 at the codec's PCM rate (Opus: 48 kHz). Frames are timed in
 * batches (one hrtime pair per batch of `batch` frames, so the timer's own cost vanishes); the
 * figure is the median of the per-frame times of all batches, with p90 beside it to show spread.
 * Decode runs over the payloads the encoder produced, in order, so stateful decoders (G.722,
 * Opus) see a real stream.
 *
 *   node bench/concurrent-rtp/codecs.ts [--batches 200] [--batch 100] [--json]
 */
import { createCodec } from '../../src/main/media/codec/registry.ts';
import { ToneSource } from '../../src/main/media/source/tone.ts';

export interface CodecCost {
  codec: string;
  sampleRate: number;
  payloadBytes: number;
  encodeUsP50: number;
  encodeUsP90: number;
  decodeUsP50: number;
  decodeUsP90: number;
  /** One core's share for encode+decode of one call (50 frames/s each way), in %. */
  corePercentPerCall: number;
}

const PTIME = 20;
const CODECS = ['PCMU', 'PCMA', 'G722', 'opus'];

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export function measureCodec(name: string, batches: number, batch: number): CodecCost {
  const codec = createCodec(name);
  if (!codec) throw new Error(`no codec ${name}`);
  try {
    const n = codec.frameSamples(PTIME);
    const tone = new ToneSource({ sampleRate: codec.sampleRate });
    // A second of distinct frames, reused round-robin (enough variety for the adaptive codecs).
    const frames = Array.from({ length: 50 }, () => tone.next(n));
    const payloads: Buffer[] = [];
    for (let i = 0; i < 100; i++) payloads.push(codec.encode(frames[i % frames.length]!)); // warm-up
    for (const p of payloads) codec.decode(p);
    payloads.length = 0;

    const enc: number[] = [];
    let k = 0;
    for (let b = 0; b < batches; b++) {
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < batch; i++) payloads.push(codec.encode(frames[k++ % frames.length]!));
      enc.push(Number(process.hrtime.bigint() - t0) / 1000 / batch);
    }
    const dec: number[] = [];
    let sink = 0;
    for (let b = 0; b < batches; b++) {
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < batch; i++) sink += codec.decode(payloads[b * batch + i]!).length;
      dec.push(Number(process.hrtime.bigint() - t0) / 1000 / batch);
    }
    if (sink !== batches * batch * n) throw new Error(`${name}: decoded length mismatch`);
    enc.sort((a, b) => a - b);
    dec.sort((a, b) => a - b);
    const e50 = pct(enc, 50);
    const d50 = pct(dec, 50);
    return {
      codec: name,
      sampleRate: codec.sampleRate,
      payloadBytes: payloads[0]!.length,
      encodeUsP50: e50,
      encodeUsP90: pct(enc, 90),
      decodeUsP50: d50,
      decodeUsP90: pct(dec, 90),
      corePercentPerCall: ((e50 + d50) * (1000 / PTIME)) / 1e4,
    };
  } finally {
    codec.close();
  }
}

export function measureCodecs(batches = 200, batch = 100): CodecCost[] {
  return CODECS.map((c) => measureCodec(c, batches, batch));
}

export function codecTable(rows: CodecCost[]): string {
  const f = (x: number) => (x < 10 ? x.toFixed(2) : x.toFixed(1));
  return [
    '| codec | PCM rate | payload B | encode µs/frame p50 (p90) | decode µs/frame p50 (p90) | % of a core per call (enc+dec, 50 fps) |',
    '|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.codec} | ${r.sampleRate} | ${r.payloadBytes} | ${f(r.encodeUsP50)} (${f(r.encodeUsP90)}) | ` +
        `${f(r.decodeUsP50)} (${f(r.decodeUsP90)}) | ${r.corePercentPerCall.toFixed(3)} |`,
    ),
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const argv = process.argv.slice(2);
  const num = (flag: string, d: number) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? Number(argv[i + 1]) : d;
  };
  const rows = measureCodecs(num('--batches', 200), num('--batch', 100));
  if (argv.includes('--json')) console.log(JSON.stringify(rows, null, 2));
  else console.log(codecTable(rows));
}
