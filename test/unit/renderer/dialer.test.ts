// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { createElement } from 'react';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import {
  parseHeaders,
  sipAddressError,
  targetError,
  validateDialer,
  type DialerForm,
} from '../../../src/renderer/src/features/dialer/validate.ts';
import { Dialer } from '../../../src/renderer/src/features/dialer/dialer.tsx';
import { createAppStore } from '../../../src/renderer/src/app/store.ts';
import { ApiContext, StoreContext } from '../../../src/renderer/src/app/context.ts';
import { RECENT_KEY } from '../../../src/renderer/src/features/dialer/recent.ts';
import { fakeApi } from './fake-api.ts';

const form = (over: Partial<DialerForm> = {}): DialerForm => ({
  target: 'sip:bob@example.com',
  transport: 'udp',
  codecs: ['PCMU', 'PCMA'],
  dtmf: 'rfc2833',
  srtp: 'off',
  headersText: '',
  user: '',
  password: '',
  authUser: '',
  source: 'tone',
  proxy: '',
  from: '',
  ...over,
});

describe('dialer validation', () => {
  it('accepts SIP URIs, numbers and user@host', () => {
    for (const t of [
      'sip:bob@example.com',
      'sips:bob@example.com:5061;transport=tls',
      '+14155550100',
      '1000@127.0.0.1:5070',
      'tel:+4930123',
      '*97#',
    ]) {
      expect(targetError(t), t).toBeUndefined();
    }
  });

  it('refuses empty targets and characters that cannot be in a URI, with the reason', () => {
    expect(targetError('  ')).toBe('enter a SIP URI or number');
    expect(targetError('sip:bob smith@x')).toBe('no spaces in a SIP URI or number');
    expect(targetError('sip:<bob>@x')).toBe('"<" is not allowed in a SIP URI');
    expect(targetError('http://example.com')).toMatch(/unknown URI scheme "http:"/);
    expect(targetError('sip:')).toBe('nothing after "sip:"');
    expect(targetError('sip:bob@')).toBe('host missing after "@"');
    expect(targetError('sip:b%zzob@x')).toMatch(/two hex digits/);
  });

  it('parses header lines and names the bad one', () => {
    expect(parseHeaders('X-A: 1\n\nX-B:two words')).toEqual({
      headers: [
        ['X-A', '1'],
        ['X-B', 'two words'],
      ],
    });
    expect(parseHeaders('X-A: 1\nnot a header')).toEqual({
      error: 'line 2: expected "Name: value"',
    });
    expect(parseHeaders('Bad Name: 1')).toEqual({
      error: 'line 1: invalid header name "Bad Name"',
    });
  });

  it('uses the contract schema: unknown codecs and an empty codec list are refused', () => {
    const unknown = validateDialer(form({ codecs: ['PCMU', 'AMR'] }));
    expect(unknown).toEqual({ ok: false, errors: { codecs: 'unknown codec "AMR"' } });
    const none = validateDialer(form({ codecs: [] }));
    expect(none).toEqual({ ok: false, errors: { codecs: 'choose at least one codec' } });
  });

  it('checks the proxy and From, and refuses a number with no proxy to send it to', () => {
    for (const a of [
      '',
      'trunk.example.com',
      '127.0.0.1:5070',
      'sips:sbc.example.com;transport=tls',
    ]) {
      expect(sipAddressError(a), a).toBeUndefined();
    }
    expect(sipAddressError('alice@pbx.example.com')).toBeUndefined();
    expect(sipAddressError('[2001:db8::1]:5060')).toBeUndefined();
    expect(sipAddressError('trunk example.com')).toBe('no spaces in a SIP URI');
    expect(sipAddressError('tel:+4930')).toBe('unknown URI scheme "tel:" (use sip: or sips:)');
    expect(sipAddressError('sip:')).toBe('nothing after "sip:"');
    expect(sipAddressError('sip:alice@')).toBe('host missing after "@"');
    expect(sipAddressError('host:99999')).toBe('port 99999 is out of range (1-65535)');
    expect(sipAddressError('a#b')).toBe('"#" is not allowed in a SIP URI');
    expect(validateDialer(form({ target: '+14155550100' }))).toEqual({
      ok: false,
      errors: { target: 'a number needs a Proxy (or enter user@host or a SIP URI)' },
    });
    expect(validateDialer(form({ proxy: 'sip:', from: 'x y' }))).toEqual({
      ok: false,
      errors: { proxy: 'nothing after "sip:"', from: 'no spaces in a SIP URI' },
    });
    const v = validateDialer(
      form({ target: '+14155550100', proxy: ' 127.0.0.1:5070 ', from: 'sip:me@example.com' }),
    );
    expect(v.ok && v.args).toMatchObject({
      target: '+14155550100',
      proxy: '127.0.0.1:5070',
      from: 'sip:me@example.com',
    });
  });

  it('builds call.place arguments from a valid form', () => {
    const v = validateDialer(
      form({ headersText: 'X-Test: yes', user: ' alice ', password: 'pw', source: 'microphone' }),
    );
    expect(v).toEqual({
      ok: true,
      args: {
        target: 'sip:bob@example.com',
        transport: 'udp',
        codecs: ['PCMU', 'PCMA'],
        dtmf: 'rfc2833',
        srtp: 'off',
        headers: [['X-Test', 'yes']],
        source: 'microphone',
        user: 'alice',
        password: 'pw',
      },
    });
  });
});

describe('Dialer form', () => {
  afterEach(() => {
    cleanup();
    localStorage.clear();
  });

  function setup() {
    const api = fakeApi();
    const store = createAppStore();
    api.results['call.place'] = { callId: 'new-call' };
    render(
      createElement(
        StoreContext.Provider,
        { value: store },
        createElement(ApiContext.Provider, { value: api }, createElement(Dialer)),
      ),
    );
    return { api, store };
  }

  it('shows the reason next to the field and invokes nothing for an invalid target', async () => {
    const { api } = setup();
    fireEvent.click(screen.getByTestId('dialer-call'));
    expect((await screen.findByTestId('dialer-error-target')).textContent).toBe(
      'enter a SIP URI or number',
    );
    fireEvent.change(screen.getByTestId('dialer-target'), { target: { value: 'sip:a b@c' } });
    fireEvent.click(screen.getByTestId('dialer-call'));
    await waitFor(() =>
      expect(screen.getByTestId('dialer-error-target').textContent).toBe(
        'no spaces in a SIP URI or number',
      ),
    );
    expect(api.calls).toEqual([]);
  });

  it('opens the collapsed headers part when a field in it is invalid', async () => {
    const { api } = setup();
    const details = screen.getByText('Headers and credentials').closest('details')!;
    expect(details.open).toBe(false);
    fireEvent.change(screen.getByTestId('dialer-target'), { target: { value: 'sip:a@b' } });
    fireEvent.change(screen.getByTestId('dialer-headers'), { target: { value: 'oops' } });
    fireEvent.click(screen.getByTestId('dialer-call'));
    expect((await screen.findByTestId('dialer-error-headers')).textContent).toBe(
      'line 1: expected "Name: value"',
    );
    expect(details.open).toBe(true);
    expect(api.calls).toEqual([]);
  });

  it('refuses unticking every codec with the reason', async () => {
    const { api } = setup();
    fireEvent.change(screen.getByTestId('dialer-target'), { target: { value: '1000' } });
    fireEvent.click(screen.getByTestId('dialer-codec-PCMU'));
    fireEvent.click(screen.getByTestId('dialer-codec-PCMA'));
    fireEvent.click(screen.getByTestId('dialer-call'));
    expect((await screen.findByTestId('dialer-error-codecs')).textContent).toBe(
      'choose at least one codec',
    );
    expect(api.calls).toEqual([]);
  });

  it('places the call on Enter with the ordered codecs, and remembers the target', async () => {
    const { api, store } = setup();
    const input = screen.getByTestId('dialer-target');
    fireEvent.click(screen.getByTestId('dialer-key-1'));
    fireEvent.click(screen.getByTestId('dialer-key-hash'));
    expect((input as HTMLInputElement).value).toBe('1#');
    fireEvent.change(input, { target: { value: 'sip:agent@127.0.0.1:5070' } });
    fireEvent.click(screen.getByTestId('dialer-codec-G722'));
    fireEvent.click(screen.getByLabelText('move G722 earlier'));
    fireEvent.change(screen.getByTestId('dialer-source'), { target: { value: 'microphone' } });
    fireEvent.submit(input.closest('form')!);
    await waitFor(() => expect(api.calls).toHaveLength(1));
    expect(api.calls[0]).toMatchObject({
      name: 'call.place',
      args: {
        target: 'sip:agent@127.0.0.1:5070',
        codecs: ['PCMU', 'G722', 'PCMA'],
        source: 'microphone',
      },
    });
    await waitFor(() => expect(store.getState().recent).toEqual(['sip:agent@127.0.0.1:5070']));
    expect(store.getState().micCalls).toEqual({ 'new-call': true });
    expect(JSON.parse(localStorage.getItem(RECENT_KEY)!)).toEqual(['sip:agent@127.0.0.1:5070']);
  });
});
