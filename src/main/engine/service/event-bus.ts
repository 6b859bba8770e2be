/**
 * The engine's event fan-out: every event of the contract's EventMap goes through here, to
 * listeners of one event or to "any" listeners (the shells forward everything to their clients).
 * A throwing listener never breaks the engine or the other listeners.
 */
import type { EventMap, EventName } from '../../../shared/api/contract.ts';

export type AnyListener = <E extends EventName>(event: E, payload: EventMap[E]) => void;

export class EventBus {
  private readonly byEvent = new Map<EventName, Set<(payload: never) => void>>();
  private readonly any = new Set<AnyListener>();

  on<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void): () => void {
    let set = this.byEvent.get(event);
    if (!set) this.byEvent.set(event, (set = new Set()));
    set.add(listener as (payload: never) => void);
    return () => set.delete(listener as (payload: never) => void);
  }

  onAny(listener: AnyListener): () => void {
    this.any.add(listener);
    return () => this.any.delete(listener);
  }

  /** True when someone listens to `event` (directly or through an "any" listener). */
  has(event: EventName): boolean {
    return this.any.size > 0 || (this.byEvent.get(event)?.size ?? 0) > 0;
  }

  emit<E extends EventName>(event: E, payload: EventMap[E]): void {
    for (const l of this.byEvent.get(event) ?? [])
      safe(() => (l as (p: EventMap[E]) => void)(payload));
    for (const l of this.any) safe(() => l(event, payload));
  }
}

function safe(fn: () => void): void {
  try {
    fn();
  } catch {
    // A listener's bug is its own; the engine keeps running.
  }
}
