/** The call instructions a platform answers with: dial one SIP URI (TwiML, PlivoXML or ExoML). */
import type { Provider } from './types.ts';

export interface DialSpec {
  uri: string;
  username?: string;
  password?: string;
  callerId?: string;
  timeoutS?: number;
}

function esc(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

function attr(name: string, value: string | number | undefined): string {
  return value === undefined ? '' : ` ${name}="${esc(String(value))}"`;
}

export function buildInstructions(provider: Provider, d: DialSpec): string {
  const head = '<?xml version="1.0" encoding="UTF-8"?>\n';
  const dialAttrs = `${attr('callerId', d.callerId)}${attr('timeout', d.timeoutS)}`;
  if (provider === 'twilio') {
    return `${head}<Response><Dial${dialAttrs}><Sip${attr('username', d.username)}${attr('password', d.password)}>${esc(d.uri)}</Sip></Dial></Response>\n`;
  }
  if (provider === 'plivo') {
    // PlivoXML carries credentials in the URI's user part: sip:USER:PASS@HOST.
    let uri = d.uri;
    if (d.username !== undefined && d.password !== undefined) {
      uri = uri.replace(
        /^(sips?:)(?:[^@;?]*@)?/i,
        `$1${encodeURIComponent(d.username)}:${encodeURIComponent(d.password)}@`,
      );
    }
    return `${head}<Response><Dial${dialAttrs}><User>${esc(uri)}</User></Dial></Response>\n`;
  }
  return `${head}<Response><Dial${dialAttrs}>${esc(d.uri)}</Dial></Response>\n`;
}

/** What a platform answers a status callback with: nothing to do. */
export function emptyResponse(): string {
  return '<?xml version="1.0" encoding="UTF-8"?>\n<Response/>\n';
}
