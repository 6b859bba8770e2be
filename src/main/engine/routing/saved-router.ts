/** The GUI listener's router: the routing saved by the Routing view, on the listener's stack. */
import type { SipStack } from '../stack/sip-stack.ts';
import { B2buaForwarder } from './forward-leg.ts';
import { InboundRouter } from './inbound-router.ts';
import type { RoutingTable } from './routing-model.ts';
import { RoutingStore } from './routing-store.ts';

/** A router for `table` on `stack`: the stack's clock, forwards as B2BUA legs from that stack. */
export function routerOn(stack: SipStack, table: RoutingTable, log?: (line: string) => void): InboundRouter {
  return new InboundRouter(table, { clock: stack.ua.opts.clock, forwarder: new B2buaForwarder(stack), ...(log ? { log } : {}) });
}

export function savedRouter(stack: SipStack, read: () => RoutingTable | null = () => new RoutingStore().table()): InboundRouter {
  const table = read();
  if (!table) throw new Error('no routing saved: write the rules in the Routing view and Save them first');
  return routerOn(stack, table);
}
