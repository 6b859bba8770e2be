/** Title, navigation, connection status and theme toggle. */
import { useApp } from './context.ts';
import { ConnectionStatus } from './connection-status.tsx';
import type { View } from './store.ts';
import { tid } from './testids.ts';

const VIEWS: Array<{ id: View; label: string }> = [
  { id: 'calls', label: 'Calls' },
  { id: 'trace', label: 'Trace' },
  { id: 'listener', label: 'Listener' },
  { id: 'audio', label: 'Audio' },
  { id: 'webhooks', label: 'Webhooks' },
  { id: 'trunks', label: 'Trunks' },
  { id: 'routing', label: 'Routing' },
  { id: 'diagnostics', label: 'Diagnostics' },
];

export function TopBar() {
  const view = useApp((s) => s.view);
  const setView = useApp((s) => s.setView);
  const theme = useApp((s) => s.theme);
  const toggleTheme = useApp((s) => s.toggleTheme);
  const incoming = useApp(
    (s) => s.callOrder.filter((id) => s.calls[id]?.state === 'incoming').length,
  );
  const live = useApp(
    (s) => s.callOrder.filter((id) => s.calls[id] && s.calls[id].state !== 'terminated').length,
  );
  const listening = useApp((s) => !!s.listener?.running);
  return (
    <header className="top-bar">
      <h1 className="brand">Trunkscope</h1>
      <nav className="tabs" role="tablist" aria-label="Views">
        {VIEWS.map((v) => (
          <button
            key={v.id}
            type="button"
            role="tab"
            aria-selected={view === v.id}
            className={`tab${view === v.id ? ' active' : ''}`}
            data-testid={tid.nav(v.id)}
            onClick={() => setView(v.id)}
          >
            {v.label}
            {v.id === 'calls' && live > 0 && <span className="badge">{live}</span>}
            {v.id === 'calls' && incoming > 0 && (
              <span className="badge alert">{incoming} incoming</span>
            )}
            {v.id === 'listener' && listening && <span className="badge good">on</span>}
          </button>
        ))}
      </nav>
      <span className="spacer" />
      <ConnectionStatus />
      <button
        type="button"
        className="btn small"
        data-testid={tid.themeToggle}
        onClick={toggleTheme}
        aria-label={`switch to ${theme === 'dark' ? 'light' : 'dark'} theme`}
      >
        {theme === 'dark' ? '☀ Light' : '☾ Dark'}
      </button>
    </header>
  );
}
