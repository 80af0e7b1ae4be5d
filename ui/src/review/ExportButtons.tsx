import { useState } from 'react';
import type { ExportFormat } from '../bindings/ExportFormat';
import type { ExportedFile } from '../bindings/ExportedFile';
import { errorMessage } from '../format';
import { exportSession } from '../ipc';

interface Props {
  sessionId: string;
}

const LABELS: Record<ExportFormat, string> = { md: 'Markdown', html: 'HTML' };

/** Writes the session as Markdown or one self-contained HTML file and says where it went. */
export function ExportButtons({ sessionId }: Props) {
  const [busy, setBusy] = useState<ExportFormat | null>(null);
  const [done, setDone] = useState<ExportedFile | null>(null);
  const [failed, setFailed] = useState<string | null>(null);

  const run = async (format: ExportFormat) => {
    setBusy(format);
    setFailed(null);
    try {
      setDone(await exportSession(sessionId, format));
    } catch (err) {
      setDone(null);
      setFailed(errorMessage(err));
    } finally {
      setBusy(null);
    }
  };

  return (
    <div className="export-bar" role="group" aria-label="Export">
      <span className="muted">Export</span>
      {(['md', 'html'] as const).map((f) => (
        <button
          key={f}
          type="button"
          className="button secondary"
          onClick={() => void run(f)}
          disabled={busy !== null}
          data-testid={`export-${f}`}
        >
          {busy === f ? 'Exporting…' : LABELS[f]}
        </button>
      ))}
      {done && (
        <span className="export-result" data-testid="export-path" data-path={done.path} data-format={done.format}>
          Saved {LABELS[done.format]} ({Math.max(1, Math.round(done.bytes / 1024))} KB) to <code>{done.path}</code>
        </span>
      )}
      {failed && (
        <span className="form-error" role="alert">
          {failed}
        </span>
      )}
    </div>
  );
}
