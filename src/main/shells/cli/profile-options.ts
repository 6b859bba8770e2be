/**
 * `--profile NAME` on call, register, options, listen (and test): the profile's values become
 * the command's options, except those the user typed (commander's getOptionValueSource says
 * 'cli' or 'env'): explicit flags override the profile. Extra headers add up (the profile's
 * first, then --header lines). The URI argument is filled in from the profile when left out
 * (register: sip:USER@DOMAIN; options: the registrar or sip:DOMAIN) and a bare number given to
 * `call` becomes sip:NUMBER@DOMAIN in the profile's number format.
 *
 * Installed once for the whole program by `installProfileOption` (main.ts): it adds the option
 * to those commands and runs `applyProfile` as a commander preAction hook, so the commands'
 * own files need no change.
 */
import type { Command } from 'commander';
import type { Profile } from '../../../shared/model/profile.ts';
import { ProfileError, type ProfileBook } from '../../engine/index.ts';
import { openBook } from './commands/profile.ts';
import { UsageError } from './common.ts';

export const PROFILE_COMMANDS = ['call', 'register', 'options', 'listen'] as const;
type Kind = (typeof PROFILE_COMMANDS)[number] | 'test';

/** The number a user typed, in the profile's format (E.164 with or without +). */
export function formatNumber(text: string, format: Profile['numberFormat']): string {
  const digits = text.replace(/[\s().-]/g, '');
  if (format === 'as-dialed' || !/^\+?\d+$/.test(digits)) return text;
  const bare = digits.replace(/^\+/, '');
  return format === 'e164-plus' ? `+${bare}` : bare;
}

/** The Request-URI for a call target: as given when it is a URI or user@host, else NUMBER@DOMAIN. */
export function targetFor(p: Profile, target: string): string {
  if (/^(sips?|tel):/i.test(target) || target.includes('@')) return target;
  const scheme = p.transport === 'tls' ? 'sip' : 'sip';
  return `${scheme}:${formatNumber(target, p.numberFormat)}@${p.domain}`;
}

/** The headers a profile adds to requests (identity headers first, then its extra lines). */
export function profileHeaders(p: Profile): string[] {
  const h: string[] = [];
  if (p.pAssertedIdentity) h.push(`P-Asserted-Identity: ${p.pAssertedIdentity}`);
  if (p.pPreferredIdentity) h.push(`P-Preferred-Identity: ${p.pPreferredIdentity}`);
  if (p.privacy) h.push(`Privacy: ${p.privacy}`);
  if (p.diversion) h.push(`Diversion: ${p.diversion}`);
  return [...h, ...p.headers];
}

/** Option values a profile gives a command, by commander attribute name. */
export function profileValues(kind: Kind, p: Profile, book: ProfileBook): Record<string, unknown> {
  const password = book.secret(p.name, 'password');
  const v: Record<string, unknown> = {};
  const put = (k: string, x: unknown): void => {
    if (x !== undefined && x !== '') v[k] = x;
  };
  if (kind !== 'listen') {
    put('transport', p.transport);
    put('proxy', p.outboundProxy);
    if (p.localPort) put('localPort', String(p.localPort));
    if (!p.tls.verify) put('tlsInsecure', true);
    put('tlsClientCert', p.tls.clientCert);
    put('tlsClientKey', p.tls.clientKey);
    put('tlsCa', p.tls.ca);
  }
  if (kind === 'call' || kind === 'register' || kind === 'test') {
    put('user', p.username);
    put('authUser', p.authUsername);
    put('realm', p.realm);
    put('password', password);
  }
  if (kind === 'call') {
    const fromUser = p.fromUser || p.username;
    if (fromUser) put('from', `sip:${fromUser}@${p.domain}`);
    put('displayName', p.displayName);
    put('codec', p.codecs.join(','));
    put('dtmf', p.dtmf);
    put('srtp', p.srtp);
    if (p.sessionTimer.expires > 0) {
      put('sessionExpires', String(p.sessionTimer.expires));
      put('minSe', String(p.sessionTimer.minSe));
    }
  }
  if (kind === 'register') {
    put('registrar', p.registrar);
    put('expires', String(p.registerExpires));
  }
  if (kind === 'listen') {
    put('transport', p.transport === 'udp' ? 'udp,tcp' : p.transport);
    if (p.localPort) put('port', String(p.localPort));
    put('codec', p.codecs.join(','));
    put('dtmf', p.dtmf);
    put('srtp', p.srtp === 'off' ? 'offer' : p.srtp);
    if (p.inbound.allowFrom.length) put('allowFrom', p.inbound.allowFrom.join(','));
    put('authUser', p.inbound.authUser);
    put('authPassword', book.secret(p.name, 'inboundPassword'));
    put('realm', p.inbound.realm);
  }
  return v;
}

/**
 * Merge the profile named by --profile into the command's parsed options and its URI argument.
 * Returns the profile (undefined without --profile). Throws UsageError naming the field.
 */
export function applyProfile(cmd: Command, kind: Kind = cmd.name() as Kind): Profile | undefined {
  const o = cmd.opts<Record<string, unknown>>();
  const name = o['profile'];
  const args = cmd.processedArgs as unknown[];
  if (typeof name !== 'string') {
    if ((kind === 'register' || kind === 'options') && args[0] === undefined) throw new UsageError("missing required argument 'uri' (or give --profile NAME)");
    return undefined;
  }
  const book = openBook();
  let p: Profile;
  try {
    p = book.require(name);
  } catch (err) {
    if (err instanceof ProfileError) throw new UsageError(`--profile: ${err.message.replace(/^profile: /, '')}`);
    throw err;
  }
  const values = profileValues(kind, p, book);
  const known = new Set(cmd.options.map((opt) => opt.attributeName()));
  for (const [key, value] of Object.entries(values)) {
    if (!known.has(key)) continue;
    const source = cmd.getOptionValueSource(key);
    if (source === 'cli' || source === 'env') continue;
    cmd.setOptionValueWithSource(key, value, 'config');
  }
  if (known.has('header')) {
    const typed = (o['header'] as string[] | undefined) ?? [];
    cmd.setOptionValueWithSource('header', [...profileHeaders(p), ...typed], 'config');
  }
  if (kind === 'call' && typeof args[0] === 'string') args[0] = targetFor(p, args[0]);
  if (kind === 'register' && args[0] === undefined) {
    if (!p.username) throw new UsageError(`--profile ${p.name}: the profile has no username (set one with \`profile edit ${p.name} --user U\`) or give the URI`);
    args[0] = `sip:${p.username}@${p.domain}`;
  }
  if (kind === 'options' && args[0] === undefined) args[0] = p.registrar || `sip:${p.domain}`;
  return p;
}

/** Add --profile to call/register/options/listen and merge it before each of their actions. */
export function installProfileOption(program: Command): void {
  for (const c of program.commands) {
    const kind = c.name();
    if (!(PROFILE_COMMANDS as readonly string[]).includes(kind)) continue;
    c.option('--profile <name>', 'use this trunk profile (`trunkscope profile list`); flags given override its values');
    // register and options can take their URI from the profile.
    if (kind === 'register' || kind === 'options') {
      const first = c.registeredArguments[0];
      if (first) first.required = false;
    }
    c.hook('preAction', (_program, action) => {
      applyProfile(action);
    });
  }
}
