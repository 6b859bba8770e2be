/** Renderer entry: one store, one connection to the engine (Electron bridge or WebSocket). */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/app.tsx';
import { createAppStore } from './app/store.ts';
import { connect } from './lib/api.ts';
import './styles.css';

const store = createAppStore();
const api = connect();
const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App api={api} store={store} />
    </StrictMode>,
  );
}
