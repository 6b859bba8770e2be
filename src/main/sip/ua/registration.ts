/**
 * Registration as a UA (RFC 3261 §10.2): REGISTER with digest, refresh before the granted expiry,
 * un-REGISTER (expires=0) on shutdown.
 */
import { EventEmitter } from 'node:events';
import type { TimerHandle } from '../../../shared/clock.ts';
import { createRequest, Headers, type SipRequest } from '../syntax/message.ts';
import { parseNameAddr } from '../syntax/name-addr.ts';
import { parseUri } from '../syntax/uri.ts';
import { Authenticator } from './authenticator.ts';
import { newCallId, newTag } from './message-factory.ts';
import { sendNonInvite, type RequestOutcome } from './request-client.ts';
import type { Credentials, CustomHeaders } from './types.ts';
import type { UserAgent } from './user-agent.ts';

export interface RegistrationOptions {
  /** Address of record, e.g. sip:alice@example.com; the registrar is its host unless given. */
  aor: string;
  registrar?: string;
  proxy?: string;
  credentials?: Credentials;
  expires: number;
  headers?: CustomHeaders;
}

export interface RegistrationEvents {
  registered: [outcome: RequestOutcome, expires: number];
  failed: [outcome: RequestOutcome];
  unregistered: [outcome: RequestOutcome];
}

export class Registration extends EventEmitter<RegistrationEvents> {
  private readonly ua: UserAgent;
  readonly opts: RegistrationOptions;
  readonly callId: string;
  private readonly tag = newTag();
  private cseq = 0;
  private readonly auth: Authenticator | undefined;
  private refreshTimer: TimerHandle | undefined;
  /** Expiry the registrar granted, seconds. */
  grantedExpires: number | undefined;
  refreshes = 0;
  last: RequestOutcome | undefined;

  constructor(ua: UserAgent, opts: RegistrationOptions) {
    super();
    this.ua = ua;
    this.opts = opts;
    this.callId = newCallId(ua.opts.advertisedAddress ?? 'trunkscope');
    if (opts.credentials) this.auth = new Authenticator(opts.credentials);
  }

  get registrarUri(): string {
    if (this.opts.registrar) return this.opts.registrar;
    const u = parseUri(this.opts.aor);
    const host = u.host.includes(':') ? `[${u.host}]` : u.host;
    const transport = u.params['transport'] ? `;transport=${u.params['transport']}` : '';
    return `${u.scheme}:${host}${u.port ? `:${u.port}` : ''}${transport}`;
  }

  /** Send REGISTER; on success schedule the refresh. */
  async register(): Promise<RequestOutcome> {
    const out = await this.send(this.opts.expires);
    this.last = out;
    const res = out.response;
    if (res && res.status >= 200 && res.status < 300) {
      const granted = this.grantedFrom(out.request, res.headers) ?? this.opts.expires;
      this.grantedExpires = granted;
      this.auth?.settle();
      this.scheduleRefresh(granted);
      this.emit('registered', out, granted);
    } else this.emit('failed', out);
    return out;
  }

  /** Remove our binding (RFC 3261 §10.2.2) and stop refreshing. */
  async unregister(): Promise<RequestOutcome> {
    this.refreshTimer?.cancel();
    this.refreshTimer = undefined;
    const out = await this.send(0);
    this.emit('unregistered', out);
    return out;
  }

  stop(): void {
    this.refreshTimer?.cancel();
  }

  /** Refresh before expiry: halfway for short intervals, 30 s early for long ones. */
  private scheduleRefresh(expires: number): void {
    this.refreshTimer?.cancel();
    if (expires <= 0) return;
    const at = expires > 60 ? expires - 30 : Math.max(1, expires / 2);
    this.refreshTimer = this.ua.opts.clock.setTimer(at * 1000, () => {
      this.refreshes++;
      void this.register();
    });
  }

  private send(expires: number): Promise<RequestOutcome> {
    const build = (cseq: number): SipRequest => {
      const h = new Headers();
      if (this.opts.proxy) h.append('Route', `<${this.opts.proxy};lr>`);
      h.append('From', `<${this.opts.aor}>;tag=${this.tag}`);
      h.append('To', `<${this.opts.aor}>`);
      h.append('Call-ID', this.callId);
      h.append('CSeq', `${cseq} REGISTER`);
      h.append('Expires', String(expires));
      for (const [n, v] of this.opts.headers ?? []) h.append(n, v);
      const req = createRequest('REGISTER', this.registrarUri, h);
      if (this.auth?.hasChallenge) this.auth.authorize(req);
      return req;
    };
    const first = ++this.cseq;
    const user = parseUri(this.opts.aor).user;
    return sendNonInvite(this.ua, {
      build: (n) => {
        this.cseq = Math.max(this.cseq, n);
        return build(n);
      },
      firstCSeq: first,
      nextHop: this.opts.proxy ?? this.registrarUri,
      auth: this.auth,
      contactUser: user,
    });
  }

  /** RFC 3261 §10.2.4: the expiry of our binding is in its Contact's expires or Expires. */
  private grantedFrom(req: SipRequest, headers: Headers): number | undefined {
    const ours = req.headers.getAll('contact')[0];
    const ourUri = ours ? parseNameAddr(ours).uri : undefined;
    for (const c of headers.getAll('contact')) {
      try {
        const na = parseNameAddr(c);
        const same = ourUri && na.uri.host === ourUri.host && (na.uri.port ?? 5060) === (ourUri.port ?? 5060);
        const e = na.params['expires'];
        if (same && e) return Number(e);
      } catch {
        // ignore contacts we cannot read
      }
    }
    const e = headers.get('expires');
    return e !== undefined && /^\d+$/.test(e.trim()) ? Number(e) : undefined;
  }
}
