/**
 * The built-in agent's gate for incoming INVITEs, as a provider's or LiveKit's inbound trunk
 * keeps it: IP authentication (only listed sources: others get 403 with a Warning naming the
 * address) and, optionally, digest (407 Proxy-Authenticate, then the Proxy-Authorization
 * checked; RFC 3261 §22.3). Every refusal is counted by source and reason for the listen report.
 */
import type { InboundRefusals } from '../../../shared/model/report.ts';
import { DigestServer, type DigestVerdict } from '../../sip/auth/digest-server.ts';
import type { SipRequest } from '../../sip/syntax/message.ts';
import type { ServerTransaction } from '../../sip/transaction/types.ts';
import type { Flow } from '../../sip/transport/types.ts';
import type { UserAgent } from '../../sip/ua/user-agent.ts';
import { parseIpList, type IpList } from '../profiles/ip-list.ts';

export interface InboundGuardOptions {
  /** IPs and CIDRs allowed to send INVITEs; empty or absent: anyone. */
  allowFrom?: string[];
  /** Inbound digest: challenge with 407 unless the INVITE carries valid credentials. */
  digest?: { username: string; password: string; realm?: string };
  /** Host part of our Warning header (RFC 3261 §20.43 warn-agent). */
  agentName?: string;
}

const MAX_SOURCES = 1000;

export class InboundGuard {
  readonly allow?: IpList;
  readonly digest?: DigestServer;
  private readonly agent: string;
  private readonly refused: InboundRefusals = { total: 0, bySource: {} };

  /** Throws Error with the bad entry named when allowFrom has one. */
  constructor(o: InboundGuardOptions) {
    if (o.allowFrom && o.allowFrom.length) this.allow = parseIpList(o.allowFrom);
    if (o.digest) this.digest = new DigestServer({ realm: o.digest.realm || 'trunkscope', username: o.digest.username, password: o.digest.password });
    this.agent = o.agentName ?? 'trunkscope';
  }

  /** Whether the guard does anything. */
  get active(): boolean {
    return this.allow !== undefined || this.digest !== undefined;
  }

  /**
   * Admit the INVITE, or answer it (403 / 407) and return false. Called before the agent opens
   * media or rings.
   */
  admit(ua: UserAgent, req: SipRequest, tx: ServerTransaction, flow: Flow): boolean {
    const source = flow.remote.address;
    if (this.allow && !this.allow.has(source)) {
      this.count(source, 'address not allowed');
      // RFC 3261 §21.4.4 403 Forbidden; §20.43 Warning: 399 (miscellaneous) with our reason.
      ua.reply(tx, 403, 'Forbidden (address not allowed)', [['Warning', `399 ${this.agent} "source address ${source} is not in the allow list"`]]);
      return false;
    }
    if (this.digest) {
      const v: DigestVerdict = this.digest.verify(req.headers.getAll('Proxy-Authorization'), req.method, req.uri);
      if (!v.ok) {
        // RFC 3261 §22.3: 407 with Proxy-Authenticate; stale=true when only the nonce aged.
        this.count(source, v.reason === 'no-credentials' ? 'challenged (no credentials)' : `digest: ${v.detail}`);
        ua.reply(tx, 407, 'Proxy Authentication Required', [['Proxy-Authenticate', this.digest.challenge(v.reason === 'stale')]]);
        return false;
      }
    }
    return true;
  }

  private count(source: string, reason: string): void {
    const r = this.refused;
    r.total++;
    const key = source in r.bySource || Object.keys(r.bySource).length < MAX_SOURCES ? source : '(other)';
    const by = (r.bySource[key] ??= {});
    by[reason] = (by[reason] ?? 0) + 1;
  }

  /** Refused INVITEs so far, by source address and reason. */
  refusals(): InboundRefusals {
    return { total: this.refused.total, bySource: structuredClone(this.refused.bySource) };
  }
}
