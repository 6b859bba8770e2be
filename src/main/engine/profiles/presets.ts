/**
 * Provider presets: what each provider expects, filled into a new profile before the user's own
 * fields. Every value's source is in docs/providers.md (and `source` below); values we could not
 * verify from a public source are listed in `unverified`.
 */
import type { PresetId, ProfileInput } from '../../../shared/model/profile.ts';

export interface Preset {
  id: PresetId;
  label: string;
  /** Profile values this preset sets. */
  values: Partial<Omit<ProfileInput, 'name'>>;
  /** What the user must still give, with an example of the expected shape. */
  needs: { field: string; example: string }[];
  /** Advice shown in the editor and `profile show`. */
  notes: string[];
  /** Where each value comes from (docs/providers.md has the full list). */
  source: string;
  /** Values this preset sets that no public source we could read confirms. */
  unverified: string[];
}

export const PRESETS: Record<PresetId, Preset> = {
  generic: {
    id: 'generic',
    label: 'Generic SIP trunk',
    values: { mode: 'register', transport: 'udp', codecs: ['PCMU', 'PCMA'], dtmf: 'rfc2833' },
    needs: [{ field: 'domain', example: 'sip.example.net' }],
    notes: ['RFC 3261 defaults: UDP 5060, digest on REGISTER, RFC 4733 DTMF.'],
    source: 'RFC 3261 §18 (UDP 5060), RFC 4733; no provider-specific values.',
    unverified: [],
  },
  twilio: {
    id: 'twilio',
    label: 'Twilio Elastic SIP Trunking',
    values: {
      // Elastic SIP Trunking has no REGISTER: termination authenticates each INVITE (IP ACL or
      // credential-list digest); origination reaches us by IP, and Twilio cannot do inbound digest.
      mode: 'ip',
      transport: 'udp',
      codecs: ['PCMU', 'PCMA'],
      dtmf: 'rfc2833',
      numberFormat: 'e164-plus',
    },
    needs: [
      { field: 'domain', example: 'NAME.pstn.twilio.com (your trunk\'s Termination SIP URI)' },
      { field: 'username', example: 'a user of the trunk\'s credential list (or none with an IP ACL)' },
    ],
    notes: [
      'Termination: INVITE to NAME.pstn.twilio.com; Twilio challenges with digest when a credential list is set, or accepts by IP ACL.',
      'Origination (calls to us): Twilio cannot authenticate with username/password — use an IP allowlist (inbound.allowFrom).',
      'Numbers in E.164 with a leading +.',
    ],
    source: 'LiveKit docs inbound-trunk (Twilio has no inbound digest) [K13]; Twilio Elastic SIP Trunking docs (termination URI, E.164).',
    unverified: ['termination URI form NAME.pstn.twilio.com and E.164 "+" (Twilio docs not readable here)', 'Twilio signalling IP ranges for inbound.allowFrom'],
  },
  vobiz: {
    id: 'vobiz',
    label: 'Vobiz',
    values: { mode: 'register', transport: 'udp', codecs: ['PCMA', 'PCMU'], dtmf: 'rfc2833', numberFormat: 'e164' },
    needs: [
      { field: 'domain', example: 'the SIP domain from your Vobiz console' },
      { field: 'username', example: 'your SIP user' },
    ],
    notes: ['No public interop evidence for Vobiz was found: values are generic defaults; check them against your own tickets.'],
    source: 'No public source (PROVIDERS.md: "Vobiz: no public evidence found").',
    unverified: ['mode register', 'transport udp', 'codec order PCMA first (India: A-law)', 'E.164 without +'],
  },
  plivo: {
    id: 'plivo',
    label: 'Plivo (Zentrunk)',
    values: { mode: 'ip', transport: 'udp', codecs: ['PCMU', 'PCMA'], dtmf: 'rfc2833', numberFormat: 'e164' },
    needs: [
      { field: 'domain', example: 'the termination SIP domain from your Plivo console (…zt.plivo.com)' },
      { field: 'username', example: 'a credential of the trunk (or none with an IP ACL)' },
    ],
    notes: ['Plivo drops calls put on hold by re-INVITE (livekit/sip#552): avoid --hold-at with this trunk.'],
    source: 'livekit/sip#552 (hold drops calls); Plivo Zentrunk docs (termination domain, IP or credential auth).',
    unverified: ['termination domain form …zt.plivo.com', 'E.164 without +', 'mode ip (credential digest on INVITE, no REGISTER)'],
  },
  exotel: {
    id: 'exotel',
    label: 'Exotel',
    values: { mode: 'ip', transport: 'tcp', codecs: ['PCMA', 'PCMU'], dtmf: 'rfc2833', numberFormat: 'as-dialed' },
    needs: [{ field: 'domain', example: 'the Exotel SIP FQDN for your account (port 5060)' }],
    notes: ['Exotel works with "FQDN + TCP 5060" (livekit/sip#428).', 'ACKs must follow the Record-Route path, not the Contact (livekit/sip#428).'],
    source: 'livekit/sip#428 (FQDN + TCP 5060; ACK via Record-Route).',
    unverified: ['mode ip', 'codec order PCMA first', 'number format'],
  },
  livekit: {
    id: 'livekit',
    label: 'LiveKit SIP',
    values: {
      // LiveKit has no REGISTER client and accepts no REGISTER: trunks are IP or INVITE digest.
      mode: 'ip',
      transport: 'udp',
      codecs: ['PCMU', 'PCMA', 'G722'],
      dtmf: 'rfc2833',
      srtp: 'off',
    },
    needs: [{ field: 'domain', example: 'PROJECT.sip.livekit.cloud' }],
    notes: [
      'Inbound trunk: allowed_addresses (IPs/CIDRs) and optional digest (407, MD5, realm = auth_realm).',
      'Codecs PCMU/PCMA/G.722 + telephone-event/8000; no G.729; Opus only when enabled.',
      'DTMF: RFC 4733 only — SIP INFO is not handled.',
      'No late offer: an INVITE without SDP fails (livekit/sip#402, #506).',
      'No Supported: timer (session refreshes dropped at ~15 min, PR #582).',
    ],
    source: 'livekit/sip pkg/sip/inbound.go, media_codecs.go, server.go; protocol livekit_sip.proto; issues #402, #506, #582 [K3, K5, K6, K10].',
    unverified: ['whether LiveKit Cloud offers Opus', 'the "Cloud only works with TCP" report (#231)'],
  },
  pbx: {
    id: 'pbx',
    label: 'Asterisk / FreeSWITCH PBX',
    values: { mode: 'register', transport: 'udp', codecs: ['PCMU', 'PCMA', 'G722'], dtmf: 'rfc2833', registerExpires: 3600, keepAliveSec: 30 },
    needs: [
      { field: 'domain', example: 'pbx.example.lan (the PBX address)' },
      { field: 'username', example: 'the extension, e.g. 1001' },
    ],
    notes: ['Registers as an extension; OPTIONS keep-alive every 30 s (Asterisk qualify, FreeSWITCH ping).'],
    source: 'Asterisk PJSIP and FreeSWITCH Sofia default profiles (UDP 5060, RFC 2833 DTMF); RFC 3261.',
    unverified: ['keep-alive 30 s (a common qualify_frequency, not a default of both)'],
  },
};

export function presetOf(id: string): Preset | undefined {
  return (PRESETS as Record<string, Preset>)[id];
}
