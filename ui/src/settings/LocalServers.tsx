import { useState } from 'react';
import type { LocalLlmServer } from '../bindings/LocalLlmServer';
import { findLocalLlmServers } from '../ipc';
import { useReportError } from '../components/errors';

interface Props {
  /** The person picked this server and model. */
  onUse: (server: LocalLlmServer, model: string) => void;
}

/** Looks for Ollama, LM Studio or llama.cpp's server on this computer and offers their models. */
export function LocalServers({ onUse }: Props) {
  const reportError = useReportError();
  const [searching, setSearching] = useState(false);
  const [found, setFound] = useState<LocalLlmServer[] | null>(null);
  const [chosen, setChosen] = useState<Record<string, string>>({});

  const search = async () => {
    setSearching(true);
    try {
      setFound(await findLocalLlmServers());
    } catch (err) {
      reportError(err);
    } finally {
      setSearching(false);
    }
  };

  return (
    <div className="local-servers" data-testid="local-servers">
      <button type="button" className="button" disabled={searching} onClick={() => void search()} data-testid="local-servers-find">
        {searching ? 'Looking…' : 'Find a server on this computer'}
      </button>
      {found !== null && found.length === 0 && (
        <p className="small muted" data-testid="local-servers-none">
          No server answered at the usual ports (Ollama 11434, LM Studio 1234, llama.cpp 8080). Start one, or type its address below.
        </p>
      )}
      {found !== null && found.length > 0 && (
        <ul className="local-server-list">
          {found.map((s) => {
            const model = chosen[s.base_url] ?? s.models[0] ?? '';
            return (
              <li key={s.base_url} data-testid="local-server">
                <span>
                  <strong>{s.name}</strong> <code>{s.base_url}</code>
                </span>
                {s.models.length === 0 ? (
                  <span className="small muted">no models loaded</span>
                ) : (
                  <>
                    <select
                      value={model}
                      onChange={(e) => setChosen({ ...chosen, [s.base_url]: e.target.value })}
                      aria-label={`Model on ${s.name}`}
                    >
                      {s.models.map((m) => (
                        <option key={m} value={m}>
                          {m}
                        </option>
                      ))}
                    </select>
                    <button type="button" className="button primary" onClick={() => onUse(s, model)} data-testid="local-server-use">
                      Use
                    </button>
                  </>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
