/**
 * A trace record's bytes read just far enough for the ladder: first line, method or status,
 * CSeq and Call-ID. Works on bytes the parser refused too (they still belong on the ladder).
 */
import { isUtf8 } from 'node:buffer';

export interface TraceFields {
  text: string;
  firstLine: string;
  method?: string;
  status?: number;
  cseq?: string;
  callId?: string;
}

const HEAD_LIMIT = 16_384;

export function readTraceFields(raw: Buffer): TraceFields {
  const text = isUtf8(raw) ? raw.toString('utf8') : raw.toString('latin1');
  const eol = text.search(/\r?\n/);
  const line = (eol < 0 ? text : text.slice(0, eol)).slice(0, 512);
  const end = text.indexOf('\r\n\r\n');
  const head = text.slice(0, Math.min(end < 0 ? text.length : end, HEAD_LIMIT));
  const callId = header(head, /^(?:call-id|i)[ \t]*:[ \t]*(.+?)[ \t]*$/im);
  const cseq = header(head, /^cseq[ \t]*:[ \t]*(\d+[ \t]+[A-Za-z]+)[ \t]*$/im)?.replace(
    /[ \t]+/,
    ' ',
  );
  const out: TraceFields = { text, firstLine: line };
  if (callId) out.callId = callId;
  if (cseq) out.cseq = cseq;
  const status = /^SIP\/2\.0[ \t]+(\d{3})(?:[ \t]+(.*))?$/.exec(line);
  if (status) {
    out.status = Number(status[1]);
    out.firstLine = `${status[1]}${status[2] ? ` ${status[2]}` : ''}`;
    // A response is filed under the method of its CSeq (RFC 3261 §8.1.3.3), so "INVITE" finds both.
    const m = cseq?.split(' ')[1];
    if (m) out.method = m.toUpperCase();
    return out;
  }
  const req = /^([A-Za-z]+)[ \t]+\S+[ \t]+SIP\/2\.0$/.exec(line);
  if (req) out.method = req[1]!.toUpperCase();
  return out;
}

function header(head: string, re: RegExp): string | undefined {
  return re.exec(head)?.[1];
}
