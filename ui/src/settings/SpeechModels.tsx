import { useCallback, useEffect, useRef, useState } from 'react';
import type { InstalledModel } from '../bindings/InstalledModel';
import type { ModelDownloadProgress } from '../bindings/ModelDownloadProgress';
import type { ModelInfo } from '../bindings/ModelInfo';
import { errorMessage } from '../format';
import { cancelDownload, downloadModel, installModelFile, listModels, onModelDownload } from '../ipc';
import { STATE_LABEL, downloadAction, megabytes, progressText, sentence } from './models';

interface Props {
  /** The model the settings being edited choose (may differ from the saved one until Save). */
  chosenId: string;
  /** The saved choice: the list is read again when it changes (its "in use" mark follows it). */
  savedId: string;
  onChoose: (id: string) => void;
  /** REHEARSE_MODEL is set: it wins over the choice made here. */
  overridden: boolean;
}

/** What the last download of a model ended with, shown under its row. */
type Outcome = { kind: 'error' | 'paused' | 'done'; text: string };

const STATE_CHIP: Record<ModelInfo['state'], string> = {
  verified: 'status-chip status-done',
  not_installed: 'status-chip',
  partial: 'status-chip status-interrupted',
  damaged: 'status-chip status-recording',
};

/**
 * Settings → Speech model: every catalogue and custom model with its size, quantisation,
 * expected speed and state; choose a verified one, download (with progress, cancel and resume)
 * or install a local file. The engine owns checksums, part files and errors; this shows them.
 */
export function SpeechModels({ chosenId, savedId, onChoose, overridden }: Props) {
  const [models, setModels] = useState<ModelInfo[] | null>(null);
  const [listError, setListError] = useState<string | null>(null);
  const [downloading, setDownloading] = useState<string | null>(null);
  const [progress, setProgress] = useState<ModelDownloadProgress | null>(null);
  const [outcomes, setOutcomes] = useState<Record<string, Outcome>>({});
  const cancelled = useRef(false);

  const refresh = useCallback(() => {
    listModels().then(
      (list) => {
        setModels(list);
        setListError(null);
      },
      (err) => setListError(errorMessage(err)),
    );
  }, []);

  useEffect(refresh, [refresh, savedId]);

  useEffect(() => {
    let unlisten: (() => void) | null = null;
    let gone = false;
    onModelDownload(setProgress).then(
      (fn) => (gone ? fn() : (unlisten = fn)),
      () => undefined,
    );
    return () => {
      gone = true;
      unlisten?.();
    };
  }, []);

  const download = async (id: string) => {
    cancelled.current = false;
    setDownloading(id);
    setProgress(null);
    setOutcomes((o) => Object.fromEntries(Object.entries(o).filter(([k]) => k !== id)));
    let outcome: Outcome;
    try {
      await downloadModel(id);
      outcome = { kind: 'done', text: 'Downloaded and verified. Choose it above and save to use it.' };
    } catch (err) {
      const text = errorMessage(err);
      outcome = cancelled.current ? { kind: 'paused', text: `Paused: ${text}` } : { kind: 'error', text: `Could not download ${id}: ${text}` };
    }
    setOutcomes((o) => ({ ...o, [id]: outcome }));
    setDownloading(null);
    setProgress(null);
    refresh();
  };

  const cancel = async () => {
    cancelled.current = true;
    try {
      await cancelDownload();
    } catch (err) {
      cancelled.current = false;
      if (downloading) setOutcomes((o) => ({ ...o, [downloading]: { kind: 'error', text: errorMessage(err) } }));
    }
  };

  const chosenKnown = models === null || models.some((m) => m.id === chosenId);

  return (
    <div className="speech-models" data-testid="settings-model">
      {overridden && <p className="muted small">REHEARSE_MODEL is set and takes precedence over the choice here.</p>}
      {listError && (
        <p className="form-error" role="alert" data-testid="models-list-error">
          Could not list the speech models: {listError}
        </p>
      )}
      {models === null && !listError && <p className="muted">Checking the installed models…</p>}
      {!chosenKnown && (
        <p className="form-error" role="alert">
          The settings choose “{chosenId}”, which is not a known model: choose one below.
        </p>
      )}
      {models && (
        <ul className="model-list" aria-label="Speech models">
          {models.map((m) => {
            const action = downloadAction(m);
            const outcome = outcomes[m.id];
            const here = downloading === m.id;
            const shown = here && progress && progress.model_id === m.id ? progressText(progress, m.size_bytes) : null;
            const chosen = chosenId === m.id;
            return (
              <li
                key={m.id}
                className={chosen ? 'model-row chosen' : 'model-row'}
                data-testid="model-row"
                data-model-id={m.id}
                data-state={m.state}
                data-active={m.active}
              >
                <label className="model-pick">
                  <input
                    type="radio"
                    name="speech-model"
                    value={m.id}
                    checked={chosen}
                    disabled={m.state !== 'verified'}
                    onChange={() => onChoose(m.id)}
                    data-testid="model-choose"
                  />
                  <span className="model-name">{m.id}</span>
                </label>
                <span className={STATE_CHIP[m.state]} data-testid="model-state">
                  {STATE_LABEL[m.state]}
                </span>
                {m.active && (
                  <span className="status-chip status-done" data-testid="model-active">
                    in use
                  </span>
                )}
                {chosen && !m.active && <span className="status-chip status-interrupted">chosen: save to use it</span>}
                {m.custom && <span className="status-chip">custom</span>}
                <span className="model-actions">
                  {here ? (
                    <button type="button" className="button" onClick={() => void cancel()} data-testid="model-cancel">
                      Cancel
                    </button>
                  ) : (
                    action && (
                      <button
                        type="button"
                        className="button"
                        disabled={downloading !== null}
                        onClick={() => void download(m.id)}
                        data-testid="model-download"
                      >
                        {action} ({megabytes(m.size_bytes - (m.state === 'partial' ? m.partial_bytes : 0))})
                      </button>
                    )
                  )}
                </span>
                <p className="model-details muted small">
                  {megabytes(m.size_bytes)} · {m.quantisation} · {m.speed_note || 'speed not known'}
                </p>
                {here && (
                  <div className="model-progress" data-testid="model-progress">
                    <progress max={1} value={shown?.fraction ?? undefined} />
                    <span className="small">{shown?.text ?? 'Connecting…'}</span>
                  </div>
                )}
                {!here && (m.state === 'partial' || m.state === 'damaged') && m.message && (
                  <p className="small model-message" data-testid="model-message">
                    {m.message}
                  </p>
                )}
                {!here && outcome && (
                  <p
                    className={outcome.kind === 'error' ? 'form-error small' : 'muted small'}
                    role={outcome.kind === 'error' ? 'alert' : 'status'}
                    data-testid="model-outcome"
                    data-kind={outcome.kind}
                  >
                    {sentence(outcome.text)}
                    {outcome.kind === 'error' && ' Or download the file on another machine and install it below (Install a model file…).'}
                  </p>
                )}
              </li>
            );
          })}
        </ul>
      )}
      <InstallFile onInstalled={refresh} />
    </div>
  );
}

/** "Install a model file…": a ggml file already on this machine (no file dialog: type or paste the path). */
function InstallFile({ onInstalled }: { onInstalled: () => void }) {
  const [path, setPath] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: InstalledModel } | { error: string } | null>(null);

  const install = async () => {
    setBusy(true);
    setResult(null);
    try {
      setResult({ ok: await installModelFile(path.trim()) });
      onInstalled();
    } catch (err) {
      setResult({ error: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="model-install">
      <label className="settings-label" htmlFor="model-install-path">
        Install a model file…
      </label>
      <div className="key-row">
        <input
          id="model-install-path"
          value={path}
          onChange={(e) => setPath(e.target.value)}
          placeholder="/path/to/ggml-model.bin"
          spellCheck={false}
          data-testid="model-install-path"
        />
        <button type="button" className="button" disabled={busy || path.trim() === ''} onClick={() => void install()} data-testid="model-install">
          {busy ? 'Checking…' : 'Install'}
        </button>
      </div>
      <p className="muted small">A whisper.cpp ggml file. It is checked and copied into the models folder; the original stays where it is.</p>
      {result && 'ok' in result && (
        <p className={result.ok.warning ? 'mic-verdict warn small' : 'mic-verdict ok small'} role="status" data-testid="model-install-result" data-model-id={result.ok.id}>
          {result.ok.warning ?? `Recognised as ${result.ok.id}: checksum verified, installed.`}
        </p>
      )}
      {result && 'error' in result && (
        <p className="form-error small" role="alert" data-testid="model-install-error">
          Could not install it: {result.error}
        </p>
      )}
    </div>
  );
}
