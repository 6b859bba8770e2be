/**
 * The profile fields as command-line flags, one table for `profile add` and `profile edit`: each
 * flag, the profile field it sets and how its text is read. Errors name the flag and the field.
 */
import type { Command } from 'commander';
import { UsageError } from './common.ts';

type Kind = 'string' | 'int' | 'list' | 'repeat' | 'bool-true' | 'bool-false';

interface FieldFlag {
  flag: string;
  /** commander's attribute name for the flag. */
  attr: string;
  /** The profile field, dot path ("tls.sni"). */
  field: string;
  kind: Kind;
  help: string;
}

const F = (flag: string, field: string, kind: Kind, help: string): FieldFlag => ({
  flag,
  attr: flag
    .replace(/^--(no-)?/, '')
    .split(' ')[0]!
    .replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase()),
  field,
  kind,
  help,
});

export const FIELD_FLAGS: FieldFlag[] = [
  F('--mode <mode>', 'mode', 'string', 'register (REGISTER with digest) or ip (IP authentication, no REGISTER)'),
  F('--domain <host>', 'domain', 'string', 'SIP domain / registrar host, e.g. NAME.pstn.twilio.com'),
  F('--registrar <uri>', 'registrar', 'string', 'registrar URI when it differs from sip:DOMAIN'),
  F('--proxy <uri>', 'outboundProxy', 'string', 'outbound proxy URI'),
  F('--transport <proto>', 'transport', 'string', 'udp, tcp or tls'),
  F('--tls-verify', 'tls.verify', 'bool-true', 'verify the server certificate (default)'),
  F('--tls-insecure', 'tls.verify', 'bool-false', 'accept self-signed / unverifiable server certificates'),
  F('--sni <name>', 'tls.sni', 'string', 'TLS server name to send and check'),
  F('--tls-client-cert <file>', 'tls.clientCert', 'string', 'client certificate (PEM) for mutual TLS'),
  F('--tls-client-key <file>', 'tls.clientKey', 'string', 'client certificate key (PEM)'),
  F('--tls-ca <file>', 'tls.ca', 'string', 'CA certificates (PEM)'),
  F('--local-port <port>', 'localPort', 'int', 'local SIP port (0: any)'),
  F('--user <name>', 'username', 'string', 'SIP user (user part of our address)'),
  F('--auth-user <name>', 'authUsername', 'string', 'digest user name when it differs from --user'),
  F('--realm <realm>', 'realm', 'string', 'expected digest realm'),
  F('--from-user <user>', 'fromUser', 'string', 'From user of calls (default: --user)'),
  F('--display-name <text>', 'displayName', 'string', 'From display name'),
  F('--pai <value>', 'pAssertedIdentity', 'string', 'P-Asserted-Identity header value'),
  F('--ppi <value>', 'pPreferredIdentity', 'string', 'P-Preferred-Identity header value'),
  F('--privacy <value>', 'privacy', 'string', 'Privacy header value (RFC 3323), e.g. id'),
  F('--diversion <value>', 'diversion', 'string', 'Diversion header value (RFC 5806)'),
  F('--header <line>', 'headers', 'repeat', 'extra header "Name: value" (repeatable)'),
  F('--codec <list>', 'codecs', 'list', 'codec order, e.g. PCMA,PCMU,G722'),
  F('--dtmf <method>', 'dtmf', 'string', 'rfc2833, info or inband'),
  F('--srtp <policy>', 'srtp', 'string', 'off, offer or require'),
  F('--session-expires <s>', 'sessionTimer.expires', 'int', 'RFC 4028 Session-Expires (0: none)'),
  F('--min-se <s>', 'sessionTimer.minSe', 'int', 'RFC 4028 Min-SE'),
  F('--refresher <who>', 'sessionTimer.refresher', 'string', 'uac, uas or none'),
  F('--expires <s>', 'registerExpires', 'int', 'REGISTER expiry asked for'),
  F('--keepalive <s>', 'keepAliveSec', 'int', 'OPTIONS keep-alive interval (0: off)'),
  F('--number-format <f>', 'numberFormat', 'string', 'e164-plus, e164 or as-dialed'),
  F('--did <list>', 'inbound.dids', 'list', 'numbers this trunk owns (comma list)'),
  F('--allow-from <list>', 'inbound.allowFrom', 'list', 'addresses the provider sends from: IPs/CIDRs (comma list)'),
  F('--inbound-auth-user <name>', 'inbound.authUser', 'string', 'inbound digest user (challenge INVITEs with 407)'),
  F('--inbound-realm <realm>', 'inbound.realm', 'string', 'inbound digest realm'),
  F('--notes <text>', 'notes', 'string', 'free text'),
];

export function addFieldFlags(cmd: Command): Command {
  for (const f of FIELD_FLAGS) {
    if (f.kind === 'repeat') cmd.option(f.flag, f.help, (v: string, prev?: string[]) => [...(prev ?? []), v]);
    else cmd.option(f.flag, f.help);
  }
  return cmd;
}

/** The flags the user gave, as a nested patch of profile fields. */
export function fieldsFromFlags(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of FIELD_FLAGS) {
    const raw = o[f.attr];
    if (raw === undefined) continue;
    let value: unknown;
    switch (f.kind) {
      case 'bool-true':
        if (f.flag === '--tls-verify' && o['tlsInsecure']) throw new UsageError('--tls-verify and --tls-insecure: give one');
        value = true;
        break;
      case 'bool-false':
        value = false;
        break;
      case 'int': {
        const t = String(raw).trim();
        if (!/^\d+$/.test(t)) throw new UsageError(`${flagName(f)} (${f.field}): expected a whole number, got "${String(raw)}"`);
        value = Number(t);
        break;
      }
      case 'list':
        value = String(raw)
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean);
        break;
      default:
        value = raw;
    }
    const path = f.field.split('.');
    let at = out;
    for (const p of path.slice(0, -1)) at = (at[p] ??= {}) as Record<string, unknown>;
    at[path[path.length - 1]!] = value;
  }
  return out;
}

function flagName(f: FieldFlag): string {
  return f.flag.split(' ')[0]!;
}

/** The flag that sets a field path ("inbound.allowFrom.0" → "--allow-from"), for error messages. */
export function flagForField(field: string): string | undefined {
  const f = FIELD_FLAGS.find((x) => field === x.field || field.startsWith(`${x.field}.`));
  return f ? flagName(f) : field === 'name' ? 'NAME' : undefined;
}
