/** Loads the RFC 4475 torture-test messages (test/fixtures/sip/rfc4475/NAME.dat). */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseMessage } from '../../../../src/main/sip/syntax/parser.ts';
import type { SipRequest, SipResponse } from '../../../../src/main/sip/syntax/message.ts';

export const RFC4475_DIR = fileURLToPath(new URL('../../../fixtures/sip/rfc4475/', import.meta.url));

export function torture(name: string): Buffer {
  return readFileSync(`${RFC4475_DIR}${name}.dat`);
}

export function allTortureNames(): string[] {
  return readdirSync(RFC4475_DIR)
    .filter((f) => f.endsWith('.dat'))
    .map((f) => f.slice(0, -4))
    .sort();
}

export function request(name: string): SipRequest {
  const m = parseMessage(torture(name));
  if (m.type !== 'request') throw new Error(`${name} is not a request`);
  return m;
}

export function response(name: string): SipResponse {
  const m = parseMessage(torture(name));
  if (m.type !== 'response') throw new Error(`${name} is not a response`);
  return m;
}
