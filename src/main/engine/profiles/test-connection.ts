/**
 * Test Connection: the checks a support engineer makes on a trunk, in order, each reported as it
 * finishes (issue 9 C): dns (RFC 3263 targets), transport (UDP answer / TCP connect / TLS
 * handshake and certificate), options (RTT, status, Allow/Supported/User-Agent), register or
 * ip-auth, clock (the peer's Date against ours: digest nonces are time-sensitive), and media with
 * a test call. A fatal failure skips the steps after it, each with the reason.
 */
import { readFileSync } from 'node:fs';
import type { Profile } from '../../../shared/model/profile.ts';
import type { CallReport, TestConnectionReport, TestStep } from '../../../shared/model/report.ts';
import { NodeDnsPort } from '../../sip/dns/node-dns.ts';
import { resolveSipTargets, SipDnsError } from '../../sip/dns/resolve-sip-targets.ts';
import type { DnsLookup, SipTarget } from '../../sip/dns/types.ts';
import { createRequest, Headers } from '../../sip/syntax/message.ts';
import { probeTcp, probeTls } from '../../sip/transport/connect-probe.ts';
import { newCallId, newTag } from '../../sip/ua/message-factory.ts';
import { Registration } from '../../sip/ua/registration.ts';
import { sendNonInvite, type RequestOutcome } from '../../sip/ua/request-client.ts';
import { SipStack } from '../stack/sip-stack.ts';
import { authCause, responseEvidence, timed, type StepResult } from './test-steps.ts';

export interface TestConnectionOptions {
  profile: Profile;
  password?: string;
  /** Accept a TLS certificate that does not verify (overrides the profile's tls.verify). */
  tlsInsecure?: boolean;
  dnsServers?: string[];
  /** Per-request timer T1 (ms; default 500: OPTIONS/REGISTER give up after 64·T1). */
  t1?: number;
  /** Place a test call with media to this number (the media step). */
  call?: string;
  /** Runs the test call on our stack (the shell opens media); required with `call`. */
  placeCall?: (stack: SipStack, target: string) => Promise<CallReport>;
  /** Each step as it finishes. */
  onStep?: (step: TestStep) => void;
  bind?: string;
}

const CLOCK_WARN_S = 30;

async function ownIdentity(): Promise<{ cert: string; key: string }> {
  const { generate } = await import('selfsigned');
  const pems = await generate([{ name: 'commonName', value: 'trunkscope.local' }], { days: 30 } as never);
  return { cert: pems.cert, key: pems.private };
}

function hostPort(domain: string): { host: string; port?: number } {
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(domain)!;
  return { host: m[1]!.replace(/^\[|\]$/g, ''), port: m[2] ? Number(m[2]) : undefined };
}

function uriHost(t: SipTarget): string {
  return t.address.includes(':') ? `[${t.address}]` : t.address;
}

export async function testConnection(o: TestConnectionOptions): Promise<TestConnectionReport> {
  const p = o.profile;
  const steps: TestStep[] = [];
  let fatal: string | undefined;
  const verify = o.tlsInsecure ? false : p.tls.verify;
  const push = (s: TestStep & { fatal?: boolean }): void => {
    const { fatal: isFatal, ...step } = s;
    steps.push(step);
    o.onStep?.(step);
    if (isFatal && step.status === 'fail') fatal ??= `${step.name} failed`;
  };
  const skip = (name: TestStep['name'], why?: string): void => push({ name, status: 'skip', detail: why ?? `skipped: ${fatal}`, ms: 0, evidence: {} });
  const run = async (name: TestStep['name'], fn: () => Promise<StepResult>): Promise<void> => {
    if (fatal) return skip(name);
    push(await timed(name, fn));
  };

  // ---- dns: RFC 3263 §4 (transport given by the profile; SRV then A/AAAA, or the literal)
  const { host, port } = hostPort(p.registrar ? p.registrar.replace(/^sips?:(?:[^@]*@)?/i, '').split(/[;?>]/)[0]! : p.domain);
  let targets: SipTarget[] = [];
  await run('dns', async () => {
    const lookups: DnsLookup[] = [];
    try {
      targets = await resolveSipTargets(
        { host, port, transport: p.transport, secure: false },
        { dns: new NodeDnsPort({ servers: o.dnsServers }), supported: [p.transport], onLookup: (l) => lookups.push(l) },
      );
    } catch (err) {
      const text = err instanceof SipDnsError || err instanceof Error ? err.message : String(err);
      return { status: 'fail', fatal: true, detail: `${host} does not resolve (${text}): check the domain's spelling and the DNS server`, evidence: { host, lookups } };
    }
    if (targets.length === 0) return { status: 'fail', fatal: true, detail: `${host} has no ${p.transport.toUpperCase()} target`, evidence: { host, lookups } };
    const list = targets.map((t) => `${t.proto} ${t.address}:${t.port} (${t.source})`);
    return { status: 'pass', detail: `${host} → ${list.join(', ')}`, evidence: { host, targets, lookups } };
  });

  const target = targets[0];
  const requestUri = target ? `sip:${p.domain}${p.transport !== 'udp' ? `;transport=${p.transport}` : ''}` : '';
  const nextHop = target ? `sip:${uriHost(target)}:${target.port};transport=${target.proto}` : '';
  let stack: SipStack | undefined;
  let options: RequestOutcome | undefined;
  const dates: string[] = [];
  const tls = {
    rejectUnauthorized: verify,
    ca: p.tls.ca ? readFileSync(p.tls.ca, 'utf8') : undefined,
    clientCert: p.tls.clientCert ? readFileSync(p.tls.clientCert, 'utf8') : undefined,
    clientKey: p.tls.clientKey ? readFileSync(p.tls.clientKey, 'utf8') : undefined,
    servername: p.tls.sni,
  };
  const startStack = async (): Promise<SipStack> =>
    (stack ??= await SipStack.start({
      listen: [{ proto: p.transport, address: o.bind ?? (target?.family === 6 ? '::' : '0.0.0.0'), port: p.localPort }],
      // A TLS listener needs an identity of its own: a throw-away self-signed one.
      tls: p.transport === 'tls' ? { ...tls, ...(await ownIdentity()) } : tls,
      defaultProto: p.transport,
      supported: [p.transport],
      dnsServers: o.dnsServers,
      timers: { T1: o.t1 ?? 500 },
      traceLimit: 1000,
    }));
  const sendOptions = async (): Promise<RequestOutcome> => {
    const s = await startStack();
    const callId = newCallId('trunkscope-test');
    const tag = newTag();
    const from = `sip:${p.fromUser || p.username || 'trunkscope'}@${p.domain}`;
    const out = await sendNonInvite(s.ua, {
      build: (cseq) => {
        const h = new Headers();
        h.append('From', `<${from}>;tag=${tag}`).append('To', `<${requestUri}>`).append('Call-ID', callId);
        h.append('CSeq', `${cseq} OPTIONS`).append('Accept', 'application/sdp');
        return createRequest('OPTIONS', requestUri, h);
      },
      firstCSeq: 1,
      nextHop: p.outboundProxy || nextHop,
    });
    const d = out.response?.headers.get('Date');
    if (d) dates.push(d);
    return out;
  };

  try {
    // ---- transport
    await run('transport', async () => {
      const t = target!;
      const where = `${t.address}:${t.port}`;
      if (t.proto === 'udp') {
        options = await sendOptions();
        if (options.response) return { status: 'pass', detail: `UDP answer from ${where} in ${Math.round(options.rttMs ?? 0)} ms`, evidence: { target: where, proto: 'udp' } };
        return { status: 'fail', fatal: true, detail: `no answer on UDP from ${where} (${options.errorText ?? options.error ?? 'timeout'}): nothing listens there, a firewall drops it, or the provider ignores unknown sources`, evidence: { target: where, proto: 'udp', error: options.error ?? null } };
      }
      if (t.proto === 'tcp') {
        const r = await probeTcp(t.address, t.port, 5000);
        if (r.ok) return { status: 'pass', detail: `TCP connected to ${where} in ${r.ms} ms`, evidence: { target: where, proto: 'tcp', connectMs: r.ms } };
        const why = r.error === 'ECONNREFUSED' ? 'connection refused: nothing listens on that port (wrong port, or the provider does not take TCP)' : `${r.error}: no answer on that transport (a firewall, or the wrong address)`;
        return { status: 'fail', fatal: true, detail: `TCP to ${where}: ${why}`, evidence: { target: where, proto: 'tcp', error: r.error } };
      }
      const name = p.tls.sni ?? host;
      const r = await probeTls(t.address, t.port, { servername: name, ca: tls.ca, cert: tls.clientCert, key: tls.clientKey }, 8000);
      const evidence = { target: where, proto: 'tls', servername: name, protocol: r.protocol ?? null, certificate: r.certificate ?? null, authorized: r.authorized ?? null, authorizationError: r.authorizationError ?? null, nameMatches: r.nameMatches ?? null, handshakeMs: r.ms };
      if (!r.ok) {
        const why = r.error === 'ECONNREFUSED' ? 'connection refused: nothing listens on that port' : `handshake failed (${r.error}): not TLS on that port, or the server wants a client certificate`;
        return { status: 'fail', fatal: true, detail: `TLS to ${where}: ${why}`, evidence };
      }
      const cert = r.certificate!;
      const expiresInDays = Math.round((Date.parse(cert.validTo) - Date.now()) / 86_400_000);
      const certText = `certificate ${cert.subject} issued by ${cert.issuer}, expires ${cert.validTo}`;
      if (verify && !r.authorized) {
        const selfSigned = /SELF_SIGNED/.test(r.authorizationError ?? '');
        return { status: 'fail', fatal: true, detail: `TLS certificate not trusted (${r.authorizationError}): ${selfSigned ? 'it is self-signed — add its CA (tls.ca) or turn verification off (--tls-insecure)' : 'its chain does not verify against the trusted CAs'}; ${certText}`, evidence };
      }
      if (verify && !r.nameMatches) return { status: 'fail', fatal: true, detail: `TLS name mismatch: the certificate does not name ${name} (SAN: ${cert.san.join(', ') || 'none'}); set tls.sni or use the name it has`, evidence };
      if (expiresInDays < 0) return { status: 'fail', fatal: true, detail: `TLS certificate expired on ${cert.validTo}`, evidence };
      const note = verify ? 'verified' : `NOT verified (insecure option${r.authorized ? '' : `: ${r.authorizationError}`})`;
      return { status: expiresInDays < 14 ? 'warn' : 'pass', detail: `TLS handshake with ${where} in ${r.ms} ms (${r.protocol}), ${note}; ${certText}${expiresInDays < 14 ? ` — expires in ${expiresInDays} days` : ''}`, evidence };
    });

    // ---- options: RFC 3261 §11
    await run('options', async () => {
      options ??= await sendOptions();
      const ev = responseEvidence(options);
      const s = options.response?.status;
      if (s === undefined) return { status: 'fail', fatal: true, detail: `no answer to OPTIONS (${options.errorText ?? options.error ?? 'timeout'})`, evidence: ev };
      const peer = `${s} ${options.response!.reason} in ${ev['rttMs']} ms${ev['userAgent'] ? ` from ${String(ev['userAgent'])}` : ''}`;
      if (s >= 200 && s < 300) return { status: 'pass', detail: peer, evidence: ev };
      if (s === 401 || s === 407 || s === 403 || s === 404 || s === 405) return { status: 'warn', detail: `${peer}: the peer is there but does not take OPTIONS as is`, evidence: ev };
      return { status: 'warn', detail: peer, evidence: ev };
    });

    // ---- register (RFC 3261 §10) or ip-auth
    if (p.mode === 'register') {
      await run('register', async () => {
        if (!p.username) return { status: 'fail', detail: 'the profile has no username to register', evidence: {} };
        const s = await startStack();
        const aor = `sip:${p.username}@${p.domain}`;
        const reg = new Registration(s.ua, {
          aor,
          registrar: p.registrar || (target ? `sip:${p.domain}${p.transport !== 'udp' ? `;transport=${p.transport}` : ''}` : undefined),
          proxy: p.outboundProxy || undefined,
          credentials: o.password !== undefined ? { username: p.authUsername || p.username, password: o.password, authUser: p.authUsername || undefined, realm: p.realm || undefined } : undefined,
          expires: p.registerExpires,
        });
        const out = await reg.register();
        const d = out.response?.headers.get('Date');
        if (d) dates.push(d);
        const ev = { ...responseEvidence(out), aor, expiresAsked: p.registerExpires, expiresGranted: reg.grantedExpires ?? null, authFailure: out.authFailure ?? null, attempts: out.attempts };
        const st = out.response?.status;
        if (st !== undefined && st >= 200 && st < 300) {
          const un = await reg.unregister();
          reg.stop();
          return { status: 'pass', detail: `registered ${aor} for ${reg.grantedExpires ?? '?'} s (asked ${p.registerExpires}); un-REGISTER ${un.response?.status ?? 'no answer'}`, evidence: ev };
        }
        reg.stop();
        return { status: 'fail', detail: `REGISTER failed: ${authCause(out, o.password !== undefined)}`, evidence: ev };
      });
    } else {
      await run('ip-auth', async () => {
        const out = options!;
        const s = out.response?.status;
        const ev = responseEvidence(out);
        if (s !== undefined && s >= 200 && s < 300) return { status: 'pass', detail: `OPTIONS accepted without a challenge (${s}): the provider accepts our address`, evidence: ev };
        if (s === 401 || s === 407) return { status: 'fail', detail: `${s}: the provider challenges us instead of accepting our address — add our public IP to its ACL, or use credentials`, evidence: ev };
        if (s === 403) return { status: 'fail', detail: "403 Forbidden: our address is not in the provider's ACL", evidence: ev };
        return { status: 'warn', detail: `${s} to OPTIONS: IP authentication not confirmed (some providers answer OPTIONS only from known trunks)`, evidence: ev };
      });
    }

    // ---- clock: the peer's Date (RFC 3261 §20.17) against ours
    await run('clock', async () => {
      const d = dates[dates.length - 1];
      if (!d) return { status: 'skip', detail: 'the peer sends no Date header', evidence: {} };
      const theirs = Date.parse(d);
      if (Number.isNaN(theirs)) return { status: 'warn', detail: `unreadable Date header "${d}"`, evidence: { date: d } };
      const skewS = Math.round((Date.now() - theirs) / 1000);
      const ev = { peerDate: d, ourDate: new Date().toUTCString(), skewSeconds: skewS };
      if (Math.abs(skewS) > CLOCK_WARN_S) return { status: 'warn', detail: `clocks differ by ${skewS} s (over ${CLOCK_WARN_S} s): digest nonces may be refused as stale`, evidence: ev };
      return { status: 'pass', detail: `clocks agree within ${Math.abs(skewS)} s`, evidence: ev };
    });

    // ---- media: a test call with media both ways
    if (o.call === undefined) skip('media', 'no --call NUMBER given');
    else
      await run('media', async () => {
        if (!o.placeCall) return { status: 'skip', detail: 'no media available in this shell', evidence: {} };
        const s = await startStack();
        const r = await o.placeCall(s, o.call!);
        const m = r.media;
        const ev = { outcome: r.outcome, finalStatus: r.finalStatus, reason: r.reason, sent: m?.sent.packets ?? 0, received: m?.received.packets ?? 0, oneWayAudio: m?.oneWayAudio?.verdict ?? null, mos: m?.mos ?? null };
        if (r.outcome !== 'answered') return { status: 'fail', detail: `the test call was not answered: ${r.reason}`, evidence: ev };
        const verdict = m?.oneWayAudio?.verdict ?? 'no-inbound-rtp';
        if (verdict !== 'ok') return { status: 'fail', detail: `media: ${verdict} (sent ${ev.sent}, received ${ev.received} packets)`, evidence: ev };
        return { status: 'pass', detail: `media both ways: sent ${ev.sent}, received ${ev.received} packets, MOS ${m?.mos ?? '-'}`, evidence: ev };
      });
  } finally {
    await stack?.close();
  }
  return { command: 'test', profile: p.name, ok: !steps.some((s) => s.status === 'fail'), steps };
}
