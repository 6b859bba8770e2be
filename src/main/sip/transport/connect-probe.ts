/**
 * Test Connection's transport check: a TCP connect, or a TLS handshake reporting the server
 * certificate (subject, issuer, expiry, SAN, whether it verifies and names the host: RFC 5922
 * §7.2 / RFC 6125), each bounded in time. The socket is closed right after.
 */
import { connect as netConnect } from 'node:net';
import { checkServerIdentity, connect as tlsConnect, type PeerCertificate } from 'node:tls';

export interface TcpProbe {
  ok: boolean;
  ms: number;
  /** errno code (ECONNREFUSED, ETIMEDOUT…) when it failed. */
  error?: string;
}

export interface CertificateInfo {
  subject: string;
  issuer: string;
  validFrom: string;
  validTo: string;
  /** subjectAltName entries ("DNS:sip.example.com", "IP Address:192.0.2.1"). */
  san: string[];
  selfSigned: boolean;
}

export interface TlsProbe extends TcpProbe {
  /** The chain verifies against the trusted CAs. */
  authorized?: boolean;
  /** Why not (DEPTH_ZERO_SELF_SIGNED_CERT, CERT_HAS_EXPIRED…). */
  authorizationError?: string;
  /** The certificate names the host we asked for (SAN, or CN without SANs). */
  nameMatches?: boolean;
  nameError?: string;
  certificate?: CertificateInfo;
  protocol?: string;
}

export interface TlsProbeOptions {
  servername?: string;
  ca?: string | Buffer;
  cert?: string | Buffer;
  key?: string | Buffer;
}

function dn(x: Record<string, string | string[]> | undefined): string {
  if (!x) return '';
  return Object.entries(x)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : v}`)
    .join(', ');
}

export function probeTcp(host: string, port: number, timeoutMs: number): Promise<TcpProbe> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    const s = netConnect({ host, port });
    const done = (r: Omit<TcpProbe, 'ms'>): void => {
      clearTimeout(timer);
      s.destroy();
      resolve({ ...r, ms: Math.round(performance.now() - t0) });
    };
    const timer = setTimeout(() => done({ ok: false, error: 'ETIMEDOUT' }), timeoutMs);
    s.once('connect', () => done({ ok: true }));
    s.once('error', (err: NodeJS.ErrnoException) => done({ ok: false, error: err.code ?? err.message }));
  });
}

/**
 * A TLS handshake that does not abort on an untrusted certificate (so it can be described): the
 * verdicts come back as `authorized` and `nameMatches`.
 */
export function probeTls(host: string, port: number, o: TlsProbeOptions, timeoutMs: number): Promise<TlsProbe> {
  const t0 = performance.now();
  const servername = o.servername ?? (/^[\d.]+$|:/.test(host) ? undefined : host);
  return new Promise((resolve) => {
    const s = tlsConnect({ host, port, servername, ca: o.ca, cert: o.cert, key: o.key, rejectUnauthorized: false, ALPNProtocols: undefined });
    const done = (r: Omit<TlsProbe, 'ms'>): void => {
      clearTimeout(timer);
      s.destroy();
      resolve({ ...r, ms: Math.round(performance.now() - t0) });
    };
    const timer = setTimeout(() => done({ ok: false, error: 'ETIMEDOUT' }), timeoutMs);
    s.once('secureConnect', () => {
      const peer: PeerCertificate = s.getPeerCertificate();
      const san = (peer.subjectaltname ?? '').split(/,\s*/).filter(Boolean);
      const identity = checkServerIdentity(o.servername ?? host, peer);
      const subject = dn(peer.subject as unknown as Record<string, string>);
      const issuer = dn(peer.issuer as unknown as Record<string, string>);
      done({
        ok: true,
        protocol: s.getProtocol() ?? undefined,
        authorized: s.authorized,
        authorizationError: s.authorizationError ? String(s.authorizationError) : undefined,
        nameMatches: identity === undefined,
        nameError: identity?.message,
        certificate: { subject, issuer, validFrom: peer.valid_from, validTo: peer.valid_to, san, selfSigned: subject === issuer },
      });
    });
    s.once('error', (err: NodeJS.ErrnoException) => done({ ok: false, error: err.code ?? err.message }));
  });
}
