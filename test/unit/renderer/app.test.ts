// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createElement } from 'react';
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';

vi.mock('uplot', () => ({
  default: class {
    setData() {}
    destroy() {}
  },
}));

import { App } from '../../../src/renderer/src/app/app.tsx';
import { createAppStore } from '../../../src/renderer/src/app/store.ts';
import { ErrorBoundary } from '../../../src/renderer/src/components/error-boundary.tsx';
import { THEME_KEY } from '../../../src/renderer/src/features/settings/theme.ts';
import { fakeApi } from './fake-api.ts';
import { snap } from './fixtures.ts';

describe('App', () => {
  afterEach(() => {
    cleanup();
    localStorage.clear();
  });

  it('renders with no engine connected and says it is connecting', () => {
    const api = fakeApi('connecting');
    render(createElement(App, { api, store: createAppStore() }));
    const status = screen.getByTestId('conn-status');
    expect(status.textContent).toBe('connecting…');
    expect(status.dataset.status).toBe('connecting');
    expect(screen.getByTestId('dialer-target')).toBeTruthy();
    expect(api.calls).toEqual([]); // nothing asked of an engine that is not there
  });

  it('asks for a snapshot once connected and shows engine errors as dismissible messages', async () => {
    const api = fakeApi('connecting');
    api.results['app.snapshot'] = {
      version: '1',
      calls: [snap('c1', { state: 'ringing' })],
      listener: { running: false, transports: [], answer: 'echo' },
      traceCount: 0,
    };
    const store = createAppStore();
    render(createElement(App, { api, store }));
    await act(async () => api.setStatus('open'));
    expect(screen.getByTestId('conn-status').textContent).toBe('connected');
    expect(api.calls[0]?.name).toBe('app.snapshot');
    expect(await screen.findByTestId('call-card')).toBeTruthy();
    act(() => api.emit('engine.error', { message: 'TLS handshake failed' }));
    expect(screen.getByTestId('error-message').textContent).toContain('TLS handshake failed');
    fireEvent.click(screen.getByTestId('error-dismiss'));
    expect(screen.queryByTestId('error-message')).toBeNull();
  });

  it('switches views and toggles the theme, persisting it', () => {
    const store = createAppStore();
    render(createElement(App, { api: fakeApi(), store }));
    const before = document.documentElement.dataset.theme;
    fireEvent.click(screen.getByTestId('theme-toggle'));
    const after = document.documentElement.dataset.theme;
    expect(after).not.toBe(before);
    expect(JSON.parse(localStorage.getItem(THEME_KEY)!)).toBe(after);
    fireEvent.click(screen.getByTestId('nav-listener'));
    expect(screen.getByTestId('listener-state').dataset.running).toBe('false');
    fireEvent.click(screen.getByTestId('nav-trace'));
    expect(screen.getByTestId('trace-count').textContent).toBe('0 / 0');
  });

  it('an error inside a feature shows a message instead of a blank window', () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const Boom = () => {
      throw new Error('kaboom');
    };
    render(createElement(ErrorBoundary, { name: 'Trace', children: createElement(Boom) }));
    expect(screen.getByRole('alert').textContent).toContain('Trace stopped working: kaboom');
    spy.mockRestore();
  });
});
