/**
 * Our own instances as media peers: `trunkscope listen` on a free port of 127.0.0.1 and
 * `trunkscope call` to it, with RTP kept to ports 10000–19999 (below the 20000–32000 block that
 * ports.ts hands to SIP peers, and below Linux's ephemeral range), plus lookups in the reports.
 */
import { expect } from 'vitest';
import type { CallReport, MediaReport } from '../../src/shared/model/report.ts';
import { explain, runCli, startListen, type CliResult, type Listener } from './cli.ts';
import { freePort } from './ports.ts';

/** RTP port range for every process these tests start. */
export const RTP_PORTS = '10000-19999';

export interface OurListener {
  listener: Listener;
  port: number;
  /** sip:echo@127.0.0.1:PORT */
  uri: string;
}

/**
 * Start `listen --bind 127.0.0.1 --port P --transport udp --json --rtp-ports ... ...args` and wait
 * (bounded) until it is ready. Killed after `timeoutMs` whatever happens.
 */
export async function startOurListen(
  args: string[],
  opts: { timeoutMs?: number } = {},
): Promise<OurListener> {
  const port = await freePort();
  const listener = startListen(
    [
      '--bind',
      '127.0.0.1',
      '--port',
      String(port),
      '--transport',
      'udp',
      '--json',
      '--rtp-ports',
      RTP_PORTS,
      ...args,
    ],
    { timeoutMs: opts.timeoutMs ?? 60_000, readyMs: 15_000 },
  );
  try {
    await listener.ready;
  } catch (err) {
    await listener.stop();
    throw err;
  }
  return { listener, port, uri: `sip:echo@127.0.0.1:${port}` };
}

/** Let the listener finish the last transaction (200 to BYE), then SIGTERM it and read its report. */
export async function stopOurListen(l: OurListener, settleMs = 300): Promise<CliResult> {
  await new Promise((r) => setTimeout(r, settleMs));
  return l.listener.stop();
}

/** `trunkscope call URI --json --rtp-ports ... ...args`, bounded. */
export function callOurs(uri: string, args: string[], timeoutMs = 20_000): Promise<CliResult> {
  return runCli(['call', uri, '--json', '--rtp-ports', RTP_PORTS, ...args], { timeoutMs });
}

/** The listener's report of the call with this Call-ID (fails the test when absent). */
export function listenedCall(
  listen: CliResult,
  callId: string | null | undefined,
  why = '',
): CallReport {
  const calls = listen.json?.calls ?? [];
  const found = calls.find((c) => c.callId === callId);
  expect(found, `listener has no call ${callId}\n${why}\n---\n${explain(listen)}`).toBeDefined();
  return found!;
}

/** The media section of a report (fails the test when absent). */
export function mediaOf(r: CallReport | undefined, why = ''): MediaReport {
  expect(r?.media, `report has no media\n${why}`).toBeDefined();
  return r!.media!;
}

/** "1:rfc2833" strings for compact comparisons of DTMF records. */
export function digits(records: Array<{ digit: string; method: string }>): string[] {
  return records.map((d) => `${d.digit}:${d.method}`);
}

/** A compact one-call summary for assertion messages (full reports are long). */
export function summarize(r: CallReport | undefined): string {
  if (!r) return '(no report)';
  const m = r.media;
  const dir = (d: { packets: number; ssrc: string | null; remoteAddress: string | null }) =>
    `${d.packets} pkts ${d.ssrc} ${d.remoteAddress}`;
  return [
    `${r.command} ${r.outcome} ${r.finalStatus} "${r.reason}" callId=${r.callId}`,
    m
      ? `  media ${m.codec}/${m.payloadType} ptime=${m.ptime} srtp=${m.srtp.policy}:${m.srtp.active}:${m.srtp.suite} dtmf=${m.dtmfMethod}${m.error ? ` error="${m.error}"` : ''}\n` +
        `  sent ${dir(m.sent)} | received ${dir(m.received)} malformed=${m.received.malformed} authFail=${m.received.srtpAuthFailures}\n` +
        `  dtmf sent ${JSON.stringify(digits(m.dtmf.sent))} received ${JSON.stringify(m.dtmf.received.map((d) => `${d.digit}:${d.method}@${d.atMs}`))}`
      : '  (no media)',
  ].join('\n');
}
