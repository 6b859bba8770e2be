/**
 * EngineService over real sockets on 127.0.0.1: calls to its own listener, the commands a GUI
 * gives during a call, the events it receives, the trace and its exports (checked with tshark).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type {
  CallSnapshot,
  ListenerState,
  RtpStreamSummary,
  TraceEntry,
} from '../../../src/shared/api/contract.ts';
import type { CallReport } from '../../../src/shared/model/report.ts';
import type { EngineService } from '../../../src/main/engine/service/engine-service.ts';
import { loopbackService, ok, Recorder, tshark } from './service-helpers.ts';

let service: EngineService;
let rec: Recorder;
let dir: string;

beforeEach(() => {
  service = loopbackService();
  rec = new Recorder(service);
  dir = mkdtempSync(join(tmpdir(), 'trunkscope-svc-'));
});

afterEach(async () => {
  await service.close();
  rmSync(dir, { recursive: true, force: true });
});

async function listen(answer: string): Promise<number> {
  const st = await ok<ListenerState>(service, 'listener.start', {
    address: '127.0.0.1',
    port: 0,
    transports: ['udp'],
    answer,
  });
  expect(st.running).toBe(true);
  return st.port!;
}

describe('EngineService: a call to its own listener', () => {
  it('places, measures, sends DTMF, holds, hangs up, reports, traces and exports', async () => {
    const port = await listen('echo');
    const { callId } = await ok<{ callId: string }>(service, 'call.place', {
      target: `sip:+15551230000@127.0.0.1:${port}`,
      source: 'tone',
    });
    await rec.until('connected', () => rec.states(callId).some((s) => s.state === 'connected'));
    expect(rec.stateSequence(callId).slice(0, 4)).toEqual([
      'calling',
      'proceeding',
      'ringing',
      'connected',
    ]);
    // The listener's leg shares the Call-ID: it gets its own handle.
    const inbound = await rec.until('inbound leg', () =>
      rec.of('call.state').find((s) => s.direction === 'inbound'),
    );
    expect(inbound.callId).toBe(`${callId}#inbound`);
    expect(inbound.sipCallId).toBe(callId);

    const tick = await rec.until('stats with audio back', () =>
      rec.of('call.stats').find((t) => t.callId === callId && t.received.packets > 10),
    );
    expect(tick.sent.packets).toBeGreaterThan(10);
    expect(tick.received.levelDb).toBeGreaterThan(-30); // our -10 dBm0 tone, echoed
    expect(tick.received.lost).toBe(0);
    const rated = await rec.until('MOS', () =>
      rec.of('call.stats').find((t) => t.callId === callId && t.mos !== null),
    );
    expect(rated.mos).toBeGreaterThan(4); // G.711 without loss
    expect(rated.oneWayAudio?.verdict ?? 'ok').toBe('ok');

    await ok(service, 'call.dtmf', { callId, digits: '12#' });
    expect(await ok(service, 'call.hold', { callId, on: true })).toEqual({ ok: true });
    expect(rec.states(callId).at(-1)!.onHold).toBe(true);
    expect(await ok(service, 'call.hold', { callId, on: false })).toEqual({ ok: true });
    expect(rec.states(callId).at(-1)!.onHold).toBe(false);
    await new Promise((r) => setTimeout(r, 300));

    await ok(service, 'call.hangup', { callId });
    const ended = await rec.until('report', () => rec.states(callId).find((s) => s.report));
    expect(ended.state).toBe('terminated');
    const report = ended.report!;
    expect(report).toMatchObject({
      command: 'call',
      outcome: 'answered',
      finalStatus: 200,
      endedBy: 'local',
      callId,
    });
    expect(report.media?.dtmf.sent.map((d) => d.digit).join('')).toBe('12#');
    const agent = await rec.until(
      'agent report',
      () => rec.states(`${callId}#inbound`).find((s) => s.report)?.report,
    );
    expect(agent.media?.dtmf.received.map((d) => d.digit).join('')).toBe('12#');
    const viaCommand = await ok<{ report: CallReport; media: unknown }>(service, 'call.report', {
      callId,
    });
    expect(viaCommand.report.callId).toBe(callId);

    // Trace: every message of the dialog, with Call-ID, method, status; events came in batches.
    await rec.until('BYE traced', () =>
      rec
        .of('trace.entries')
        .flat()
        .some((e) => e.method === 'BYE' && e.status === 200 && e.dir === 'in'),
    );
    const q = await ok<{ total: number; entries: TraceEntry[]; streams: RtpStreamSummary[] }>(
      service,
      'trace.query',
      { callId },
    );
    expect(q.entries.every((e) => e.callId === callId && !e.retransmission)).toBe(true);
    const sent = q.entries.filter((e) => e.dir === 'out').map((e) => e.status ?? e.method);
    expect(sent).toEqual(expect.arrayContaining(['INVITE', 'ACK', 'BYE', 100, 180, 200]));
    expect(
      (await ok<{ total: number }>(service, 'trace.query', { callId: `${callId}#inbound` })).total,
    ).toBe(q.total);
    expect(
      (await ok<{ total: number }>(service, 'trace.query', { callId, method: 'BYE' })).total,
    ).toBe(4);
    expect(
      (
        await ok<{ entries: TraceEntry[] }>(service, 'trace.query', { callId, status: '1xx' })
      ).entries
        .map((e) => e.status)
        .sort(),
    ).toEqual([100, 100, 180, 180]);
    expect(
      (await ok<{ total: number }>(service, 'trace.query', { callId, text: 'telephone-event' }))
        .total,
    ).toBeGreaterThan(0);
    expect((await ok<{ total: number }>(service, 'trace.query', { callId: 'nope' })).total).toBe(0);
    expect(q.streams).toHaveLength(4);
    for (const s of q.streams)
      expect(s).toMatchObject({ callId, lost: 0, endAt: expect.any(Number) });
    expect(Math.min(...q.streams.map((s) => s.packets))).toBeGreaterThan(20);
    expect(rec.of('trace.streams').length).toBeGreaterThan(0);

    // Exports.
    type Export = { filename: string; mime: string; base64: string };
    const text = await ok<Export>(service, 'trace.export', { format: 'text', callId });
    const plain = Buffer.from(text.base64, 'base64').toString();
    expect(text.filename).toMatch(/\.txt$/);
    expect(plain).toContain('Ladder');
    expect(plain).toContain('BYE sip:');
    expect(plain).toContain('RTP streams');

    const pcap = await ok<Export>(service, 'trace.export', { format: 'pcap', callId });
    expect(pcap.mime).toBe('application/vnd.tcpdump.pcap');
    const file = join(dir, pcap.filename);
    writeFileSync(file, Buffer.from(pcap.base64, 'base64'));
    const sip = await tshark([
      '-r',
      file,
      '-Y',
      'sip',
      '-T',
      'fields',
      '-e',
      'sip.Method',
      '-e',
      'sip.Status-Code',
      '-e',
      'sip.Call-ID',
    ]);
    expect(sip).toContain('INVITE');
    expect(sip).toContain('BYE');
    expect(sip).toMatch(/^\t200\t/m);
    expect(sip).toContain(callId);
    const rtp = await tshark([
      '-r',
      file,
      '-o',
      'rtp.heuristic_rtp:TRUE',
      '-Y',
      'rtp',
      '-T',
      'fields',
      '-e',
      'rtp.seq',
    ]);
    expect(rtp.trim().split('\n').length).toBeGreaterThan(80);
    // The audio itself is in the file (the 1004 Hz tone, not PCMU silence 0xff)…
    const payloadsOf = async (f: string) =>
      (await tshark(['-r', f, '-o', 'rtp.heuristic_rtp:TRUE', '-Y', 'rtp.p_type == 0', '-T', 'fields', '-e', 'rtp.payload']))
        .trim()
        .split('\n')
        .filter(Boolean);
    const audio = await payloadsOf(file);
    expect(audio.length).toBeGreaterThan(80);
    expect(audio.filter((p) => /[^f:]/.test(p)).length).toBeGreaterThan(audio.length / 2);

    const red = await ok<Export>(service, 'trace.export', { format: 'pcap', callId, redact: true });
    const redFile = join(dir, red.filename);
    expect(red.filename).toContain('redacted');
    const redBytes = Buffer.from(red.base64, 'base64');
    writeFileSync(redFile, redBytes);
    const redText = Buffer.from(
      (await ok<Export>(service, 'trace.export', { format: 'text', callId, redact: true })).base64,
      'base64',
    ).toString();
    for (const original of ['127.0.0.1', '15551230000', callId]) {
      expect(redText).not.toContain(original);
      expect(redBytes.toString('latin1')).not.toContain(original);
    }
    expect(redBytes.includes(Buffer.from([127, 0, 0, 1]))).toBe(false);
    const redSip = await tshark([
      '-r',
      redFile,
      '-Y',
      'sip',
      '-T',
      'fields',
      '-e',
      'sip.Method',
      '-e',
      'ip.src',
    ]);
    expect(redSip).toContain('INVITE');
    expect(redSip).toContain('192.0.2.');
    // …but not in the redacted one: voice is personal data.
    const silent = await payloadsOf(redFile);
    expect(silent.length).toBeGreaterThan(80);
    expect(silent.filter((p) => !/^ff(:?ff)*$/.test(p)).slice(0, 2)).toEqual([]);
  }, 30_000);

  it('manual answer: an incoming call waits for accept, then connects', async () => {
    const port = await listen('manual');
    const { callId } = await ok<{ callId: string }>(service, 'call.place', {
      target: `sip:agent@127.0.0.1:${port}`,
      source: 'silence',
    });
    const incoming = await rec.until('incoming', () =>
      rec.of('call.state').find((s) => s.direction === 'inbound' && s.state === 'incoming'),
    );
    await rec.until('ringing', () => rec.states(callId).some((s) => s.state === 'ringing'));
    expect(await ok(service, 'call.accept', { callId: incoming.callId })).toEqual({ ok: true });
    await rec.until(
      'both connected',
      () =>
        rec.states(callId).some((s) => s.state === 'connected') &&
        rec.states(incoming.callId).some((s) => s.state === 'connected'),
    );
    expect(await ok(service, 'call.accept', { callId: incoming.callId })).toEqual({ ok: false }); // already answered
    await ok(service, 'call.hangup', { callId: incoming.callId });
    const out = await rec.until(
      'caller report',
      () => rec.states(callId).find((s) => s.report)?.report,
    );
    expect(out).toMatchObject({ outcome: 'answered', endedBy: 'remote' });
  }, 20_000);

  it('manual answer: reject with 486 ends the caller busy', async () => {
    const port = await listen('manual');
    const { callId } = await ok<{ callId: string }>(service, 'call.place', {
      target: `sip:agent@127.0.0.1:${port}`,
    });
    const incoming = await rec.until('incoming', () =>
      rec.of('call.state').find((s) => s.direction === 'inbound' && s.state === 'incoming'),
    );
    expect(await ok(service, 'call.reject', { callId: incoming.callId, status: 486 })).toEqual({
      ok: true,
    });
    const out = await rec.until('caller report', () => rec.states(callId).find((s) => s.report));
    expect(out).toMatchObject({
      state: 'terminated',
      finalStatus: 486,
      report: { outcome: 'busy' },
    });
  }, 20_000);

  it('the microphone goes into the call and received audio reaches a listener', async () => {
    const port = await listen('echo');
    const { callId } = await ok<{ callId: string }>(service, 'call.place', {
      target: `127.0.0.1:${port}`,
      source: 'microphone',
    });
    await rec.until('connected', () => rec.states(callId).some((s) => s.state === 'connected'));
    // Nothing is sent to renderers until one listens.
    await new Promise((r) => setTimeout(r, 200));
    expect(rec.of('audio.frame')).toHaveLength(0);
    await ok(service, 'audio.listen', { callId, on: true });
    // 1 s of a 1 kHz tone at 16 kHz, pushed as 20 ms frames.
    for (let f = 0; f < 50; f++) {
      const pcm = new Int16Array(320);
      for (let i = 0; i < pcm.length; i++)
        pcm[i] = Math.round(8000 * Math.sin((2 * Math.PI * 1000 * (f * 320 + i)) / 16_000));
      await ok(service, 'audio.frame', {
        callId,
        sampleRate: 16_000,
        pcm: Buffer.from(pcm.buffer).toString('base64'),
      });
      await new Promise((r) => setTimeout(r, 20));
    }
    const loud = await rec.until('echoed microphone audio', () =>
      rec.of('audio.frame').find((a) => {
        const s = new Int16Array(Buffer.from(a.pcm, 'base64').buffer.slice(0));
        return a.callId === callId && s.some((v) => Math.abs(v) > 3000);
      }),
    );
    expect(loud.sampleRate).toBe(8000);
    expect(Buffer.from(loud.pcm, 'base64').length).toBe(320); // 20 ms at 8 kHz, 16-bit
    await ok(service, 'audio.listen', { callId, on: false });
    const n = rec.of('audio.frame').length;
    await new Promise((r) => setTimeout(r, 200));
    expect(rec.of('audio.frame').length).toBeLessThanOrEqual(n + 1);
  }, 20_000);

  it('TLS: verifies the server certificate unless told not to', async () => {
    const st = await ok<ListenerState>(service, 'listener.start', {
      address: '127.0.0.1',
      port: 0,
      transports: ['tls'],
      answer: 'echo',
    });
    const target = `sip:a@127.0.0.1:${st.port};transport=tls`;
    const refused = await ok<{ callId: string }>(service, 'call.place', { target });
    const end = await rec.until('refused', () => rec.states(refused.callId).find((s) => s.report));
    expect(end.reason).toMatch(/certificate verification failed.*self-signed/);
    const { callId } = await ok<{ callId: string }>(service, 'call.place', {
      target,
      tlsInsecure: true,
    });
    await rec.until('connected over TLS', () =>
      rec.states(callId).some((s) => s.state === 'connected' && s.transport === 'tls'),
    );
  }, 20_000);

  it('refuses what makes no sense, with the reason', async () => {
    const bad = async (name: string, args: unknown): Promise<string> => {
      const r = await service.dispatch(name, args);
      expect(r.ok).toBe(false);
      return r.ok ? '' : r.error;
    };
    expect(await bad('call.hangup', { callId: 'unknown' })).toMatch(
      /no call with Call-ID "unknown"/,
    );
    expect(await bad('call.place', { target: '1234' })).toMatch(/target: "1234" has no host/);
    expect(await bad('call.place', { target: 'sip:@' })).toMatch(
      /not a valid SIP URI|names no host/,
    );
    expect(await bad('call.place', { target: 'a@b.example', codecs: ['GSM'] })).toMatch(
      /^call\.place: codecs\.0:/,
    );
    expect(await bad('listener.start', { port: 70000 })).toMatch(/^listener\.start: port:/);
    const port = await listen('busy');
    const { callId } = await ok<{ callId: string }>(service, 'call.place', {
      target: `sip:x@127.0.0.1:${port}`,
    });
    await rec.until('busy', () => rec.states(callId).find((s) => s.report));
    expect(await bad('call.dtmf', { callId, digits: '1' })).toMatch(/not connected/);
    expect(await bad('call.hold', { callId, on: true })).toMatch(/not connected/);
    expect(await bad('audio.frame', { callId, sampleRate: 8000, pcm: '' })).toMatch(
      /does not send the microphone/,
    );
    const snap = await ok<{
      calls: CallSnapshot[];
      listener: ListenerState;
      traceCount: number;
      version: string;
    }>(service, 'app.snapshot', {});
    expect(snap.calls.find((c) => c.callId === callId)?.report?.outcome).toBe('busy');
    expect(snap.listener).toMatchObject({ running: true, answer: 'busy' });
    expect(snap.traceCount).toBeGreaterThan(0);
    expect(await ok(service, 'listener.stop', {})).toMatchObject({ running: false });
  }, 20_000);
});
