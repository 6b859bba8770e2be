/** A new profile from a preset and the user's fields: preset values first, the user's on top. */
import type { PresetId } from '../../../shared/model/profile.ts';
import { PRESETS } from './presets.ts';

const NESTED = new Set(['tls', 'sessionTimer', 'inbound']);

export function profileFromPreset(preset: PresetId, name: string, fields: Record<string, unknown>): Record<string, unknown> {
  const base: Record<string, unknown> = { ...structuredClone(PRESETS[preset].values), name, preset };
  for (const [k, v] of Object.entries(fields)) {
    const before = base[k];
    base[k] = NESTED.has(k) && before && typeof before === 'object' && v && typeof v === 'object' ? { ...before, ...v } : v;
  }
  return base;
}
