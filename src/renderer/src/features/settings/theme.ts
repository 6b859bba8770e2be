/** Light/dark theme, persisted; the first run follows the system preference. */
import { loadJson, saveJson } from '../../lib/storage.ts';

export type Theme = 'light' | 'dark';
export const THEME_KEY = 'trunkscope.theme';

const isTheme = (v: unknown): v is Theme => v === 'light' || v === 'dark';

export function loadTheme(): Theme {
  const prefersDark =
    typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches;
  return loadJson<Theme>(THEME_KEY, prefersDark ? 'dark' : 'light', isTheme);
}

export function saveTheme(t: Theme): void {
  saveJson(THEME_KEY, t);
}

export function applyTheme(t: Theme): void {
  if (typeof document !== 'undefined') document.documentElement.dataset.theme = t;
}
