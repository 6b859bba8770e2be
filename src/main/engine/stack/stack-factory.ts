/** SIP stacks for the engine service: one per outgoing call, one for the listener. */
import type { TransportProto } from '../../sip/transport/types.ts';
import type { TimerConfig } from '../../sip/transaction/timers.ts';
import { SipStack } from './sip-stack.ts';

export interface StackSpec {
  transports: TransportProto[];
  address: string;
  port: number;
  timers?: Partial<TimerConfig>;
  userAgent?: string;
  /** Client side of TLS: accept server certificates that do not verify. Default false. */
  tlsInsecure?: boolean;
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
  const tls = s.transports.includes('tls')
    ? { ...(await selfSigned()), rejectUnauthorized: !s.tlsInsecure }
    : undefined;
  return SipStack.start({
    // With several transports on a fixed port, TLS takes port + 1 (as `trunkscope listen` does).
    listen: s.transports.map((proto) => ({
      proto,
      address: s.address,
      port: proto === 'tls' && s.port !== 0 && s.transports.length > 1 ? s.port + 1 : s.port,
    })),
    tls,
    defaultProto: s.transports[0]!,
    supported: s.transports,
    timers: s.timers,
    userAgent: s.userAgent,
    // The service keeps its own trace store; the stack's copy stays small.
    traceLimit: 1000,
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
