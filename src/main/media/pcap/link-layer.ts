/**
 * From a link-layer frame to its IP packet, for the link types VoIP captures come in
 * (https://www.tcpdump.org/linktypes.html): Ethernet with 802.1Q/802.1ad tags, BSD loopback
 * (DLT_NULL, DLT_LOOP), Linux cooked capture v1/v2 (`tcpdump -i any`), and raw IP.
 */

export const LINKTYPE_NULL = 0;
export const LINKTYPE_ETHERNET = 1;
export const LINKTYPE_RAW = 101;
export const LINKTYPE_LOOP = 108;
export const LINKTYPE_LINUX_SLL = 113;
export const LINKTYPE_IPV4 = 228;
export const LINKTYPE_IPV6 = 229;
export const LINKTYPE_LINUX_SLL2 = 276;
/** DLT_RAW as OpenBSD numbers it; some old files carry it. */
const DLT_RAW_OPENBSD = 14;
const DLT_RAW_BSD = 12;

const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;
const VLAN_TAGS = new Set([0x8100, 0x88a8, 0x9100]);

export type LinkResult =
  | { ok: true; ip: Uint8Array }
  | { ok: false; reason: 'not-ip' | 'unsupported-link' | 'truncated'; detail: string };

function u16(d: Uint8Array, o: number): number {
  return (d[o]! << 8) | d[o + 1]!;
}

function byEtherType(type: number, d: Uint8Array, at: number): LinkResult {
  if (type === ETHERTYPE_IPV4 || type === ETHERTYPE_IPV6) return { ok: true, ip: d.subarray(at) };
  return {
    ok: false,
    reason: 'not-ip',
    detail: `ethertype 0x${type.toString(16).padStart(4, '0')}`,
  };
}

/** The IP packet inside `data`, for link type `linkType`. */
export function ipPacketOf(linkType: number, data: Uint8Array): LinkResult {
  switch (linkType) {
    case LINKTYPE_ETHERNET: {
      if (data.length < 14) return { ok: false, reason: 'truncated', detail: 'Ethernet header' };
      let at = 12;
      let type = u16(data, at);
      while (VLAN_TAGS.has(type)) {
        at += 4;
        if (data.length < at + 2) return { ok: false, reason: 'truncated', detail: 'VLAN tag' };
        type = u16(data, at);
      }
      if (type < 0x0600)
        return { ok: false, reason: 'not-ip', detail: '802.3 length field (LLC frame)' };
      return byEtherType(type, data, at + 2);
    }
    case LINKTYPE_NULL:
    case LINKTYPE_LOOP: {
      if (data.length < 4) return { ok: false, reason: 'truncated', detail: 'loopback header' };
      // DLT_NULL: AF_ value in the capturing host's byte order; DLT_LOOP: network order.
      const be = ((data[0]! << 24) | (data[1]! << 16) | (data[2]! << 8) | data[3]!) >>> 0;
      const leV = ((data[3]! << 24) | (data[2]! << 16) | (data[1]! << 8) | data[0]!) >>> 0;
      const af = linkType === LINKTYPE_LOOP ? be : Math.min(be, leV);
      // AF_INET is 2 everywhere; AF_INET6 is 10 (Linux), 24 (NetBSD/OpenBSD), 28 (FreeBSD), 30 (macOS).
      if (af === 2 || af === 10 || af === 24 || af === 28 || af === 30)
        return { ok: true, ip: data.subarray(4) };
      return { ok: false, reason: 'not-ip', detail: `loopback address family ${af}` };
    }
    case LINKTYPE_LINUX_SLL: {
      if (data.length < 16)
        return { ok: false, reason: 'truncated', detail: 'Linux cooked header' };
      return byEtherType(u16(data, 14), data, 16);
    }
    case LINKTYPE_LINUX_SLL2: {
      if (data.length < 20)
        return { ok: false, reason: 'truncated', detail: 'Linux cooked v2 header' };
      return byEtherType(u16(data, 0), data, 20);
    }
    case LINKTYPE_RAW:
    case LINKTYPE_IPV4:
    case LINKTYPE_IPV6:
    case DLT_RAW_BSD:
    case DLT_RAW_OPENBSD:
      return { ok: true, ip: data };
    default:
      return { ok: false, reason: 'unsupported-link', detail: `link type ${linkType}` };
  }
}
