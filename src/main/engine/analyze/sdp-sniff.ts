/**
 * SIP messages with SDP bodies seen in a capture: which address/port each side announced
 * (RFC 4566 c= and m=) and its payload-type map (a=rtpmap), so RTP to or from those endpoints is
 * recognised and its dynamic payload types get a name and clock rate — what Wireshark does when
 * the SDP dissector sets up an RTP conversation (epan/dissectors/packet-sdp.c).
 *
 * Lenient on purpose: a capture is evidence, not a peer to negotiate with.
 */

import { scanHeader } from '../../sip/syntax/header-scan.ts';
export interface PayloadFormat {
  name: string;
  clockRate: number;
}

export interface SdpEndpoint {
  address: string;
  port: number;
  media: string;
  formats: Map<number, PayloadFormat>;
  /** Frame number of the SIP message that carried it. */
  frame: number;
  /** "INVITE", "200", … */
  message: string;
  callId?: string;
}

const SIP_START = /^(?:[A-Z]+ \S+ SIP\/2\.0|SIP\/2\.0 \d{3}[^\r\n]*)\r?\n/;

/** SDP media endpoints in one UDP/TCP payload, if it is a SIP message with an SDP body. */
export function sdpEndpointsOf(payload: Uint8Array, frame: number): SdpEndpoint[] {
  if (payload.length < 12) return [];
  // Cheap test before decoding: SIP starts with an upper-case letter.
  const c0 = payload[0]!;
  if (c0 < 0x41 || c0 > 0x5a) return [];
  const text = Buffer.from(payload.buffer, payload.byteOffset, payload.length).toString('latin1');
  if (!SIP_START.test(text)) return [];
  const split = /\r?\n\r?\n/.exec(text);
  if (!split) return [];
  const head = text.slice(0, split.index);
  const body = text.slice(split.index + split[0].length);
  const first = head.slice(0, head.search(/\r?\n/));
  const message = first.startsWith('SIP/2.0') ? first.split(' ')[1]! : first.split(' ')[0]!;
  const callId = scanHeader(head, ['call-id', 'i']); // one linear pass (issue 15)
  const v = body.search(/^v=0/m);
  if (v < 0) return [];
  return parseSdpMedia(body.slice(v), frame, message, callId);
}

/** m= sections of an SDP body with their connection address and rtpmap. */
export function parseSdpMedia(
  sdp: string,
  frame: number,
  message: string,
  callId?: string,
): SdpEndpoint[] {
  const out: SdpEndpoint[] = [];
  let sessionAddress: string | undefined;
  let current: (SdpEndpoint & { ownAddress?: string }) | undefined;
  const flush = (): void => {
    if (!current) return;
    const address = current.ownAddress ?? sessionAddress;
    if (address && current.port > 0) {
      out.push({
        address,
        port: current.port,
        media: current.media,
        formats: current.formats,
        frame,
        message,
        callId,
      });
    }
  };
  for (const raw of sdp.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.startsWith('m=')) {
      flush();
      const [media = '', port = '0', , ...fmts] = line.slice(2).split(/\s+/);
      const formats = new Map<number, PayloadFormat>();
      for (const f of fmts) {
        const pt = Number(f);
        if (Number.isInteger(pt) && pt >= 0 && pt < 128) formats.set(pt, staticFormat(pt));
      }
      current = {
        address: '',
        port: Number.parseInt(port, 10) || 0,
        media,
        formats,
        frame,
        message,
      };
    } else if (line.startsWith('c=')) {
      const addr = /^c=IN\s+IP[46]\s+([^\s/]+)/i.exec(line)?.[1];
      if (addr) {
        if (current) current.ownAddress = addr;
        else sessionAddress = addr;
      }
    } else if (line.startsWith('a=rtpmap:') && current) {
      const m = /^a=rtpmap:(\d+)\s+([^/\s]+)\/(\d+)/i.exec(line);
      if (m) current.formats.set(Number(m[1]), { name: m[2]!, clockRate: Number(m[3]) });
    }
  }
  flush();
  return out;
}

/** RFC 3551 §6 static payload types (name, clock); dynamic ones get a name from a=rtpmap. */
function staticFormat(pt: number): PayloadFormat {
  const table: Record<number, PayloadFormat> = {
    0: { name: 'PCMU', clockRate: 8000 },
    3: { name: 'GSM', clockRate: 8000 },
    4: { name: 'G723', clockRate: 8000 },
    8: { name: 'PCMA', clockRate: 8000 },
    9: { name: 'G722', clockRate: 8000 },
    13: { name: 'CN', clockRate: 8000 },
    18: { name: 'G729', clockRate: 8000 },
  };
  return table[pt] ?? { name: `PT${pt}`, clockRate: 0 };
}

/** The formats for RTP sent to `dst` (or, failing that, from `src`): SDP endpoints in capture order. */
export class SdpDirectory {
  private readonly byEndpoint = new Map<string, SdpEndpoint[]>();

  add(e: SdpEndpoint): void {
    const key = `${e.address.toLowerCase()}|${e.port}`;
    const list = this.byEndpoint.get(key) ?? [];
    list.push(e);
    this.byEndpoint.set(key, list);
  }

  get size(): number {
    return this.byEndpoint.size;
  }

  /** The SDP that set up `address:port`: the last one before `frame`, else the first after it. */
  lookup(address: string, port: number, frame: number): SdpEndpoint | undefined {
    const list = this.byEndpoint.get(`${address.toLowerCase()}|${port}`);
    if (!list || list.length === 0) return undefined;
    let best: SdpEndpoint | undefined;
    for (const e of list) if (e.frame < frame) best = e;
    return best ?? list[0];
  }
}
