/**
 * `bundle.make` through the contract (issue 11 item 5): a support bundle of an opened capture
 * (all its calls, or one), the same zip as `diagnose --bundle`; bad requests — no call named, an
 * unknown or still-running call, a capture id the engine does not keep, a Call-ID not in the
 * capture — are clear errors and the engine keeps serving.
 */
import { unzipSync } from 'fflate';
import { afterEach, describe, expect, it } from 'vitest';
import type { EngineService } from '../../../src/main/engine/service/engine-service.ts';
import { CaptureKeeper, MAX_KEPT } from '../../../src/main/engine/service/capture-keeper.ts';
import type { SupportBundleFile } from '../../../src/shared/api/bundle-contract.ts';
import type { CaptureImport } from '../../../src/shared/api/capture-contract.ts';
import type { CallReport } from '../../../src/shared/model/report.ts';
import { BUSY_CALL, SILENT_CALL, twoCallPcap } from '../../support/diagnosis-captures.ts';
import type { ListenerState } from '../../../src/shared/api/contract.ts';
import { loopbackService, ok, Recorder } from './service-helpers.ts';

let svc: EngineService | undefined;
afterEach(async () => {
  await svc?.close();
  svc = undefined;
});

async function call<T>(name: string, args: unknown): Promise<{ ok: true; result: T } | { ok: false; error: string }> {
  svc ??= loopbackService();
  return (await svc.dispatch(name, args, 'c1')) as never;
}

async function opened(): Promise<CaptureImport> {
  const r = await call<CaptureImport>('capture.open', { name: 'customer.pcap', base64: twoCallPcap().toString('base64') });
  if (!r.ok) throw new Error(r.error);
  return r.result;
}

const unzip = (f: SupportBundleFile): Record<string, Uint8Array> => unzipSync(Buffer.from(f.base64, 'base64'));

describe('bundle.make', () => {
  it('an opened capture: one set of files per call, named by Call-ID; one call with callId', async () => {
    const imp = await opened();
    expect(imp.captureId).toMatch(/^[0-9a-f-]{36}$/);
    const all = await call<SupportBundleFile>('bundle.make', { capture: imp.captureId });
    if (!all.ok) throw new Error(all.error);
    expect(all.result).toMatchObject({ filename: 'trunkscope-bundle-customer.zip', mime: 'application/zip' });
    const files = unzip(all.result);
    expect(Object.keys(files)).toEqual(all.result.entries);
    expect(all.result.entries).toHaveLength(9);
    expect(all.result.bytes).toBe(Buffer.from(all.result.base64, 'base64').length);
    expect(Buffer.from(files['README.txt']!).toString()).toContain('the Trunkscope GUI (an opened capture) from customer.pcap');
    const one = await call<SupportBundleFile>('bundle.make', { capture: imp.captureId, callId: BUSY_CALL });
    if (!one.ok) throw new Error(one.error);
    expect(one.result.filename).toBe('trunkscope-bundle-busy-486_capture.test.zip');
    const f1 = unzip(one.result);
    expect(Object.keys(f1)).toEqual(['README.txt', 'call-busy-486_capture.test.pcap', 'ladder-busy-486_capture.test.txt', 'report-busy-486_capture.test.json', 'diagnosis-busy-486_capture.test.txt']);
    const report = JSON.parse(Buffer.from(f1['report-busy-486_capture.test.json']!).toString()) as CallReport;
    expect(report.diagnosis).toMatchObject({ verdict: 'failed', causes: [{ code: 'busy', evidence: [{ ref: 'frame 3', originalRef: 'frame 3' }] }] });
    // The silent call's BYE is renumbered in its own bundle (350 RTP packets, not 354 frames, before it).
    const two = await call<SupportBundleFile>('bundle.make', { capture: imp.captureId, callId: SILENT_CALL });
    if (!two.ok) throw new Error(two.error);
    expect(Buffer.from(unzip(two.result)['ladder-no-inbound-rtp_capture.test.txt']!).toString()).toContain('message 5: frame 355 of call-no-inbound-rtp_capture.test.pcap = frame 359 of the original capture');
  });

  it('bad requests are clear errors, and the engine keeps serving', async () => {
    const imp = await opened();
    expect(await call('bundle.make', {})).toEqual({ ok: false, error: 'bundle.make: callId: name a call (callId) or an opened capture (capture)' });
    expect(await call('bundle.make', { callId: 'nope@x' })).toEqual({ ok: false, error: 'bundle.make: no call with Call-ID "nope@x"' });
    const gone = await call('bundle.make', { capture: 'not-kept' });
    expect(gone.ok).toBe(false);
    expect(!gone.ok && gone.error).toMatch(/capture "not-kept" is no longer kept by the engine .*open the file again/);
    const missing = await call('bundle.make', { capture: imp.captureId, callId: 'other@x' });
    expect(!missing.ok && missing.error).toBe('bundle.make: customer.pcap: no call with Call-ID "other@x" in the capture');
    expect((await call('app.snapshot', {})).ok).toBe(true);
  });

  it('a call to our own listener: not while it runs; then each leg\'s bundle holds its own messages and RTP', async () => {
    svc ??= loopbackService();
    const rec = new Recorder(svc);
    const st = await ok<ListenerState>(svc, 'listener.start', { address: '127.0.0.1', port: 0, transports: ['udp'], answer: 'echo' });
    const { callId } = await ok<{ callId: string }>(svc, 'call.place', { target: `sip:echo@127.0.0.1:${st.port}`, source: 'tone', user: 'alice', password: 'Leg-Pass-77' });
    await rec.until('connected', () => rec.states(callId).some((s) => s.state === 'connected'));
    const early = await call('bundle.make', { callId });
    expect(!early.ok && early.error).toBe(`bundle.make: call "${callId}" has not ended yet: its bundle can be saved once it has`);
    await new Promise((r) => setTimeout(r, 600));
    await ok(svc, 'call.hangup', { callId });
    await rec.until('both legs ended', () => rec.states(callId).some((s) => s.report) && rec.states(`${callId}#inbound`).some((s) => s.report));
    const id = callId.replace(/[^A-Za-z0-9._-]+/g, '_');
    for (const handle of [callId, `${callId}#inbound`]) {
      const b = await ok<SupportBundleFile>(svc, 'bundle.make', { callId: handle });
      expect(b.filename).toBe(`trunkscope-bundle-${id}.zip`);
      const files = unzip(b);
      expect(Object.keys(files)).toEqual(['README.txt', `call-${id}.pcap`, `ladder-${id}.txt`, `report-${id}.json`, `diagnosis-${id}.txt`]);
      const ladder = Buffer.from(files[`ladder-${id}.txt`]!).toString();
      // One leg only: one INVITE sent (or received), not the other leg's copy of it.
      expect((ladder.match(/\nINVITE sip:/g) ?? []).length, handle).toBe(1);
      const report = JSON.parse(Buffer.from(files[`report-${id}.json`]!).toString()) as CallReport;
      expect(report.diagnosis?.verdict, handle).toBeDefined();
      const pcap = Buffer.from(files[`call-${id}.pcap`]!);
      expect(pcap.readUInt32LE(0)).toBe(0xa1b2c3d4);
      expect(pcap.length, 'SIP and RTP records').toBeGreaterThan(24 + 20 * (12 + 160));
      for (const [name, data] of Object.entries(files)) expect(Buffer.from(data).toString('latin1'), name).not.toContain('Leg-Pass-77');
      expect(Buffer.from(files['README.txt']!).toString()).toContain(handle === callId ? 'the Trunkscope GUI (outbound call)' : 'the Trunkscope GUI (inbound call)');
    }
  }, 20_000);

  it('the keeper keeps the most recent captures only', () => {
    const k = new CaptureKeeper();
    const ids = Array.from({ length: MAX_KEPT + 2 }, (_, i) => k.keep(`c${i}.pcap`, Buffer.alloc(10)));
    expect(k.size).toBe(MAX_KEPT);
    expect(() => k.get(ids[0]!)).toThrow(/open the file again/);
    expect(k.get(ids.at(-1)!).name).toBe(`c${MAX_KEPT + 1}.pcap`);
  });
});
