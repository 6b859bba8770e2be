/** An IP address and port: the one Endpoint type of SIP transport, RTP and reports. */
export interface Endpoint {
  address: string;
  port: number;
}

/** `ip:port`, IPv6 in brackets (RFC 3986 §3.2.2): how reports and the ladder write an endpoint. */
export function endpointText(ep: Endpoint): string {
  return ep.address.includes(':') ? `[${ep.address}]:${ep.port}` : `${ep.address}:${ep.port}`;
}
