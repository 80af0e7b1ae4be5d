// Words for the speech-model panel (SpeechModels.tsx): sizes, states and download progress.
import type { ModelDownloadProgress } from '../bindings/ModelDownloadProgress';
import type { ModelInfo } from '../bindings/ModelInfo';
import type { ModelState } from '../bindings/ModelState';

export const STATE_LABEL: Record<ModelState, string> = {
  verified: 'Installed, verified',
  not_installed: 'Not installed',
  partial: 'Partly downloaded',
  damaged: 'Damaged',
};

/** "148.0 MB" (decimal megabytes, as the catalogue and the CLI print them). */
export function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

/** What the button next to a model that is not verified does, or null when there is nothing to fetch. */
export function downloadAction(model: ModelInfo): string | null {
  if (model.custom || model.url === null || model.state === 'verified') return null;
  if (model.state === 'partial') return 'Resume';
  if (model.state === 'damaged') return 'Download again';
  return 'Download';
}

/** Progress in words, and the fraction done (null while the size is unknown). */
export function progressText(p: ModelDownloadProgress, sizeBytes: number): { text: string; fraction: number | null } {
  const total = p.total > 0 ? p.total : sizeBytes;
  const fraction = total > 0 ? Math.min(1, p.bytes / total) : null;
  switch (p.phase) {
    case 'verifying':
      return { text: 'Checking the checksum…', fraction: 1 };
    case 'done':
      return { text: 'Installed and verified.', fraction: 1 };
    case 'fetching':
      return {
        text: total > 0 ? `${megabytes(p.bytes)} of ${megabytes(total)} (${Math.floor((fraction ?? 0) * 100)}%)` : `${megabytes(p.bytes)}`,
        fraction,
      };
  }
}

/** The engine's messages are clauses ("could not reach …; check …"): end one as a sentence. */
export function sentence(text: string): string {
  const t = text.trim();
  if (t === '') return t;
  const first = t[0]!.toUpperCase() + t.slice(1);
  return /[.!?…]$/.test(first) ? first : `${first}.`;
}
