/**
 * The contract's trunk-profile commands (src/shared/api/profile-commands.ts) on the profile book
 * of the config folder: list, save (the error names the field), remove, Test Connection (each
 * step emitted as `profiles.testStep`), the dialer's fields for "use for call", and the one-time
 * import of the dialer's old localStorage profiles.
 */
import type { z } from 'zod';
import type { CommandResult } from '../../../shared/api/contract.ts';
import type { profileCommands } from '../../../shared/api/profile-commands.ts';
import type { ProfileBook } from '../profiles/profile-book.ts';
import { openProfileBook } from '../profiles/open-profile-book.ts';
import { PRESETS } from '../profiles/presets.ts';
import { profileFromPreset } from '../profiles/new-profile.ts';
import { testConnection } from '../profiles/test-connection.ts';
import type { EventBus } from './event-bus.ts';
import type { PresetId } from '../../../shared/model/profile.ts';

type Name = keyof typeof profileCommands;
type ProfileHandlers = { [K in Name]: (args: z.output<(typeof profileCommands)[K]['args']>) => Promise<CommandResult<K>> };

/** The handlers; the book is opened on first use (a corrupt file is reported in profiles.list). */
export function profileHandlers(bus: EventBus, open: () => ProfileBook = () => openProfileBook()): ProfileHandlers {
  let book: ProfileBook | undefined;
  const b = (): ProfileBook => (book ??= open());
  return {
    'profiles.list': async () => {
      const pb = b();
      const p = pb.settings.problem;
      return {
        profiles: pb.list(),
        presets: Object.values(PRESETS).map((x) => ({ id: x.id, label: x.label, values: x.values as Record<string, unknown>, needs: x.needs, notes: x.notes, unverified: x.unverified })),
        secretStore: pb.secretStore,
        settingsPath: pb.settings.path,
        ...(p ? { problem: `the settings file could not be read (${p.reason}); ${p.movedTo ? `it was kept as ${p.movedTo}` : 'it is left untouched and changes are not saved'}` } : {}),
      };
    },
    'profiles.save': async (a) => {
      const pb = b();
      const secrets = a.password !== undefined ? { password: a.password } : {};
      if (a.originalName && pb.get(a.originalName)) return { profile: pb.edit(a.originalName, a.profile, secrets) };
      const preset = (typeof a.profile['preset'] === 'string' && a.profile['preset'] in PRESETS ? a.profile['preset'] : 'generic') as PresetId;
      const input = profileFromPreset(preset, String(a.profile['name'] ?? ''), a.profile);
      return { profile: pb.add(input, secrets) };
    },
    'profiles.remove': async (a) => ({ ok: b().remove(a.name) }),
    'profiles.test': async (a) => {
      const pb = b();
      const profile = pb.require(a.name);
      return testConnection({
        profile,
        password: pb.secret(profile.name, 'password'),
        tlsInsecure: a.insecure,
        onStep: (step) => bus.emit('profiles.testStep', { profile: profile.name, step }),
      });
    },
    'profiles.dialerFields': async (a) => {
      const pb = b();
      const p = pb.require(a.name);
      const fromUser = p.fromUser || p.username;
      const identity = [
        p.pAssertedIdentity && `P-Asserted-Identity: ${p.pAssertedIdentity}`,
        p.pPreferredIdentity && `P-Preferred-Identity: ${p.pPreferredIdentity}`,
        p.privacy && `Privacy: ${p.privacy}`,
        p.diversion && `Diversion: ${p.diversion}`,
      ].filter(Boolean) as string[];
      return {
        domain: p.domain,
        transport: p.transport,
        codecs: p.codecs,
        dtmf: p.dtmf,
        srtp: p.srtp,
        headersText: [...identity, ...p.headers].join('\n'),
        proxy: p.outboundProxy,
        from: fromUser ? `sip:${fromUser}@${p.domain}` : '',
        user: p.username,
        authUser: p.authUsername,
        password: pb.secret(p.name, 'password') ?? '',
      };
    },
    'profiles.importDialer': async (a) => {
      const pb = b();
      if (pb.settings.read().dialerProfilesImported) return { imported: [], skipped: [], already: true };
      const r = pb.importDialer(a.text);
      return { imported: r.imported, skipped: r.skipped, already: false };
    },
  };
}
