// Pure display helpers: no React, no IPC. Unit-tested in format.test.ts.
import type { DimensionId } from './bindings/DimensionId';
import type { SessionStatus } from './bindings/SessionStatus';

/** Seconds from the start of a session as `mm:ss` (or `h:mm:ss` past an hour). */
export function formatClock(seconds: number): string {
  const total = Number.isFinite(seconds) && seconds > 0 ? Math.floor(seconds) : 0;
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mm = String(m).padStart(2, '0');
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

/** A session length for lists: `42 s`, `4 min 05 s`, `1 h 02 min`. */
export function formatDuration(seconds: number): string {
  const total = Number.isFinite(seconds) && seconds > 0 ? Math.round(seconds) : 0;
  if (total < 60) return `${total} s`;
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h} h ${String(m).padStart(2, '0')} min`;
  return `${m} min ${String(s).padStart(2, '0')} s`;
}

// One formatter per locale: building an Intl.DateTimeFormat costs far more than using one,
// and a list of 1,000 sessions formats 1,000 dates.
const DATE_TIME_FORMATS = new Map<string, Intl.DateTimeFormat>();

/** An RFC 3339 timestamp in the user's local date and time; the raw text if it does not parse. */
export function formatLocalDateTime(rfc3339: string, locale?: string): string {
  const date = new Date(rfc3339);
  if (Number.isNaN(date.getTime())) return rfc3339;
  const key = locale ?? '';
  let format = DATE_TIME_FORMATS.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
    DATE_TIME_FORMATS.set(key, format);
  }
  return format.format(date);
}

export const MAX_LEVEL = 4;

const LEVEL_LABELS = ['Not shown', 'Emerging', 'Developing', 'Solid', 'Strong'] as const;

/** Clamp any number to a whole rubric level 0..4. */
export function clampLevel(level: number): number {
  if (!Number.isFinite(level)) return 0;
  return Math.min(MAX_LEVEL, Math.max(0, Math.round(level)));
}

/** The word shown beside a rubric level (0..4). */
export function levelLabel(level: number): string {
  return LEVEL_LABELS[clampLevel(level)] ?? LEVEL_LABELS[0];
}

/** An overall (mean) level with one decimal, or an em dash when not scored. */
export function formatOverall(overall: number | null | undefined): string {
  if (overall === null || overall === undefined || !Number.isFinite(overall)) return '—';
  return overall.toFixed(1);
}

const DIMENSION_LABELS: Record<DimensionId, string> = {
  requirements: 'Requirements & scope',
  architecture: 'Architecture',
  data_apis: 'Data & APIs',
  depth: 'Depth',
  tradeoffs: 'Trade-off reasoning',
  reliability: 'Failure modes & reliability',
  evaluation: 'Evaluation & monitoring',
  communication: 'Communication',
};

export function dimensionLabel(id: DimensionId): string {
  return DIMENSION_LABELS[id] ?? id;
}

/** Short tag text for a follow-up's target dimension. */
const DIMENSION_TAGS: Record<DimensionId, string> = {
  requirements: 'requirements',
  architecture: 'architecture',
  data_apis: 'data & APIs',
  depth: 'depth',
  tradeoffs: 'trade-offs',
  reliability: 'reliability',
  evaluation: 'evaluation',
  communication: 'communication',
};

export function dimensionTag(id: DimensionId): string {
  return DIMENSION_TAGS[id] ?? id;
}

const STATUS_LABELS: Record<SessionStatus, string> = {
  recording: 'Recording',
  done: 'Scored',
  interrupted: 'Interrupted',
};

export function statusLabel(status: SessionStatus): string {
  return STATUS_LABELS[status] ?? status;
}

/** Input level RMS in [0, 1] to a meter fill in percent, on a -60..0 dBFS scale. */
export function levelToPercent(rms: number): number {
  if (!Number.isFinite(rms) || rms <= 0) return 0;
  const db = 20 * Math.log10(Math.min(rms, 1));
  const floor = -60;
  if (db <= floor) return 0;
  return Math.round(((db - floor) / -floor) * 100);
}

/** The first paragraph of a Markdown brief as plain text, for prompt cards. */
export function briefSummary(markdown: string, maxChars = 220): string {
  const paragraph =
    markdown
      .split(/\n\s*\n/)
      .map((p) => p.trim())
      .find((p) => p.length > 0 && !p.startsWith('#')) ?? '';
  const plain = paragraph
    .replace(/^[-*]\s+/gm, '')
    .replace(/\*\*(.+?)\*\*/g, '$1')
    .replace(/\*(.+?)\*/g, '$1')
    .replace(/`([^`]+)`/g, '$1')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
  if (plain.length <= maxChars) return plain;
  const cut = plain.slice(0, maxChars);
  const lastSpace = cut.lastIndexOf(' ');
  return `${(lastSpace > maxChars * 0.6 ? cut.slice(0, lastSpace) : cut).trimEnd()}…`;
}

/** A rejected command's value as the message to show: Tauri commands reject with `{ kind, message }`. */
export function errorMessage(err: unknown): string {
  if (typeof err === 'string') return err;
  if (err instanceof Error) return err.message;
  if (err && typeof err === 'object' && 'message' in err && typeof err.message === 'string') {
    return err.message;
  }
  try {
    return JSON.stringify(err);
  } catch {
    return String(err);
  }
}

/** An FSRS interval in days as a person says it: "10 minutes", "5 hours", "2 days", "3 months". */
export function formatInterval(days: number): string {
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  if (!Number.isFinite(days) || days <= 0) return 'now';
  const minutes = days * 24 * 60;
  if (minutes < 60) return plural(Math.max(1, Math.round(minutes)), 'minute');
  const hours = minutes / 60;
  if (hours < 23.5) return plural(Math.round(hours), 'hour');
  if (days < 45) return plural(Math.max(1, Math.round(days)), 'day');
  if (days < 365) return plural(Math.round(days / 30), 'month');
  const years = Math.round((days / 365) * 10) / 10;
  return `${years} year${years === 1 ? '' : 's'}`;
}

/** A search snippet's parts: the text between `**` marks is a match. */
export function snippetParts(snippet: string): { text: string; match: boolean }[] {
  const parts: { text: string; match: boolean }[] = [];
  snippet.split('**').forEach((text, i) => {
    if (text) parts.push({ text, match: i % 2 === 1 });
  });
  return parts;
}

/** A card kind or area id as a label: "system-design" -> "System design". */
export function idLabel(id: string): string {
  const words = id.replace(/[-_]+/g, ' ').trim();
  if (!words) return id;
  return words.charAt(0).toUpperCase() + words.slice(1);
}
