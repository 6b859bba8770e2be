/**
 * In-band DTMF over the stateful codecs (G.722 ADPCM, Opus) into our listener: six digits, once
 * to a listener that sends its own tone (`--tone 400`) and once to the default echo listener.
 *
 * Both listeners receive the same packets, so both must report the same digits. A regression
 * test: the echo listener once decoded every packet it echoed a second time, with the codec
 * instance its receiver decodes with, so a stateful decoder saw every packet twice and digits
 * went missing (G.711, stateless, hid it). Now the echo returns the payload as it came and hands
 * its "sent" sinks the audio the receiver decoded once. The tone listener is the control.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { explain } from '../../support/cli.ts';
import {
  callOurs,
  digits,
  listenedCall,
  mediaOf,
  startOurListen,
  stopOurListen,
  summarize,
} from '../../support/media-peers.ts';
import { stopAllStarted } from '../../support/processes.ts';

afterEach(stopAllStarted);

const DIGITS = '123456';

async function inbandInto(
  codec: string,
  listenArgs: string[],
): Promise<{ got: string[]; why: string }> {
  const l = await startOurListen(['--codec', codec, ...listenArgs]);
  const call = await callOurs(l.uri, [
    '--codec',
    codec,
    '--dtmf',
    'inband',
    '--send-dtmf',
    DIGITS,
    '--duration',
    '3',
  ]);
  const listen = await stopOurListen(l);
  const agent = listenedCall(listen, call.json?.callId, explain(call));
  const why = `listen ${listenArgs.join(' ') || '(echo)'}\ncaller: ${summarize(call.json)}\nagent:  ${summarize(agent)}`;
  expect(call.json, why).toMatchObject({ outcome: 'answered' });
  expect(mediaOf(call.json, why).codec, why).toBe(codec);
  expect(digits(mediaOf(call.json, why).dtmf.sent), why).toHaveLength(DIGITS.length);
  return { got: digits(mediaOf(agent, why).dtmf.received), why };
}

/** At least `min` of the six digits, in order, each once, nothing else. */
function expectDigits(got: string[], min: number, why: string): void {
  const want = [...DIGITS].map((d) => `${d}:inband`);
  expect(
    got.every((d) => want.includes(d)),
    why,
  ).toBe(true);
  expect(got, why).toEqual([...new Set(got)].sort());
  expect(got.length, why).toBeGreaterThanOrEqual(min);
}

describe('in-band DTMF over G.722 and Opus into our listener', () => {
  // G.722 at 64 kbit/s keeps DTMF tones intact: every digit, every time. Opus at 32 kbit/s codes
  // band energies (docs/codecs.md); offline, with a decoder of its own, the detector misses about
  // one digit in 40 there, so Opus may lose one of six.
  for (const [codec, min] of [
    ['G722', 6],
    ['opus', 5],
  ] as const) {
    it(`${codec}: a listener sending its own tone reports the digits (control)`, async () => {
      const { got, why } = await inbandInto(codec, ['--tone', '400']);
      expectDigits(got, min, why);
    });

    it(`${codec}: the echo listener reports the same digits`, async () => {
      const { got, why } = await inbandInto(codec, []);
      expectDigits(got, min, why);
    });
  }
});
