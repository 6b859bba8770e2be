/**
 * `trunkscope export sipp`: one call (or load) described by our flags, written as files any
 * SIPp 3.x host can run: uac.xml (or uas.xml), numbers.csv (the injection file, `-inf`),
 * audio.pcap (G.711 RTP with the digits, for play_pcap_audio) and run.sh with the command line.
 */
import type { TransportProto } from '../../sip/transport/types.ts';
import type { AnswerMode } from '../call/agent.ts';
import type { SourceSpec } from '../media/media-prefs.ts';
import { audioPcap } from './sipp-audio.ts';
import { uacScenario, uasScenario } from './sipp-scenario.ts';
import type { DurationSpec } from './rate-schedule.ts';

export interface SippExportRow {
  target: string;
  from?: string;
}

export interface SippExportOptions {
  /** host:port SIPp sends to (the proxy's or the target's). */
  remote: string;
  transport: TransportProto;
  rows: SippExportRow[];
  /**
   * Digest user for 401/407 ([authentication], RFC 3261 §22.2). SIPp takes one user and password
   * per run (-au/-ap); run.sh reads the password from $SIPP_PASSWORD so no file holds it.
   */
  authUser?: string;
  codecs: Array<'PCMU' | 'PCMA'>;
  ptimeMs: number;
  headers: Array<[string, string]>;
  displayName?: string;
  sessionExpires?: number;
  callDuration: DurationSpec;
  rate: number;
  calls: number;
  concurrency: number;
  durationSec?: number;
  timeoutSec: number;
  /** Audio to send; undefined: signaling only (no play_pcap_audio). */
  audio?: SourceSpec;
  digits?: string;
  dtmfAtSec?: number;
  uas?: { answer: AnswerMode; answerDelayMs: number; port: number };
}

export interface ExportedFile {
  name: string;
  content: string | Buffer;
  /** File mode: run.sh is executable. */
  mode: number;
}

export class SippExportError extends Error {
  override name = 'SippExportError';
}

const TRANSPORT = { udp: 'u1', tcp: 't1', tls: 'l1' } as const;

/** -r N -rp P (N calls every P ms) for a fractional rate, e.g. 0.5 → -r 1 -rp 2000. */
export function sippRate(rate: number): { r: number; rp: number } {
  for (let k = 1; k <= 1000; k++) {
    const n = rate * k;
    if (Math.abs(n - Math.round(n)) < 1e-9 && Math.round(n) >= 1) return { r: Math.round(n), rp: 1000 * k };
  }
  return { r: Math.max(1, Math.round(rate * 1000)), rp: 1_000_000 };
}

function field(name: string, v: string | undefined): string {
  const s = v ?? '';
  if (/[;\r\n]/.test(s)) throw new SippExportError(`${name} "${s}": a SIPp injection field cannot hold ";" or line breaks (put the transport in --transport)`);
  return s;
}

/** The target without a ;transport= parameter (SIPp's -t chooses the transport). */
function bareUri(uri: string): string {
  return uri.replace(/;transport=\w+/i, '');
}

export async function buildSippExport(o: SippExportOptions): Promise<{ files: ExportedFile[]; notes: string[] }> {
  const notes: string[] = [];
  const files: ExportedFile[] = [];
  const telephoneEventPt = 101;
  const tag = '${HOST_TAG:-$(hostname)}';
  if (o.uas) {
    files.push({ name: 'uas.xml', content: uasScenario({ answer: o.uas.answer, answerDelayMs: o.uas.answerDelayMs, codec: o.codecs[0]!, telephoneEventPt, ptimeMs: o.ptimeMs }), mode: 0o644 });
    const echo = o.uas.answer.kind === 'echo' ? ' -rtp_echo' : '';
    files.push({
      name: 'run.sh',
      mode: 0o755,
      content: script([
        `# The built-in agent's answer mode "${answerText(o.uas.answer)}" as a SIPp UAS on port ${o.uas.port} (${o.transport}).`,
        `exec sipp -sf uas.xml \${SIPP_LOCAL_IP:+-i "$SIPP_LOCAL_IP"} -p ${o.uas.port} -t ${TRANSPORT[o.transport]}${echo} -nostdin \\`,
        `  -trace_stat -stf "uas_${tag}_stat.csv" -fd 1 -trace_err -error_file "uas_${tag}_errors.log" "$@"`,
      ]),
    });
    return { files, notes };
  }
  const auth = o.authUser !== undefined;
  if (auth && /['\r\n]/.test(o.authUser!)) throw new SippExportError(`--user "${o.authUser}": cannot hold a quote or line break in run.sh`);
  const lines = ['SEQUENTIAL', ...o.rows.map((r) => [field('target', bareUri(r.target)), field('from', r.from ?? `sip:trunkscope@${hostOf(r.target)}`)].join(';'))];
  files.push({ name: 'numbers.csv', content: `${lines.join('\n')}\n`, mode: 0o644 });
  if (auth) notes.push('run.sh reads the digest password from $SIPP_PASSWORD (it is written to no file)');
  // RFC 3261 §22.4: the digest-uri is the Request-URI; SIPp's default is remote_ip:remote_port, so
  // with one target run.sh names it (-auth_uri takes it without the scheme).
  const targets = new Set(o.rows.map((r) => bareUri(r.target)));
  const authUri = auth && targets.size === 1 ? [...targets][0]!.replace(/^sips?:/i, '') : undefined;
  if (authUri && /['\r\n]/.test(authUri)) throw new SippExportError(`target "${authUri}": cannot hold a quote in run.sh`);
  if (auth && !authUri) notes.push('several targets: SIPp computes the digest over sip:remote_ip:remote_port (its default -auth_uri), not each Request-URI');
  let audioFile: string | undefined;
  if (o.audio) {
    const a = await audioPcap({ source: o.audio, codec: o.codecs[0]!, ptimeMs: o.ptimeMs, seconds: o.callDuration.max, digits: o.digits, dtmfAtSec: o.dtmfAtSec, telephoneEventPt });
    files.push({ name: 'audio.pcap', content: a.pcap, mode: 0o644 });
    audioFile = 'audio.pcap';
    notes.push(`audio.pcap: ${a.packets} RTP packets (${o.codecs[0]} ${o.ptimeMs} ms, ${a.seconds} s${a.digitPackets ? `, ${a.digitPackets} RFC 4733 packets for "${o.digits}"` : ''}); SIPp sends it over a raw socket (root or CAP_NET_RAW)`);
  } else if (o.digits) notes.push('--send-dtmf needs media: with --no-media the digits are not exported');
  files.push({
    name: 'uac.xml',
    mode: 0o644,
    content: uacScenario({ codecs: o.codecs, telephoneEventPt, ptimeMs: o.ptimeMs, headers: o.headers, displayName: o.displayName, durationMs: { min: Math.round(o.callDuration.min * 1000), max: Math.round(o.callDuration.max * 1000) }, auth, audioPcap: audioFile, sessionExpires: o.sessionExpires }),
  });
  const { r, rp } = sippRate(o.rate);
  // -timeout is SIPp's global limit: with --duration, starts stop then and calls get their length plus the answer timeout.
  const limit = o.durationSec !== undefined ? ` -timeout ${Math.ceil(o.durationSec + o.callDuration.max + o.timeoutSec + 5)}s` : '';
  files.push({
    name: 'run.sh',
    mode: 0o755,
    content: script([
      `# ${o.calls} call(s) at ${o.rate}/s, at most ${o.concurrency} at once, to ${o.remote} over ${o.transport}. Extra SIPp flags may follow: ./run.sh -m 10`,
      `# Statistics go to uac_<HOST_TAG or hostname>_stat.csv; read them back with: trunkscope load-report uac_*_stat.csv`,
      `exec sipp ${o.remote} -sf uac.xml -inf numbers.csv -t ${TRANSPORT[o.transport]} -r ${r} -rp ${rp} -m ${o.calls} -l ${o.concurrency}${limit} \\`,
      ...(auth ? [`  -au '${o.authUser}' -ap "\${SIPP_PASSWORD:?set SIPP_PASSWORD to the digest password}"${authUri ? ` -auth_uri '${authUri}'` : ''} \\`] : []),
      `  \${SIPP_LOCAL_IP:+-i "$SIPP_LOCAL_IP"} -recv_timeout ${Math.round(o.timeoutSec * 1000)} -nostdin \\`,
      `  -trace_stat -stf "uac_${tag}_stat.csv" -fd 1 -trace_err -error_file "uac_${tag}_errors.log" "$@"`,
    ]),
  });
  return { files, notes };
}

function script(body: string[]): string {
  return ['#!/bin/sh', '# Written by trunkscope export sipp. SIPP_LOCAL_IP: address to bind (-i); HOST_TAG: names the statistics file.', 'set -eu', 'cd "$(dirname "$0")"', ...body, ''].join('\n');
}

function answerText(a: AnswerMode): string {
  return a.kind === 'reject' ? `reject:${a.status}` : a.kind;
}

function hostOf(uri: string): string {
  const at = uri.indexOf('@');
  const rest = at >= 0 ? uri.slice(at + 1) : uri.replace(/^sips?:/i, '');
  return rest.split(/[;?>]/)[0]!;
}
