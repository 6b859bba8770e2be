// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { createElement } from 'react';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { RoutingView, ROUTING_DRAFT_KEY } from '../../../src/renderer/src/features/routing/routing-view.tsx';
import { createAppStore } from '../../../src/renderer/src/app/store.ts';
import { ApiContext, StoreContext } from '../../../src/renderer/src/app/context.ts';
import type { RouteTestDto, RoutingSummary } from '../../../src/shared/model/routing.ts';
import { fakeApi } from './fake-api.ts';
import type { ListenerState } from '../../../src/shared/api/contract.ts';

afterEach(() => {
  cleanup();
  localStorage.clear();
});

function mount(setup: (api: ReturnType<typeof fakeApi>) => void = () => {}, listener: ListenerState | null = null) {
  const api = fakeApi();
  setup(api);
  // What the engine answers (its handlers are tested in test/unit/service/routing-commands.test.ts).
  api.results['routing.check'] = (a: unknown): RoutingSummary =>
    (a as { text: string }).text.includes('nobody')
      ? { ok: false, problems: [{ line: 4, column: 12, field: 'rules[0].agent', message: 'unknown agent "nobody"' }], rules: [], outbound: [] }
      : {
          ok: true,
          problems: [],
          rules: [
            { name: 'by-header', isDefault: false, conditions: [{ field: 'header', pattern: 'X-Agent-Id: sales' }], agent: 'sales', agentText: 'sales' },
            { name: 'sf-numbers', isDefault: false, conditions: [{ field: 'did', pattern: '+1415*' }], agent: 'ring', agentText: 'ring' },
            { name: 'everything-else', isDefault: true, conditions: [], agent: 'echo', agentText: 'echo' },
          ],
          outbound: [],
        };
  api.results['routing.test'] = (a: unknown): RouteTestDto => {
    const hdr = (a as { headers: Array<[string, string]> }).headers.length > 0;
    return {
      problems: [],
      matched: null,
      misses: [],
      lines: hdr
        ? ['YES by-header: header X-Agent-Id: sales (got "sales") → sales']
        : ['no  by-header: header X-Agent-Id is absent', 'no  sf-numbers: did 200 (request-uri) does not match +1415* (E.164)', 'YES everything-else: default rule → echo'],
    };
  };
  const store = createAppStore();
  if (listener) store.getState().setListener(listener);
  render(createElement(StoreContext.Provider, { value: store }, createElement(ApiContext.Provider, { value: api }, createElement(RoutingView))));
  return api;
}

describe('Routing view', () => {
  it('lists the rules of the example, and the tester explains each rule in one line', async () => {
    const api = mount();
    await waitFor(() => expect(screen.getByTestId('routing-status').textContent).toBe('3 rule(s), 0 outbound route(s)'));
    const items = screen.getByTestId('routing-rules').querySelectorAll('li');
    expect([...items].map((li) => li.getAttribute('data-rule'))).toEqual(['by-header', 'sf-numbers', 'everything-else']);
    fireEvent.change(screen.getByTestId('routing-test-to'), { target: { value: '200' } });
    fireEvent.change(screen.getByTestId('routing-test-headers'), { target: { value: 'X-Agent-Id: sales' } });
    fireEvent.click(screen.getByTestId('routing-test-run'));
    await waitFor(() => expect(screen.getByTestId('routing-test-result').textContent).toContain('YES by-header'));
    const sent = api.calls.find((c) => c.name === 'routing.test')!.args as { to: string; headers: unknown; transport: string; text: string };
    expect(sent).toMatchObject({ to: '200', headers: [['X-Agent-Id', 'sales']], transport: 'udp' });
    expect(sent.text).toContain('name: by-header');
    fireEvent.change(screen.getByTestId('routing-test-headers'), { target: { value: '' } });
    fireEvent.click(screen.getByTestId('routing-test-run'));
    await waitFor(() => {
      const lines = [...screen.getByTestId('routing-test-result').querySelectorAll('li')].map((li) => li.textContent);
      expect(lines).toEqual([
        'no  by-header: header X-Agent-Id is absent',
        'no  sf-numbers: did 200 (request-uri) does not match +1415* (E.164)',
        'YES everything-else: default rule → echo',
      ]);
    });
  });

  it('an edited file with a problem shows it with line and field; the draft is kept', async () => {
    mount();
    fireEvent.change(screen.getByTestId('routing-text'), { target: { value: 'rules:\n  - name: x\n    did: "1"\n    agent: nobody\n' } });
    fireEvent.click(screen.getByTestId('routing-check'));
    await waitFor(() => expect(screen.getByTestId('routing-problems').textContent).toMatch(/line 4:12 rules\[0\]\.agent unknown agent "nobody"/));
    expect(localStorage.getItem(ROUTING_DRAFT_KEY)).toContain('nobody');
  });

  it('a malformed header line is refused before anything is sent', async () => {
    const api = mount();
    fireEvent.change(screen.getByTestId('routing-test-headers'), { target: { value: 'no colon here' } });
    fireEvent.click(screen.getByTestId('routing-test-run'));
    await waitFor(() => expect(screen.getByTestId('routing-test-error').textContent).not.toBe(''));
    expect(api.calls.filter((c) => c.name === 'routing.test')).toHaveLength(0);
  });

  it('opens the text saved in the settings file, and Save shows a refused save with line and field', async () => {
    const saved = 'rules:\n  - name: saved-rule\n    default: true\n    agent: echo\n';
    const api = mount((a) => {
      a.results['routing.load'] = { saved: { text: saved, savedAt: '2026-12-07T10:00:00.000Z' } };
      a.results['routing.save'] = (x: unknown) =>
        (x as { text: string }).text.includes('nobody')
          ? { ok: false, problems: [{ line: 4, column: 12, field: 'rules[0].agent', message: 'unknown agent "nobody"' }] }
          : { ok: true, savedAt: '2026-12-07T11:00:00.000Z', problems: [] };
    });
    await waitFor(() => expect((screen.getByTestId('routing-text') as HTMLTextAreaElement).value).toBe(saved));
    expect(screen.getByTestId('routing-save-status').textContent).toContain('saved 2026-12-07T10:00:00.000Z');
    fireEvent.change(screen.getByTestId('routing-text'), { target: { value: saved.replace('echo', 'nobody') } });
    fireEvent.click(screen.getByTestId('routing-save'));
    await waitFor(() => expect(screen.getByTestId('routing-save-status').textContent).toContain('line 4:12 rules[0].agent unknown agent "nobody"'));
    expect(screen.getByTestId('routing-save-status').textContent).toContain('the saved version is kept');
    // The unsaved draft stays in the editor.
    expect(localStorage.getItem(ROUTING_DRAFT_KEY)).toContain('nobody');
    fireEvent.change(screen.getByTestId('routing-text'), { target: { value: saved } });
    fireEvent.click(screen.getByTestId('routing-save'));
    await waitFor(() => expect(screen.getByTestId('routing-save-status').textContent).toBe('saved 2026-12-07T11:00:00.000Z'));
    expect(localStorage.getItem(ROUTING_DRAFT_KEY)).toBeNull();
    expect(api.calls.filter((c) => c.name === 'routing.save').length).toBe(2);
  });

  it('shows a live counter per rule while the listener routes by the saved rules', async () => {
    const routeTotals = { 'by-header': 0, 'sf-numbers': 1, 'everything-else': 2 };
    mount(
      (a) => {
        a.results['app.snapshot'] = { listener: { running: true, transports: ['udp'], answer: 'echo', routeTotals: { ...routeTotals, 'by-header': 3 } }, calls: [] };
      },
      { running: true, transports: ['udp'], answer: 'echo', routeTotals },
    );
    await waitFor(() => expect(screen.getAllByTestId('routing-rule-count').map((x) => x.textContent)).toEqual([' · 0 call(s)', ' · 1 call(s)', ' · 2 call(s)']));
    // Polled: the engine's newer totals replace them.
    await waitFor(() => expect(screen.getAllByTestId('routing-rule-count')[0]?.textContent).toBe(' · 3 call(s)'), { timeout: 3000 });
  });
});
