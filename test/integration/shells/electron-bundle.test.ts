/**
 * "Save support bundle" in the Electron shell (issue 11 item 5), without Electron's runtime (not
 * downloadable here): `electron` is a fake that records the IPC handler the shell registers, and
 * the window's requests — capture.open, then bundle.make — go through it as the preload sends
 * them. The zip that comes back is the one the web shell returns (the renderer then saves it
 * with the same download, which Electron turns into its save dialog).
 */
import { unzipSync } from 'fflate';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { SupportBundleFile } from '../../../src/shared/api/bundle-contract.ts';
import type { CaptureImport } from '../../../src/shared/api/capture-contract.ts';
import type { ServerMessage } from '../../../src/shared/api/contract.ts';
import { BUSY_CALL, twoCallPcap } from '../../support/diagnosis-captures.ts';

const fake = vi.hoisted(() => ({ handlers: new Map<string, (e: unknown, msg: unknown) => Promise<unknown>>() }));

vi.mock('electron', () => ({
  ipcMain: {
    handle: (ch: string, fn: (e: unknown, msg: unknown) => Promise<unknown>) => fake.handlers.set(ch, fn),
    removeHandler: (ch: string) => fake.handlers.delete(ch),
  },
}));

const { EngineService } = await import('../../../src/main/engine/service/engine-service.ts');
const { registerIpc, INVOKE_CHANNEL } = await import('../../../src/main/shells/electron/ipc.ts');

const service = new EngineService({ bindAddress: '127.0.0.1' });
const unregister = registerIpc(service, (url) => url.startsWith('app://trunkscope/'));
afterAll(async () => {
  unregister();
  await service.close();
});

const sender = { id: 7, isDestroyed: () => false, send: () => undefined, on: () => undefined, off: () => undefined, once: () => undefined };

async function invoke<T>(id: number, command: string, args: unknown): Promise<T> {
  const r = (await fake.handlers.get(INVOKE_CHANNEL)!({ sender, senderFrame: { url: 'app://trunkscope/index.html', parent: null } }, { id, command, args })) as ServerMessage;
  if (!('ok' in r) || !r.ok) throw new Error(`${command}: ${JSON.stringify(r)}`);
  return r.result as T;
}

describe('Electron IPC: bundle.make', () => {
  it('opens a capture and returns its call\'s support bundle over the same contract', async () => {
    const imp = await invoke<CaptureImport>(1, 'capture.open', { name: 'from-electron.pcap', base64: twoCallPcap().toString('base64') });
    expect(imp.captureId).toBeTruthy();
    const b = await invoke<SupportBundleFile>(2, 'bundle.make', { capture: imp.captureId, callId: BUSY_CALL });
    expect(b).toMatchObject({ filename: 'trunkscope-bundle-busy-486_capture.test.zip', mime: 'application/zip' });
    const files = unzipSync(Buffer.from(b.base64, 'base64'));
    expect(Object.keys(files)).toEqual(b.entries);
    const report = JSON.parse(Buffer.from(files['report-busy-486_capture.test.json']!).toString()) as { diagnosis: { causes: Array<{ code: string }> } };
    expect(report.diagnosis.causes.map((c) => c.code)).toEqual(['busy']);
    // An ended call is required: a request for one that does not exist is an error, not a crash.
    const bad = (await fake.handlers.get(INVOKE_CHANNEL)!({ sender, senderFrame: { url: 'app://trunkscope/index.html', parent: null } }, { id: 3, command: 'bundle.make', args: { callId: 'none@x' } })) as ServerMessage;
    expect(bad).toEqual({ id: 3, ok: false, error: 'bundle.make: no call with Call-ID "none@x"' });
  });
});
