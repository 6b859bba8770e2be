/**
 * call.place: the dialer's fields turned into a SIP target, credentials and media preferences,
 * checked before anything is sent (a bad target is a clear error, not a failed call), then a
 * stack, the media and the InviteClient of one outgoing call.
 */
import type { z } from 'zod';
import type { PlaceCallSchema } from '../../../shared/api/contract.ts';
import { LiveSource } from '../../media/source/live.ts';
import { parseUri } from '../../sip/syntax/uri.ts';
import type { TransportProto } from '../../sip/transport/types.ts';
import type { InviteClient, CallOptions } from '../../sip/ua/invite-client.ts';
import { CallMedia } from '../media/call-media.ts';
import type { MediaPrefs, SourceSpec } from '../media/media-prefs.ts';
import type { SipStack } from '../stack/sip-stack.ts';
import { replaceSource } from '../media/media-taps.ts';
import { localAddressFor, startStack } from '../stack/stack-factory.ts';
import type { CallTracker } from './call-tracker.ts';
import { newOutboundSession } from './call-runner.ts';
import type { TimerConfig } from '../../sip/transaction/timers.ts';

export type PlaceArgs = z.output<typeof PlaceCallSchema>;

export class PlaceError extends Error {
  override name = 'PlaceError';
}

export interface OutboundPlan {
  target: string;
  proxy?: string;
  transport: TransportProto;
  call: CallOptions;
}

/** A SIP URI from what was typed: a URI, user@host, host[:port], or a number with a proxy. */
export function planCall(a: PlaceArgs): OutboundPlan {
  const proxy = a.proxy?.trim() ? sipUri('proxy', a.proxy.trim()) : undefined;
  const raw = a.target.trim();
  let target: string;
  if (/^sips?:/i.test(raw)) target = raw;
  else if (/^tel:/i.test(raw) || !/[@.:]|^localhost$/i.test(raw)) {
    const user = raw.replace(/^tel:/i, '');
    if (!proxy)
      throw new PlaceError(
        `target: "${raw}" has no host; enter user@host or a SIP URI, or set a proxy`,
      );
    target = `sip:${user}@${hostPort(proxy)}`;
  } else target = `sip:${raw}`;
  target = sipUri('target', target);
  const param = /;transport=(udp|tcp|tls)\b/i.exec(target)?.[1]?.toLowerCase() as
    TransportProto | undefined;
  const transport = param ?? (/^sips:/i.test(target) ? 'tls' : a.transport);
  const from = a.from?.trim()
    ? sipUri('from', /^sips?:/i.test(a.from.trim()) ? a.from.trim() : `sip:${a.from.trim()}`)
    : undefined;
  const user = a.user ?? a.authUser;
  if (a.password !== undefined && !user)
    throw new PlaceError('password: needs a user or an auth user');
  const call: CallOptions = {
    target,
    proxy,
    from: from ?? (a.user ? `sip:${a.user}@${hostPort(target)}` : undefined),
    headers: a.headers.map(([n, v]) => [n, v] as [string, string]),
    timeoutSec: a.timeoutSec,
  };
  if (a.password !== undefined && user)
    call.credentials = { username: user, password: a.password, authUser: a.authUser };
  return { target, proxy, transport, call };
}

function sipUri(field: string, text: string): string {
  const t = /^sips?:/i.test(text) ? text : `sip:${text}`;
  let host: string;
  try {
    host = parseUri(t).host;
  } catch (err) {
    throw new PlaceError(`${field}: not a valid SIP URI "${text}" (${(err as Error).message})`);
  }
  if (!host) throw new PlaceError(`${field}: "${text}" names no host`);
  return t;
}

function hostPort(uri: string): string {
  const at = uri.indexOf('@');
  const rest = at >= 0 ? uri.slice(at + 1) : uri.replace(/^sips?:/i, '');
  return rest.split(/[;?>]/)[0]!;
}

export interface OutboundDeps {
  bindAddress: string;
  portRange: { min: number; max: number };
  timers?: Partial<TimerConfig>;
  userAgent?: string;
}

export interface OutboundCall {
  stack: SipStack;
  media: CallMedia;
  session: InviteClient;
  tracker: CallTracker;
  mic: LiveSource | undefined;
  plan: OutboundPlan;
}

const SOURCES: Record<PlaceArgs['source'], SourceSpec> = {
  tone: { kind: 'tone', hz: 1004 },
  probe: { kind: 'probe' },
  silence: { kind: 'silence' },
  microphone: { kind: 'silence' },
};

/** Bind a stack and the RTP ports and build the InviteClient (not started yet). */
export async function prepareOutbound(a: PlaceArgs, d: OutboundDeps): Promise<OutboundCall> {
  const plan = planCall(a);
  const stack = await startStack({
    transports: [plan.transport],
    address: d.bindAddress,
    port: 0,
    timers: d.timers,
    userAgent: d.userAgent,
    tlsInsecure: a.tlsInsecure,
  });
  let media: CallMedia | undefined;
  try {
    const sdpAddress = await localAddressFor(stack, plan.proxy ?? plan.target, plan.transport);
    const prefs: MediaPrefs = {
      codecs: a.codecs,
      dtmf: a.dtmf,
      srtp: a.srtp,
      symmetric: true,
      portRange: d.portRange,
      bindAddress: d.bindAddress,
      sdpAddress,
      ptime: 20,
      rtcpMux: false,
      source: SOURCES[a.source],
    };
    media = await CallMedia.open(prefs);
    let mic: LiveSource | undefined;
    if (a.source === 'microphone') {
      mic = new LiveSource();
      replaceSource(media, mic);
    }
    return { stack, media, mic, plan, ...newOutboundSession(stack, media, plan.call) };
  } catch (err) {
    await media?.close();
    await stack.close();
    throw err;
  }
}
