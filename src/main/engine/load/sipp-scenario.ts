/**
 * SIPp scenarios for a call exported from Trunkscope (`trunkscope export sipp`): the UAC sends
 * our INVITE and SDP offer, answers a 401/407 with `[authentication]` (RFC 3261 §22.2), ACKs,
 * plays the call's audio pcap, pauses for the call's duration and sends BYE (RFC 3261 §15.1.1).
 * The target and From of each call come from the injection file (`-inf`): field0 Request-URI,
 * field1 From URI; the digest user and password from SIPp's -au/-ap. The UAS plays the built-in agent's
 * answer modes: echo (200 with SDP; SIPp's -rtp_echo returns the audio), reject:CODE, busy, ring.
 */
import type { AnswerMode } from '../call/agent.ts';

export interface UacScenarioOptions {
  codecs: Array<'PCMU' | 'PCMA'>;
  telephoneEventPt: number;
  ptimeMs: number;
  headers: Array<[string, string]>;
  displayName?: string;
  /** Seconds connected before BYE (SIPp pauses can be a uniform range). */
  durationMs: { min: number; max: number };
  auth: boolean;
  /** play_pcap_audio file, relative to the scenario's directory. */
  audioPcap?: string;
  sessionExpires?: number;
}

const STATIC_PT = { PCMU: 0, PCMA: 8 } as const;

/** RFC 3261 §21 reason phrases for the statuses an agent is usually told to reject with. */
const REASONS: Record<number, string> = { 403: 'Forbidden', 404: 'Not Found', 408: 'Request Timeout', 480: 'Temporarily Unavailable', 486: 'Busy Here', 487: 'Request Terminated', 488: 'Not Acceptable Here', 500: 'Server Internal Error', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Server Time-out', 600: 'Busy Everywhere', 603: 'Decline' };

function xmlAttr(s: string): string {
  return s.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!);
}

/** SIPp fills [..] keywords in messages; a literal "[" or "]" in a header value would be read as one. */
export function sippSafe(s: string): string {
  if (/[[\]\r\n]/.test(s) || s.includes(']]>')) throw new Error(`"${s}": SIPp scenarios cannot carry "[", "]" or line breaks in a header value`);
  return s;
}

export function sdpOffer(o: Pick<UacScenarioOptions, 'codecs' | 'telephoneEventPt' | 'ptimeMs'>): string {
  const pts = o.codecs.map((c) => STATIC_PT[c]);
  return [
    'v=0',
    'o=trunkscope 53655765 2353687637 IN IP[local_ip_type] [local_ip]',
    's=trunkscope',
    'c=IN IP[media_ip_type] [media_ip]',
    't=0 0',
    `m=audio [media_port] RTP/AVP ${[...pts, o.telephoneEventPt].join(' ')}`,
    ...o.codecs.map((c) => `a=rtpmap:${STATIC_PT[c]} ${c}/8000`),
    `a=rtpmap:${o.telephoneEventPt} telephone-event/8000`,
    `a=fmtp:${o.telephoneEventPt} 0-16`,
    `a=ptime:${o.ptimeMs}`,
    'a=sendrecv',
    '',
  ].join('\n');
}

function invite(o: UacScenarioOptions, cseq: number, auth: boolean): string {
  const from = o.displayName ? `"${sippSafe(o.displayName)}" <[field1]>` : '<[field1]>';
  return `  <send retrans="500"${auth ? '' : ' start_rtd="setup"'}><![CDATA[
INVITE [field0] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: ${from};tag=[pid]SIPpTag00[call_number]
To: <[field0]>
Call-ID: [call_id]
CSeq: ${cseq} INVITE
Contact: <sip:trunkscope@[local_ip]:[local_port];transport=[transport]>
Max-Forwards: 70
User-Agent: trunkscope-export (SIPp)
${auth ? '[authentication]\n' : ''}${o.sessionExpires ? `Session-Expires: ${o.sessionExpires}\nSupported: timer\n` : ''}${o.headers.map(([n, v]) => `${sippSafe(n)}: ${sippSafe(v)}\n`).join('')}Content-Type: application/sdp
Content-Length: [len]

${sdpOffer(o)}
]]></send>
`;
}

function inDialog(method: 'ACK' | 'BYE', cseq: number, retrans: boolean): string {
  return `  <send${retrans ? ' retrans="500"' : ''}><![CDATA[
${method} [next_url] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: <[field1]>;tag=[pid]SIPpTag00[call_number]
To: <[field0]>[peer_tag_param]
[routes]
Call-ID: [call_id]
CSeq: ${cseq} ${method}
Contact: <sip:trunkscope@[local_ip]:[local_port];transport=[transport]>
Max-Forwards: 70
Content-Length: 0

]]></send>
`;
}

/** ACK for a non-2xx final response: same branch as the INVITE (RFC 3261 §17.1.1.3). */
function ackNon2xx(): string {
  return `  <send><![CDATA[
ACK [field0] SIP/2.0
[last_Via:]
From: <[field1]>;tag=[pid]SIPpTag00[call_number]
[last_To:]
Call-ID: [call_id]
CSeq: 1 ACK
Max-Forwards: 70
Content-Length: 0

]]></send>
`;
}

const provisional = ['100', '180', '183'].map((s) => `  <recv response="${s}" optional="true"/>\n`).join('');

export function uacScenario(o: UacScenarioOptions): string {
  const pause = o.durationMs.min === o.durationMs.max ? `<pause milliseconds="${o.durationMs.min}"/>` : `<pause distribution="uniform" min="${o.durationMs.min}" max="${o.durationMs.max}"/>`;
  const parts = [
    '<?xml version="1.0" encoding="ISO-8859-1" ?>\n',
    '<!DOCTYPE scenario SYSTEM "sipp.dtd">\n',
    '<!-- Exported by trunkscope export sipp. Injection file fields: 0 Request-URI, 1 From URI; digest credentials from -au/-ap. -->\n',
    '<scenario name="trunkscope-uac">\n',
    invite(o, 1, false),
    provisional,
  ];
  if (o.auth) {
    parts.push(
      '  <recv response="401" optional="true" auth="true" next="auth"/>\n',
      '  <recv response="407" optional="true" auth="true" next="auth"/>\n',
      '  <recv response="200" rtd="setup" rrs="true" next="answered"/>\n',
      '  <label id="auth"/>\n',
      ackNon2xx(),
      invite(o, 2, true),
      provisional,
      '  <recv response="200" rtd="setup" rrs="true"/>\n',
      '  <label id="answered"/>\n',
      inDialog('ACK', 2, false),
    );
  } else parts.push('  <recv response="200" rtd="setup" rrs="true"/>\n', inDialog('ACK', 1, false));
  if (o.audioPcap) parts.push(`  <nop><action><exec play_pcap_audio="${xmlAttr(o.audioPcap)}"/></action></nop>\n`);
  parts.push(`  ${pause}\n`, inDialog('BYE', o.auth ? 3 : 2, true), '  <recv response="200" crlf="true"/>\n');
  parts.push('  <ResponseTimeRepartition value="10, 20, 50, 100, 200, 500, 1000, 2000"/>\n', '</scenario>\n');
  return parts.join('');
}

export interface UasScenarioOptions {
  answer: AnswerMode;
  answerDelayMs: number;
  codec: 'PCMU' | 'PCMA';
  telephoneEventPt: number;
  ptimeMs: number;
}

function response(status: number, reason: string, sdp?: string, toTag = true): string {
  // Only a 2xx to INVITE is retransmitted by the UAS core and carries a Contact (RFC 3261 §13.3.1.4, §12.1.1).
  const invite2xx = sdp !== undefined;
  return `  <send${invite2xx ? ' retrans="500"' : ''}><![CDATA[
SIP/2.0 ${status} ${reason}
[last_Via:]
[last_From:]
[last_To:]${status > 100 && toTag ? ';tag=[pid]SIPpTag01[call_number]' : ''}
[last_Call-ID:]
[last_CSeq:]
${invite2xx ? 'Contact: <sip:trunkscope@[local_ip]:[local_port];transport=[transport]>\n' : ''}Server: trunkscope-export (SIPp)
${sdp ? 'Content-Type: application/sdp\n' : ''}Content-Length: [len]

${sdp ?? ''}]]></send>
`;
}

/** The INVITE, its CSeq number kept for a 487 after CANCEL (RFC 3261 §9.2: the INVITE's CSeq). */
const INVITE_RECV = `  <recv request="INVITE" crlf="true">
    <action><ereg regexp="([0-9]+) INVITE" search_in="hdr" header="CSeq:" assign_to="invite_cseq_all,invite_cseq"/></action>
  </recv>
`;

export function uasScenario(o: UasScenarioOptions): string {
  const pt = STATIC_PT[o.codec];
  const sdp = [
    'v=0',
    'o=trunkscope 53655765 2353687637 IN IP[local_ip_type] [local_ip]',
    's=trunkscope',
    'c=IN IP[media_ip_type] [media_ip]',
    't=0 0',
    `m=audio [media_port] RTP/AVP ${pt} ${o.telephoneEventPt}`,
    `a=rtpmap:${pt} ${o.codec}/8000`,
    `a=rtpmap:${o.telephoneEventPt} telephone-event/8000`,
    `a=fmtp:${o.telephoneEventPt} 0-16`,
    `a=ptime:${o.ptimeMs}`,
    'a=sendrecv',
    '',
  ].join('\n');
  const parts = ['<?xml version="1.0" encoding="ISO-8859-1" ?>\n', '<!DOCTYPE scenario SYSTEM "sipp.dtd">\n', `<!-- Exported by trunkscope export sipp --uas: answer ${o.answer.kind}. -->\n`, '<scenario name="trunkscope-uas">\n', o.answer.kind === 'ring' ? INVITE_RECV : '  <recv request="INVITE" crlf="true"/>\n', response(100, 'Trying')];
  const a = o.answer;
  if (a.kind === 'reject' || a.kind === 'busy') {
    const status = a.kind === 'busy' ? 486 : a.status;
    parts.push(response(status, REASONS[status] ?? 'Rejected'), '  <recv request="ACK"/>\n');
  } else if (a.kind === 'ring') {
    parts.push(response(180, 'Ringing'), '  <recv request="CANCEL"/>\n', response(200, 'OK'), cancelled487(), '  <recv request="ACK"/>\n');
  } else {
    parts.push(response(180, 'Ringing'));
    if (o.answerDelayMs > 0) parts.push(`  <pause milliseconds="${o.answerDelayMs}"/>\n`);
    parts.push(response(200, 'OK', sdp), '  <recv request="ACK" crlf="true"/>\n');
    parts.push('  <recv request="BYE"/>\n', response(200, 'OK', undefined, false));
  }
  if (o.answer.kind === 'ring') parts.push('  <Reference variables="invite_cseq_all"/>\n');
  parts.push('</scenario>\n');
  return parts.join('');
}

/** 487 for the INVITE a CANCEL ended (RFC 3261 §9.2): its Via and CSeq, not the CANCEL's. */
function cancelled487(): string {
  return `  <send><![CDATA[
SIP/2.0 487 Request Terminated
[last_Via:]
[last_From:]
[last_To:];tag=[pid]SIPpTag01[call_number]
[last_Call-ID:]
CSeq: [$invite_cseq] INVITE
Content-Length: 0

]]></send>
`;
}
