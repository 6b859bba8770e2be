/**
 * The troubleshooting verdict of one call (docs/diagnosis.md): what went wrong, by the support
 * checklist's item, with the evidence (SIP message, packet or frame, time) that proves it.
 */
export type CauseCode =
  | 'dns-failure'
  | 'no-response'
  | 'connection-refused'
  | 'tls-failure'
  | 'wrong-credentials'
  | 'realm-mismatch'
  | 'clock-skew'
  | 'forbidden-ip'
  | 'forbidden'
  | 'number-not-found'
  | 'busy'
  | 'no-answer'
  | 'service-unavailable'
  | 'no-common-codec'
  | 'srtp-mismatch'
  | 'no-media'
  | 'one-way-audio'
  | 'silent-audio'
  | 'audio-unverified'
  | 'private-media-address'
  | 'nat-mismatch'
  | 'poor-quality'
  | 'local-drops'
  | 'dtmf-not-sent'
  | 'dtmf-method-mismatch'
  | 'session-timer-expiry'
  | 'media-timeout'
  | 'early-media-only'
  | 'cancelled'
  | 'rejected';

export interface Evidence {
  /**
   * What the text points at: "msg 3" (the 3rd SIP message of the call's ladder), "frame 17" (a
   * capture's frame number), "t+5.2s" (seconds since answer), or a report field ("media.received").
   */
  ref: string;
  text: string;
  /**
   * A support bundle's report only: the same message in the original capture ("frame 17") when
   * `ref` names the frame of the bundle's own pcap, whose frames are numbered anew.
   */
  originalRef?: string;
}

export interface Cause {
  code: CauseCode;
  severity: 'error' | 'warning';
  /** The troubleshooting-guide item this belongs to ("Authentication", "Media: RTP both ways"…). */
  checklist: string;
  /** One line: what happened. */
  summary: string;
  evidence: Evidence[];
  /** What to change or check. */
  fix: string;
}

export interface Diagnosis {
  /** failed: at least one error cause; degraded: warnings only; ok: no cause. */
  verdict: 'ok' | 'degraded' | 'failed';
  causes: Cause[];
}

/**
 * Audio presence in one direction (issue 17): 20 ms frames of decoded audio measured against a
 * floor (AUDIO_FLOOR_DBFS); comfort noise (RFC 3389) is counted apart and never as audio.
 */
export interface AudioPresence {
  /** True when the audio of this direction was decoded and measured. */
  decoded: boolean;
  /** ms of 20 ms frames above the floor. */
  activeMs: number;
  /** ms of decoded frames at or below the floor. */
  silentMs: number;
  /** ms covered by comfort-noise packets (PT 13). */
  cnMs: number;
  /** Packets whose audio could not be decoded (a pass-through codec, a decoder error). */
  undecodable: number;
  /** Loudest sample and mean frame level (RMS) in dBFS; -120 when nothing was measured. */
  peakDbfs: number;
  meanDbfs: number;
  /** Why the audio was not decoded, when decoded is false. */
  reason?: string;
}

/** The floor: a 20 ms frame whose RMS is at or below this is silence. */
export const AUDIO_FLOOR_DBFS = -55;
