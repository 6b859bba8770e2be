/**
 * `capture.open` through the contract (issue 11 item 4): a capture's calls with ladder, RTP
 * streams and diagnosis; the file in parts; malformed input (not base64, not a capture, empty,
 * truncated, parts out of order, too large) is a clear error and the engine keeps serving.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { EngineService } from '../../../src/main/engine/service/engine-service.ts';
import { CAPTURE_PART_CHARS, MAX_CAPTURE_BYTES, type CaptureImport, type CapturePartAck } from '../../../src/shared/api/capture-contract.ts';
import { BUSY_CALL, SILENT_CALL, twoCallPcap } from '../../support/diagnosis-captures.ts';
import { loopbackService } from './service-helpers.ts';

let svc: EngineService | undefined;
afterEach(async () => {
  await svc?.close();
  svc = undefined;
});

async function open(args: unknown, client = 'c1'): Promise<{ ok: true; result: CaptureImport | CapturePartAck } | { ok: false; error: string }> {
  svc ??= loopbackService();
  return (await svc.dispatch('capture.open', args, client)) as never;
}

function imported(r: Awaited<ReturnType<typeof open>>): CaptureImport {
  if (!r.ok) throw new Error(r.error);
  if (!r.result.complete) throw new Error('not complete');
  return r.result;
}

describe('capture.open', () => {
  it('returns each call with its ladder, RTP streams and the same diagnosis as diagnose FILE', async () => {
    const pcap = twoCallPcap();
    const r = imported(await open({ name: 'customer.pcap', base64: pcap.toString('base64') }));
    expect(r).toMatchObject({ name: 'customer.pcap', format: 'pcap', bytes: pcap.length, otherStreams: 0 });
    expect(r.calls.map((c) => c.callId)).toEqual([BUSY_CALL, SILENT_CALL]);
    const [busy, silent] = r.calls;
    expect(busy!.ladder.map((e) => `${e.id} ${e.dir} ${e.firstLine.split(' ')[0]}`)).toEqual(['1 out INVITE', '2 in 100', '3 in 486', '4 out ACK']);
    expect(busy!.ladder.every((e) => e.callId === BUSY_CALL)).toBe(true);
    expect(busy!.frames).toEqual([1, 2, 3, 4]);
    expect(busy!.diagnosis).toEqual(busy!.report.diagnosis);
    expect(busy!.diagnosis).toMatchObject({ verdict: 'failed', causes: [{ code: 'busy', evidence: [{ ref: 'frame 3', text: 'SIP/2.0 486 Busy Here' }] }] });
    expect(silent!.diagnosis.verdict).toBe('failed');
    expect(silent!.diagnosis.causes.map((c) => c.code)).toContain('one-way-audio');
    // The one stream (ours) as the ladder's band, on the ladder's clock, with Wireshark's figures.
    expect(silent!.streams).toHaveLength(1);
    const s = silent!.streams[0]!;
    expect(s).toMatchObject({ callId: SILENT_CALL, dir: 'sent', from: '198.51.100.2:20002', to: '203.0.113.5:40002', packets: 350, lost: 0, codec: 'PCMU', expected: 350 });
    const invite = silent!.ladder[0]!.at;
    expect(s.startAt - invite).toBeGreaterThanOrEqual(99);
    expect(s.startAt - invite).toBeLessThanOrEqual(101);
  });

  it('takes the file in parts and answers each part until the last', async () => {
    const b64 = twoCallPcap().toString('base64');
    const size = Math.ceil(b64.length / 3 / 4) * 4;
    const parts = [b64.slice(0, size), b64.slice(size, 2 * size), b64.slice(2 * size)];
    const acks: unknown[] = [];
    let last: CaptureImport | undefined;
    for (const [index, base64] of parts.entries()) {
      const r = await open({ name: 'parts.pcap', base64, part: { upload: 'u1', index, count: 3 } });
      if (!r.ok) throw new Error(r.error);
      if (r.result.complete) last = r.result;
      else acks.push(r.result);
    }
    expect(acks).toEqual([{ complete: false, received: 1, count: 3 }, { complete: false, received: 2, count: 3 }]);
    expect(last?.calls.map((c) => c.callId)).toEqual([BUSY_CALL, SILENT_CALL]);
  });

  it('malformed input is a clear error, and the engine keeps serving', async () => {
    const err = async (args: unknown): Promise<string> => {
      const r = await open(args);
      expect(r.ok).toBe(false);
      return r.ok ? '' : r.error;
    };
    expect(await err({ name: 'x.pcap', base64: 'not base64!' })).toMatch(/^capture\.open: base64: base64 expected/);
    expect(await err({ name: 'notes.txt', base64: Buffer.from('hello, this is not a capture at all').toString('base64') })).toMatch(/^capture\.open: notes\.txt: not a readable pcap or pcapng capture \(not-a-capture\)/);
    expect(await err({ name: 'empty.pcap', base64: '' })).toBe('capture.open: empty.pcap: the file is empty');
    expect(await err({ name: 'x.pcap', base64: 'A'.repeat(CAPTURE_PART_CHARS + 4) })).toMatch(/send the file in parts/);
    expect(await err({ name: 'x.pcap', base64: '', part: { upload: 'u', index: 2, count: 2 } })).toMatch(/part\.index: index must be below count/);
    expect(await err({ name: 'x.pcap', base64: 'AAAA', part: { upload: 'late', index: 1, count: 2 } })).toMatch(/without its part 0/);
    expect(await err({ name: 'x.pcap', base64: 'AAAA', part: { upload: 'big', index: 0, count: 100_000 } })).toMatch(/part\.count: a capture is at most 32 MiB/);
    // A truncated capture: a partial result with a warning, or a clear error; never a crash.
    const pcap = twoCallPcap();
    const cut = await open({ name: 'cut.pcap', base64: pcap.subarray(0, 300).toString('base64') });
    if (cut.ok) expect((cut.result as CaptureImport).warnings.join('\n')).toMatch(/truncat|skipped/i);
    else expect(cut.error).toMatch(/cut\.pcap: not a readable pcap/);
    // Parts adding up beyond the limit are refused and the upload dropped.
    const part = 'A'.repeat(CAPTURE_PART_CHARS);
    const count = Math.ceil(MAX_CAPTURE_BYTES / ((CAPTURE_PART_CHARS * 3) / 4)) + 1;
    let tooBig = '';
    for (let index = 0; index < count && !tooBig; index++) {
      const r = await open({ name: 'big.pcap', base64: part, part: { upload: 'big', index, count } });
      if (!r.ok) tooBig = r.error;
    }
    expect(tooBig).toMatch(/larger than 32 MiB/);
    expect(imported(await open({ name: 'again.pcap', base64: pcap.toString('base64') })).calls).toHaveLength(2);
    expect((await svc!.dispatch('app.snapshot', {})).ok).toBe(true);
  });
});
