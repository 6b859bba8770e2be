/**
 * `trunkscope profile add|list|show|edit|rm|export|import`: trunk profiles in the settings store
 * of the config folder ($TRUNKSCOPE_CONFIG_DIR or the platform's place); passwords in the secrets
 * store, which every command names. A bad value is refused with the field named (exit 2).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { Profile, PresetId } from '../../../../shared/model/profile.ts';
import { openProfileBook, PRESETS, presetOf, profileFromPreset, profileName, ProfileError, type ProfileBook, type ProfileSecrets } from '../../../engine/index.ts';
import { UsageError } from '../common.ts';
import { addFieldFlags, fieldsFromFlags, flagForField } from '../profile-fields.ts';
import { promptSecret, readStdin } from '../prompt.ts';
import { passwordIo, resolvePassword } from '../password-source.ts';

type Run = (fn: () => Promise<number>) => Promise<void>;

interface SecretOpts {
  password?: string;
  passwordStdin?: boolean;
  passwordFile?: string;
  inboundPassword?: string;
  json?: boolean;
}

/** A ProfileError as a usage error naming the flag and the field. */
export function asUsage(err: unknown): never {
  if (err instanceof ProfileError) {
    const flag = flagForField(err.field);
    throw new UsageError(flag && flag !== err.field ? `${flag} (${err.message})` : err.message);
  }
  throw err;
}

/** Open the book, telling on stderr about a settings file that had to be moved aside. */
export function openBook(): ProfileBook {
  const book = openProfileBook();
  const p = book.settings.problem;
  if (p) {
    process.stderr.write(
      `trunkscope: the settings file ${book.settings.path} could not be read (${p.reason}); ` +
        (p.movedTo ? `it was kept as ${p.movedTo}\n` : 'it is left untouched and changes are not saved\n'),
    );
  }
  return book;
}

/** What `show` and `list` print: the profile with its secrets masked. */
export function masked(p: Profile): Record<string, unknown> {
  return { ...p, password: p.hasPassword ? '********' : null, inbound: { ...p.inbound, password: p.inbound.hasPassword ? '********' : null } };
}

async function secretsFrom(o: SecretOpts, ask: boolean): Promise<ProfileSecrets> {
  const s: ProfileSecrets = {};
  // The same three ways as call/register/load (password-source.ts); no environment variable here.
  const { password, from } = await resolvePassword(o, 'cli', false, { ...passwordIo, readStdin });
  if (from) s.password = password;
  else if (ask && process.stdin.isTTY) s.password = await promptSecret('Password (empty for none): ');
  if (o.inboundPassword !== undefined) s.inboundPassword = o.inboundPassword;
  return s;
}

function print(o: { json?: boolean }, json: unknown, human: string[]): void {
  process.stdout.write(o.json ? `${JSON.stringify(json, null, 2)}\n` : `${human.join('\n')}\n`);
}

function summary(p: Profile): string {
  const auth = p.mode === 'register' ? `register as ${p.username || '(no user)'}` : 'IP authentication';
  return `${p.name}  ${p.preset}  ${p.transport}  ${p.domain}  ${auth}${p.hasPassword ? ', password stored' : ''}`;
}

function secretFlags(cmd: Command): Command {
  return cmd
    .option('--password <secret>', 'SIP digest password (stored in the secrets store, never in the profile file)')
    .option('--password-stdin', 'read the password from standard input')
    .option('--password-file <file>', 'read the password from the first line of FILE')
    .option('--inbound-password <secret>', 'inbound digest password (secrets store)')
    .option('--json', 'print JSON');
}

export function registerProfile(program: Command, run: Run): void {
  const profile = program.command('profile').description('trunk profiles: add, list, show, edit, rm, export, import');
  const presetList = Object.keys(PRESETS).join(', ');

  secretFlags(addFieldFlags(profile.command('add').description('add a trunk profile from a provider preset').argument('<name>', 'profile name')))
    .option('--preset <preset>', `provider preset: ${presetList}`, 'generic')
    .action((name: string, o: Record<string, unknown> & SecretOpts & { preset: string }) =>
      run(async () => {
        const book = openBook();
        try {
          const preset = presetOf(o.preset);
          if (!preset) throw new UsageError(`--preset: unknown preset "${o.preset}" (use ${presetList})`);
          const fields = fieldsFromFlags(o);
          const input = profileFromPreset(preset.id as PresetId, profileName(name), fields);
          book.validate(input); // refuse before asking for a password
          const secrets = await secretsFrom(o, true);
          const p = book.add(input, secrets);
          print(o, { command: 'profile', action: 'add', profile: masked(p), secretStore: book.secretStore, preset: { notes: preset.notes, unverified: preset.unverified } }, [
            `added ${summary(p)}`,
            `secrets: ${book.secretStore.description}`,
            ...preset.notes.map((n) => `note: ${n}`),
          ]);
          return 0;
        } catch (err) {
          return asUsage(err);
        }
      }),
    );

  profile
    .command('list')
    .description('list the trunk profiles')
    .option('--json', 'print JSON')
    .action((o: { json?: boolean }) =>
      run(async () => {
        const book = openBook();
        const list = book.list();
        print(o, { command: 'profile', action: 'list', configDir: book.settings.dir, secretStore: book.secretStore, profiles: list.map(masked) }, [
          ...(list.length ? list.map(summary) : ['(no profiles: add one with `trunkscope profile add NAME --preset P --domain HOST`)']),
          `settings: ${book.settings.path}`,
          `secrets: ${book.secretStore.description}`,
        ]);
        return 0;
      }),
    );

  profile
    .command('show')
    .description('show one profile (secrets masked)')
    .argument('<name>', 'profile name')
    .option('--json', 'print JSON')
    .action((name: string, o: { json?: boolean }) =>
      run(async () => {
        const book = openBook();
        try {
          const p = book.require(name);
          const m = masked(p);
          print(o, { command: 'profile', action: 'show', profile: m, secretStore: book.secretStore }, [
            ...Object.entries(m).map(([k, v]) => `${k}: ${typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)}`),
            `secrets: ${book.secretStore.description}`,
          ]);
          return 0;
        } catch (err) {
          return asUsage(err);
        }
      }),
    );

  secretFlags(addFieldFlags(profile.command('edit').description('change fields of a profile').argument('<name>', 'profile name')))
    .option('--name <new>', 'rename the profile')
    .option('--preset <preset>', `provider preset label: ${presetList}`)
    .action((name: string, o: Record<string, unknown> & SecretOpts) =>
      run(async () => {
        const book = openBook();
        try {
          const patch = fieldsFromFlags(o);
          if (typeof o['name'] === 'string') patch['name'] = profileName(o['name']);
          if (typeof o['preset'] === 'string') {
            if (!presetOf(o['preset'])) throw new UsageError(`--preset: unknown preset "${o['preset']}" (use ${presetList})`);
            patch['preset'] = o['preset'];
          }
          const secrets = await secretsFrom(o, false);
          const p = book.edit(name, patch, secrets);
          print(o, { command: 'profile', action: 'edit', profile: masked(p), secretStore: book.secretStore }, [`saved ${summary(p)}`, `secrets: ${book.secretStore.description}`]);
          return 0;
        } catch (err) {
          return asUsage(err);
        }
      }),
    );

  profile
    .command('rm')
    .description('remove a profile and its secrets')
    .argument('<name>', 'profile name')
    .option('--json', 'print JSON')
    .action((name: string, o: { json?: boolean }) =>
      run(async () => {
        const book = openBook();
        if (!book.remove(name)) throw new UsageError(`NAME: no profile named "${name}"`);
        print(o, { command: 'profile', action: 'rm', name }, [`removed ${name}`]);
        return 0;
      }),
    );

  profile
    .command('export')
    .description('write profiles to a JSON file (secrets only with --with-secrets)')
    .argument('<file>', 'file to write')
    .option('--with-secrets', 'include passwords (the file is written with mode 0600)')
    .option('--profile <name>', 'only this profile (repeatable)', (v: string, prev: string[] = []) => [...prev, v])
    .option('--json', 'print JSON')
    .action((file: string, o: { withSecrets?: boolean; profile?: string[]; json?: boolean }) =>
      run(async () => {
        const book = openBook();
        for (const n of o.profile ?? []) if (!book.get(n)) asUsage(new ProfileError('profile', `no profile named "${n}"`));
        const data = book.exportData(!!o.withSecrets, o.profile);
        try {
          writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`, { mode: o.withSecrets ? 0o600 : 0o644 });
        } catch (err) {
          throw new UsageError(`FILE: cannot write ${file}: ${(err as Error).message}`);
        }
        print(o, { command: 'profile', action: 'export', file, profiles: data.profiles.map((p) => p.name), withSecrets: !!o.withSecrets }, [
          `exported ${data.profiles.length} profile(s) to ${file}${o.withSecrets ? ' WITH secrets (mode 0600)' : ' (no secrets)'}`,
        ]);
        return 0;
      }),
    );

  profile
    .command('import')
    .description('read profiles from a file written by `profile export`')
    .argument('<file>', 'file to read')
    .option('--replace', 'replace profiles of the same name')
    .option('--json', 'print JSON')
    .action((file: string, o: { replace?: boolean; json?: boolean }) =>
      run(async () => {
        const book = openBook();
        let json: unknown;
        try {
          json = JSON.parse(readFileSync(file, 'utf8'));
        } catch (err) {
          throw new UsageError(`FILE: cannot read ${file} as JSON: ${(err as Error).message}`);
        }
        try {
          const names = book.importData(json, !!o.replace);
          print(o, { command: 'profile', action: 'import', file, profiles: names, secretStore: book.secretStore }, [
            `imported ${names.length} profile(s): ${names.join(', ')}`,
            `secrets: ${book.secretStore.description}`,
          ]);
          return 0;
        } catch (err) {
          if (err instanceof ProfileError) throw new UsageError(`${file}: ${err.message}`);
          throw err;
        }
      }),
    );
}
