import type { AppStatus } from '../bindings/AppStatus';
import { Markdown } from '../components/Markdown';

/** Whether practice can begin: the speech model and the microphone. */
export function ReadinessLine({ status }: { status: AppStatus | null | undefined }) {
  if (status === undefined) return <p className="readiness muted">Checking the speech model…</p>;
  if (status === null) {
    return (
      <p className="readiness" data-testid="model-status">
        <span className="dot dot-warn" aria-hidden="true" />
        The app status could not be read.
      </p>
    );
  }
  const device = status.default_input ?? status.input_devices[0] ?? null;
  return (
    <div className="readiness-block">
      <p className="readiness" data-testid="model-status" data-ready={status.model_ready}>
        <span className={status.model_ready ? 'dot dot-ok' : 'dot dot-warn'} aria-hidden="true" />
        <span>
          Speech model <strong>{status.model_name}</strong> {status.model_ready ? 'ready' : 'not ready'}
        </span>
        <span className="sep" aria-hidden="true">
          ·
        </span>
        <span data-testid="input-device">
          Microphone: <strong>{device ?? 'none found'}</strong>
        </span>
      </p>
      {!status.model_ready && (
        <div className="callout callout-warn" data-testid="model-message">
          <strong>Practice needs the speech model.</strong>
          <Markdown source={status.model_message ?? 'The speech model is not installed.'} />
        </div>
      )}
    </div>
  );
}
