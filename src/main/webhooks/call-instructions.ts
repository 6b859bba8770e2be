/** What a provider's answer document tells it to dial, once parsed. */
import type { Provider } from './types.ts';

export type SipTransport = 'udp' | 'tcp' | 'tls';

export interface DialTarget {
  /** The SIP URI to dial, with any password removed from the user part. */
  uri: string;
  /** From `;transport=` or a sips: scheme; undefined when the document does not say. */
  transport?: SipTransport;
  /** Digest credentials: `<Sip username password>` (TwiML) or `sip:USER:PASS@HOST` (PlivoXML). */
  username?: string;
  password?: string;
  /** Where the credentials came from, in words. */
  credentialsFrom?: string;
  /** URI headers `?X-Foo=bar` (sent as SIP headers on the INVITE). */
  headers: Record<string, string>;
  /** The element's own attributes (TwiML `<Sip>`, PlivoXML `<User>`); `password` is removed. */
  attributes: Record<string, string>;
}

export interface CallInstructions {
  provider: Provider;
  /** Top-level verbs under `<Response>`, in order. */
  verbs: string[];
  /** `<Dial>` attributes (callerId, timeout, timeLimit, action, ...). */
  dialAttributes: Record<string, string>;
  callerId?: string;
  /** Seconds to ring before giving up (`<Dial timeout>`). */
  timeoutS?: number;
  /** Longest call in seconds (`<Dial timeLimit>`). */
  timeLimitS?: number;
  /** SIP targets dialled; several ring at once (the first is followed). */
  targets: DialTarget[];
  /** Numbers (not SIP) the Dial names; not followed. */
  numbers: string[];
}

export class InstructionsError extends Error {
  /** The element at fault, e.g. `Dial`. */
  readonly element?: string;
  constructor(message: string, element?: string) {
    super(message);
    this.element = element;
  }
}

/** Secrets hidden: the password as its length only. */
export function maskInstructions(ci: CallInstructions): CallInstructions {
  return {
    ...ci,
    targets: ci.targets.map((t) =>
      t.password === undefined ? t : { ...t, password: `****(${t.password.length} chars)` },
    ),
  };
}

/** Passwords in raw instructions text hidden: `password="…"` and `sip:user:pass@`. */
export function maskInstructionsText(text: string): string {
  return text
    .replace(/(password=")[^"]*"/g, '$1****"')
    .replace(/(sips?:[^:@<>\s"]+:)[^@<>\s"]+@/g, '$1****@');
}
