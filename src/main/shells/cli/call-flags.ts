/**
 * The signaling flags of an outgoing call that `load` and `export sipp` share with `call`
 * (same names, defaults and checks), and the per-call options built from them.
 */
import type { Command } from 'commander';
import { collect, headerArg, intOption, numberOption, sipUriArg, UsageError } from './common.ts';
import { digitsArg } from './media-options.ts';
import { addPasswordOptions, type PasswordOpts } from './password-source.ts';
import type { NumberRow, RunCallOptions } from '../../engine/index.ts';

export interface CallFlagOpts extends PasswordOpts {
  sendDtmf?: string;
  dtmfAt: string;
  proxy?: string;
  user?: string;
  password?: string;
  authUser?: string;
  realm?: string;
  from?: string;
  displayName?: string;
  header: string[];
  timeout: string;
  sessionExpires?: string;
  minSe?: string;
  lateOffer?: boolean;
  holdAt?: string;
  holdFor?: string;
}

export function addCallFlags(cmd: Command, timeoutDefault = '30'): Command {
  return addPasswordOptions(cmd)
    .option('--proxy <uri>', 'outbound proxy: send the INVITE there with a pre-loaded Route')
    .option('--user <name>', 'user name (From user and digest user)')
    .option('--auth-user <name>', 'digest user name when it differs from --user')
    .option('--realm <realm>', 'expected digest realm (another realm is reported as realm-mismatch)')
    .option('--from <uri>', 'From URI, e.g. sip:+15551230000@trunk.example.com (IP-auth mode)')
    .option('--display-name <name>', 'From display name')
    .option('--header <line>', 'extra header "Name: value" on the INVITE (repeatable)', collect, [])
    .option('--timeout <s>', 'seconds to wait for an answer before CANCEL', timeoutDefault)
    .option('--session-expires <s>', 'RFC 4028 Session-Expires to request (0: no session timer)', '1800')
    .option('--min-se <s>', 'RFC 4028 Min-SE', '90')
    .option('--late-offer', 'send the INVITE without SDP')
    .option('--hold-at <s>', 'put the call on hold (re-INVITE sendonly) after S seconds')
    .option('--hold-for <s>', 'resume after S seconds on hold', '1')
    .option('--send-dtmf <digits>', 'send these DTMF digits once connected (0-9 * # A-D; "," pauses 500 ms)')
    .option('--dtmf-at <s>', 'seconds after answer to start sending --send-dtmf', '1');
}

/** Everything of RunCallOptions but the target and the call's duration, checked once per run. */
export type CallTemplate = Omit<RunCallOptions, 'target' | 'durationSec'>;

export function callTemplateFrom(o: CallFlagOpts): CallTemplate {
  if (o.password !== undefined && o.user === undefined && o.authUser === undefined) throw new UsageError('--password needs --user or --auth-user');
  const user = o.user ?? o.authUser;
  return {
    proxy: o.proxy ? sipUriArg('--proxy', o.proxy) : undefined,
    from: o.from ? sipUriArg('--from', o.from) : undefined,
    displayName: o.displayName,
    headers: o.header.map(headerArg),
    credentials: o.password !== undefined && user ? { username: user, password: o.password, authUser: o.authUser, realm: o.realm } : undefined,
    timeoutSec: numberOption('timeout', o.timeout, 0.1)!,
    sessionTimer: { sessionExpires: intOption('session-expires', o.sessionExpires, 0, 86_400)!, minSE: intOption('min-se', o.minSe, 1, 86_400)! },
    lateOffer: o.lateOffer,
    holdAtSec: numberOption('hold-at', o.holdAt, 0),
    holdForSec: numberOption('hold-for', o.holdFor, 0),
    sendDtmf: o.sendDtmf !== undefined ? digitsArg(o.sendDtmf) : undefined,
    dtmfAtSec: numberOption('dtmf-at', o.dtmfAt, 0),
  };
}

/** The options of one call: the template, with a --numbers row's target, From, headers and credentials. */
export function callOptionsFor(t: CallTemplate, target: string, durationSec: number, row: NumberRow | undefined, user: string | undefined): RunCallOptions {
  const to = row?.target ?? target;
  const rowUser = row?.user ?? row?.authUser;
  const credentials = row?.password !== undefined && rowUser ? { username: rowUser, password: row.password, authUser: row.authUser, realm: row.realm ?? t.credentials?.realm } : t.credentials;
  const fromUser = row?.user ?? user;
  return {
    ...t,
    target: to,
    durationSec,
    from: row?.from ?? t.from ?? (fromUser ? `sip:${fromUser}@${hostOf(to)}` : undefined),
    displayName: row?.displayName ?? t.displayName,
    headers: [...(t.headers ?? []), ...(row?.headers ?? [])],
    credentials,
  };
}

export function hostOf(uri: string): string {
  const at = uri.indexOf('@');
  const rest = at >= 0 ? uri.slice(at + 1) : uri.replace(/^sips?:/i, '');
  return rest.split(/[;?>]/)[0]!;
}
