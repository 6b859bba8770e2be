import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SettingsStore } from '../../../../src/main/platform/settings-store.ts';
import { RoutingStore } from '../../../../src/main/engine/routing/routing-store.ts';
import { routingStoreHandlers } from '../../../../src/main/engine/service/routing-store-handlers.ts';

const dirs: string[] = [];
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'ts-routing-store-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const GOOD = `rules:
  - name: busy-1234
    did: "1234"
    agent: busy
  - name: rest
    default: true
    agent: echo
`;
const BAD = `rules:
  - name: busy-1234
    did: "1234"
    agent: no-such-agent
`;

describe('RoutingStore', () => {
  it('has nothing saved at first, then loads what was saved from the settings file', () => {
    const dir = tmp();
    const store = new RoutingStore(new SettingsStore(dir));
    expect(store.load()).toBeNull();
    const r = store.save(GOOD, new Date('2026-12-07T10:00:00Z'));
    expect(r).toEqual({ ok: true, savedAt: '2026-12-07T10:00:00.000Z' });
    // A new store on the same folder (another process) sees it.
    const again = new RoutingStore(new SettingsStore(dir));
    expect(again.load()).toEqual({ text: GOOD, savedAt: '2026-12-07T10:00:00.000Z' });
    expect(again.table()?.rules.map((x) => x.name)).toEqual(['busy-1234', 'rest']);
    expect(JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8')).app.routing.text).toBe(GOOD);
  });

  it('refuses invalid text with the line and field, and keeps the saved version', () => {
    const dir = tmp();
    const store = new RoutingStore(new SettingsStore(dir));
    store.save(GOOD);
    const r = store.save(BAD);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.length).toBeGreaterThan(0);
    const p = r.problems[0]!;
    expect(p.line).toBe(4);
    expect(p.field).toContain('agent');
    expect(new RoutingStore(new SettingsStore(dir)).load()?.text).toBe(GOOD);
  });

  it('refuses text that is not YAML at all, nothing saved yet stays nothing', () => {
    const store = new RoutingStore(new SettingsStore(tmp()));
    const r = store.save('rules: [\n  {name: x');
    expect(r.ok).toBe(false);
    expect(store.load()).toBeNull();
  });

  it('keeps profiles and other app settings when saving', () => {
    const dir = tmp();
    const settings = new SettingsStore(dir);
    settings.setApp('window', { w: 800 });
    new RoutingStore(settings).save(GOOD);
    expect(new SettingsStore(dir).getApp('window', {})).toEqual({ w: 800 });
  });

  it('contract handlers: routing.load / routing.save', async () => {
    const dir = tmp();
    const h = routingStoreHandlers(() => new RoutingStore(new SettingsStore(dir)));
    expect(await h['routing.load']()).toEqual({ saved: null });
    const bad = await h['routing.save']({ text: BAD });
    expect(bad.ok).toBe(false);
    expect(bad.problems[0]?.line).toBe(4);
    const good = await h['routing.save']({ text: GOOD });
    expect(good).toMatchObject({ ok: true, problems: [] });
    expect((await h['routing.load']()).saved?.text).toBe(GOOD);
  });
});
