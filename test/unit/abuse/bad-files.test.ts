/** Issue 15 item 9: bad files get a clear error, and a cut capture keeps what was read. */
import { describe, expect, it } from 'vitest';
import { readCapture } from '../../../src/main/media/pcap/capture.ts';
import { concat, ethernet, pcapngSection, rtp, udpIp } from '../media/pcap/pcap-builder.ts';
import { WavFileError, WavFileSource } from '../../../src/main/media/source/wav-file.ts';
import { writeWav } from '../../../src/main/media/wav.ts';

const dgram = (seq: number) => udpIp({ src: '10.0.0.1', dst: '10.0.0.2', sport: 4000, dport: 5000, payload: rtp({ seq, ts: seq * 160, ssrc: 1, pt: 0, payloadLen: 160 }) });

describe('pcapng whose last packet block is short', () => {
  it('says the capture is truncated and keeps the packets already read', () => {
    const ok = pcapngSection(
      [{ linkType: 1 }],
      [
        { kind: 'epb', iface: 0, units: 0n, data: ethernet(dgram(1)) },
        { kind: 'epb', iface: 0, units: 1n, data: ethernet(dgram(2)) },
      ],
    );
    // An EPB of 16 bytes: type, length, 4 bytes of body (the interface id), trailing length.
    const short = new Uint8Array(16);
    const dv = new DataView(short.buffer);
    dv.setUint32(0, 6, true);
    dv.setUint32(4, 16, true);
    dv.setUint32(12, 16, true);
    const r = readCapture(concat([ok, short]));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.frames).toHaveLength(2);
    expect(r.warnings.join('\n')).toMatch(/capture truncated: packet block at byte \d+ has 4 bytes/);
  });
});

describe('WAV sample rate', () => {
  const pcm = new Int16Array(800).fill(1000);
  for (const rate of [1, 7999, 192_001, 4_000_000]) {
    it(`${rate} Hz is refused with a clear error, before any resampling`, () => {
      const buf = writeWav([pcm], 8000);
      buf.writeUInt32LE(rate, 24);
      buf.writeUInt32LE(rate * 2, 28);
      const t0 = performance.now();
      let err: unknown;
      try {
        WavFileSource.fromBuffer('prompt.wav', buf, 8000);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(WavFileError);
      expect((err as WavFileError).message).toMatch(/sample rate \d+ Hz is outside 8000-192000 Hz/);
      expect(performance.now() - t0).toBeLessThan(1000);
    });
  }
  it('8000 and 48000 Hz still play', () => {
    for (const rate of [8000, 48000]) expect(() => WavFileSource.fromBuffer('ok.wav', writeWav([pcm], rate), 8000)).not.toThrow();
  });
});
