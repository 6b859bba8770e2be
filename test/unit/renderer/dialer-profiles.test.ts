// @vitest-environment happy-dom
/**
 * The dialer's saved profiles ("lines"): save, choose (fills the form, the call carries it),
 * update, delete, the password kept only when asked, names refused with the reason, and stored
 * text that cannot be read kept aside under the backup key with a message, never a crash.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createElement } from 'react';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { Dialer } from '../../../src/renderer/src/features/dialer/dialer.tsx';
import { createAppStore } from '../../../src/renderer/src/app/store.ts';
import { ApiContext, StoreContext } from '../../../src/renderer/src/app/context.ts';
import {
  PROFILES_BACKUP_KEY,
  PROFILES_KEY,
  type Profile,
} from '../../../src/renderer/src/features/dialer/profiles.ts';
import { fakeApi } from './fake-api.ts';

function mount() {
  const api = fakeApi();
  api.results['call.place'] = { callId: 'new-call' };
  render(
    createElement(
      StoreContext.Provider,
      { value: createAppStore() },
      createElement(ApiContext.Provider, { value: api }, createElement(Dialer)),
    ),
  );
  return api;
}

/** Unmount and mount again: what a page reload does to the dialer. */
function reload() {
  cleanup();
  return mount();
}

const el = <T extends HTMLElement = HTMLInputElement>(id: string) =>
  screen.getByTestId(id) as unknown as T;
const type = (id: string, value: string) => fireEvent.change(el(id), { target: { value } });
const stored = (): { version: number; profiles: Profile[] } =>
  JSON.parse(localStorage.getItem(PROFILES_KEY) ?? 'null');
const optionNames = () =>
  [...el<HTMLSelectElement>('profile-select').options].map((o) => o.textContent);

function saveAs(name: string) {
  fireEvent.click(el('profile-save-new'));
  type('profile-name', name);
  fireEvent.click(el('profile-name-save'));
}

/** A trunk line: proxy, From, credentials, headers, G722 first, INFO DTMF, TCP. */
function fillTrunk() {
  type('dialer-proxy', '127.0.0.1:5070');
  type('dialer-from', 'sip:+14155550100@pbx.example.com');
  type('dialer-transport', 'tcp');
  type('dialer-dtmf', 'info');
  type('dialer-srtp', 'offer');
  type('dialer-source', 'probe');
  type('dialer-headers', 'X-Customer: 42');
  type('dialer-user', 'alice');
  type('dialer-password', 's3cret');
  type('dialer-auth-user', 'alice-auth');
  fireEvent.click(el('dialer-codec-G722'));
  fireEvent.click(screen.getByLabelText('move G722 earlier'));
  fireEvent.click(screen.getByLabelText('move G722 earlier'));
  fireEvent.click(el('dialer-codec-PCMA'));
}

describe('dialer profiles', () => {
  afterEach(() => {
    cleanup();
    localStorage.clear();
    vi.restoreAllMocks();
  });

  it('saves the form as a profile that appears in the select; no password unless asked', () => {
    mount();
    expect(optionNames()).toEqual(['No profile']);
    expect(el('profile-update').hasAttribute('disabled')).toBe(true);
    expect(el('profile-delete').hasAttribute('disabled')).toBe(true);
    expect(el('profile-save-password').checked).toBe(false);
    fillTrunk();
    type('dialer-target', 'not part of a profile');
    saveAs('Twilio trunk');
    expect(optionNames()).toEqual(['No profile', 'Twilio trunk']);
    expect(el<HTMLSelectElement>('profile-select').value).toBe('Twilio trunk');
    expect(el('profile-status').textContent).toBe('Saved profile "Twilio trunk".');
    const saved = stored();
    expect(saved.version).toBe(1);
    expect(saved.profiles).toEqual([
      {
        name: 'Twilio trunk',
        transport: 'tcp',
        codecs: [
          { name: 'G722', on: true },
          { name: 'PCMU', on: true },
          { name: 'PCMA', on: false },
          { name: 'opus', on: false },
          { name: 'G729', on: false },
        ],
        dtmf: 'info',
        srtp: 'offer',
        source: 'probe',
        headersText: 'X-Customer: 42',
        proxy: '127.0.0.1:5070',
        from: 'sip:+14155550100@pbx.example.com',
        user: 'alice',
        authUser: 'alice-auth',
      },
    ]);
    expect(localStorage.getItem(PROFILES_KEY)).not.toContain('s3cret');
    expect(localStorage.getItem(PROFILES_KEY)).not.toContain('not part of a profile');
  });

  it('keeps the password only with the checkbox on, and selecting restores it', () => {
    mount();
    fillTrunk();
    fireEvent.click(el('profile-save-password'));
    saveAs('with password');
    expect(stored().profiles[0]!.password).toBe('s3cret');
    reload();
    type('profile-select', 'with password');
    expect(el('dialer-password').value).toBe('s3cret');
    expect(el('profile-save-password').checked).toBe(true);
    // Unticked and updated: the password leaves storage.
    fireEvent.click(el('profile-save-password'));
    fireEvent.click(el('profile-update'));
    expect(stored().profiles[0]).not.toHaveProperty('password');
    expect(localStorage.getItem(PROFILES_KEY)).not.toContain('s3cret');
  });

  it('after a reload, choosing a profile fills the form and the call carries it', async () => {
    mount();
    fillTrunk();
    saveAs('line 1');
    const api = reload();
    expect(el('dialer-proxy').value).toBe('');
    type('dialer-password', 'typed before');
    type('profile-select', 'line 1');
    expect(el('dialer-proxy').value).toBe('127.0.0.1:5070');
    expect(el('dialer-password').value).toBe('');
    expect(el<HTMLSelectElement>('dialer-transport').value).toBe('tcp');
    expect(el('dialer-codec-PCMA').checked).toBe(false);
    type('dialer-password', 'pw');
    type('dialer-target', '1000');
    fireEvent.click(el('dialer-call'));
    await waitFor(() => expect(api.calls).toHaveLength(1));
    expect(api.calls[0]).toEqual({
      name: 'call.place',
      args: {
        target: '1000',
        transport: 'tcp',
        codecs: ['G722', 'PCMU'],
        dtmf: 'info',
        srtp: 'offer',
        headers: [['X-Customer', '42']],
        source: 'probe',
        user: 'alice',
        password: 'pw',
        authUser: 'alice-auth',
        proxy: '127.0.0.1:5070',
        from: 'sip:+14155550100@pbx.example.com',
      },
    });
  });

  it('a number with no proxy is refused in the form, and nothing is sent', async () => {
    const api = mount();
    type('dialer-target', '+14155550100');
    fireEvent.click(el('dialer-call'));
    expect((await screen.findByTestId('dialer-error-target')).textContent).toBe(
      'a number needs a Proxy (or enter user@host or a SIP URI)',
    );
    type('dialer-proxy', 'sip:');
    type('dialer-from', 'tel:+123');
    fireEvent.click(el('dialer-call'));
    expect((await screen.findByTestId('dialer-error-proxy')).textContent).toBe(
      'nothing after "sip:"',
    );
    expect(el('dialer-error-from').textContent).toBe(
      'unknown URI scheme "tel:" (use sip: or sips:)',
    );
    expect(api.calls).toEqual([]);
  });

  it('updates the chosen profile, and deletes it after a confirmation', () => {
    mount();
    fillTrunk();
    saveAs('B line');
    type('dialer-proxy', '');
    saveAs('A line');
    expect(optionNames()).toEqual(['No profile', 'A line', 'B line']);
    type('profile-select', 'B line');
    type('dialer-proxy', 'sbc.example.com:5080');
    fireEvent.click(el('profile-update'));
    expect(el('profile-status').textContent).toBe('Updated profile "B line".');
    expect(stored().profiles.map((p) => [p.name, p.proxy])).toEqual([
      ['B line', 'sbc.example.com:5080'],
      ['A line', ''],
    ]);

    fireEvent.click(el('profile-delete'));
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(stored().profiles).toHaveLength(2);
    fireEvent.click(el('profile-delete'));
    expect(screen.getByText('Delete profile "B line"? This cannot be undone.')).toBeTruthy();
    fireEvent.click(el('profile-delete-confirm'));
    expect(optionNames()).toEqual(['No profile', 'A line']);
    expect(el<HTMLSelectElement>('profile-select').value).toBe('');
    expect(stored().profiles.map((p) => p.name)).toEqual(['A line']);
  });

  it('refuses empty, duplicate and too long names, and invalid fields, with the reason', () => {
    const api = mount();
    saveAs('   ');
    expect(el('profile-name-error').textContent).toBe('enter a name');
    type('profile-name', 'x'.repeat(65));
    fireEvent.click(el('profile-name-save'));
    expect(el('profile-name-error').textContent).toBe('at most 64 characters');
    type('profile-name', 'Plivo');
    fireEvent.click(el('profile-name-save'));
    expect(optionNames()).toEqual(['No profile', 'Plivo']);
    saveAs(' Plivo ');
    expect(el('profile-name-error').textContent).toBe('a profile named "Plivo" exists already');
    // Enter in the name field saves (it does not place a call); Esc closes the name form.
    type('dialer-proxy', 'bad proxy');
    type('profile-name', 'Exotel');
    fireEvent.keyDown(el('profile-name'), { key: 'Enter' });
    expect(el('profile-name-error').textContent).toBe('fix the fields marked in the form first');
    expect(el('dialer-error-proxy').textContent).toBe('no spaces in a SIP URI');
    type('dialer-proxy', 'exotel.example.com');
    fireEvent.keyDown(el('profile-name'), { key: 'Enter' });
    expect(optionNames()).toEqual(['No profile', 'Exotel', 'Plivo']);
    expect(screen.queryByTestId('profile-name')).toBeNull();
    fireEvent.click(el('profile-save-new'));
    fireEvent.keyDown(el('profile-name'), { key: 'Escape' });
    expect(screen.queryByTestId('profile-name')).toBeNull();
    expect(api.calls).toEqual([]);
    expect(stored().profiles.map((p) => p.name)).toEqual(['Plivo', 'Exotel']);
  });

  it('malformed stored JSON: a message, the raw text kept under the backup key, no crash', () => {
    const raw = '{"version":1,"profiles":[{"name":"Twilio"'; // cut short
    localStorage.setItem(PROFILES_KEY, raw);
    mount();
    expect(el('profile-problem').textContent).toContain(
      `Saved profiles could not be read (not valid JSON). The stored text is kept under "${PROFILES_BACKUP_KEY}"`,
    );
    expect(localStorage.getItem(PROFILES_BACKUP_KEY)).toBe(raw);
    expect(localStorage.getItem(PROFILES_KEY)).toBe(raw); // untouched until something is saved
    expect(optionNames()).toEqual(['No profile']);
    // The dialer carries on: a new profile is saved; the backup stays.
    type('dialer-proxy', 'trunk.example.com');
    saveAs('fresh');
    expect(stored().profiles.map((p) => p.name)).toEqual(['fresh']);
    expect(localStorage.getItem(PROFILES_BACKUP_KEY)).toBe(raw);
    fireEvent.click(screen.getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByTestId('profile-problem')).toBeNull();
  });

  it('keeps the readable profiles of a partly bad list, and never overwrites an earlier backup', () => {
    localStorage.setItem(PROFILES_BACKUP_KEY, 'an earlier copy');
    const good = {
      name: 'good',
      transport: 'udp',
      codecs: [{ name: 'PCMA', on: true }],
      dtmf: 'rfc2833',
      srtp: 'off',
      source: 'tone',
      headersText: '',
      proxy: 'p.example.com',
      from: '',
      user: '',
      authUser: '',
    };
    const raw = JSON.stringify({ version: 1, profiles: [good, { name: 'bad', transport: 'ws' }] });
    localStorage.setItem(PROFILES_KEY, raw);
    mount();
    expect(el('profile-problem').textContent).toBe(
      `Saved profiles could not be read (1 of 2 entries are not valid profiles). The stored text ` +
        `is kept under "${PROFILES_BACKUP_KEY}.2" in this browser's storage. The 1 readable ` +
        'profile is loaded.',
    );
    expect(localStorage.getItem(PROFILES_BACKUP_KEY)).toBe('an earlier copy');
    expect(localStorage.getItem(`${PROFILES_BACKUP_KEY}.2`)).toBe(raw);
    expect(optionNames()).toEqual(['No profile', 'good']);
    type('profile-select', 'good');
    // Codecs the profile does not list are added after its own, off.
    expect(el('dialer-codec-PCMA').checked).toBe(true);
    expect(el('dialer-codec-PCMU').checked).toBe(false);
    expect(el('dialer-proxy').value).toBe('p.example.com');
  });

  it('a wrong shape is kept aside too', () => {
    localStorage.setItem(PROFILES_KEY, '["not", "profiles"]');
    mount();
    expect(el('profile-problem').textContent).toContain(
      'not a list of profiles this version knows',
    );
    expect(localStorage.getItem(PROFILES_BACKUP_KEY)).toBe('["not", "profiles"]');
  });

  it('storage that refuses writes: the stored text stays untouched, changes last the session', () => {
    localStorage.setItem(PROFILES_KEY, 'garbage');
    vi.spyOn(localStorage, 'setItem').mockImplementation(() => {
      throw new DOMException('full', 'QuotaExceededError');
    });
    mount();
    expect(el('profile-problem').textContent).toContain('a copy could not be kept');
    saveAs('session only');
    expect(optionNames()).toEqual(['No profile', 'session only']);
    expect(el('profile-status').textContent).toBe(
      'Saved profile "session only" (for this session only: see the message above).',
    );
    expect(localStorage.getItem(PROFILES_KEY)).toBe('garbage');
    expect(localStorage.getItem(PROFILES_BACKUP_KEY)).toBeNull();
  });

  it('a full storage on save says so instead of throwing', () => {
    mount();
    vi.spyOn(localStorage, 'setItem').mockImplementation(() => {
      throw new DOMException('full', 'QuotaExceededError');
    });
    saveAs('x');
    expect(optionNames()).toEqual(['No profile', 'x']);
    expect(el('profile-problem').textContent).toBe(
      `Saved profile "x", but profiles could not be saved in this browser's storage (full or ` +
        'disabled): the change lasts for this session only.',
    );
  });
});
