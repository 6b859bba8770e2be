// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { createElement } from 'react';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { RoutingView } from '../../../src/renderer/src/features/routing/routing-view.tsx';
import { createAppStore } from '../../../src/renderer/src/app/store.ts';
import { ApiContext, StoreContext } from '../../../src/renderer/src/app/context.ts';
import type { RoutingSummary } from '../../../src/shared/model/routing.ts';
import { fakeApi } from './fake-api.ts';

afterEach(() => {
  cleanup();
  localStorage.clear();
});

const SAVED = `agents:
  sales:
    type: answer-after
    seconds: 5
rules:
  - name: first
    did: "1234"
    agent: sales
  - name: second
    header: { name: X-Agent-Id, value: sales }
    agent: busy
  - name: rest
    default: true
    agent: echo
`;

function mount(check: (text: string) => RoutingSummary = () => ({ ok: true, problems: [], rules: [], outbound: [] })) {
  const api = fakeApi();
  api.results['routing.load'] = { saved: { text: SAVED, savedAt: '2026-12-07T10:00:00.000Z' } };
  api.results['routing.check'] = (a: unknown) => check((a as { text: string }).text);
  const store = createAppStore();
  render(createElement(StoreContext.Provider, { value: store }, createElement(ApiContext.Provider, { value: api }, createElement(RoutingView))));
  return api;
}

const text = () => (screen.getByTestId('routing-text') as HTMLTextAreaElement).value;
const order = () => screen.getAllByTestId('rule-item').map((li) => li.getAttribute('data-rule'));

describe('structured routing editor', () => {
  it('moves rules with the buttons and deletes one; the file text follows', async () => {
    mount();
    await waitFor(() => expect(order()).toEqual(['first', 'second', 'rest']));
    fireEvent.click(screen.getByRole('button', { name: 'Move rule second up' }));
    expect(order()).toEqual(['second', 'first', 'rest']);
    expect(text().indexOf('name: second')).toBeLessThan(text().indexOf('name: first'));
    expect((screen.getByRole('button', { name: 'Move rule second up' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Delete rule first' }));
    expect(order()).toEqual(['second', 'rest']);
    expect(text()).not.toContain('name: first');
    // The agents section is kept as it was.
    expect(text()).toContain('type: answer-after');
  });

  it('a new rule goes before the default rule; its fields write the file', async () => {
    mount();
    await waitFor(() => expect(order()).toEqual(['first', 'second', 'rest']));
    fireEvent.click(screen.getByTestId('rule-add'));
    expect(order()).toEqual(['first', 'second', 'rule-1', 'rest']);
    fireEvent.change(screen.getByTestId('rule-name'), { target: { value: 'uk' } });
    fireEvent.change(screen.getByTestId('rule-from'), { target: { value: '+44*' } });
    fireEvent.click(screen.getByTestId('rule-from-e164'));
    fireEvent.click(screen.getByTestId('rule-transport-tls'));
    fireEvent.change(screen.getByTestId('rule-source'), { target: { value: '127.0.0.2, 10.0.0.0/8' } });
    fireEvent.change(screen.getByTestId('rule-agent'), { target: { value: 'unavailable' } });
    expect(text()).toContain(['  - name: uk', '    from:', '      pattern: +44*', '      e164: true', '    source:', '      - 127.0.0.2', '      - 10.0.0.0/8', '    transport: tls', '    agent: unavailable'].join('\n'));
  });

  it('shows the engine problem beside the field it names, and the rule-wide one above', async () => {
    mount((t) =>
      t.includes('did: 12x')
        ? {
            ok: false,
            problems: [
              { line: 7, column: 10, field: 'rules[0].did', message: 'not a number pattern' },
              { line: 9, column: 5, field: 'rules[1]', message: 'a rule without conditions must say default: true' },
            ],
            rules: [],
            outbound: [],
          }
        : { ok: true, problems: [], rules: [], outbound: [] },
    );
    await waitFor(() => expect(order()).toEqual(['first', 'second', 'rest']));
    fireEvent.click(within(screen.getAllByTestId('rule-item')[0]!).getByTestId('rule-edit'));
    fireEvent.change(screen.getByTestId('rule-did'), { target: { value: '12x' } });
    await waitFor(() => expect(screen.getByTestId('rule-error-did').textContent).toBe('not a number pattern'));
    expect(screen.getAllByTestId('rule-item')[1]!.className).toContain('invalid');
    fireEvent.click(within(screen.getAllByTestId('rule-item')[1]!).getByTestId('rule-edit'));
    expect(screen.getByTestId('rule-error').textContent).toBe('a rule without conditions must say default: true');
  });

  it('edits an agent and its failover chain; a rename follows into the rules', async () => {
    mount();
    await waitFor(() => expect(screen.getAllByTestId('agent-item')).toHaveLength(1));
    fireEvent.click(screen.getByTestId('agent-edit'));
    fireEvent.change(screen.getByTestId('agent-max-calls'), { target: { value: '1' } });
    fireEvent.click(screen.getByTestId('failover-add'));
    fireEvent.click(screen.getByTestId('failover-unavailable-0'));
    fireEvent.change(screen.getByTestId('failover-no-answer-0'), { target: { value: '10' } });
    fireEvent.change(screen.getByTestId('failover-then-0'), { target: { value: 'reject 480' } });
    expect(text()).toContain(['  sales:', '    type: answer-after', '    seconds: 5', '    max-calls: 1', '    on:', '      - when:', '          - busy', '          - unavailable', '          - no-answer 10 s', '        then: reject 480'].join('\n'));
    fireEvent.change(screen.getByTestId('agent-name'), { target: { value: 'desk' } });
    expect(text()).toContain('  desk:\n');
    expect(text()).toContain('agent: desk');
    expect(text()).not.toContain('sales:\n');
    // A name in use is not taken over (no agent is lost); the input says why.
    fireEvent.click(screen.getByTestId('agent-add'));
    fireEvent.change(screen.getByTestId('agent-name'), { target: { value: 'desk' } });
    expect(screen.getByTestId('agent-error-name').textContent).toBe('another agent is named "desk"');
    expect(screen.getAllByTestId('agent-item').map((x) => x.getAttribute('data-agent'))).toEqual(['desk', 'agent-1']);
    fireEvent.change(screen.getByTestId('agent-type'), { target: { value: 'tone' } });
    fireEvent.change(screen.getByTestId('agent-hz'), { target: { value: '440' } });
    expect(text()).toContain('  agent-1:\n    type: tone\n    hz: 440\n');
  });

  it('edits outbound routes: numbers, move-on, targets with priority and weight', async () => {
    mount();
    await waitFor(() => expect(order()).toEqual(['first', 'second', 'rest']));
    fireEvent.click(screen.getByTestId('route-add'));
    fireEvent.change(screen.getByTestId('route-name'), { target: { value: 'pstn' } });
    fireEvent.change(screen.getByTestId('route-numbers'), { target: { value: '+1*, +44*' } });
    // Unset move-on means every failure but 403; unticking one writes the list.
    expect((screen.getByTestId('route-move-on-403') as HTMLInputElement).checked).toBe(false);
    fireEvent.click(screen.getByTestId('route-move-on-5xx'));
    fireEvent.change(screen.getByTestId('target-uri-0'), { target: { value: 'sip:{number}@127.0.0.1:5070' } });
    fireEvent.click(screen.getByTestId('target-add'));
    fireEvent.change(screen.getByTestId('target-uri-1'), { target: { value: 'sip:backup.example.net' } });
    fireEvent.change(screen.getByTestId('target-priority-1'), { target: { value: '20' } });
    fireEvent.change(screen.getByTestId('target-weight-1'), { target: { value: '5' } });
    expect(text()).toContain(
      ['outbound:', '  - name: pstn', '    numbers:', '      - +1*', '      - +44*', '    move-on:', '      - timeout', '      - "408"', '      - connect-failure', '      - dns-failure', '    targets:', '      - uri: sip:{number}@127.0.0.1:5070', '        priority: 10', '        weight: 10', '      - uri: sip:backup.example.net', '        priority: 20', '        weight: 5'].join('\n'),
    );
  });

  it('when the text does not parse the form says so and keeps its hands off', async () => {
    mount();
    await waitFor(() => expect(order()).toEqual(['first', 'second', 'rest']));
    fireEvent.change(screen.getByTestId('routing-text'), { target: { value: 'rules: [\n' } });
    expect(screen.getByTestId('structured-unavailable').textContent).toMatch(/the text does not parse/);
    expect(screen.queryAllByTestId('rule-item')).toHaveLength(0);
  });
});
