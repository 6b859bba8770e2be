/**
 * The contract's `bundle.make` (issue 11 item 5): the GUI's "Save support bundle", built by the
 * same `supportBundle` as `trunkscope call|diagnose --bundle` and redacted the same way (secrets
 * only; the call's own digest password as a literal too).
 *
 * - A call (`callId`): once it has ended, its report (diagnosis included), its SIP messages from
 *   the trace — our leg only, when a call to our own listener put both legs in it, so "msg N" of
 *   the diagnosis is the Nth message of the ladder file — and its RTP as sent and received
 *   (headers as they were, the audio replaced by silence: voice is personal data).
 * - An opened capture (`capture`, with or without `callId`): its calls as `diagnose --bundle`
 *   writes them, from the file the engine kept when it was opened (capture-keeper.ts).
 */
import type { z } from 'zod';
import type { BundleMakeSchema, SupportBundleFile } from '../../../shared/api/bundle-contract.ts';
import type { TraceEntry } from '../../../shared/api/contract.ts';
import type { TraceRecord } from '../../sip/transport/types.ts';
import { InviteClient } from '../../sip/ua/invite-client.ts';
import { bundleCallsFromCapture } from '../analyze/capture-bundle.ts';
import { diagnoseCapture } from '../analyze/diagnose-capture.ts';
import type { CallBook } from '../call/call-book.ts';
import { callIdFileName, supportBundle, type BundleCall } from '../report/support-bundle.ts';
import { splitHostPort, type PcapRecord } from '../trace/pcap-writer.ts';
import { rtpPacket } from '../trace/trace-export.ts';
import type { TraceHub } from '../trace/trace-hub.ts';
import type { CaptureKeeper } from './capture-keeper.ts';

type Args = z.output<typeof BundleMakeSchema>;

export interface BundleDeps {
  calls: CallBook;
  trace: TraceHub;
  captures: CaptureKeeper;
}

/** `deps` is read at each command (the service's fields are set after its handler table). */
export function bundleHandlers(deps: () => BundleDeps): { 'bundle.make': (a: Args) => Promise<SupportBundleFile> } {
  return {
    'bundle.make': async (a) => (a.capture !== undefined ? captureBundle(deps(), a.capture, a.callId) : callBundle(deps(), a.callId!)),
  };
}

function file(name: string, b: { zip: Uint8Array; entries: string[] }): SupportBundleFile {
  return { filename: `trunkscope-bundle-${name}.zip`, mime: 'application/zip', bytes: b.zip.length, entries: b.entries, base64: Buffer.from(b.zip).toString('base64') };
}

function callBundle(d: BundleDeps, handle: string): SupportBundleFile {
  const call = d.calls.get(handle);
  if (call.live || !call.report) throw new Error(`call ${JSON.stringify(handle.slice(0, 80))} has not ended yet: its bundle can be saved once it has`);
  const report = call.report;
  d.trace.flush();
  const entries = d.trace.store.select(call.sipCallId);
  // Both legs of a call to our own listener carry this Call-ID: keep those on our address.
  const mine = d.calls.withSipId(call.sipCallId).length > 1 && report.local ? entries.filter((e) => e.local === report.local) : [];
  const sip = (mine.length > 0 ? mine : entries).map(recordOf);
  const packets: PcapRecord[] = [];
  for (const p of [...call.sent.records(), ...call.received.records()]) packets.push({ at: p.at, src: splitHostPort(p.src), dst: splitHostPort(p.dst), payload: rtpPacket(p, false) });
  const password = call.session instanceof InviteClient ? call.session.opts.credentials?.password : undefined;
  const bc: BundleCall = { callId: call.sipCallId, report, sip, packets };
  const b = supportBundle({ command: 'call', madeBy: `the Trunkscope GUI (${call.direction} call)`, calls: [bc], secrets: password ? [password] : [] });
  return file(callIdFileName(call.sipCallId), b);
}

function captureBundle(d: BundleDeps, id: string, callId: string | undefined): SupportBundleFile {
  const cap = d.captures.get(id);
  const r = diagnoseCapture(cap.buf, callId !== undefined ? { callId } : {});
  if (!r.ok) throw new Error(`${cap.name}: ${r.message}`);
  if (r.calls.length === 0) throw new Error(`${cap.name}: ${callId !== undefined ? `no call with Call-ID ${JSON.stringify(callId.slice(0, 80))}` : 'no calls'} in the capture`);
  const b = supportBundle({ command: 'diagnose', madeBy: 'the Trunkscope GUI (an opened capture)', source: cap.name, calls: bundleCallsFromCapture(cap.buf, r.calls) });
  const which = callId !== undefined ? callIdFileName(callId) : callIdFileName(cap.name.replace(/\.(pcapng|pcap|cap|dmp)$/i, ''));
  return file(which, b);
}

function recordOf(e: TraceEntry): TraceRecord {
  return {
    dir: e.dir,
    at: e.at,
    proto: e.proto,
    local: splitHostPort(e.local),
    remote: splitHostPort(e.remote),
    raw: Buffer.from(e.raw, 'utf8'),
    ...(e.callId ? { callId: e.callId } : {}),
    ...(e.error ? { error: e.error } : {}),
  };
}
