/**
 * Every cause code's checklist item and standard fix (docs/diagnosis.md). The rules that find a
 * cause add the summary and evidence; the checklist wording follows the trunk troubleshooting
 * guide (origination and reachability, authentication, media, quality, DTMF, call drops).
 */
import type { CauseCode } from '../../../shared/model/diagnosis.ts';

export interface CatalogEntry {
  checklist: string;
  fix: string;
}

export const CATALOG: Readonly<Record<CauseCode, CatalogEntry>> = {
  'dns-failure': {
    checklist: 'Reachability: origination URI / DNS',
    fix: 'Check the host name in the URI (typo, missing SRV/NAPTR records); try the IP address or another DNS server (--dns).',
  },
  'no-response': {
    checklist: 'Reachability: firewall 5060/5061 and trunk address',
    fix: 'Nothing answered: check the address and port, the transport (UDP/TCP/TLS), and that the firewall lets SIP out and the replies back in.',
  },
  'connection-refused': {
    checklist: 'Reachability: firewall 5060/5061 and trunk address',
    fix: 'The host refused the connection: nothing listens on that port for this transport. Check port and transport (5060 UDP/TCP, 5061 TLS).',
  },
  'tls-failure': {
    checklist: 'Reachability: TLS on 5061',
    fix: "Check the server certificate (name, chain, expiry) and the CA you trust (--tls-ca); for a lab server with a self-signed certificate use --tls-insecure.",
  },
  'wrong-credentials': {
    checklist: 'Authentication: username and password',
    fix: 'Check the username, auth username and password on the trunk (credential list); the server rejected the digest.',
  },
  'realm-mismatch': {
    checklist: 'Authentication: realm',
    fix: 'The server challenges with another realm than configured: use the realm it names, or the domain the provider gave for this trunk.',
  },
  'clock-skew': {
    checklist: 'Authentication: clock skew',
    fix: "Synchronise this machine's clock (NTP); time-limited nonces and tokens fail when clocks differ.",
  },
  'forbidden-ip': {
    checklist: 'Authentication: IP allow list (ACL)',
    fix: "Add this host's public IP address to the trunk's IP access control list, or use credential (digest) authentication.",
  },
  forbidden: {
    checklist: 'Authentication: account and permissions',
    fix: 'The server refused the call after authentication: check that the account may call this destination (trunk enabled, calling permissions, caller ID allowed).',
  },
  'number-not-found': {
    checklist: 'Origination: number / DID assigned',
    fix: 'Check the dialled number format (E.164 with +) and that the number (DID) is assigned to this trunk or route.',
  },
  busy: {
    checklist: 'Call flow: callee busy',
    fix: 'The callee (or its concurrency limit) was busy: retry later, or raise the trunk\'s concurrent-call limit.',
  },
  'no-answer': {
    checklist: 'Call flow: rings but never answered',
    fix: 'The call rang but nobody answered: check that the agent or application behind the number answers, and the answer timeout (--timeout).',
  },
  'service-unavailable': {
    checklist: 'Reachability: trunk enabled / service up',
    fix: 'The server is overloaded, down or has no route: check the trunk is enabled and try the failover target (a second origination URI or DNS SRV record).',
  },
  'no-common-codec': {
    checklist: 'Media: codec compatibility',
    fix: 'Offer a codec the peer accepts (--codec); G.711 (PCMU/PCMA) is accepted by nearly every carrier.',
  },
  'srtp-mismatch': {
    checklist: 'Media: SRTP settings match',
    fix: 'Use the same media encryption on both sides (--srtp off|offer|require, and the trunk\'s secure media setting).',
  },
  'no-media': {
    checklist: 'Media: RTP both ways / media ports 10000–60000',
    fix: 'No RTP flowed either way: open the media port range (UDP 10000–60000) in the firewall and check the SDP addresses.',
  },
  'one-way-audio': {
    checklist: 'Media: RTP both ways / NAT',
    fix: 'RTP flowed one way only: check NAT (symmetric RTP, SIP ALG off), the firewall for UDP 10000–60000, and the address in the SDP.',
  },
  'silent-audio': {
    checklist: 'Media: audio present',
    fix: 'Packets arrive but carry silence or only comfort noise: check the far end\'s microphone or media server, transcoding, and the codec (G.729 annex B, wrong PT).',
  },
  'audio-unverified': {
    checklist: 'Media: audio present',
    fix: 'The received audio could not be decoded here, so its content is not checked: use a codec Trunkscope decodes (PCMU, PCMA, G722, opus) to verify it.',
  },
  'private-media-address': {
    checklist: 'Media: NAT / SDP address',
    fix: 'The peer puts a private address in its SDP: configure its external (public) media address, or enable symmetric RTP / NAT traversal on the trunk.',
  },
  'nat-mismatch': {
    checklist: 'Media: NAT / symmetric RTP',
    fix: 'RTP comes from another address than the SDP named (NAT): keep symmetric RTP on (latching), or fix the peer\'s advertised media address.',
  },
  'poor-quality': {
    checklist: 'Quality: bandwidth ~100 kbps per call, loss < 1 %, jitter < 30 ms',
    fix: 'Check the link\'s bandwidth and load, prioritise voice (DSCP EF), or use a lower-bandwidth codec.',
  },
  'local-drops': {
    checklist: 'Quality: local host',
    fix: 'This host dropped packets the network delivered (socket buffer full, busy CPU): the carrier is not to blame; close other load or raise the receive buffer.',
  },
  'dtmf-not-sent': {
    checklist: 'DTMF: digits sent',
    fix: 'The digits asked for were not sent: check the DTMF method (--dtmf) against what the peer negotiated, and that the call was still up at --dtmf-at.',
  },
  'dtmf-method-mismatch': {
    checklist: 'DTMF: method matches',
    fix: 'Use a DTMF method both sides take: RFC 4733 (telephone-event in the SDP), SIP INFO if the peer accepts it, in-band only over G.711.',
  },
  'session-timer-expiry': {
    checklist: 'Call drops: fixed-time drops / session timers',
    fix: 'A session refresh (RFC 4028) was missing or refused: check the refresher role and that re-INVITE/UPDATE refreshes reach the peer.',
  },
  'media-timeout': {
    checklist: 'Call drops: RTP timeout',
    fix: 'The far end hung up after our RTP stopped reaching it: check the media path from here to the peer (firewall, NAT binding timeouts).',
  },
  'early-media-only': {
    checklist: 'Call flow: early media only',
    fix: 'Only early media (183 Session Progress) arrived and the call was never answered: listen to the announcement (--record); it often names the problem.',
  },
  cancelled: {
    checklist: 'Call flow: cancelled',
    fix: 'The caller cancelled before the call was answered: answer sooner or check why the caller gave up (its timeout).',
  },
  rejected: {
    checklist: 'Call flow: rejected',
    fix: 'The peer rejected the call with the status shown: look that status up in the provider\'s error list.',
  },
};
