/**
 * The contract's `capture.open` (issue 11 item 4): a customer's pcap/pcapng from the GUI, whole or
 * in parts, through the same `diagnoseCapture` as `trunkscope diagnose FILE` — every call with its
 * ladder, RTP streams (as the ladder's bands, with Wireshark's figures) and diagnosis. Input that
 * is not a capture, or too large, is a clear error; parts are kept per client, bounded in size,
 * count and time.
 */
import type { z } from 'zod';
import type { CommandResult } from '../../../shared/api/contract.ts';
import { MAX_CAPTURE_BYTES, type CaptureCall, type CaptureStream, type captureCommands } from '../../../shared/api/capture-contract.ts';
import { diagnoseCapture, type CapturedCall } from '../analyze/diagnose-capture.ts';
import type { AnalyzedStream } from '../analyze/analyze-capture.ts';
import type { CaptureKeeper } from './capture-keeper.ts';

type Args = z.output<(typeof captureCommands)['capture.open']['args']>;

/** An upload left unfinished this long is dropped. */
const UPLOAD_IDLE_MS = 60_000;
/** Uploads in progress at once (one per client is normal). */
const MAX_UPLOADS = 8;

interface Upload {
  id: string;
  name: string;
  parts: Array<Buffer | undefined>;
  bytes: number;
  timer: ReturnType<typeof setTimeout>;
}

/** `keeper`: where opened captures are kept for bundle.make (each result then has its captureId). */
export function captureHandlers(keeper?: CaptureKeeper): { 'capture.open': (a: Args, client: string) => Promise<CommandResult<'capture.open'>> } {
  const opened = (name: string, buf: Buffer): CommandResult<'capture.open'> => {
    const r = openCapture(name, buf);
    return r.complete && keeper ? { ...r, captureId: keeper.keep(name, buf) } : r;
  };
  const uploads = new Map<string, Upload>();
  const drop = (client: string): void => {
    const u = uploads.get(client);
    if (u) clearTimeout(u.timer);
    uploads.delete(client);
  };
  return {
    'capture.open': async (a, client) => {
      const chunk = Buffer.from(a.base64, 'base64');
      if (!a.part || a.part.count === 1) {
        drop(client);
        return opened(a.name, chunk);
      }
      const { upload, index, count } = a.part;
      let u = uploads.get(client);
      if (!u || u.id !== upload) {
        if (index !== 0) throw new Error(`part ${index} of upload "${upload}" without its part 0 (the upload expired or was replaced)`);
        drop(client);
        if (uploads.size >= MAX_UPLOADS) throw new Error('too many captures being opened at once; try again');
        u = { id: upload, name: a.name, parts: new Array<Buffer | undefined>(count), bytes: 0, timer: setTimeout(() => drop(client), UPLOAD_IDLE_MS) };
        u.timer.unref?.();
        uploads.set(client, u);
      }
      if (u.parts.length !== count) throw new Error(`part ${index}: count ${count} differs from the upload's ${u.parts.length}`);
      u.bytes += chunk.length - (u.parts[index]?.length ?? 0);
      u.parts[index] = chunk;
      if (u.bytes > MAX_CAPTURE_BYTES) {
        drop(client);
        throw new Error(tooLarge(u.bytes));
      }
      u.timer.refresh();
      const received = u.parts.filter(Boolean).length;
      if (received < count) return { complete: false as const, received, count };
      drop(client);
      return opened(u.name, Buffer.concat(u.parts as Buffer[]));
    },
  };
}

const tooLarge = (n: number): string => `the capture is larger than ${MAX_CAPTURE_BYTES / 1024 / 1024} MiB (${n} bytes so far); cut it with editcap or tshark -Y sip to the calls you need`;

/** Decode a whole capture into the contract's CaptureImport; throws a clear error for non-captures. */
export function openCapture(name: string, buf: Buffer): CommandResult<'capture.open'> {
  if (buf.length > MAX_CAPTURE_BYTES) throw new Error(tooLarge(buf.length));
  if (buf.length === 0) throw new Error(`${name}: the file is empty`);
  const r = diagnoseCapture(buf);
  if (!r.ok) throw new Error(`${name}: not a readable pcap or pcapng capture (${r.reason}): ${r.message}`);
  const base = r.startEpochMs ?? 0;
  return {
    complete: true,
    name,
    format: r.format,
    bytes: buf.length,
    calls: r.calls.map((c) => callOf(c, base)),
    otherStreams: r.otherStreams.length,
    warnings: r.warnings,
  };
}

function callOf(c: CapturedCall, base: number): CaptureCall {
  // The caller's RTP address: where the caller's SDP said to send (its streams are "received").
  const callerAddrs = new Set(c.ladder.filter((e) => e.dir === 'out').map((e) => e.local.replace(/:\d+$/, '')));
  const rxTo = c.report.media?.local ?? null;
  return {
    callId: c.callId,
    ladder: c.ladder.map((e) => ({ ...e, callId: e.callId ?? c.callId })),
    frames: c.frames,
    streams: c.streams.map((s) => streamOf(c.callId, s, base, rxTo !== null ? s.dst === rxTo : !callerAddrs.has(s.srcAddress))),
    report: c.report,
    diagnosis: c.report.diagnosis ?? { verdict: 'ok', causes: [] },
  };
}

function streamOf(callId: string, s: AnalyzedStream, base: number, received: boolean): CaptureStream {
  return {
    callId,
    dir: received ? 'received' : 'sent',
    from: s.src,
    to: s.dst,
    startAt: base + s.startMs,
    endAt: base + s.endMs,
    packets: s.packets,
    lost: s.lost,
    jitterMs: s.jitterMeanMs,
    codec: s.codec ?? null,
    ssrc: s.ssrcHex,
    expected: s.expected,
    lostPercent: s.lostPercent,
    jitterMaxMs: s.jitterMaxMs,
    maxDeltaMs: s.maxDeltaMs,
    mos: s.mos,
  };
}
