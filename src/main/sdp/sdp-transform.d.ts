/**
 * Type declarations for the parts of sdp-transform 3 (CommonJS, untyped) that Trunkscope uses.
 * Values that look like integers are returned as numbers, everything else as strings
 * (sdp-transform `toIntIfInt`), hence the `number | string` unions.
 */
declare module 'sdp-transform' {
  export interface SdpRtpMap {
    payload: number;
    codec: string;
    rate?: number;
    encoding?: number | string;
  }
  export interface SdpFmtp {
    payload: number;
    config: string;
  }
  export interface SdpConnection {
    version: number;
    ip: string;
  }
  export interface SdpMedia {
    type?: string;
    port?: number;
    protocol?: string;
    payloads?: number | string;
    connection?: SdpConnection;
    rtp: SdpRtpMap[];
    fmtp: SdpFmtp[];
    direction?: 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';
    ptime?: number | string;
    maxptime?: number | string;
    rtcp?: { port: number; netType?: string; ipVer?: number; address?: string };
    rtcpMux?: string;
    crypto?: { id: number; suite: string; config: string; sessionConfig?: string }[];
    [key: string]: unknown;
  }
  export interface SdpSession {
    version?: number;
    origin?: {
      username: string | number;
      sessionId: number | string;
      sessionVersion: number;
      netType: string;
      ipVer: number;
      address: string;
    };
    name?: string | number;
    timing?: { start: number; stop: number };
    connection?: SdpConnection;
    direction?: 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';
    media: SdpMedia[];
    [key: string]: unknown;
  }
  export function parse(sdp: string): SdpSession;
  export function write(session: SdpSession): string;
}
