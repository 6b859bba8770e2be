/**
 * A typed event emitter by composition over node:events. Unlike extending EventEmitter it has
 * no `listeners()` method, so TransportLayer can expose its bound sockets as `listeners`.
 */
import { EventEmitter } from 'node:events';

export type EventMap = Record<string, unknown[]>;

type Fn = (...args: unknown[]) => void;

export class TypedEmitter<E extends EventMap> {
  private readonly ee = new EventEmitter();

  on<K extends keyof E & string>(event: K, listener: (...args: E[K]) => void): this {
    this.ee.on(event, listener as Fn);
    return this;
  }

  once<K extends keyof E & string>(event: K, listener: (...args: E[K]) => void): this {
    this.ee.once(event, listener as Fn);
    return this;
  }

  off<K extends keyof E & string>(event: K, listener: (...args: E[K]) => void): this {
    this.ee.off(event, listener as Fn);
    return this;
  }

  removeAllListeners(event?: keyof E & string): this {
    this.ee.removeAllListeners(event);
    return this;
  }

  listenerCount(event: keyof E & string): number {
    return this.ee.listenerCount(event);
  }

  protected emit<K extends keyof E & string>(event: K, ...args: E[K]): boolean {
    return this.ee.emit(event, ...args);
  }
}
