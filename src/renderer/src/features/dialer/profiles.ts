/**
 * Saved dialer profiles ("lines"): everything of the dialer but the target, by name, kept in this
 * browser's localStorage under PROFILES_KEY as `{ version: 1, profiles: [...] }` and validated
 * with a zod schema when loaded.
 *
 * Nothing a user saved is lost: stored text that cannot be read (bad JSON, wrong shape, or some
 * entries that do not fit the schema) is copied as-is under PROFILES_BACKUP_KEY before anything
 * can overwrite it, and the dialer says so. When that copy cannot be written (storage full), or
 * storage cannot be read at all, profiles are not written back either: changes then last for this
 * session only and the stored text stays as it was. Storage never throws (lib/storage.ts).
 */
import { z } from 'zod';
import {
  CodecSchema,
  DtmfMethodSchema,
  PlaceCallSchema,
  SrtpPolicySchema,
  TransportSchema,
} from '../../../../shared/api/contract.ts';
import { loadText, saveText } from '../../lib/storage.ts';
import type { CodecItem } from './codec-list.tsx';
import type { DialerForm } from './validate.ts';

export const PROFILES_KEY = 'trunkscope.profiles';
export const PROFILES_BACKUP_KEY = 'trunkscope.profiles.unreadable';
export const PROFILE_NAME_MAX = 64;

export const ProfileSchema = z.object({
  name: z.string().trim().min(1).max(PROFILE_NAME_MAX),
  transport: TransportSchema,
  /** Every codec in the order shown, and whether it is offered. */
  codecs: z.array(z.object({ name: z.string().max(32), on: z.boolean() })).max(32),
  dtmf: DtmfMethodSchema,
  srtp: SrtpPolicySchema,
  source: PlaceCallSchema.shape.source.unwrap(),
  headersText: z.string().max(16_384),
  proxy: z.string().max(512),
  from: z.string().max(512),
  user: z.string().max(128),
  authUser: z.string().max(128),
  /** Present only when the user ticked "save password": stored in plain text. */
  password: z.string().max(256).optional(),
});
export type Profile = z.infer<typeof ProfileSchema>;

const StoredSchema = z.object({ version: z.literal(1), profiles: z.array(z.unknown()) });

/** The dialer's fields a profile keeps (the form without its target, codecs as shown). */
export type ProfileFields = Omit<DialerForm, 'target' | 'codecs'> & { codecs: CodecItem[] };

export interface LoadedProfiles {
  profiles: Profile[];
  /** False when changes must not be written back (the stored text could not be read or kept). */
  writable: boolean;
  /** What went wrong, for the user; absent when all was well. */
  problem?: string;
}

/** Read the saved profiles; a problem is described, never thrown. */
export function loadProfiles(): LoadedProfiles {
  const r = loadText(PROFILES_KEY);
  if (!r.ok) {
    return {
      profiles: [],
      writable: false,
      problem:
        "Saved profiles could not be read: this browser's storage is disabled or blocked. " +
        'Profiles you save now last for this session only.',
    };
  }
  if (r.text === null) return { profiles: [], writable: true };
  const { profiles, reason } = parseProfiles(r.text);
  if (!reason) return { profiles, writable: true };
  const backupKey = keepAside(r.text);
  const kept = profiles.length
    ? `The ${profiles.length} readable profile${profiles.length === 1 ? ' is' : 's are'} loaded.`
    : 'Starting with no profiles.';
  if (!backupKey) {
    return {
      profiles,
      writable: false,
      problem:
        `Saved profiles could not be read (${reason}), and a copy could not be kept (storage ` +
        `full?). ${kept} The stored text is left untouched under "${PROFILES_KEY}": changes to ` +
        'profiles last for this session only.',
    };
  }
  return {
    profiles,
    writable: true,
    problem:
      `Saved profiles could not be read (${reason}). The stored text is kept under ` +
      `"${backupKey}" in this browser's storage. ${kept}`,
  };
}

/** Parse stored text: the profiles that fit the schema, and why the rest did not. */
export function parseProfiles(text: string): { profiles: Profile[]; reason?: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { profiles: [], reason: 'not valid JSON' };
  }
  const top = StoredSchema.safeParse(json);
  if (!top.success) return { profiles: [], reason: 'not a list of profiles this version knows' };
  const profiles: Profile[] = [];
  let bad = 0;
  for (const item of top.data.profiles) {
    const p = ProfileSchema.safeParse(item);
    if (p.success && !profiles.some((x) => x.name === p.data.name)) profiles.push(p.data);
    else bad++;
  }
  const total = top.data.profiles.length;
  return bad
    ? { profiles, reason: `${bad} of ${total} entries are not valid profiles` }
    : { profiles };
}

/**
 * Copy unreadable text under the backup key (or, when that already holds a different copy,
 * under a new key beside it, so no earlier copy is overwritten). The key used, or null.
 */
function keepAside(text: string): string | null {
  for (let i = 0; i < 100; i++) {
    const key = i === 0 ? PROFILES_BACKUP_KEY : `${PROFILES_BACKUP_KEY}.${i + 1}`;
    const there = loadText(key);
    if (!there.ok) return null;
    if (there.text === text) return key;
    if (there.text === null) return saveText(key, text) ? key : null;
  }
  return null;
}

/** Write the whole list; false when storage is full or disabled. */
export function saveProfiles(profiles: Profile[]): boolean {
  return saveText(PROFILES_KEY, JSON.stringify({ version: 1, profiles }));
}

/** Why a new name cannot be used, or undefined. */
export function profileNameError(name: string, existing: Profile[]): string | undefined {
  const n = name.trim();
  if (!n) return 'enter a name';
  if (n.length > PROFILE_NAME_MAX) return `at most ${PROFILE_NAME_MAX} characters`;
  if (existing.some((p) => p.name === n)) return `a profile named "${n}" exists already`;
  return undefined;
}

/** A profile of the dialer's fields; the password only when asked to keep it. */
export function toProfile(name: string, f: ProfileFields, keepPassword: boolean): Profile {
  const p: Profile = {
    name: name.trim(),
    transport: f.transport as Profile['transport'],
    codecs: f.codecs.map((c) => ({ name: c.name, on: c.on })),
    dtmf: f.dtmf as Profile['dtmf'],
    srtp: f.srtp as Profile['srtp'],
    source: f.source as Profile['source'],
    headersText: f.headersText,
    proxy: f.proxy,
    from: f.from,
    user: f.user,
    authUser: f.authUser,
  };
  if (keepPassword) p.password = f.password;
  return p;
}

/**
 * The dialer's fields from a profile: codecs in the profile's order (unknown names dropped,
 * codecs it does not list added at the end, off); the password empty unless it was saved.
 */
export function fromProfile(p: Profile): ProfileFields {
  const known = new Set<string>(CodecSchema.options);
  const codecs = p.codecs.filter((c, i, all) => {
    return known.has(c.name) && all.findIndex((x) => x.name === c.name) === i;
  });
  for (const name of CodecSchema.options) {
    if (!codecs.some((c) => c.name === name)) codecs.push({ name, on: false });
  }
  return {
    transport: p.transport,
    codecs,
    dtmf: p.dtmf,
    srtp: p.srtp,
    source: p.source,
    headersText: p.headersText,
    proxy: p.proxy,
    from: p.from,
    user: p.user,
    authUser: p.authUser,
    password: p.password ?? '',
  };
}
