import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
// First: the shared tokens and base that each feature's own stylesheet builds on.
import './styles.css';
import { App } from './App';

// Every Content-Security-Policy violation (a request the app tried outside its own origin),
// kept from the first moment: the E2E offline check reads them.
declare global {
  interface Window {
    __cspViolations?: string[];
  }
}
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations?.push(`${e.violatedDirective} ${e.blockedURI} (${e.sourceFile}:${e.lineNumber}:${e.columnNumber})`);
});

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
