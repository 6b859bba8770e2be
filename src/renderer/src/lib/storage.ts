/** localStorage that never throws (private mode, quota, disabled storage, bad JSON). */
export function loadJson<T>(key: string, fallback: T, valid: (v: unknown) => v is T): T {
  try {
    const raw = globalThis.localStorage?.getItem(key);
    if (raw == null) return fallback;
    const v: unknown = JSON.parse(raw);
    return valid(v) ? v : fallback;
  } catch {
    return fallback;
  }
}

export function saveJson(key: string, value: unknown): void {
  try {
    globalThis.localStorage?.setItem(key, JSON.stringify(value));
  } catch {
    /* storage full or disabled: the setting lives for this session only */
  }
}

/**
 * The raw text stored under `key`: `{ ok: true, text }` (`null` when nothing is stored), or
 * `{ ok: false }` when storage cannot be read (disabled, blocked). Never throws.
 */
export function loadText(key: string): { ok: true; text: string | null } | { ok: false } {
  try {
    const storage = globalThis.localStorage;
    if (!storage) return { ok: false };
    return { ok: true, text: storage.getItem(key) };
  } catch {
    return { ok: false };
  }
}

/** Store `text` under `key`; false when storage is full or disabled. Never throws. */
export function saveText(key: string, text: string): boolean {
  try {
    const storage = globalThis.localStorage;
    if (!storage) return false;
    storage.setItem(key, text);
    return true;
  } catch {
    return false;
  }
}
