import { useEffect, useState } from 'react';
import type { ModelInfo } from '../bindings/ModelInfo';
import type { SessionReport } from '../bindings/SessionReport';
import { errorMessage } from '../format';
import { listModels, retranscribeSession } from '../ipc';

interface Props {
  sessionId: string;
  /** The new transcript and scores (the old ones stay in the store and the history). */
  onDone: (report: SessionReport) => void;
}

/**
 * "Re-transcribe with…": another installed speech model transcribes the recording again and
 * the session is re-scored. Shown only when a second verified model is installed.
 */
export function Retranscribe({ sessionId, onDone }: Props) {
  const [models, setModels] = useState<ModelInfo[]>([]);
  const [choice, setChoice] = useState('');
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    // Model status is Settings' to report; here a failure only hides the control.
    listModels().then(
      (list) => !cancelled && setModels(list.filter((m) => m.state === 'verified')),
      () => undefined,
    );
    return () => {
      cancelled = true;
    };
  }, []);

  if (models.length < 2) return null;

  const run = async () => {
    if (!choice) return;
    setBusy(true);
    setFailed(null);
    try {
      onDone(await retranscribeSession(sessionId, choice));
    } catch (err) {
      setFailed(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="export-bar" role="group" aria-label="Re-transcribe">
      <select value={choice} onChange={(e) => setChoice(e.target.value)} disabled={busy} aria-label="Speech model" data-testid="retranscribe-model">
        <option value="">Re-transcribe with…</option>
        {models.map((m) => (
          <option key={m.id} value={m.id}>
            {m.id}
            {m.active ? ' (current)' : ''}
          </option>
        ))}
      </select>
      <button type="button" className="button secondary" onClick={() => void run()} disabled={!choice || busy} data-testid="retranscribe">
        {busy ? 'Transcribing…' : 'Re-transcribe'}
      </button>
      {failed && (
        <span className="form-error" role="alert">
          {failed}
        </span>
      )}
    </div>
  );
}
