/**
 * The routing side of a listener: the current rules (swapped on reload without touching calls in
 * progress: each call keeps the table it was routed with), live calls per agent for max-calls,
 * and calls per rule for the listener's report.
 */
import type { InviteServer } from '../../sip/ua/invite-server.ts';
import type { Clock } from '../../../shared/clock.ts';
import type { CallMedia } from '../media/call-media.ts';
import type { CallFacts, ProfileLookup, RoutingTable } from './routing-model.ts';
import { matchRoute } from './match-route.ts';
import { RoutedCall, type AgentLoad, type ForwardDialer } from './route-agent.ts';

export interface InboundRouterOptions {
  clock: Clock;
  profiles?: ProfileLookup;
  forwarder?: ForwardDialer;
  /** Which header the `did` of the To form reads is fixed by each rule; this is the log. */
  log?(line: string): void;
}

/** What the rules see of an incoming INVITE. */
export function factsOf(call: InviteServer, now = new Date()): CallFacts {
  const h = call.request.headers;
  return {
    requestUri: call.request.uri,
    to: h.get('to') ?? '',
    from: h.get('from') ?? '',
    pai: h.getAll('p-asserted-identity')[0],
    header: (name) => h.getAll(name.toLowerCase()),
    source: call.flow?.remote.address ?? '',
    transport: call.flow?.proto ?? 'udp',
    now,
  };
}

export class InboundRouter {
  private current: RoutingTable;
  private readonly o: InboundRouterOptions;
  private readonly load: AgentLoad = new Map();
  private readonly open = new Set<Promise<void>>();
  private calls = 0;
  readonly totals: Record<string, number> = {};

  constructor(table: RoutingTable, o: InboundRouterOptions) {
    this.current = table;
    this.o = o;
  }

  get table(): RoutingTable {
    return this.current;
  }

  /** New calls use `table`; calls in progress go on with the rules they were routed by. */
  replace(table: RoutingTable): void {
    this.current = table;
  }

  /** Match the call now (before anything is sent); `run()` on the result acts on it. */
  prepare(call: InviteServer, media: CallMedia | undefined): RoutedCall {
    const table = this.current;
    const match = matchRoute(table, factsOf(call));
    const rule = match.rule?.name ?? '(none)';
    this.totals[rule] = (this.totals[rule] ?? 0) + 1;
    const routed = new RoutedCall(call, media, match, {
      table,
      clock: this.o.clock,
      load: this.load,
      callNo: ++this.calls,
      forwarder: this.o.forwarder,
      profiles: this.o.profiles,
      log: this.o.log,
    });
    call.once('ended', () => {
      const closing = routed.close().finally(() => this.open.delete(closing));
      this.open.add(closing);
    });
    return routed;
  }

  /** Wait for recordings of ended calls to be written. */
  async drain(): Promise<void> {
    await Promise.all([...this.open]);
  }
}
