/**
 * Server transport processing of the top Via of a received request: RFC 3261 §18.2.1
 * (`received`) and RFC 3581 §4 (`rport`). Edits the parsed headers, never `raw`.
 */
import { SipParseError, splitComma, type SipRequest } from '../syntax/message.ts';
import { formatVia, parseVia } from '../syntax/via.ts';
import type { Endpoint } from './types.ts';
import { normalizeAddress, sameAddress } from './ip.ts';

/** Throws SipParseError when the request has no Via or its top Via cannot be parsed. */
export function stampReceived(req: SipRequest, src: Endpoint): void {
  const field = req.headers.fields.find((f) => f.key === 'via');
  if (!field) throw new SipParseError('missing Via', 400);
  const parts = splitComma(field.value);
  const via = parseVia(parts[0] ?? '');
  const srcAddress = normalizeAddress(src.address);
  let changed = false;
  // RFC 3261 §18.2.1: add received when the sent-by host differs from the packet source
  // (a host name always differs from an address).
  if (!sameAddress(via.host, srcAddress)) {
    via.params['received'] = srcAddress;
    changed = true;
  }
  // RFC 3581 §4: an rport without value gets the source port, and received is then always added.
  if ('rport' in via.params && (via.params['rport'] === null || via.params['rport'] === '')) {
    via.params['rport'] = String(src.port);
    via.params['received'] = srcAddress;
    changed = true;
  }
  if (!changed) return;
  parts[0] = formatVia(via);
  field.value = parts.join(', ');
}
