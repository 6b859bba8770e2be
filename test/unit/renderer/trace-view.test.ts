// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createElement } from 'react';
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { TraceView } from '../../../src/renderer/src/features/trace/trace-view.tsx';
import { highlightLines } from '../../../src/renderer/src/features/trace/highlight.ts';
import { createAppStore } from '../../../src/renderer/src/app/store.ts';
import { ApiContext, StoreContext } from '../../../src/renderer/src/app/context.ts';
import { fakeApi } from './fake-api.ts';
import { entry } from './fixtures.ts';

const INVITE =
  'INVITE sip:bob@10.0.0.2 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5070\r\nCall-ID: call-1\r\nContent-Type: application/sdp\r\n\r\nv=0\r\nc=IN IP4 127.0.0.1\r\nm=audio 40000 RTP/AVP 0\r\n';

function setup() {
  const api = fakeApi();
  const store = createAppStore();
  render(
    createElement(
      StoreContext.Provider,
      { value: store },
      createElement(ApiContext.Provider, { value: api }, createElement(TraceView)),
    ),
  );
  return { api, store };
}

describe('trace view', () => {
  // happy-dom lays nothing out; give the virtualized list a viewport so rows render.
  beforeEach(() => {
    vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockReturnValue(600);
    vi.spyOn(HTMLElement.prototype, 'clientWidth', 'get').mockReturnValue(900);
  });
  afterEach(() => {
    cleanup();
    vi.restoreAllMocks();
  });

  it('highlights start line, header names and the SDP body', () => {
    const lines = highlightLines(INVITE);
    expect(lines[0]).toEqual({ kind: 'start', text: 'INVITE sip:bob@10.0.0.2 SIP/2.0' });
    expect(lines[1]).toEqual({ kind: 'header', name: 'Via', value: ' SIP/2.0/UDP 127.0.0.1:5070' });
    expect(lines).toContainEqual({ kind: 'sdp', key: 'm', value: 'audio 40000 RTP/AVP 0' });
    expect(highlightLines('garbage')).toEqual([{ kind: 'start', text: 'garbage' }]);
  });

  it('counts filtered messages and shows a selected message in full', async () => {
    const { store } = setup();
    act(() => {
      store.getState().appendTrace([
        entry(1, { raw: INVITE }),
        { ...entry(2, { status: 486, dir: 'in' }), method: 'INVITE' }, // the engine names the CSeq method on responses too
        entry(3, { method: 'OPTIONS', callId: 'x' }),
      ]);
    });
    expect(screen.getByTestId('trace-count').textContent).toBe('3 / 3');
    const rows = screen.getAllByTestId('trace-row');
    expect(rows.map((r) => [r.dataset.method, r.dataset.status])).toEqual([
      ['INVITE', ''],
      ['', '486'],
      ['OPTIONS', ''],
    ]);
    expect(rows[1]!.className).toContain('s-4xx');
    fireEvent.change(screen.getByTestId('trace-filter-status'), { target: { value: '4xx' } });
    await waitFor(() => expect(screen.getByTestId('trace-count').textContent).toBe('1 / 3'));
    fireEvent.change(screen.getByTestId('trace-filter-status'), { target: { value: '' } });
    fireEvent.change(screen.getByTestId('trace-filter-callid'), { target: { value: 'call-1' } });
    await waitFor(() => expect(screen.getByTestId('trace-count').textContent).toBe('2 / 3'));
    act(() => store.getState().selectTrace(1));
    const pane = screen.getByTestId('trace-message');
    expect(pane.querySelector('.hl-start')?.textContent).toBe('INVITE sip:bob@10.0.0.2 SIP/2.0');
    expect([...pane.querySelectorAll('.hl-name')].map((n) => n.textContent)).toEqual([
      'Via',
      'Call-ID',
      'Content-Type',
    ]);
    expect(pane.querySelectorAll('.hl-sdp-key')).toHaveLength(3);
  });

  it('exports through trace.export for the filtered call and downloads the file', async () => {
    const { api, store } = setup();
    api.results['trace.export'] = {
      filename: 'call-1.pcap',
      mime: 'application/vnd.tcpdump.pcap',
      base64: btoa('\xd4\xc3\xb2\xa1'),
    };
    const created: Blob[] = [];
    const createObjectURL = vi.fn((b: Blob) => (created.push(b), 'blob:x'));
    const revokeObjectURL = vi.fn();
    vi.stubGlobal('URL', Object.assign(URL, { createObjectURL, revokeObjectURL }));
    const click = vi
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(() => undefined);
    act(() => store.getState().setTraceFilter({ callId: 'call-1' }));
    fireEvent.click(screen.getByTestId('export-pcap-redacted'));
    await waitFor(() => expect(click).toHaveBeenCalled());
    expect(api.calls).toEqual([
      { name: 'trace.export', args: { format: 'pcap', redact: true, callId: 'call-1' } },
    ]);
    expect(created[0]?.size).toBe(4);
    expect(created[0]?.type).toBe('application/vnd.tcpdump.pcap');
    click.mockRestore();
    vi.unstubAllGlobals();
  });
});
