/** SDP offers as carriers and PBXs send them (CRLF line ends), for the SDP unit tests. */
export function sdp(...lines: string[]): string {
  return lines.join('\r\n') + '\r\n';
}

export const HEAD = ['v=0', 'o=- 100 1 IN IP4 203.0.113.5', 's=-', 'c=IN IP4 203.0.113.5', 't=0 0'];

/** An audio offer with the given m= formats and attribute lines. */
export function audioOffer(formats: string, attrs: string[] = [], port = 30000): string {
  return sdp(...HEAD, `m=audio ${port} RTP/AVP ${formats}`, ...attrs);
}

export const PCMU_PCMA_TE = audioOffer('0 8 101', [
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:8 PCMA/8000',
  'a=rtpmap:101 telephone-event/8000',
  'a=fmtp:101 0-16',
  'a=ptime:20',
  'a=sendrecv',
]);
