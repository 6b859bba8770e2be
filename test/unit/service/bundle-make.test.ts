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
import { loopbackService } from './service-helpers.ts';

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

  it('the keeper keeps the most recent captures only', () => {
    const k = new CaptureKeeper();
    const ids = Array.from({ length: MAX_KEPT + 2 }, (_, i) => k.keep(`c${i}.pcap`, Buffer.alloc(10)));
    expect(k.size).toBe(MAX_KEPT);
    expect(() => k.get(ids[0]!)).toThrow(/open the file again/);
    expect(k.get(ids.at(-1)!).name).toBe(`c${MAX_KEPT + 1}.pcap`);
  });
});
