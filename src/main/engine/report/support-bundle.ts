/**
 * The support bundle (issue 11 item 5), the last step of the troubleshooting guide: "capture a
 * trace, note the Call-ID, send it". One zip holding, per call, the capture (pcap), the text
 * ladder with every message, the JSON call report and the diagnosis as text, each file named
 * with the call's Call-ID, and a README.txt saying what each file is.
 *
 * Everything in it goes through one Redactor in secrets-only mode (redact.ts): digest responses,
 * nonces and cnonces, passwords (also the literal ones the caller passes), tokens and SRTP keys
 * are replaced; addresses, users and numbers stay, so the support engineer can still match the
 * bundle against the carrier's logs. Zip writing: fflate (sync, no dependencies, types bundled).
 */
import { zipSync, type Zippable } from 'fflate';
import type { CallReport } from '../../../shared/model/report.ts';
import type { TraceRecord } from '../../sip/transport/types.ts';
import { pcapFile, type PcapRecord } from '../trace/pcap-writer.ts';
import { Redactor } from '../trace/redact.ts';
import { formatTrace } from '../trace/trace-format.ts';
import { formatDiagnosis } from '../diagnose/format.ts';

export interface BundleCall {
  callId: string;
  report: CallReport;
  /** The call's SIP messages as sent and received (local = our side, or the caller's in a capture). */
  sip: readonly TraceRecord[];
  /** Other packets for the capture (a capture's RTP and RTCP), written as they are. */
  packets?: readonly PcapRecord[];
  /** The diagnosis text; default: formatDiagnosis(report) under a heading. */
  diagnosisText?: string[];
  /** Capture frame number of each SIP message (diagnose), shown in the ladder file. */
  frames?: readonly number[];
  /** Frame number of each SIP message in the bundle's own pcap (diagnose), beside `frames`. */
  bundleFrames?: readonly number[];
  /** The pcap's record order as indices into [...sip, ...packets]; default: by time. */
  sequence?: readonly number[];
}

export interface SupportBundleInput {
  /** What made the bundle: 'call' (a live call) or 'diagnose' (a customer's capture). */
  command: 'call' | 'diagnose';
  /** Who made it, for README.txt; default `trunkscope COMMAND` (the GUI names itself). */
  madeBy?: string;
  /** The capture file a diagnose bundle was made from. */
  source?: string;
  calls: readonly BundleCall[];
  /** Literal secrets (e.g. --password) that must not appear in any entry. */
  secrets?: readonly string[];
  createdAt?: Date;
}

export interface SupportBundle {
  zip: Uint8Array;
  /** Entry names, README.txt first. */
  entries: string[];
}

/** A Call-ID as a file-name part: letters, digits, '.', '-', '_' only, at most 64 characters. */
export function callIdFileName(callId: string): string {
  const s = callId.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '').slice(0, 64);
  return s || 'no-call-id';
}

export function supportBundle(input: SupportBundleInput): SupportBundle {
  const red = new Redactor({ secretsOnly: true, literals: [...(input.secrets ?? [])] });
  const at = input.createdAt ?? new Date();
  const entries: Array<[string, Uint8Array | string]> = [];
  const used = new Set<string>();
  const add = (name: string, data: Uint8Array | string): void => void entries.push([name, data]);
  const readme: string[] = [];
  for (const c of input.calls) {
    let id = callIdFileName(c.callId);
    for (let n = 2; used.has(id); n++) id = `${callIdFileName(c.callId).slice(0, 60)}-${n}`;
    used.add(id);
    const sip = c.sip.map((r) => redactedRecord(red, r));
    const capture = `call-${id}.pcap`;
    const ladder = `ladder-${id}.txt`;
    const report = `report-${id}.json`;
    const diagnosis = `diagnosis-${id}.txt`;
    add(capture, pcapFile(pcapSequence([...sip.map(pcapRecordOf), ...(c.packets ?? [])], c.sequence)));
    add(ladder, red.text(ladderText(sip, c.frames, c.bundleFrames, capture)));
    add(report, `${JSON.stringify(redactStrings(red, c.report), null, 2)}\n`);
    add(diagnosis, `${red.text((c.diagnosisText ?? [`Call-ID ${c.callId}`, `${c.report.outcome}: ${c.report.reason}`, ...formatDiagnosis(c.report)]).join('\n'))}\n`);
    readme.push(
      `Call-ID ${red.text(c.callId)}: ${c.report.outcome}, verdict ${c.report.diagnosis?.verdict ?? 'none'}`,
      `  ${capture}  the call's ${input.command === 'call' ? `SIP messages${c.packets?.length ? ' and RTP' : ''} as sent and received` : 'SIP messages and RTP/RTCP packets from the capture'} (pcap, raw IP; open in Wireshark)`,
      `  ${ladder}  the SIP ladder and every message in full`,
      `  ${report}  the JSON call report (schema: docs/report-schema.md), diagnosis included`,
      `  ${diagnosis}  the diagnosis as text: verdict, causes, evidence, fixes (docs/diagnosis.md)`,
      '',
    );
  }
  const head = [
    'Trunkscope support bundle',
    `Made ${at.toISOString()} by ${input.madeBy ?? `\`trunkscope ${input.command}\``}${input.source ? ` from ${input.source}` : ''}; ${input.calls.length} call(s).`,
    '',
    'Redacted: digest responses, nonces, cnonces, passwords, tokens and SRTP keys are replaced by',
    'placeholders such as "response-redacted-1" in every file; addresses, users and numbers are kept.',
    ...(input.command === 'diagnose'
      ? [
          'The pcap holds the call\'s SIP (reassembled from UDP/TCP, one datagram per message) and its',
          'RTP/RTCP, rebuilt as raw IP in the original capture\'s order but numbered anew. The report,',
          'the diagnosis and the ladder file cite this pcap\'s frames ("frame 5": in Wireshark, Go to',
          'packet 5, or tshark -r call-….pcap -Y frame.number==5) and name the original capture\'s',
          'frame beside each (the report\'s evidence[].originalRef; the list atop the ladder file).',
        ]
      : input.calls.some((c) => (c.packets?.length ?? 0) > 0)
        ? ['The pcap holds the call\'s SIP and its RTP as sent and received (RTP headers as they were,', 'the audio replaced by silence).']
        : ['The pcap holds SIP only (a live call\'s RTP is summarised in the report).']),
    '',
    ...readme,
  ];
  entries.unshift(['README.txt', `${head.join('\n')}`]);
  const files: Zippable = {};
  for (const [name, data] of entries) files[name] = [typeof data === 'string' ? Buffer.from(data, 'utf8') : data, { mtime: at }];
  return { zip: zipSync(files, { level: 6 }), entries: entries.map(([n]) => n) };
}

/** A bundle call from a live call: its report and the stack's trace records. */
export function bundleCallFromTrace(report: CallReport, trace: readonly TraceRecord[]): BundleCall {
  return { callId: report.callId ?? 'no-call-id', report, sip: trace };
}

function redactedRecord(red: Redactor, r: TraceRecord): TraceRecord {
  const text = r.raw.toString('latin1');
  // Only plain-text SIP is rewritten; the bytes go back as latin1 so nothing else changes.
  return { ...r, raw: Buffer.from(red.message(text), 'latin1'), ...(r.error ? { error: red.text(r.error) } : {}) };
}

function pcapRecordOf(r: TraceRecord): PcapRecord {
  const [src, dst] = r.dir === 'out' ? [r.local, r.remote] : [r.remote, r.local];
  return { at: r.at, src, dst, payload: r.raw };
}

/** The records in `sequence` order (indices into `records`), else by time (stable). */
function pcapSequence(records: PcapRecord[], sequence: readonly number[] | undefined): PcapRecord[] {
  if (sequence && sequence.length === records.length) return sequence.map((i) => records[i]!);
  return records.sort((a, b) => a.at - b.at);
}

function ladderText(sip: readonly TraceRecord[], frames: readonly number[] | undefined, bundleFrames: readonly number[] | undefined, pcap: string): string {
  const text = formatTrace(sip);
  if (!frames) return text;
  if (!bundleFrames || bundleFrames.length !== frames.length) return `Capture frames of the messages, in order: ${frames.join(', ')}\n\n${text}`;
  const pairs = frames.map((f, i) => `  message ${i + 1}: frame ${bundleFrames[i]} of ${pcap} = frame ${f} of the original capture`);
  return `Frames of the messages, in order (the diagnosis cites ${pcap}'s):\n${pairs.join('\n')}\n\n${text}`;
}

/** Every string of a JSON value through the redactor (keys and structure unchanged). */
function redactStrings<T>(red: Redactor, v: T): T {
  if (typeof v === 'string') return red.text(v) as T;
  if (Array.isArray(v)) return v.map((x: unknown) => redactStrings(red, x)) as T;
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, redactStrings(red, x)])) as T;
  }
  return v;
}
