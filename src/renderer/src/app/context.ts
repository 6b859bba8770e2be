/** React access to the store and the contract. */
import { createContext, useCallback, useContext } from 'react';
import { useStore } from 'zustand';
import type {
  CommandArgs,
  CommandName,
  CommandResult,
  TrunkscopeApi,
} from '../../../shared/api/contract.ts';
import type { AppState, AppStore } from './store.ts';

export const StoreContext = createContext<AppStore | null>(null);
export const ApiContext = createContext<TrunkscopeApi | null>(null);

export function useAppStore(): AppStore {
  const s = useContext(StoreContext);
  if (!s) throw new Error('StoreContext missing');
  return s;
}

export function useApp<T>(selector: (s: AppState) => T): T {
  return useStore(useAppStore(), selector);
}

/**
 * invoke() that reports failures in the error list instead of throwing into React; resolves to
 * null when the command failed.
 */
export type Invoke = <K extends CommandName>(
  name: K,
  args: CommandArgs<K>,
) => Promise<CommandResult<K> | null>;

export function useInvoke(): Invoke {
  const api = useContext(ApiContext);
  const store = useAppStore();
  return useCallback<Invoke>(
    async (name, args) => {
      if (!api) {
        store.getState().pushError(`${name}: not connected to the engine`, name);
        return null;
      }
      try {
        return await api.invoke(name, args);
      } catch (e) {
        store.getState().pushError(e instanceof Error ? e.message : String(e), name);
        return null;
      }
    },
    [api, store],
  );
}

export function useApi(): TrunkscopeApi | null {
  return useContext(ApiContext);
}
