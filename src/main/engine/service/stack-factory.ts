/** SIP stacks for the engine service: one per outgoing call, one for the listener. */
import type { TransportProto } from '../../sip/transport/types.ts';
import type { TimerConfig } from '../../sip/transaction/timers.ts';
import { SipStack } from '../sip-stack.ts';

export interface StackSpec {
  transports: TransportProto[];
  address: string;
  port: number;
  timers?: Partial<TimerConfig>;
  userAgent?: string;
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

export async function startStack(s: StackSpec): Promise<SipStack> {
  const tls = s.transports.includes('tls')
    ? { ...(await selfSigned()), rejectUnauthorized: false }
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
