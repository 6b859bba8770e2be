import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WavFileError, WavFileSource } from '../../../../src/main/media/source/wav-file.ts';
import { ToneSource } from '../../../../src/main/media/source/tone.ts';
import { writeWav } from '../../../../src/main/media/wav.ts';
import { goertzelAmplitude, goertzelPower } from '../../../../src/main/media/dtmf/goertzel.ts';
import { dbm0ToPeak } from '../../../../src/main/media/level.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'trunkscope-wav-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, bytes: Buffer): Promise<string> {
  const p = join(dir, name);
  await writeFile(p, bytes);
  return p;
}

function readAll(src: WavFileSource, rate: number, frames: number, n: number): Int16Array {
  const out = new Int16Array(frames * n);
  const frame = new Int16Array(n);
  for (let f = 0; f < frames; f++) {
    src.read(frame, rate);
    out.set(frame, f * n);
  }
  return out;
}

describe('WavFileSource', () => {
  it('reads a 44.1 kHz stereo file as mono at the codec rate, then is done', async () => {
    const left = new ToneSource({ frequency: 1000, levelDbm0: -10, sampleRate: 44100 }).next(44100);
    const right = new Int16Array(44100); // silent channel: the mix halves the level (−6 dB)
    const p = await file('stereo.wav', writeWav([left, right], 44100));
    const src = await WavFileSource.load(p, 8000);
    expect(src.fileSampleRate).toBe(44100);
    expect(src.durationMs).toBeCloseTo(1000, 6);
    expect(src.warnings).toEqual([]);
    const pcm = readAll(src, 8000, 50, 160); // exactly 1 s at 8 kHz
    const amp = goertzelAmplitude(goertzelPower(pcm, 800, 6400, 1000, 8000), 6400);
    expect(amp / (dbm0ToPeak(-10) / 2)).toBeCloseTo(1, 1);
    expect(src.done).toBe(false);
    const tail = new Int16Array(160).fill(7);
    src.read(tail, 8000);
    expect(src.done).toBe(true);
    expect(tail.every((s) => s === 0)).toBe(true);
  });

  it('loops when asked and resamples again if the codec rate changes', async () => {
    const pcm = Int16Array.from({ length: 800 }, (_, i) => (i < 400 ? 1000 : -1000));
    const src = await WavFileSource.load(await file('loop.wav', writeWav([pcm], 8000)), 8000, {
      loop: true,
    });
    const out = readAll(src, 8000, 10, 160); // 1600 samples = two passes
    expect(src.done).toBe(false);
    expect(out[0]).toBe(out[800]);
    expect(out[1200]).toBe(out[400]);
    const wide = new Int16Array(320);
    src.read(wide, 16000);
    expect(wide.length).toBe(320);
    expect(src.done).toBe(false);
  });

  it('names the file when it does not exist', async () => {
    const p = join(dir, 'missing.wav');
    await expect(WavFileSource.load(p, 8000)).rejects.toThrow(`cannot play "${p}": file not found`);
    await expect(WavFileSource.load(p, 8000)).rejects.toMatchObject({
      name: 'WavFileError',
      reason: 'not-found',
      path: p,
    });
  });

  it('says when the file is not a WAV', async () => {
    const p = await file(
      'song.mp3',
      Buffer.from('ID3\x04\x00\x00\x00\x00\x00\x00 not a wave file'),
    );
    const err = await WavFileSource.load(p, 8000).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WavFileError);
    expect((err as WavFileError).reason).toBe('invalid-wav');
    expect((err as Error).message).toBe(
      `cannot play "${p}": invalid WAV: starts with "ID3\x04", not "RIFF"`,
    );
  });

  it('says when a truncated file lost its header, and warns when only audio is cut short', async () => {
    const whole = writeWav([new Int16Array(8000).fill(300)], 8000);
    const cutHeader = await file('cut-header.wav', whole.subarray(0, 30));
    await expect(WavFileSource.load(cutHeader, 8000)).rejects.toThrow(
      /cannot play ".*cut-header\.wav": invalid WAV: .*fmt/,
    );
    const noAudio = await file('no-audio.wav', whole.subarray(0, 45));
    await expect(WavFileSource.load(noAudio, 8000)).rejects.toMatchObject({ reason: 'no-audio' });
    const cutAudio = await file('cut-audio.wav', whole.subarray(0, 44 + 4000));
    const src = await WavFileSource.load(cutAudio, 8000);
    expect(src.durationMs).toBe(250);
    expect(src.warnings[0]).toMatch(/cut-audio\.wav" is truncated/);
  });

  it('says when the path is a directory', async () => {
    await expect(WavFileSource.load(dir, 8000)).rejects.toMatchObject({ reason: 'is-directory' });
  });
});
