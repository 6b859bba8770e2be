/**
 * The GUI's saved routing file: its text kept in the settings file (the same `conf` store as
 * the trunk profiles, under app key `routing`). A save checks the text first and refuses it with
 * every problem's line and field; the previously saved text then stays as it was.
 */
import type { RoutingProblemDto } from '../../../shared/model/routing.ts';
import { configDir } from '../../platform/config-dir.ts';
import { SettingsStore } from '../../platform/settings-store.ts';
import { parseRoutingText, RoutingFileError } from './routing-load.ts';
import type { RoutingTable } from './routing-model.ts';

const KEY = 'routing';

export interface SavedRouting {
  text: string;
  savedAt: string;
}

export type RoutingSaveResult = { ok: true; savedAt: string } | { ok: false; problems: RoutingProblemDto[] };

export class RoutingStore {
  readonly settings: SettingsStore;

  constructor(settings: SettingsStore = new SettingsStore(configDir())) {
    this.settings = settings;
  }

  /** The saved text, or null when nothing was saved yet. */
  load(): SavedRouting | null {
    const v = this.settings.getApp<Record<string, unknown> | null>(KEY, null);
    if (!v || typeof v['text'] !== 'string') return null;
    return { text: v['text'], savedAt: typeof v['savedAt'] === 'string' ? v['savedAt'] : '' };
  }

  /** Check, then save; an invalid text is refused and nothing saved changes. */
  save(text: string, now = new Date()): RoutingSaveResult {
    try {
      parseRoutingText(text, { file: '(saved routing)' });
    } catch (err) {
      if (err instanceof RoutingFileError) return { ok: false, problems: err.problems.map(({ line, column, field, message }) => ({ line, column, field, message })) };
      throw err;
    }
    const savedAt = now.toISOString();
    this.settings.setApp(KEY, { text, savedAt });
    return { ok: true, savedAt };
  }

  /** The saved table (null when nothing is saved); throws RoutingFileError if it no longer parses. */
  table(): RoutingTable | null {
    const s = this.load();
    return s ? parseRoutingText(s.text, { file: '(saved routing)' }) : null;
  }
}
