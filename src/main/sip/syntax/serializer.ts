/**
 * SipMessage → wire bytes (RFC 3261 §7): start line, header fields in order with their names as
 * given (one line each; values are written as they are), Content-Length, empty line, body.
 */
import type { SipMessage } from './message.ts';

/**
 * Content-Length always states the body length (RFC 3261 §20.14, §18.3): the first existing
 * Content-Length / `l` field is rewritten in place (keeping its name), any others are dropped,
 * and one is appended when there was none.
 */
export function serializeMessage(msg: SipMessage): Buffer {
  let head = msg.type === 'request' ? `${msg.method} ${msg.uri} ${msg.version}\r\n` : `${msg.version} ${msg.status} ${msg.reason}\r\n`;
  let wroteLength = false;
  for (const f of msg.headers.fields) {
    if (f.key === 'content-length') {
      if (wroteLength) continue;
      wroteLength = true;
      head += `${f.name}: ${msg.body.length}\r\n`;
    } else head += `${f.name}: ${f.value}\r\n`;
  }
  if (!wroteLength) head += `Content-Length: ${msg.body.length}\r\n`;
  head += '\r\n';
  const headLen = Buffer.byteLength(head, 'utf8');
  const out = Buffer.allocUnsafe(headLen + msg.body.length);
  out.write(head, 0, 'utf8');
  msg.body.copy(out, headLen);
  return out;
}
