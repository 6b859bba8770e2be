/**
 * `trunkscope profile …` as a user runs it (real processes, a temp config folder), and profiles
 * driving calls to SIPp and registrations to Kamailio (right and wrong password, another realm).
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { explain, runCli } from '../../support/cli.ts';
import { kamailioPassword, startKamailio, type Kamailio } from '../../support/kamailio.ts';
import { freePort } from '../../support/ports.ts';
import { stopAllStarted } from '../../support/processes.ts';
import { explainSipp, startSipp } from '../../support/sipp.ts';
import { finishSipp } from '../../support/sip-flows.ts';

let dir: string;
const saved = { ...process.env };
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ts-profile-cli-'));
  process.env['TRUNKSCOPE_CONFIG_DIR'] = dir;
  process.env['TRUNKSCOPE_SECRETS'] = 'file';
});
afterAll(async () => {
  process.env = saved;
  rmSync(dir, { recursive: true, force: true });
  await stopAllStarted();
});
afterEach(stopAllStarted);

const json = (stdout: string): Record<string, unknown> => JSON.parse(stdout) as Record<string, unknown>;

describe('profile add / list / show / edit / export / import / rm', () => {
  it('round trip, secrets masked and never in settings.json', async () => {
    const add = await runCli(['profile', 'add', 'acme', '--preset', 'twilio', '--domain', 'acme.pstn.twilio.com', '--user', 'alice', '--password', 'Pw-1234', '--json']);
    expect(add.code, explain(add)).toBe(0);
    const added = json(add.stdout);
    expect(added).toMatchObject({ command: 'profile', action: 'add', secretStore: { kind: 'file' } });
    expect(added['profile']).toMatchObject({ name: 'acme', preset: 'twilio', mode: 'ip', numberFormat: 'e164-plus', password: '********', hasPassword: true });
    expect(add.stdout).not.toContain('Pw-1234');
    expect(readFileSync(join(dir, 'settings.json'), 'utf8')).not.toContain('Pw-1234');
    expect(statSync(join(dir, 'secrets.json')).mode & 0o777).toBe(0o600);

    const list = await runCli(['profile', 'list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^acme {2}twilio {2}udp {2}acme\.pstn\.twilio\.com/m);
    expect(list.stdout).toMatch(/^secrets: .*secrets\.json/m);

    const edit = await runCli(['profile', 'edit', 'acme', '--transport', 'tls', '--allow-from', '54.172.60.0/30,2001:db8::/32', '--json']);
    expect(edit.code, explain(edit)).toBe(0);
    expect(json(edit.stdout)['profile']).toMatchObject({ transport: 'tls', inbound: { allowFrom: ['54.172.60.0/30', '2001:db8::/32'] }, hasPassword: true });

    const show = await runCli(['profile', 'show', 'acme']);
    expect(show.stdout).toMatch(/^password: \*{8}$/m);
    expect(show.stdout).not.toContain('Pw-1234');

    const plain = join(dir, 'plain.json');
    const full = join(dir, 'full.json');
    expect((await runCli(['profile', 'export', plain])).code).toBe(0);
    expect(readFileSync(plain, 'utf8')).not.toContain('Pw-1234');
    expect((await runCli(['profile', 'export', full, '--with-secrets'])).code).toBe(0);
    expect(readFileSync(full, 'utf8')).toContain('Pw-1234');
    expect(statSync(full).mode & 0o777).toBe(0o600);

    expect((await runCli(['profile', 'rm', 'acme'])).code).toBe(0);
    expect((await runCli(['profile', 'show', 'acme'])).code).toBe(2);
    const imp = await runCli(['profile', 'import', full, '--json']);
    expect(imp.code, explain(imp)).toBe(0);
    expect(json(imp.stdout)['profiles']).toEqual(['acme']);
    expect(json((await runCli(['profile', 'show', 'acme', '--json'])).stdout)['profile']).toMatchObject({ hasPassword: true, transport: 'tls' });
    expect((await runCli(['profile', 'rm', 'acme'])).code).toBe(0);
  }, 150_000);

  it('bad values are refused with the flag and field named, exit 2, nothing saved', async () => {
    const cases: [string[], RegExp][] = [
      [['--domain', 'sip:x@y'], /--domain \(domain: /],
      [['--domain', 'a.test', '--allow-from', '10.0.0.0/33'], /--allow-from \(inbound\.allowFrom\.0: "10\.0\.0\.0\/33": prefix length must be 0\.\.32\)/],
      [['--domain', 'a.test', '--codec', 'PCMX'], /--codec \(codecs\.0: /],
      [['--domain', 'a.test', '--expires', 'soon'], /--expires \(registerExpires\): expected a whole number/],
      [['--domain', 'a.test', '--transport', 'sctp'], /--transport \(transport: /],
      [['--domain', 'a.test', '--preset', 'nosuch'], /--preset: unknown preset "nosuch"/],
    ];
    for (const [args, re] of cases) {
      const r = await runCli(['profile', 'add', 'bad', ...args]);
      expect(r.code, explain(r)).toBe(2);
      expect(r.stderr, explain(r)).toMatch(re);
    }
    expect((await runCli(['profile', 'add', 'bad name!', '--domain', 'a.test'])).stderr).toMatch(/NAME \(name: /);
    expect(json((await runCli(['profile', 'list', '--json'])).stdout)['profiles']).toEqual([]);
    writeFileSync(join(dir, 'broken.json'), '{"trunkscopeProfiles":1,"profiles":[{"name":"x","domain":"ok.test","codecs":[]}]}');
    const imp = await runCli(['profile', 'import', join(dir, 'broken.json')]);
    expect(imp.code).toBe(2);
    expect(imp.stderr).toMatch(/profiles\.0\.codecs: choose at least one codec/);
  }, 120_000);

  it('a corrupt settings file is moved aside and reported, not replaced', async () => {
    const sub = mkdtempSync(join(tmpdir(), 'ts-corrupt-'));
    writeFileSync(join(sub, 'settings.json'), '{ not json');
    process.env['TRUNKSCOPE_CONFIG_DIR'] = sub;
    try {
      const r = await runCli(['profile', 'list']);
      expect(r.code).toBe(0);
      expect(r.stderr).toMatch(/settings file .*settings\.json could not be read \(not valid JSON.*kept as .*settings\.json\.corrupt-/);
    } finally {
      process.env['TRUNKSCOPE_CONFIG_DIR'] = dir;
      rmSync(sub, { recursive: true, force: true });
    }
  });
});

describe('--profile drives call and register', () => {
  it('call NUMBER --profile: the Request-URI, From, headers and codecs come from the profile; flags override', async () => {
    const port = await freePort();
    const run = await startSipp({ scenario: 'uas-basic', localPort: port, service: '15551230000', timeoutMs: 20_000 });
    await run.ready;
    const add = await runCli(['profile', 'add', 'sipp', '--domain', `127.0.0.1:${port}`, '--mode', 'ip', '--from-user', 'trunk-a', '--header', 'X-Trunk: sipp',
      '--pai', '<sip:+15550001111@127.0.0.1>', '--codec', 'PCMA', '--number-format', 'e164']);
    expect(add.code, explain(add)).toBe(0);
    const cli = await runCli(['call', '+1 555 123 0000', '--profile', 'sipp', '--duration', '1', '--codec', 'PCMU', '--json', '--trace']);
    const sipp = await finishSipp(run, 5000);
    const why = `${explain(cli)}\n---\n${explainSipp(sipp)}`;
    expect(cli.code, why).toBe(0);
    expect(cli.json, why).toMatchObject({ outcome: 'answered', remote: `127.0.0.1:${port}` });
    expect(cli.stderr, why).toMatch(new RegExp(`^INVITE sip:15551230000@127\\.0\\.0\\.1:${port} SIP/2\\.0`, 'm'));
    expect(cli.stderr, why).toMatch(/^From: <sip:trunk-a@127\.0\.0\.1:\d+>;tag=/m);
    expect(cli.stderr, why).toMatch(/^X-Trunk: sipp$/m);
    expect(cli.stderr, why).toMatch(/^P-Asserted-Identity: <sip:\+15550001111@127\.0\.0\.1>$/m);
    // --codec PCMU typed on the command line overrides the profile's PCMA.
    expect(cli.stderr, why).toMatch(/^m=audio \d+ RTP\/AVP 0 /m);
  });

  describe('against Kamailio', () => {
    let kam: Kamailio;
    beforeAll(async () => {
      kam = await startKamailio({ timeoutMs: 120_000 });
    });
    afterAll(async () => kam?.stop());

    it('right password: registered; wrong password: auth-failed; another realm: realm-mismatch', async () => {
      const add = await runCli(['profile', 'add', 'kam', '--preset', 'pbx', '--domain', `127.0.0.1:${kam.port}`, '--user', 'alice', '--password', kamailioPassword]);
      expect(add.code, explain(add)).toBe(0);
      const ok = await runCli(['register', '--profile', 'kam', '--json']);
      expect(ok.code, explain(ok)).toBe(0);
      expect(ok.json).toMatchObject({ command: 'register', outcome: 'registered', finalStatus: 200 });

      // An explicit --password overrides the stored one.
      const wrong = await runCli(['register', '--profile', 'kam', '--password', 'nope', '--json']);
      expect(wrong.code, explain(wrong)).toBe(1);
      expect(wrong.json).toMatchObject({ outcome: 'auth-failed', authFailure: 'wrong-credentials' });

      expect((await runCli(['profile', 'edit', 'kam', '--realm', 'not-kamailio.test'])).code).toBe(0);
      const realm = await runCli(['register', '--profile', 'kam', '--json']);
      expect(realm.code, explain(realm)).toBe(1);
      expect(realm.json, explain(realm)).toMatchObject({ authFailure: 'realm-mismatch' });
    });
  });
});
