/**
 * Settings migration from the GUI's first profiles: the dialer kept "lines" in the browser's
 * localStorage (`trunkscope.profiles` = `{ version: 1, profiles: [...] }`, see
 * src/renderer/src/features/dialer/profiles.ts). Each becomes a trunk profile; a saved password
 * goes to the secrets store, not the profile. The dialer never had a domain: it is taken from the
 * From URI's host, else the proxy's, else "localhost" (said in the profile's notes).
 */
import { z } from 'zod';
import { ProfileSchema, type Profile } from '../../shared/model/profile.ts';

const OldProfile = z.object({
  name: z.string(),
  transport: z.enum(['udp', 'tcp', 'tls']).catch('udp'),
  codecs: z.array(z.object({ name: z.string(), on: z.boolean() })).catch([]),
  dtmf: z.enum(['rfc2833', 'info', 'inband']).catch('rfc2833'),
  srtp: z.enum(['off', 'offer', 'require']).catch('off'),
  headersText: z.string().catch(''),
  proxy: z.string().catch(''),
  from: z.string().catch(''),
  user: z.string().catch(''),
  authUser: z.string().catch(''),
  password: z.string().optional(),
});

export interface MigratedDialerProfile {
  profile: Profile;
  password?: string;
}

export interface DialerMigration {
  migrated: MigratedDialerProfile[];
  /** Entries that could not become profiles, with the reason. */
  skipped: { name: string; reason: string }[];
}

const KNOWN_CODECS = new Set(['PCMU', 'PCMA', 'G722', 'opus', 'G729']);

function hostOf(uri: string): string | undefined {
  const m = /^sips?:(?:[^@]*@)?(\[[^\]]+\]|[^;:>?]+)(?::(\d+))?/i.exec(uri.trim());
  return m ? `${m[1]}${m[2] ? `:${m[2]}` : ''}` : undefined;
}

function userOf(uri: string): string {
  return /^sips?:([^@;:]+)@/i.exec(uri.trim())?.[1] ?? '';
}

/** The stored text of `trunkscope.profiles` → trunk profiles. Never throws. */
export function migrateDialerProfiles(text: string): DialerMigration {
  const out: DialerMigration = { migrated: [], skipped: [] };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    out.skipped.push({ name: '(all)', reason: 'not valid JSON' });
    return out;
  }
  const top = z.object({ version: z.literal(1), profiles: z.array(z.unknown()) }).safeParse(json);
  if (!top.success) {
    out.skipped.push({ name: '(all)', reason: 'not a version 1 list of dialer profiles' });
    return out;
  }
  for (const item of top.data.profiles) {
    const old = OldProfile.safeParse(item);
    if (!old.success) {
      out.skipped.push({ name: String((item as { name?: unknown })?.name ?? '?'), reason: 'not a dialer profile' });
      continue;
    }
    const o = old.data;
    const fromHost = hostOf(o.from);
    const proxyHost = hostOf(o.proxy);
    const domain = fromHost ?? proxyHost ?? 'localhost';
    const codecs = o.codecs.filter((c) => c.on && KNOWN_CODECS.has(c.name)).map((c) => c.name);
    const candidate = {
      name: o.name.trim(),
      preset: 'generic',
      mode: o.user || o.authUser ? 'register' : 'ip',
      domain,
      outboundProxy: o.proxy.trim(),
      transport: o.transport,
      username: o.user,
      authUsername: o.authUser,
      hasPassword: o.password !== undefined && o.password !== '',
      fromUser: userOf(o.from),
      headers: o.headersText.split(/\r?\n/).map((l) => l.trim()).filter(Boolean),
      codecs: codecs.length ? codecs : ['PCMU', 'PCMA'],
      dtmf: o.dtmf,
      srtp: o.srtp,
      notes: `Imported from the dialer's saved profile.${fromHost ? '' : ` Domain "${domain}" guessed: the dialer had none.`}`,
    };
    const p = ProfileSchema.safeParse(candidate);
    if (!p.success) {
      const i = p.error.issues[0];
      out.skipped.push({ name: o.name, reason: `${i?.path.join('.') ?? ''}: ${i?.message ?? 'invalid'}` });
      continue;
    }
    if (out.migrated.some((m) => m.profile.name === p.data.name)) {
      out.skipped.push({ name: o.name, reason: 'a profile of that name came earlier' });
      continue;
    }
    out.migrated.push(o.password ? { profile: p.data, password: o.password } : { profile: p.data });
  }
  return out;
}
