/** The window: top bar, errors, and the current view, each feature inside its own error boundary. */
import { useEffect } from 'react';
import { ErrorBoundary } from '../components/error-boundary.tsx';
import { CallsView } from '../features/calls/calls-view.tsx';
import { Dialer } from '../features/dialer/dialer.tsx';
import { TraceView } from '../features/trace/trace-view.tsx';
import { ListenerPanel } from '../features/listener/listener-panel.tsx';
import { AudioPanel } from '../features/audio/audio-panel.tsx';
import { useAudioBridge } from '../features/audio/use-audio-bridge.ts';
import { WebhooksView } from '../features/webhooks/webhooks-view.tsx';
import { RoutingView } from '../features/routing/routing-view.tsx';
import type { ConnectedApi } from '../lib/ws-client.ts';
import { bindEvents } from './bind-events.ts';
import { ApiContext, StoreContext, useApp } from './context.ts';
import { ErrorList } from './error-list.tsx';
import type { AppStore } from './store.ts';
import { TopBar } from './top-bar.tsx';
import { TrunksView } from '../features/profiles/trunks-view.tsx';
import { DiagnosticsView } from '../features/diagnostics/diagnostics-view.tsx';

function Views() {
  const view = useApp((s) => s.view);
  const conn = useApp((s) => s.conn);
  return (
    <main className={`view view-${view}`}>
      {conn !== 'open' && (
        <div className="banner info">
          {conn === 'connecting'
            ? 'connecting…'
            : conn === 'reconnecting'
              ? 'Engine connection lost — reconnecting…'
              : 'Disconnected from the engine.'}
        </div>
      )}
      {view === 'calls' && (
        <div className="calls-layout">
          <ErrorBoundary name="Dialer">
            <Dialer />
          </ErrorBoundary>
          <ErrorBoundary name="Calls">
            <CallsView />
          </ErrorBoundary>
        </div>
      )}
      {view === 'trace' && (
        <ErrorBoundary name="Trace">
          <TraceView />
        </ErrorBoundary>
      )}
      {view === 'listener' && (
        <ErrorBoundary name="Listener">
          <ListenerPanel />
        </ErrorBoundary>
      )}
      {view === 'trunks' && (
        <ErrorBoundary name="Trunks">
          <TrunksView />
        </ErrorBoundary>
      )}
      {view === 'audio' && (
        <ErrorBoundary name="Audio">
          <AudioPanel />
        </ErrorBoundary>
      )}
      {view === 'webhooks' && (
        <ErrorBoundary name="Webhooks">
          <WebhooksView />
        </ErrorBoundary>
      )}
      {view === 'routing' && (
        <ErrorBoundary name="Routing">
          <RoutingView />
        </ErrorBoundary>
      )}
      {view === 'diagnostics' && (
        <ErrorBoundary name="Diagnostics">
          <DiagnosticsView />
        </ErrorBoundary>
      )}
    </main>
  );
}

function Bridges({ api, store }: { api: ConnectedApi; store: AppStore }) {
  useEffect(() => bindEvents(api, store), [api, store]);
  useAudioBridge(api, store);
  return null;
}

export function App({ api, store }: { api: ConnectedApi; store: AppStore }) {
  return (
    <StoreContext.Provider value={store}>
      <ApiContext.Provider value={api}>
        <ErrorBoundary name="Trunkscope">
          <Bridges api={api} store={store} />
          <TopBar />
          <ErrorList />
          <Views />
        </ErrorBoundary>
      </ApiContext.Provider>
    </StoreContext.Provider>
  );
}
