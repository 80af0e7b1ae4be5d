import type { AppStatus } from '../bindings/AppStatus';

const COMING = [
  { title: 'Microphone', text: 'Choose the input device and test it: a level meter and a short recording played back.' },
  { title: 'Speech models', text: 'Download, verify and switch whisper models, from tiny and fast to larger and more accurate.' },
  { title: 'Interviewer', text: 'Use the built-in offline interviewer, or point it at any OpenAI-compatible endpoint (a local Ollama or llama.cpp server, or a hosted one).' },
];

export function SettingsScreen({ status }: { status: AppStatus | null | undefined }) {
  return (
    <div className="screen" data-testid="settings-screen">
      <header className="screen-header">
        <h1>Settings</h1>
        <p className="subtitle">What the app is using now. Changing it from here is coming.</p>
      </header>

      <section className="card facts" aria-labelledby="facts-title" data-testid="app-facts">
        <h2 id="facts-title">This installation</h2>
        {status === undefined ? (
          <p className="muted">Reading…</p>
        ) : status === null ? (
          <p className="muted">The app status could not be read.</p>
        ) : (
          <dl className="fact-list">
            <dt>Speech model</dt>
            <dd>
              <strong>{status.model_name}</strong>{' '}
              <span className={status.model_ready ? 'status-chip status-done' : 'status-chip status-interrupted'}>
                {status.model_ready ? 'ready' : 'not ready'}
              </span>
              {!status.model_ready && status.model_message && <p className="fact-note">{status.model_message}</p>}
            </dd>
            <dt>Input devices</dt>
            <dd>
              {status.input_devices.length === 0 ? (
                'None found'
              ) : (
                <ul className="plain-list">
                  {status.input_devices.map((d) => (
                    <li key={d}>
                      {d}
                      {d === status.default_input && <span className="tag">default</span>}
                    </li>
                  ))}
                </ul>
              )}
            </dd>
            <dt>Data folder</dt>
            <dd>
              <code className="path">{status.data_dir}</code>
            </dd>
          </dl>
        )}
      </section>

      <div className="coming-grid">
        {COMING.map((c) => (
          <section key={c.title} className="card coming-card">
            <p className="eyebrow">Coming</p>
            <h2>{c.title}</h2>
            <p>{c.text}</p>
          </section>
        ))}
      </div>
    </div>
  );
}
