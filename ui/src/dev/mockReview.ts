// Mock answers for the Review and Progress commands (query, corrections, score history,
// analytics, compare, progress, export, finish), over the sessions mockBackend.ts keeps.
// Never part of the production build (only mockBackend.ts imports it). `?sessions=many` adds
// 1,000 generated sessions, for a look at the list's speed; `?sessions=long` a 60-minute one.
import type { DeliveryAnalytics } from '../bindings/DeliveryAnalytics';
import type { DimensionId } from '../bindings/DimensionId';
import type { DimensionLevel } from '../bindings/DimensionLevel';
import type { PromptInfo } from '../bindings/PromptInfo';
import type { Progress } from '../bindings/Progress';
import type { ScoreVersion } from '../bindings/ScoreVersion';
import type { SessionComparison } from '../bindings/SessionComparison';
import type { SessionQuery } from '../bindings/SessionQuery';
import type { SessionReport } from '../bindings/SessionReport';
import type { SessionSummary } from '../bindings/SessionSummary';

export type MockSessions = Map<string, { summary: SessionSummary; report: SessionReport }>;

const DIMS: DimensionId[] = ['requirements', 'architecture', 'data_apis', 'depth', 'tradeoffs', 'reliability', 'evaluation', 'communication'];
const FILLERS = ['um', 'uh', 'you know', 'like', 'basically', 'sort of'];
const histories = new Map<string, ScoreVersion[]>();

function levelsOf(report: SessionReport): DimensionLevel[] {
  return report.scorecard.dimensions.map((d) => ({ id: d.id, level: d.level }));
}

function mean(levels: DimensionLevel[]): number | null {
  return levels.length ? levels.reduce((a, l) => a + l.level, 0) / levels.length : null;
}

/** Fills in what the list and the detail need beyond the skeleton's fields. */
export function completeMockSession(entry: { summary: SessionSummary; report: SessionReport }, prompts: PromptInfo[]) {
  const { summary, report } = entry;
  summary.prompt_title = prompts.find((p) => p.id === summary.prompt_id)?.title ?? summary.prompt_id;
  summary.levels = levelsOf(report);
  summary.overall = mean(summary.levels);
  summary.snippet = null;
  report.started_at = summary.started_at;
  report.status = summary.status;
  report.segment_refs = report.transcript.segments.map((_, i) => ({ id: i + 1, corrected: false, original_text: null }));
  report.score_version = report.scorecard.dimensions.length ? 1 : null;
  if (report.scorecard.dimensions.length && !histories.has(summary.session_id)) {
    histories.set(summary.session_id, [
      { version: 1, created_at: summary.started_at, grader: report.scorecard.grader, reason: 'scored', levels: summary.levels, overall: summary.overall ?? 0 },
    ]);
  }
}

/** `?sessions=many`: 1,000 sessions over three years, copies of a real-looking one. */
export function addManySessions(sessions: MockSessions, template: SessionReport, prompts: PromptInfo[]) {
  const day = 24 * 3600 * 1000;
  for (let i = 0; i < 1000; i++) {
    const id = `gen-${String(i).padStart(4, '0')}`;
    const prompt = prompts[i % prompts.length]!;
    const dims = template.scorecard.dimensions.map((d, j) => ({ ...d, level: (i * 7 + j * 3) % 5 }));
    const report: SessionReport = { ...template, session_id: id, prompt_id: prompt.id, scorecard: { ...template.scorecard, dimensions: dims } };
    const entry = {
      report,
      summary: {
        session_id: id,
        prompt_id: prompt.id,
        started_at: new Date(Date.now() - (10 + i) * day).toISOString(),
        duration_s: 600 + ((i * 37) % 2400),
        status: 'done' as const,
        grader: 'offline',
        overall: null,
        prompt_title: '',
        levels: [],
        snippet: null,
      },
    };
    completeMockSession(entry, prompts);
    sessions.set(id, entry);
  }
}

/** `?sessions=long`: one generated 60-minute session (1,200 segments, 40 follow-ups), for the open-time figure. */
export function addLongSession(sessions: MockSessions, template: SessionReport, prompts: PromptInfo[]) {
  const words = 'we split each document into chunks embed them and keep the vectors in a store then rerank the top results'.split(' ');
  const segments = Array.from({ length: 1200 }, (_, i) => ({
    t0: i * 3,
    t1: i * 3 + 2.6,
    text: Array.from({ length: 9 }, (_, j) => words[(i + j) % words.length]).join(' ') + '.',
    words: [],
  }));
  const turns = Array.from({ length: 40 }, (_, i) => ({
    at: 45 + i * 90,
    role: 'interviewer' as const,
    text: `Follow-up ${i + 1}: what happens when the index is stale?`,
    targets: ['reliability' as const],
  }));
  const dims = template.scorecard.dimensions.map((d) => ({
    ...d,
    evidence: segments.filter((_, i) => i % 150 === 0).map((s) => ({ quote: s.text, t0: s.t0 })),
  }));
  const report: SessionReport = {
    ...template,
    session_id: 'long-60',
    audio: { ...template.audio, duration_s: 3600 },
    transcript: { segments },
    turns,
    scorecard: { ...template.scorecard, dimensions: dims },
  };
  const entry = {
    report,
    summary: {
      session_id: 'long-60',
      prompt_id: template.prompt_id,
      started_at: new Date().toISOString(),
      duration_s: 3600,
      status: 'done' as const,
      grader: 'offline',
      overall: null,
      prompt_title: '',
      levels: [],
      snippet: null,
    },
  };
  completeMockSession(entry, prompts);
  sessions.set('long-60', entry);
}

function matches(entry: { summary: SessionSummary; report: SessionReport }, q: SessionQuery): string | null | false {
  const s = entry.summary;
  if (q.prompt_id && s.prompt_id !== q.prompt_id) return false;
  if (q.from && s.started_at.slice(0, 10) < q.from.slice(0, 10)) return false;
  if (q.to && s.started_at.slice(0, 10) > q.to.slice(0, 10)) return false;
  if (q.dimension) {
    const level = s.levels.find((l) => l.id === q.dimension)?.level;
    if (level === undefined || level >= (q.below_level ?? 2)) return false;
  }
  if (!q.text) return null;
  const words = q.text.toLowerCase().split(/\s+/).filter(Boolean);
  for (const seg of entry.report.transcript.segments) {
    const lower = seg.text.toLowerCase();
    if (words.every((w) => lower.includes(w))) {
      let snippet = seg.text;
      for (const w of words) snippet = snippet.replace(new RegExp(`(${w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')})`, 'ig'), '**$1**');
      return snippet;
    }
  }
  return false;
}

function analytics(report: SessionReport): DeliveryAnalytics {
  const segs = report.transcript.segments;
  const duration = report.audio.duration_s;
  const words = segs.reduce((a, s) => a + s.text.split(/\s+/).filter(Boolean).length, 0);
  const talk = segs.reduce((a, s) => a + (s.t1 - s.t0), 0);
  const pace = [];
  for (let t0 = 0; t0 < duration; t0 += 60) {
    const w = segs.filter((s) => s.t0 >= t0 && s.t0 < t0 + 60).reduce((a, s) => a + s.text.split(/\s+/).length, 0);
    pace.push({ t0, words: w, wpm: (w * 60) / Math.min(60, duration - t0) });
  }
  // Demo data: a filler every few seconds where words were spoken, pauses from the gaps.
  const fillers = segs.flatMap((s, i) => (i % 2 === 0 ? [{ t0: s.t0 + 1.5, phrase: FILLERS[i % FILLERS.length]! }] : []));
  const pauses = segs.slice(1).flatMap((s, i) => (s.t0 - segs[i]!.t1 >= 2 ? [{ t0: segs[i]!.t1, t1: s.t0 }] : []));
  const counts = new Map<string, number>();
  fillers.forEach((f) => counts.set(f.phrase, (counts.get(f.phrase) ?? 0) + 1));
  return {
    duration_s: duration,
    talk_time_s: talk,
    words,
    wpm: talk > 0 ? (words * 60) / talk : 0,
    pace,
    fillers,
    filler_counts: [...counts].map(([phrase, count]) => ({ phrase, count })),
    filler_total: fillers.length,
    fillers_per_100_words: words ? (fillers.length * 100) / words : 0,
    pauses,
    longest_pause_s: Math.max(0, ...pauses.map((p) => p.t1 - p.t0)),
    think_time_s: pauses.reduce((a, p) => a + p.t1 - p.t0, 0),
    signposts: [],
  };
}

/** Answers a review or progress command, or returns `undefined` when `cmd` is not one. */
export function handleReviewCommand(cmd: string, args: Record<string, unknown>, sessions: MockSessions, prompts: PromptInfo[]): unknown {
  const get = (id: unknown) => {
    const s = sessions.get(String(id));
    if (!s) throw `Session ${String(id)} was not found.`;
    return s;
  };
  switch (cmd) {
    case 'search_sessions': {
      const q = (args.query ?? {}) as SessionQuery;
      const out: SessionSummary[] = [];
      for (const entry of sessions.values()) {
        const m = matches(entry, q);
        if (m === false) continue;
        out.push({ ...entry.summary, snippet: m });
      }
      return out.sort((a, b) => b.started_at.localeCompare(a.started_at));
    }
    case 'session_attempts':
      return [...sessions.values()]
        .map((s) => s.summary)
        .filter((s) => s.prompt_id === String(args.promptId))
        .sort((a, b) => b.started_at.localeCompare(a.started_at));
    case 'interrupted_sessions':
      return [...sessions.values()].map((s) => s.summary).filter((s) => s.status === 'interrupted');
    case 'score_history':
      return histories.get(String(args.sessionId)) ?? [];
    case 'correct_segment': {
      const entry = get(args.sessionId);
      const index = entry.report.segment_refs.findIndex((r) => r.id === Number(args.segmentId));
      if (index < 0) throw 'That segment is not in this session.';
      const seg = entry.report.transcript.segments[index]!;
      const original = entry.report.segment_refs[index]!.original_text ?? seg.text;
      const segments = entry.report.transcript.segments.map((s, i) => (i === index ? { ...s, text: String(args.text) } : s));
      const refs = entry.report.segment_refs.map((r, i) => (i === index ? { ...r, corrected: true, original_text: original } : r));
      // A visible change: naming a number after a correction lifts trade-offs by one.
      const dims = entry.report.scorecard.dimensions.map((d) =>
        d.id === 'tradeoffs' && /\d/.test(String(args.text)) ? { ...d, level: Math.min(4, d.level + 1) } : d,
      );
      const history = histories.get(entry.summary.session_id) ?? [];
      const version = history.length + 1;
      entry.report = { ...entry.report, transcript: { segments }, segment_refs: refs, scorecard: { ...entry.report.scorecard, dimensions: dims }, score_version: version };
      entry.summary.levels = levelsOf(entry.report);
      entry.summary.overall = mean(entry.summary.levels);
      history.push({
        version,
        created_at: new Date().toISOString(),
        grader: entry.report.scorecard.grader,
        reason: `after correcting segment ${index + 1}`,
        levels: entry.summary.levels,
        overall: entry.summary.overall ?? 0,
      });
      histories.set(entry.summary.session_id, history);
      return entry.report;
    }
    case 'session_analytics':
      return analytics(get(args.sessionId).report);
    case 'compare_sessions': {
      const side = (id: unknown) => {
        const { summary, report } = get(id);
        return {
          session_id: summary.session_id,
          started_at: summary.started_at,
          duration_s: summary.duration_s,
          grader: summary.grader ?? 'offline',
          overall: summary.overall,
          levels: summary.levels,
          tradeoffs: report.scorecard.dimensions.find((d) => d.id === 'tradeoffs')?.evidence ?? [],
        };
      };
      const a = side(args.a);
      const b = side(args.b);
      const result: SessionComparison = {
        prompt_id: get(args.a).summary.prompt_id,
        a,
        b,
        level_deltas: DIMS.map((id) => ({
          id,
          delta: (b.levels.find((l) => l.id === id)?.level ?? 0) - (a.levels.find((l) => l.id === id)?.level ?? 0),
        })),
      };
      return result;
    }
    case 'progress': {
      const scored = [...sessions.values()]
        .filter((s) => s.summary.levels.length > 0)
        .sort((a, b) => a.summary.started_at.localeCompare(b.summary.started_at));
      const point = (s: (typeof scored)[number], value: number) => ({ session_id: s.summary.session_id, date: s.summary.started_at, value });
      const dimensions = DIMS.map((id) => ({ id, points: scored.map((s) => point(s, s.summary.levels.find((l) => l.id === id)?.level ?? 0)) }));
      const means = dimensions.map((d) => ({ id: d.id, mean: d.points.slice(-5).reduce((a, p) => a + p.value, 0) / Math.max(1, Math.min(5, d.points.length)) }));
      const result: Progress = {
        sessions: scored.length,
        dimensions,
        filler_rate: scored.map((s, i) => point(s, 6 - i * 1.2)),
        pace_wpm: scored.map((s, i) => point(s, 128 + i * 9)),
        weakest: means
          .sort((a, b) => a.mean - b.mean)
          .slice(0, 3)
          .map((m) => ({
            id: m.id,
            mean_level: m.mean,
            cards: [
              { card_id: `c-${m.id}-1`, title: `How to show ${m.id.replace('_', ' ')}` },
              { card_id: `c-${m.id}-2`, title: `Drill: ${m.id.replace('_', ' ')} in 5 minutes` },
            ],
          })),
      };
      return result;
    }
    case 'export_session': {
      const id = String(args.sessionId);
      get(id);
      const format = String(args.format) === 'md' ? 'md' : 'html';
      return { path: `/home/alex/.local/share/rehearse/exports/${id}.${format}`, format, bytes: format === 'md' ? 6_812 : 48_210 };
    }
    case 'finish_interrupted': {
      const entry = get(args.sessionId);
      const template = [...sessions.values()].find((s) => s.report.scorecard.dimensions.length > 0);
      if (template) entry.report.scorecard = template.report.scorecard;
      entry.summary.status = 'done';
      entry.summary.grader = 'offline';
      completeMockSession(entry, prompts);
      return entry.report;
    }
    default:
      return undefined;
  }
}
