/**
 * The codec port of the media engine: a codec turns 16-bit linear PCM frames into RTP payloads
 * and back. Codecs are stateless per call unless documented (G.711 is stateless).
 */
export interface Codec {
  /** Encoding name as in SDP rtpmap (RFC 4566 §6), e.g. `PCMU`. */
  readonly name: string;
  /** Static payload type (RFC 3551 §6, Table 4), when the codec has one. */
  readonly payloadType?: number;
  /** RTP clock rate in Hz (RFC 3551 §4.5). */
  readonly clockRate: number;
  readonly channels: number;
  encode(pcm: Int16Array): Buffer;
  decode(payload: Buffer): Int16Array;
}
