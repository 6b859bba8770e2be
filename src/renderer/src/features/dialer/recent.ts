/** Recent call targets, newest first, persisted to localStorage. */
import { loadJson, saveJson } from '../../lib/storage.ts';

export const RECENT_KEY = 'trunkscope.recentTargets';
export const RECENT_MAX = 12;

const isStringArray = (v: unknown): v is string[] =>
  Array.isArray(v) && v.every((x) => typeof x === 'string');

export function loadRecent(): string[] {
  return loadJson(RECENT_KEY, [], isStringArray).slice(0, RECENT_MAX);
}

export function addRecent(list: string[], target: string): string[] {
  const t = target.trim();
  if (!t) return list;
  const next = [t, ...list.filter((x) => x !== t)].slice(0, RECENT_MAX);
  saveJson(RECENT_KEY, next);
  return next;
}
