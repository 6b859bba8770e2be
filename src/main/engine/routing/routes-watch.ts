/**
 * `listen --routes FILE`: the file is re-read when it changes (polled: editors that save by
 * renaming defeat fs.watch). A file that no longer loads keeps the previous rules and says why.
 */
import { unwatchFile, watchFile } from 'node:fs';
import type { LoadOptions } from './routing-load.ts';
import { loadRoutingFile, RoutingFileError } from './routing-load.ts';
import type { RoutingTable } from './routing-model.ts';

export interface RoutesWatch {
  stop(): void;
}

export function watchRoutes(
  file: string,
  o: Omit<LoadOptions, 'file'> & { intervalMs?: number; onLoad(table: RoutingTable): void; onError(message: string): void },
): RoutesWatch {
  const listener = (cur: { mtimeMs: number; size: number }, prev: { mtimeMs: number; size: number }): void => {
    if (cur.mtimeMs === prev.mtimeMs && cur.size === prev.size) return;
    try {
      o.onLoad(loadRoutingFile(file, o));
    } catch (err) {
      o.onError(err instanceof RoutingFileError ? err.message : (err as Error).message);
    }
  };
  watchFile(file, { interval: o.intervalMs ?? 300, persistent: false }, listener);
  return { stop: () => unwatchFile(file, listener) };
}
