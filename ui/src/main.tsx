import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import './styles.css';

async function boot() {
  // `vite --mode mock` / `vite build --mode mock` only: a fake backend for browser previews.
  // MODE is replaced at build time, so a production build drops this branch and the module.
  if (import.meta.env.MODE === 'mock') {
    const { installMockBackend } = await import('./dev/mockBackend');
    installMockBackend();
  }
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}

void boot();
