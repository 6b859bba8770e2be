/**
 * A trace record's bytes read just far enough for the ladder: first line, method or status,
 * CSeq and Call-ID. Works on bytes the parser refused too (they still belong on the ladder).
 */
import { isUtf8 } from 'node:buffer';
import { callIdKey, scanHeader } from '../../sip/syntax/header-scan.ts';

export interface TraceFields {
  text: string;
  firstLine: string;
  method?: string;
  status?: number;
  cseq?: string;
  callId?: string;
}

const HEAD_LIMIT = 16_384;

export function readTraceFields(raw: Buffer, knownCallId?: string): TraceFields {
  const text = isUtf8(raw) ? raw.toString('utf8') : raw.toString('latin1');
  const eol = text.search(/\r?\n/);
  const line = (eol < 0 ? text : text.slice(0, eol)).slice(0, 512);
  // Header values by one linear scan (no regular expression on remote bytes: issue 15 ReDoS);
  // the transport's parsed Call-ID when the record has one.
  const found = knownCallId ?? scanHeader(text, ['call-id', 'i'], HEAD_LIMIT);
  const callId = found === undefined ? undefined : callIdKey(found);
  const cseq = cseqText(scanHeader(text, ['cseq'], HEAD_LIMIT));
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

/** "1  INVITE" → "1 INVITE"; undefined unless digits, blanks, letters (RFC 3261 §20.16). */
function cseqText(v: string | undefined): string | undefined {
  if (v === undefined || v.length > 64) return undefined;
  const m = /^(\d{1,10})[ \t]{1,8}([A-Za-z]{1,32})$/.exec(v);
  return m ? `${m[1]!} ${m[2]!}` : undefined;
}
