/**
 * Audio files: `call --play` a WAV generated here with sox, `listen --record` it (stereo: left =
 * what the listener sent, right = what it received), and `--play` of a file that cannot be read,
 * which must fail before any SIP is sent.
 */
import { execFileSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { explain } from '../../support/cli.ts';
import {
  callOurs,
  listenedCall,
  mediaOf,
  startOurListen,
  stopOurListen,
} from '../../support/media-peers.ts';
import { freePort } from '../../support/ports.ts';
import { stopAllStarted } from '../../support/processes.ts';
import { loudestWindow, readWav, rmsDbfs, zeroCrossingHz } from '../../support/wav-check.ts';

afterEach(stopAllStarted);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'trunkscope-media-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function sox(args: string[]): void {
  execFileSync('sox', args, { timeout: 10_000 });
}

/** Play `wav` from our call into a recording listener; return the listener's recording. */
async function playIntoRecorder(wav: string, tag: string) {
  const l = await startOurListen(['--record', join(dir, `${tag}-%n.wav`)]);
  const call = await callOurs(l.uri, ['--play', wav, '--duration', '2']);
  const listen = await stopOurListen(l);
  const why = `${explain(call)}\n--- listener:\n${explain(listen)}`;
  return { call, listen, why, recording: join(dir, `${tag}-1.wav`) };
}

describe('--play and --record', () => {
  it('--play an 8 kHz WAV, listener --record: a stereo WAV whose right channel holds the 440 Hz we played', async () => {
    const wav = join(dir, 'tone-16.wav');
    sox(['-n', '-r', '8000', '-c', '1', '-b', '16', wav, 'synth', '1', 'sine', '440']);
    const { call, listen, why, recording } = await playIntoRecorder(wav, 'rec16');
    expect(call.code, why).toBe(0);
    expect(call.json, why).toMatchObject({ outcome: 'answered' });
    const agent = listenedCall(listen, call.json!.callId, why);
    const m = mediaOf(agent, why);
    expect(m.received.packets, why).toBeGreaterThanOrEqual(80);
    // %n is the listener's call number: the first call records to …-1.wav, and the report says so.
    expect(m.recording, why).toBe(recording);
    expect(existsSync(recording), why).toBe(true);
    const rec = readWav(recording);
    expect({ format: rec.format, channels: rec.channels, bits: rec.bitsPerSample }, why).toEqual({
      format: 1,
      channels: 2,
      bits: 16,
    });
    expect(rec.sampleRate, why).toBeGreaterThanOrEqual(8000);
    // About the 2 s of the call (not less than the 1 s tone).
    const seconds = rec.samples[1]!.length / rec.sampleRate;
    expect(seconds, why).toBeGreaterThan(1.5);
    expect(seconds, why).toBeLessThan(4);
    // Right (received): the tone, loud, at 440 Hz. Left (sent): the echo of it.
    const right = loudestWindow(rec.samples[1]!, rec.sampleRate);
    expect(rmsDbfs(right), why).toBeGreaterThan(-20);
    expect(zeroCrossingHz(right, rec.sampleRate), why).toBeGreaterThan(420);
    expect(zeroCrossingHz(right, rec.sampleRate), why).toBeLessThan(460);
    expect(rmsDbfs(loudestWindow(rec.samples[0]!, rec.sampleRate)), why).toBeGreaterThan(-20);
  });

  it('--play accepts the WAV exactly as `sox -n -r 8000 -c 1 tone.wav synth 1 sine 440` writes it (32-bit PCM)', async () => {
    // sox writes 32-bit PCM for `synth` unless told -b 16. --play promises any WAV ("any rate;
    // resampled"); a plain PCM WAV of another sample width is still plain PCM.
    const wav = join(dir, 'tone-32.wav');
    sox(['-n', '-r', '8000', '-c', '1', wav, 'synth', '1', 'sine', '440']);
    const { call, listen, why, recording } = await playIntoRecorder(wav, 'rec32');
    expect(call.code, why).toBe(0);
    expect(call.json, why).toMatchObject({ outcome: 'answered' });
    listenedCall(listen, call.json!.callId, why);
    const rec = readWav(recording);
    const right = loudestWindow(rec.samples[1]!, rec.sampleRate);
    expect(rmsDbfs(right), why).toBeGreaterThan(-20);
    expect(zeroCrossingHz(right, rec.sampleRate), why).toBeGreaterThan(420);
    expect(zeroCrossingHz(right, rec.sampleRate), why).toBeLessThan(460);
  });

  const unusable: Array<[string, (d: string) => string[], RegExp]> = [
    ['--play missing.wav', (d) => ['--play', join(d, 'no-such-dir', 'missing.wav')], /not found|no such file|cannot/i],
    ['--record into a missing directory', (d) => ['--record', join(d, 'no-such-dir', 'out.wav')], /directory .* does not exist/],
    ['--record naming a directory', (d) => ['--record', d], /is a directory/],
  ];
  for (const [what, args, message] of unusable) {
    it(`${what}: exit 2 with a message naming the file, before any SIP is sent`, async () => {
      // A UDP socket where the INVITE would go: nothing may arrive on it.
      const port = await freePort();
      const sock = createSocket('udp4');
      const arrived: Buffer[] = [];
      sock.on('message', (msg) => arrived.push(msg));
      await new Promise<void>((resolve) => sock.bind(port, '127.0.0.1', resolve));
      try {
        const flag = args(dir);
        const call = await callOurs(`sip:echo@127.0.0.1:${port}`, [...flag, '--duration', '1', '--timeout', '2'], 10_000);
        await new Promise((r) => setTimeout(r, 200));
        const why = explain(call);
        expect(call.code, why).toBe(2);
        expect(call.stderr, why).toContain(flag[1]!);
        expect(call.stderr, why).toContain(flag[0]!);
        expect(call.stderr, why).toMatch(message);
        expect(
          arrived.map((b) => b.toString('utf8', 0, 40)),
          why,
        ).toEqual([]);
      } finally {
        await new Promise<void>((resolve) => sock.close(() => resolve()));
      }
    });
  }
});
