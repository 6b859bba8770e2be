/**
 * End-to-end: the microphone path. Chromium's fake audio capture plays a WAV file we generate (a
 * loud 1 kHz sine); a call placed from the dialer with "We send: microphone" to a separate
 * `trunkscope listen --record` (echo mode) must deliver it: the listener's recording (stereo,
 * right = what it received) carries a ~1 kHz tone, and the GUI shows the microphone level, the
 * sent level and the echoed (received) level.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pollUntil } from '../../support/browser.ts';
import { loudestWindow, readWav, rmsDbfs, dominantHz } from '../../support/wav-check.ts';
import { card, dial, openApp, statNumber, waitForState } from './gui.ts';
import { startCliListener, useGui } from './harness.ts';

const dir = mkdtempSync(join(tmpdir(), 'trunkscope-e2e-mic-'));
const micWav = join(dir, 'mic-1khz.wav');
// 16-bit mono 48 kHz: 1 kHz at −6 dBFS for 0.5 s, then 0.5 s of silence, five times (Chromium
// loops the file). The cadence tells the microphone apart from the tone source (1004 Hz, steady).
const sox = spawnSync(
  'sox',
  [
    ...['-n', '-r', '48000', '-c', '1', '-b', '16', micWav],
    ...['synth', '0.5', 'sine', '1000', 'vol', '0.5', 'pad', '0', '0.5', 'repeat', '4'],
  ],
  { encoding: 'utf8', timeout: 20_000 },
);
if (sox.status !== 0 || !existsSync(micWav)) {
  throw new Error(
    `sox could not write ${micWav}: ${sox.stderr} (scripts/install-peers.sh installs sox)`,
  );
}

const gui = useGui({ fakeAudioWav: micWav });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('e2e: microphone into a call', () => {
  it("fake capture of a 1 kHz WAV → call with source microphone → the far end's recording has 1 kHz", async () => {
    const { page } = gui.browser;
    const recording = join(dir, 'far-end.wav');
    const { listener, port } = await startCliListener(['--record', recording]);
    try {
      await openApp(page, gui.shell.url);
      const callId = await dial(page, `sip:rec@127.0.0.1:${port}`, { source: 'microphone' });
      const c = card(page, callId);
      await waitForState(page, callId, 'connected', 10_000);
      const connectedAt = Date.now();

      // The GUI: what we send is the microphone, and the echo returns it. The WAV is −9 dBFS RMS
      // half of the time; Chromium's capture applies automatic gain (seen: −3 … −17 dBFS per
      // 100 ms), and the figure is the RMS of a second: far above silence (−120) either way.
      const sent = await pollUntil(
        'a sent level above −30 dB',
        async () => {
          const v = await statNumber(c, 'level-sent');
          return v !== null && v > -30 ? v : null;
        },
        10_000,
        250,
      );
      const recv = await pollUntil(
        'a received level above −30 dB',
        async () => {
          const v = await statNumber(c, 'level-recv');
          return v !== null && v > -30 ? v : null;
        },
        10_000,
        250,
      );
      expect(sent).toBeLessThanOrEqual(0);
      expect(recv).toBeLessThanOrEqual(0);
      // The Audio view's microphone meter shows the capture.
      await page.getByTestId('nav-audio').click();
      // (It follows the WAV's cadence: wait for a loud moment.)
      const micDb = await pollUntil(
        'the microphone meter above −25 dB',
        async () => {
          const v = Number((await page.getByTestId('meter-in').getAttribute('data-db')) || -200);
          return v > -25 ? v : null;
        },
        5000,
        50,
      );
      expect(micDb).toBeLessThanOrEqual(0);
      // Four seconds of call: four on/off cycles of the WAV.
      await page.waitForTimeout(Math.max(0, connectedAt + 4000 - Date.now()));

      await page.getByTestId('nav-calls').click();
      await c.getByTestId('call-hangup').click();
      await waitForState(page, callId, 'terminated', 10_000);
    } finally {
      await listener.stop();
    }

    // What the far end received: the recording's right channel.
    const wav = readWav(recording);
    expect(wav.channels).toBe(2);
    const right = wav.samples[1]!;
    expect(right.length / wav.sampleRate, 'seconds recorded').toBeGreaterThan(3.5);
    // 200 ms: inside one 0.5 s burst of the tone.
    const loud = loudestWindow(right, wav.sampleRate, 200);
    expect(rmsDbfs(loud), 'received level at the far end').toBeGreaterThan(-25);
    // The spectral peak, not zero crossings: on a loaded machine the browser's capture path
    // underruns and the gaps (filled with silence) would drag a zero-crossing count down.
    const hz = dominantHz(loud, wav.sampleRate);
    expect(hz, `received tone ${hz.toFixed(0)} Hz`).toBeGreaterThan(950);
    expect(hz, `received tone ${hz.toFixed(0)} Hz`).toBeLessThan(1050);
    // The cadence of the WAV (0.5 s on, 0.5 s off) is in the recording: loud and quiet 100 ms
    // windows alike, all through the call.
    const win = wav.sampleRate / 10;
    const levels: number[] = [];
    for (let at = 0; at + win <= right.length; at += win)
      levels.push(rmsDbfs(right.subarray(at, at + win)));
    const loudWindows = levels.filter((db) => db > -30).length;
    const quietWindows = levels.filter((db) => db < -45).length;
    const summary = levels.map((db) => (Number.isFinite(db) ? db.toFixed(0) : '-inf')).join(' ');
    expect(loudWindows, `100 ms windows: ${summary}`).toBeGreaterThanOrEqual(10);
    expect(quietWindows, `100 ms windows: ${summary}`).toBeGreaterThanOrEqual(10);
    expect(gui.pageErrors).toEqual([]);
  }, 90_000);

  it("received audio reaches the speaker: the Audio view's speaker meter shows the far end", async () => {
    // Issue 5 "Audio": "the received audio to the speaker … with input/output level meters".
    // The engine sends a call's received audio (`audio.frame` events) only to a connection that
    // asked for it with `audio.listen` (docs/gui.md); the speaker meter moves once frames arrive.
    const { page } = gui.browser;
    const { listener, port } = await startCliListener(['--answer', 'echo']);
    try {
      await openApp(page, gui.shell.url);
      const callId = await dial(page, `sip:echo@127.0.0.1:${port}`, { source: 'tone' });
      await waitForState(page, callId, 'connected', 10_000);
      const c = card(page, callId);
      // The engine receives the echo of our tone (about −13 dBFS) …
      await pollUntil(
        'the received level of the echoed tone',
        async () => ((await statNumber(c, 'level-recv')) ?? -200) > -30,
        10_000,
        250,
      );
      // … and the speaker (its meter) gets it too.
      await page.getByTestId('nav-audio').click();
      const meter = page.getByTestId('meter-out');
      let last = '';
      const deadline = Date.now() + 8000;
      while (Date.now() < deadline) {
        last = (await meter.getAttribute('data-db')) ?? '';
        if (last !== '' && Number(last) > -30) break;
        await page.waitForTimeout(100);
      }
      expect(
        last,
        'speaker meter (meter-out data-db) during a connected call receiving a −13 dBFS echo; empty means no received audio reached the page (does the renderer ask for it with audio.listen?)',
      ).not.toBe('');
      expect(Number(last)).toBeGreaterThan(-30);
      await page.getByTestId('nav-calls').click();
      await c.getByTestId('call-hangup').click();
      await waitForState(page, callId, 'terminated', 10_000);
    } finally {
      await listener.stop();
    }
  }, 60_000);
});
