/**
 * The one stack factory: every SIP stack — the CLI's commands, the GUI's calls and listener, the
 * load generator — is started here from a StackSpec.
 */
import type { TransportProto } from '../../sip/transport/types.ts';
import type { TimerConfig } from '../../sip/transaction/timers.ts';
import { SipStack } from './sip-stack.ts';

export interface TlsSpec {
  /** Our certificate and key (PEM); a self-signed pair is made when absent. */
  cert?: string;
  key?: string;
  /** CA certificates (PEM) to verify the peer with. */
  ca?: string;
  clientCert?: string;
  clientKey?: string;
}

export interface StackSpec {
  transports: TransportProto[];
  address: string;
  port: number;
  timers?: Partial<TimerConfig>;
  userAgent?: string;
  /** Client side of TLS: accept server certificates that do not verify. Default false. */
  tlsInsecure?: boolean;
  tls?: TlsSpec;
  /** DNS servers for RFC 3263 lookups, ip[:port]. */
  dnsServers?: string[];
  /** Trace records the stack keeps (default 1000; 0: counts only, for load runs). */
  traceLimit?: number;
  /** RFC 3263 §4.3: how long one target may stay silent before the next is tried (ms). */
  targetTimeoutMs?: number;
}

let tlsIdentity: Promise<{ cert: string; key: string }> | undefined;

/** A self-signed certificate for TLS listeners, made once per process. */
function selfSigned(): Promise<{ cert: string; key: string }> {
  tlsIdentity ??= import('selfsigned').then(async ({ generate }) => {
    const pems = await generate([{ name: 'commonName', value: 'trunkscope.local' }], {
      days: 30,
    } as never);
    return { cert: pems.cert, key: pems.private };
  });
  return tlsIdentity;
}

/**
 * Start a stack. With several transports on port 0, all share one ephemeral port number (as on a
 * fixed port): the first transport picks it, the others follow (retried if it was taken meanwhile).
 */
export async function startStack(s: StackSpec): Promise<SipStack> {
  if (s.port !== 0 || s.transports.length < 2) return startOn(s);
  let last: unknown;
  for (let attempt = 0; attempt < 5; attempt++) {
    const probe = await SipStack.start({
      listen: [{ proto: s.transports[0]!, address: s.address, port: 0 }],
      defaultProto: s.transports[0]!,
      traceLimit: 1,
    });
    const port = probe.transport.listeners[0]!.local.port;
    await probe.close();
    try {
      return await startOn({ ...s, port });
    } catch (err) {
      last = err;
    }
  }
  throw last;
}

async function startOn(s: StackSpec): Promise<SipStack> {
  const stack = await openOn(s);
  if (s.targetTimeoutMs !== undefined) stack.ua.opts.targetTimeoutMs = s.targetTimeoutMs;
  return stack;
}

async function openOn(s: StackSpec): Promise<SipStack> {
  const own = s.tls?.cert && s.tls.key ? { cert: s.tls.cert, key: s.tls.key } : undefined;
  const identity = own ?? (s.transports.includes('tls') ? await selfSigned() : {});
  return SipStack.start({
    // With several transports on a fixed port, TLS takes port + 1 (as `trunkscope listen` does).
    listen: s.transports.map((proto) => ({
      proto,
      address: s.address,
      port: proto === 'tls' && s.port !== 0 && s.transports.length > 1 ? s.port + 1 : s.port,
    })),
    tls: {
      ...identity,
      ca: s.tls?.ca,
      clientCert: s.tls?.clientCert,
      clientKey: s.tls?.clientKey,
      rejectUnauthorized: !s.tlsInsecure,
    },
    defaultProto: s.transports[0]!,
    supported: s.transports,
    dnsServers: s.dnsServers && s.dnsServers.length > 0 ? s.dnsServers : undefined,
    timers: s.timers,
    userAgent: s.userAgent,
    traceLimit: s.traceLimit ?? 1000,
  });
}

/** The local address that reaches `uri` (for SDP c=), as the SIP transport would use it. */
export async function localAddressFor(
  stack: SipStack,
  uri: string,
  proto: TransportProto,
): Promise<string> {
  try {
    const d = (await stack.ua.opts.resolve(uri, proto))[0];
    if (d) return stack.ua.localFor(d).address;
  } catch {
    // Resolution errors surface when the call is placed.
  }
  return '127.0.0.1';
}
