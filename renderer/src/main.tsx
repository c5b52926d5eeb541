import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import { pickTransport } from './api/transport.js';
import { AppProvider } from './state/app-context.js';
import './styles.css';

const host = pickTransport();
createRoot(document.getElementById('root')!).render(
  <AppProvider host={host}>
    <App />
  </AppProvider>,
);
