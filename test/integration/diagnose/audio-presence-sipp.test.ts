/**
 * Issue 17 with real peers: a SIPp callee replaying a pcap the test made — μ-law digital silence
 * (0xFF), comfort noise only (PT 13), or a tone — into `trunkscope call`. Silence and CN-only fail
 * the call (silent-audio, exit 1, a JUnit failure); the tone passes. The call is captured on lo and
 * `trunkscope diagnose` on that capture names the same cause (issue 11).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { explain, runCli } from '../../support/cli.ts';
import { freePort } from '../../support/ports.ts';
import { stopAllStarted } from '../../support/processes.ts';
import { explainSipp, scenarioDir, startSipp } from '../../support/sipp.ts';
import { finishSipp } from '../../support/sip-flows.ts';
import { startCapture } from '../../support/tshark.ts';
import { rtpPcap, silenceFrames, toneFrames } from '../../support/rtp-pcap.ts';

afterEach(stopAllStarted);
const dir = mkdtempSync(join(tmpdir(), 'trunkscope-audio-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The uas-pcap-audio scenario with this pcap written in. */
function scenarioWith(tag: string, pcap: Buffer): string {
  const pcapFile = join(dir, `${tag}.pcap`);
  writeFileSync(pcapFile, pcap);
  const xml = readFileSync(join(scenarioDir, 'uas-pcap-audio.xml'), 'utf8').replace('play_pcap_audio="PCAP_FILE"', `play_pcap_audio="${pcapFile}"`);
  const file = join(dir, `${tag}.xml`);
  writeFileSync(file, xml);
  return file;
}

async function callPlaying(tag: string, pcap: Buffer, extra: string[] = []) {
  const port = await freePort();
  const rtp = await freePort(20);
  const cap = await startCapture(`udp port ${port} or udp portrange ${rtp}-${rtp + 19}`, { name: tag });
  const run = await startSipp({ scenario: scenarioWith(tag, pcap), localPort: port, service: 'echo', timeoutMs: 20_000 });
  await run.ready;
  const junit = join(dir, `${tag}.xml.junit`);
  const cli = await runCli(['call', `sip:echo@127.0.0.1:${port}`, '--json', '--trace', '--duration', '3', '--rtp-ports', `${rtp}-${rtp + 19}`, '--junit', junit, ...extra], { timeoutMs: 30_000 });
  const sipp = await finishSipp(run, 5000);
  const pcapFile = await cap.stop();
  const diag = await runCli(['diagnose', pcapFile, '--json', '--call-id', cli.json?.callId ?? '?'], { timeoutMs: 30_000 });
  const text = await runCli(['diagnose', pcapFile, '--call-id', cli.json?.callId ?? '?'], { timeoutMs: 30_000 });
  cap.cleanup();
  const why = `${explain(cli)}\n---\n${explainSipp(sipp)}\n--- diagnose:\n${text.stdout}\n${diag.stderr}`;
  return { cli, sipp, diag: JSON.parse(diag.stdout || '{}') as { calls?: Array<{ report: { diagnosis?: { verdict: string; causes: Array<{ code: string; evidence: Array<{ ref: string }> }> }; media?: { received: { audio?: { activeMs: number } } } }; ladder: unknown[] }> }, diagCode: diag.code, junit: readFileSync(junit, 'utf8'), why };
}

describe('audio presence with a SIPp callee replaying a pcap', () => {
  it('μ-law digital silence: silent-audio, exit 1, a JUnit failure; diagnose on the capture says the same', async () => {
    const r = await callPlaying('silence', rtpPcap({ frames: silenceFrames(150) }));
    expect(r.sipp.code, r.why).toBe(0);
    expect(r.cli.json, r.why).toMatchObject({ outcome: 'answered' });
    const m = r.cli.json!.media!;
    expect(m.received.packets, r.why).toBeGreaterThan(100);
    expect(m.received.audio, r.why).toMatchObject({ decoded: true, activeMs: 0 });
    expect(m.received.audio!.silentMs, r.why).toBeGreaterThan(2000);
    expect(m.mosBasis, r.why).toBe('network');
    expect(r.cli.json!.diagnosis, r.why).toMatchObject({ verdict: 'failed', causes: [{ code: 'silent-audio', severity: 'error' }] });
    expect(r.cli.code, r.why).toBe(1);
    expect(r.junit, r.why).toContain('type="silent-audio"');
    // The capture of the same call: its ladder, and the same cause.
    expect(r.diagCode, r.why).toBe(1);
    const call = r.diag.calls?.[0];
    expect(call?.ladder.length, r.why).toBeGreaterThanOrEqual(5);
    expect(call?.report.diagnosis?.causes.map((c) => c.code), r.why).toContain('silent-audio');
    expect(call?.report.media?.received.audio?.activeMs, r.why).toBe(0);
  });

  it('a tone: ok, exit 0; diagnose on the capture is ok too', async () => {
    const r = await callPlaying('tone', rtpPcap({ frames: toneFrames(150) }));
    expect(r.sipp.code, r.why).toBe(0);
    const m = r.cli.json!.media!;
    expect(m.received.audio!.activeMs, r.why).toBeGreaterThan(2000);
    expect(r.cli.json!.diagnosis, r.why).toEqual({ verdict: 'ok', causes: [] });
    expect(r.cli.code, r.why).toBe(0);
    expect(r.junit, r.why).not.toContain('<failure');
    expect(r.diagCode, r.why).toBe(0);
    expect(r.diag.calls?.[0]?.report.diagnosis?.verdict, r.why).toBe('ok');
  });

  it('comfort noise only (PT 13): counted as CN, never malformed, and the call fails as silent', async () => {
    const r = await callPlaying('cn', rtpPcap({ frames: Array.from({ length: 150 }, () => Buffer.from([0x40])), payloadType: 13 }));
    const m = r.cli.json!.media!;
    expect(m.received.malformed, r.why).toBe(0);
    expect(m.received.audio, r.why).toMatchObject({ activeMs: 0, silentMs: 0, undecodable: 0 });
    expect(m.received.audio!.cnMs, r.why).toBeGreaterThan(2000);
    expect(r.cli.json!.diagnosis?.causes[0], r.why).toMatchObject({ code: 'silent-audio', summary: 'the peer sent only comfort noise (RFC 3389), no audio' });
    expect(r.cli.code, r.why).toBe(1);
  });

  it('--expect-silence: the silent call passes', async () => {
    const r = await callPlaying('expected', rtpPcap({ frames: silenceFrames(150) }), ['--expect-silence']);
    expect(r.cli.json!.diagnosis?.verdict, r.why).toBe('ok');
    expect(r.cli.code, r.why).toBe(0);
  });
});
