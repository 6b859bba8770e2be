/**
 * ITU-T G.722 sub-band ADPCM at 64 kbit/s (mode 1), written from the standard's block
 * description (§3 encoder, §4 decoder): a QMF splits 16 kHz PCM into two 8 kHz sub-bands; the
 * lower band is coded with 6-bit ADPCM, the higher band with 2-bit ADPCM; each byte carries one
 * sample of each (bits 7-6 higher band, 5-0 lower band). One byte = two 16 kHz samples.
 *
 * RTP (RFC 3551 §4.5.2): payload type 9, `a=rtpmap:9 G722/8000` — the RTP clock rate is 8000
 * Hz although the codec samples at 16 kHz, a historical error kept for compatibility. So a
 * 20 ms frame is 320 PCM samples, 160 bytes, and advances the RTP timestamp by 160.
 */
import { G722Band, limit15, sat16 } from './g722-band.ts';
import { QmfAnalysis, QmfSynthesis } from './g722-qmf.ts';
import { IHN, IHP, ILN, ILP, Q2, Q6, QM2, QM4, QM6 } from './g722-tables.ts';
import type { MediaCodec } from './registry.ts';

export const G722_SAMPLE_RATE = 16000;
export const G722_CLOCK_RATE = 8000;

/** Encodes 16 kHz PCM to G.722 bytes. Stateful: one per outgoing stream. */
export class G722Encoder {
  private readonly qmf = new QmfAnalysis();
  private readonly low = new G722Band('lower');
  private readonly high = new G722Band('higher');
  /** An odd sample left over from the previous call (frames are normally even). */
  private pending: number | undefined;

  encode(pcm: Int16Array): Buffer {
    const total = pcm.length + (this.pending === undefined ? 0 : 1);
    const out = Buffer.allocUnsafe(total >> 1);
    let i = 0;
    let o = 0;
    if (this.pending !== undefined && pcm.length > 0) {
      out[o++] = this.encodePair(this.pending, pcm[0]!);
      this.pending = undefined;
      i = 1;
    }
    for (; i + 1 < pcm.length; i += 2) out[o++] = this.encodePair(pcm[i]!, pcm[i + 1]!);
    if (i < pcm.length) this.pending = pcm[i]!;
    return out;
  }

  private encodePair(first: number, second: number): number {
    const [xl, xh] = this.qmf.split(first, second);
    return (this.encodeHigh(xh) << 6) | this.encodeLow(xl);
  }

  /** Blocks 1L-4L: QUANTL, INVQAL, LOGSCL/SCALEL, predictor. */
  private encodeLow(xl: number): number {
    const band = this.low;
    const el = sat16(xl - band.s);
    const wd = el >= 0 ? el : -(el + 1);
    let mil = 1;
    while (mil < 30 && wd >= (Q6[mil]! * band.det) >> 12) mil++;
    const il = el < 0 ? ILN[mil]! : ILP[mil]!;
    const ril = il >> 2;
    const dlt = (band.det * QM4[ril]!) >> 15;
    band.adaptScale(ril);
    band.predict(dlt);
    return il;
  }

  /** Blocks 1H-4H: QUANTH, INVQAH, LOGSCH/SCALEH, predictor. */
  private encodeHigh(xh: number): number {
    const band = this.high;
    const eh = sat16(xh - band.s);
    const wd = eh >= 0 ? eh : -(eh + 1);
    const mih = wd >= (Q2 * band.det) >> 12 ? 2 : 1;
    const ih = eh < 0 ? IHN[mih]! : IHP[mih]!;
    const dh = (band.det * QM2[ih]!) >> 15;
    band.adaptScale(ih);
    band.predict(dh);
    return ih;
  }
}

/** Decodes G.722 bytes (64 kbit/s mode) to 16 kHz PCM. Stateful: one per incoming stream. */
export class G722Decoder {
  private readonly qmf = new QmfSynthesis();
  private readonly low = new G722Band('lower');
  private readonly high = new G722Band('higher');

  decode(payload: Uint8Array): Int16Array {
    const out = new Int16Array(payload.length * 2);
    for (let i = 0; i < payload.length; i++) {
      const code = payload[i]!;
      const rl = this.decodeLow(code & 0x3f);
      const rh = this.decodeHigh(code >> 6);
      const [a, b] = this.qmf.join(rl, rh);
      out[2 * i] = a;
      out[2 * i + 1] = b;
    }
    return out;
  }

  /** Blocks 5L (INVQBL, 6-bit), 6L (LIMIT), then 2L-4L on the 4-bit code as the encoder. */
  private decodeLow(il: number): number {
    const band = this.low;
    const rl = limit15(band.s + ((band.det * QM6[il]!) >> 15));
    const ril = il >> 2;
    const dlt = (band.det * QM4[ril]!) >> 15;
    band.adaptScale(ril);
    band.predict(dlt);
    return rl;
  }

  /** Blocks 2H (INVQAH), 5H (RECONS), 6H (LIMIT), 3H-4H. */
  private decodeHigh(ih: number): number {
    const band = this.high;
    const dh = (band.det * QM2[ih]!) >> 15;
    const rh = limit15(band.s + dh);
    band.adaptScale(ih);
    band.predict(dh);
    return rh;
  }
}

/** A G.722 codec for one call: its own encoder and decoder state. */
export function createG722Codec(): MediaCodec {
  const enc = new G722Encoder();
  const dec = new G722Decoder();
  return {
    name: 'G722',
    payloadType: 9,
    clockRate: G722_CLOCK_RATE,
    channels: 1,
    sampleRate: G722_SAMPLE_RATE,
    encodesAudio: true,
    decodesAudio: true,
    frameSamples: (ptimeMs) => Math.round((G722_SAMPLE_RATE * ptimeMs) / 1000),
    encode: (pcm) => enc.encode(pcm),
    decode: (payload) => dec.decode(payload),
    close: () => {},
  };
}
