/** A minimal typed event emitter (listeners that throw are isolated from the media path). */
export class Emitter<E extends object> {
  listenerErrors = 0;
  private readonly listeners = new Map<keyof E, Set<(v: never) => void>>();

  on<K extends keyof E>(event: K, fn: (value: E[K]) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) {
      set = new Set();
      this.listeners.set(event, set);
    }
    set.add(fn as (v: never) => void);
    return () => this.off(event, fn);
  }

  off<K extends keyof E>(event: K, fn: (value: E[K]) => void): void {
    this.listeners.get(event)?.delete(fn as (v: never) => void);
  }

  has<K extends keyof E>(event: K): boolean {
    return (this.listeners.get(event)?.size ?? 0) > 0;
  }

  emit<K extends keyof E>(event: K, value: E[K]): void {
    const set = this.listeners.get(event);
    if (!set) return;
    for (const fn of set) {
      try {
        (fn as (v: E[K]) => void)(value);
      } catch (err) {
        // A listener's bug must not stop packets flowing: count it and warn, never throw.
        this.listenerErrors++;
        process.emitWarning(
          err instanceof Error ? err : new Error(String(err)),
          'RtpSessionListener',
        );
      }
    }
  }
}
