/**
 * A trunk profile ("trunk" or "line"): where a provider's trunk is, how we authenticate to it and
 * what it expects on the wire (issue 9 B.1). One zod schema, used by the settings store (file),
 * the CLI (`trunkscope profile …`) and the GUI. Secrets (the SIP password, the inbound digest
 * password) are NOT fields of a profile: they live in the secrets store, keyed by profile name;
 * `hasPassword` / `inbound.hasPassword` only say that one is stored.
 */
import { z } from 'zod';

export const PROFILE_NAME_MAX = 64;

/** A profile name: used as a file key and on the command line. */
export const ProfileNameSchema = z
  .string()
  .trim()
  .min(1, 'enter a name')
  .max(PROFILE_NAME_MAX, `at most ${PROFILE_NAME_MAX} characters`)
  .regex(/^[A-Za-z0-9][A-Za-z0-9 ._@+-]*$/, 'letters, digits, space and . _ @ + - only, starting with a letter or digit');

export const PresetIdSchema = z.enum(['generic', 'twilio', 'vobiz', 'plivo', 'exotel', 'livekit', 'pbx']);
export type PresetId = z.infer<typeof PresetIdSchema>;

const ProfileTransportSchema = z.enum(['udp', 'tcp', 'tls']);
const ProfileCodecSchema = z.enum(['PCMU', 'PCMA', 'G722', 'opus', 'G729']);
const ProfileDtmfSchema = z.enum(['rfc2833', 'info', 'inband']);
const ProfileSrtpSchema = z.enum(['off', 'offer', 'require']);

/** A host or host:port (names, IPv4, [IPv6]); no scheme, no user part. */
const hostText = z
  .string()
  .trim()
  .max(253)
  .regex(/^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$/, 'a host name or address, optionally :port (no sip:, no user@)');
/** A SIP URI (sip: or sips:), or empty for "none". */
const sipUriText = z
  .string()
  .trim()
  .max(512)
  .regex(/^(sips?:[^\s<>]+)?$/i, 'a sip: or sips: URI');
/** "Name: value", one header, no line breaks. */
const headerLine = z
  .string()
  .max(1024)
  .regex(/^[A-Za-z0-9!%*_+`'~.-]+\s*:[^\r\n]*$/, 'a header line "Name: value"');
/** An IP address or CIDR block, v4 or v6 (checked for real by ip-list.ts in the engine). */
const addressOrCidr = z
  .string()
  .trim()
  .regex(/^[0-9A-Fa-f:.]+(\/\d{1,3})?$/, 'an IP address or CIDR block such as 203.0.113.0/24');
/** A number the trunk owns: E.164 with or without +, or an extension. */
const didText = z.string().trim().regex(/^\+?[0-9*#]{1,32}$/, 'a number such as +14155550100');
const userText = z.string().trim().max(128).regex(/^[^\s<>@"]*$/, 'no spaces, <, >, @ or quotes');

export const TlsOptionsSchema = z.object({
  /** Verify the server certificate (chain and name). Default true. */
  verify: z.boolean().default(true),
  /** Server name to send (SNI) and to check the certificate against; default: the host. */
  sni: z.string().trim().max(253).optional(),
  /** Client certificate and key for mutual TLS (PEM file paths). */
  clientCert: z.string().max(1024).optional(),
  clientKey: z.string().max(1024).optional(),
  /** Extra CA certificates (PEM file path). */
  ca: z.string().max(1024).optional(),
});

export const SessionTimerSchema = z.object({
  /** RFC 4028 Session-Expires in seconds; 0 = no session timer. */
  expires: z.number().int().min(0).max(86_400).default(0),
  /** RFC 4028 Min-SE (≥ 90). */
  minSe: z.number().int().min(90).max(86_400).default(90),
  refresher: z.enum(['uac', 'uas', 'none']).default('none'),
});

export const InboundSchema = z.object({
  /** Numbers (DIDs) the trunk owns: calls to them arrive on this profile. */
  dids: z.array(didText).max(1000).default([]),
  /** Addresses the provider sends from (IP authentication of inbound calls). Empty: anyone. */
  allowFrom: z.array(addressOrCidr).max(1000).default([]),
  /** Inbound digest (as LiveKit's inbound trunk): the user we challenge for; empty = no digest. */
  authUser: userText.default(''),
  realm: z.string().trim().max(128).default(''),
  /** True when an inbound digest password is stored in the secrets store. */
  hasPassword: z.boolean().default(false),
});

export const ProfileSchema = z.object({
  name: ProfileNameSchema,
  preset: PresetIdSchema.default('generic'),
  /** register: REGISTER with digest; ip: no REGISTER, the provider accepts us by source address. */
  mode: z.enum(['register', 'ip']).default('register'),
  /** SIP domain (the host of From/To/Request-URI), e.g. example.pstn.twilio.com. */
  domain: hostText,
  /** Registrar URI when it differs from sip:DOMAIN. */
  registrar: sipUriText.default(''),
  /** Outbound proxy URI (Route: <…;lr>), empty for none. */
  outboundProxy: sipUriText.default(''),
  transport: ProfileTransportSchema.default('udp'),
  tls: TlsOptionsSchema.default({ verify: true }),
  /** Local SIP port; 0 = any free port. */
  localPort: z.number().int().min(0).max(65_535).default(0),
  /** The user part of our AOR (From/To of REGISTER). */
  username: userText.default(''),
  /** Digest user name when it differs from username. */
  authUsername: userText.default(''),
  /** True when a password is stored in the secrets store. */
  hasPassword: z.boolean().default(false),
  /** Expected digest realm; a challenge for another realm is refused ("realm must match"). */
  realm: z.string().trim().max(128).default(''),
  /** From user and display name of calls (default: username). */
  fromUser: userText.default(''),
  displayName: z.string().max(128).regex(/^[^\r\n"]*$/, 'no quotes or line breaks').default(''),
  pAssertedIdentity: z.string().trim().max(512).regex(/^[^\r\n]*$/).default(''),
  pPreferredIdentity: z.string().trim().max(512).regex(/^[^\r\n]*$/).default(''),
  /** RFC 3323 Privacy header value, e.g. "id" or "none"; empty = not sent. */
  privacy: z.string().trim().max(64).regex(/^[A-Za-z;, ]*$/, 'Privacy values such as id, header, none').default(''),
  /** RFC 5806 Diversion header value; empty = not sent. */
  diversion: z.string().trim().max(512).regex(/^[^\r\n]*$/).default(''),
  headers: z.array(headerLine).max(32).default([]),
  codecs: z.array(ProfileCodecSchema).min(1, 'choose at least one codec').max(8).default(['PCMU', 'PCMA']),
  dtmf: ProfileDtmfSchema.default('rfc2833'),
  srtp: ProfileSrtpSchema.default('off'),
  sessionTimer: SessionTimerSchema.default({ expires: 0, minSe: 90, refresher: 'none' }),
  /** REGISTER Expires asked for, seconds. */
  registerExpires: z.number().int().min(60).max(86_400).default(3600),
  /** OPTIONS keep-alive interval in seconds; 0 = off. */
  keepAliveSec: z.number().int().min(0).max(3600).default(0),
  /** How numbers are written in the Request-URI: E.164 with "+", without, or as typed. */
  numberFormat: z.enum(['e164-plus', 'e164', 'as-dialed']).default('as-dialed'),
  inbound: InboundSchema.default({ dids: [], allowFrom: [], authUser: '', realm: '', hasPassword: false }),
  /** Free text for the user. */
  notes: z.string().max(4096).default(''),
});
export type Profile = z.infer<typeof ProfileSchema>;
export type ProfileInput = z.input<typeof ProfileSchema>;

/** The secrets a profile may have, by key. */
export const PROFILE_SECRET_KEYS = ['password', 'inboundPassword'] as const;
export type ProfileSecretKey = (typeof PROFILE_SECRET_KEYS)[number];

/** Which store keeps secrets: told to the user by every UI. */
export type SecretStoreKind = 'keyring' | 'safe-storage' | 'file';
export interface SecretStoreInfo {
  kind: SecretStoreKind;
  /** Human text: "OS keyring (Secret Service)", "secrets.json (mode 0600) in /…". */
  description: string;
}

/** The first problem of a zod error as "field: message" (the field path joined with dots). */
export function firstIssue(err: z.ZodError): { field: string; message: string } {
  const i = err.issues[0];
  const field = i ? i.path.map(String).join('.') : '';
  return { field: field || '(profile)', message: i?.message ?? 'invalid' };
}
