/** The contract's `routing.load` / `routing.save`: the Routing view's text in the settings file. */
import type { CommandResult } from '../../../shared/api/contract.ts';
import { RoutingStore } from '../routing/routing-store.ts';

/** The store is opened on first use (the config folder of this machine unless given). */
export function routingStoreHandlers(
  open: () => RoutingStore = () => new RoutingStore(),
  /** A save was accepted (the running listener swaps its rules). */
  onSaved: () => boolean = () => false,
): {
  'routing.load': () => Promise<CommandResult<'routing.load'>>;
  'routing.save': (a: { text: string }) => Promise<CommandResult<'routing.save'>>;
} {
  let store: RoutingStore | undefined;
  const s = (): RoutingStore => (store ??= open());
  return {
    'routing.load': async () => ({ saved: s().load() }),
    'routing.save': async (a) => {
      const r = s().save(a.text);
      if (!r.ok) return { ok: false, problems: r.problems };
      return { ok: true, savedAt: r.savedAt, problems: [], ...(onSaved() ? { appliedToListener: true } : {}) };
    },
  };
}
