/**
 * The contract's trunk-profile commands (the GUI's Trunks view), spread into `commands` in
 * contract.ts. Profiles are validated by the engine (the error names the field); passwords go
 * in, and never come back except through `profiles.dialerFields` for "use for call".
 */
import { z } from 'zod';
import type { Profile, SecretStoreInfo } from '../model/profile.ts';
import type { TestConnectionReport } from '../model/report.ts';

export interface PresetSummary {
  id: string;
  label: string;
  values: Record<string, unknown>;
  needs: Array<{ field: string; example: string }>;
  notes: string[];
  unverified: string[];
}

export interface ProfilesState {
  profiles: Profile[];
  presets: PresetSummary[];
  secretStore: SecretStoreInfo;
  settingsPath: string;
  /** The settings file could not be read on opening: why, and where it was kept. */
  problem?: string;
}

/** What the dialer needs to place a call on a profile (password included: the form holds it). */
export interface DialerFields {
  domain: string;
  transport: 'udp' | 'tcp' | 'tls';
  codecs: string[];
  dtmf: 'rfc2833' | 'info' | 'inband';
  srtp: 'off' | 'offer' | 'require';
  headersText: string;
  proxy: string;
  from: string;
  user: string;
  authUser: string;
  password: string;
}

const name = z.string().min(1).max(64);

export const profileCommands = {
  'profiles.list': { args: z.object({}).default({}), result: {} as ProfilesState },
  /** Add (originalName absent) or replace a profile; password '' clears it, absent keeps it. */
  'profiles.save': {
    args: z.object({ profile: z.record(z.string(), z.unknown()), originalName: name.optional(), password: z.string().max(256).optional() }),
    result: {} as { profile: Profile },
  },
  'profiles.remove': { args: z.object({ name }), result: {} as { ok: boolean } },
  /** Test Connection; each step also arrives as a `profiles.testStep` event as it finishes. */
  'profiles.test': { args: z.object({ name, insecure: z.boolean().optional() }), result: {} as TestConnectionReport },
  'profiles.dialerFields': { args: z.object({ name }), result: {} as DialerFields },
  /** First start of the GUI: the dialer's old localStorage profiles become trunk profiles (once). */
  'profiles.importDialer': { args: z.object({ text: z.string().max(1_000_000) }), result: {} as { imported: string[]; skipped: Array<{ name: string; reason: string }>; already: boolean } },
};
