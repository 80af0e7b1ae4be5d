// A fake backend for previewing the UI in a plain browser (`npm run dev:mock`,
// `npm run build:mock`). Never part of the production build: main.tsx imports it only when
// Vite's mode is "mock". Query parameters drive a scripted demo for screenshots:
//   ?model=missing        the speech model is not installed
//   ?sessions=none        no stored sessions
//   ?fail=start           start_practice rejects
//   ?demo=recording|scored|review|delete|study|settings|progress|models (?net=ok: downloads finish)
//   ?demo=mic-lost        recording, then the microphone stops (the choice to continue or stop)
//   ?demo=mic-resumed     the same, continued on the system default (the gap's notice)
//   ?demo=study-answer|study-aloud|study-graded|study-keys|study-search|study-deck: the Study screen's states
//   ?sessions=many        1,000 more sessions (mockReview.ts); ?sessions=long a 60-minute one
import { mockIPC } from '@tauri-apps/api/mocks';
import { emit } from '@tauri-apps/api/event';
import type { AppStatus } from '../bindings/AppStatus';
import type { ComponentInfo } from '../bindings/ComponentInfo';
import type { DimensionId } from '../bindings/DimensionId';
import type { EngineEvent } from '../bindings/EngineEvent';
import type { Phase } from '../bindings/Phase';
import type { PromptInfo } from '../bindings/PromptInfo';
import type { Scorecard } from '../bindings/Scorecard';
import type { SessionReport } from '../bindings/SessionReport';
import type { SessionSummary } from '../bindings/SessionSummary';
import type { Segment } from '../bindings/Segment';
import type { Turn } from '../bindings/Turn';
import { addLongSession, addManySessions, completeMockSession, handleReviewCommand } from './mockReview';
import { handleModelCommand } from './mockModels';
import { handleStudyCommand } from './mockStudy';

const params = new URLSearchParams(window.location.search);

const PROMPTS: PromptInfo[] = [
  {
    id: 'doc-qa-10k',
    title: 'Question answering over 10,000 internal documents',
    brief:
      'Design a system that lets employees ask questions in plain English and get answers grounded in **10,000 internal documents** (PDFs, wiki pages, slide decks), with citations.\n\n- About 2,000 users, peak 20 questions per second\n- Documents change daily\n- Answers must say where they came from',
  },
  {
    id: 'support-assistant',
    title: 'A customer-support assistant that knows when to hand over',
    brief:
      'Design an assistant that answers customer questions from the help centre and order history, and hands the conversation to a person when it should.\n\n- 50,000 conversations a day\n- Must never invent a refund policy',
  },
  {
    id: 'code-search',
    title: 'Semantic code search for a large monorepo',
    brief: 'Design search over a 40-million-line monorepo where engineers describe what the code does, not what it is called.',
  },
  {
    id: 'moderation-pipeline',
    title: 'Content moderation for user uploads',
    brief: 'Design a pipeline that screens images and text posted by users within two seconds, with a human review queue for the uncertain cases.',
  },
];

const STATUS: AppStatus = {
  model_name: 'whisper base.en',
  model_ready: params.get('model') !== 'missing',
  model_message:
    params.get('model') === 'missing'
      ? 'The speech model "base.en" is not installed. Run `rehearse models install base.en` or open Settings → Speech models.'
      : null,
  input_devices: ['Built-in Microphone (Analog Stereo)', 'USB Headset (Analog Mono)'],
  default_input: 'Built-in Microphone (Analog Stereo)',
  data_dir: '/home/alex/.local/share/rehearse',
  speech_build: 'x86-64-v3 (SSE3, SSSE3, AVX, AVX2, FMA, F16C, BMI2)',
};

const SCRIPT: { at: number; event: EngineEvent }[] = [
  { at: 2.4, event: seg(0.4, 6.1, 'Before I design anything I want to pin down the requirements: who is asking, how many documents, and how fresh the answers need to be.') },
  { at: 4.2, event: seg(6.3, 11.8, 'Let us say two thousand employees, ten thousand documents, mostly PDFs and wiki pages, updated daily.', ['PDFs']) },
  { at: 5.0, event: { type: 'notice', message: 'Long silence at the start was trimmed from the transcript.' } },
  { at: 6.4, event: seg(12.2, 19.5, 'The architecture is an ingestion pipeline that splits documents into chunks of about five hundred tokens, computes embeddings and writes them to a vector store.') },
  { at: 7.6, event: turn(20.4, 'You said chunks of five hundred tokens. What made you pick that size, and what would you give up by going smaller?', ['tradeoffs', 'depth']) },
  { at: 9.2, event: seg(23.0, 29.8, 'Smaller chunks retrieve more precisely but lose context, so I would start at five hundred with some overlap and measure.') },
  { at: 10.6, event: seg(30.1, 37.2, 'At query time we embed the question, retrieve the top eight chunks, re-rank them and pass them to the model with the citations.', ['re-rank', 'citations.']) },
  { at: 12.0, event: turn(38.0, 'How would you know the answers are getting better or worse after a change?', ['evaluation']) },
];

/** A final segment; its words evenly timed, whisper sure of each (p 0.93) but those in `unsure` (p 0.21). */
function seg(t0: number, t1: number, text: string, unsure: string[] = []): EngineEvent {
  const parts = text.split(' ');
  const step = (t1 - t0) / parts.length;
  const words = parts.map((w, i) => ({ t0: t0 + i * step, t1: t0 + (i + 0.9) * step, text: w, p: unsure.includes(w) ? 0.21 : 0.93 }));
  return { type: 'segment', segment: { t0, t1, text, words } };
}

function turn(at: number, text: string, targets: DimensionId[]): EngineEvent {
  return { type: 'turn', turn: { at, role: 'interviewer', text, targets } };
}

const SUGGESTIONS: Record<DimensionId, [number, string]> = {
  requirements: [3, 'Ask about the latency users will accept before you size anything.'],
  architecture: [3, 'Draw the query path and the ingestion path as two separate flows.'],
  data_apis: [2, 'Say what a chunk record holds (text, source, page, version) and how the API returns citations.'],
  depth: [2, 'Go one level deeper on re-ranking: what model, what it costs per query.'],
  tradeoffs: [2, 'Put a number on it: what recall do you lose at 200 tokens versus 500?'],
  reliability: [0, 'Say what happens when the embedding service is down or the index is stale.'],
  evaluation: [0, 'Describe a golden set of questions and how you would score grounded answers.'],
  communication: [3, 'Signpost more: "I will cover ingestion, then query, then evaluation."'],
};

/** A decision from the scripted speech, shaped as the engine's grader lists one (a choice with nothing weighed against it). */
const MOCK_TRADEOFFS: Scorecard['tradeoffs'] = [
  {
    choice: 'five hundred',
    alternative: null,
    reason: null,
    number: null,
    otherwise: null,
    evidence: { quote: 'Smaller chunks retrieve more precisely but lose context, so I would start at five hundred with some overlap and measure.', t0: 23.0 },
    level: 0,
    missing: ['alternative', 'reason', 'number', 'otherwise'],
    suggestion: 'Say what you weighed "five hundred" against, and why it wins for this system.',
  },
];

/** The rubric's conditions: the gate checks open level 2, the top checks level 4. */
const NEEDED_FOR: Record<string, number> = { versus: 2, 'cost of': 2, 'trade-off named': 2, 'when otherwise': 4, flow: 4 };

/** Checks the rubric shows but counts toward no level. */
const UNCOUNTED = new Set(['named products']);

/** Each dimension's checks as the rubric lists them (a subset, for the mock). */
const CHECKS: Record<DimensionId, string[]> = {
  requirements: ['users', 'scale', 'latency target', 'freshness', 'scope', 'quality target'],
  architecture: ['ingestion', 'chunking', 'embeddings', 'vector store', 'retrieval', 'generation', 'flow', 'named products'],
  data_apis: ['metadata', 'schema', 'API', 'storage', 'versioning'],
  depth: ['chunk sizing', 'retrieval tuning', 'edge cases', 'context assembly', 'costing', 'a number'],
  tradeoffs: ['versus', 'cost of', 'trade-off named', 'because', 'when otherwise', 'a number'],
  reliability: ['failure', 'timeouts and retries', 'fallback', 'redundancy', 'rate limits'],
  evaluation: ['eval set', 'metrics', 'monitoring', 'feedback', 'regression'],
  communication: ['plan', 'signposts', 'summary', 'check in'],
};

function reportFor(sessionId: string, promptId: string, segments: Segment[], turns: Turn[]): SessionReport {
  const dims = (Object.keys(SUGGESTIONS) as DimensionId[]).map((id) => {
    const [level, suggestion] = SUGGESTIONS[id];
    const evidence = level === 0 ? [] : segments.slice(0, level > 2 ? 2 : 1).map((s) => ({ quote: s.text.split(',')[0]!, t0: s.t0 }));
    // The first `level` checks met, each with a quote; the rest open.
    const checks = CHECKS[id].map((name, i) => {
      const quoted = i < level ? (evidence[i % Math.max(evidence.length, 1)] ?? null) : null;
      const needed_for = NEEDED_FOR[name] ?? null;
      // As the engine marks them: an open condition of a level not reached (the mock's met
      // checks come first, so a met gate check already sits earlier in the list).
      const holds_level = quoted === null && needed_for !== null && needed_for > level;
      return { name, met: quoted !== null, evidence: quoted, needed_for, holds_level, uncounted: UNCOUNTED.has(name) };
    });
    return { id, level, evidence, suggestion, checks };
  });
  const last = segments[segments.length - 1];
  return {
    session_id: sessionId,
    prompt_id: promptId,
    audio: { path: `${STATUS.data_dir}/sessions/${sessionId}/audio.wav`, duration_s: last ? last.t1 + 2 : 3, available: true },
    transcript: { segments },
    turns,
    scorecard: { grader: 'offline', dimensions: dims, tradeoffs: MOCK_TRADEOFFS },
    // Filled in by completeMockSession (mockReview.ts) once the summary exists.
    segment_refs: [],
    score_version: null,
    status: 'done',
    started_at: '',
  };
}

const allSegments = SCRIPT.flatMap((s) => (s.event.type === 'segment' ? [s.event.segment] : []));
const allTurns = SCRIPT.flatMap((s) => (s.event.type === 'turn' ? [s.event.turn] : []));

const sessions = new Map<string, { summary: SessionSummary; report: SessionReport }>();
if (params.get('sessions') !== 'none') {
  const day = 24 * 3600 * 1000;
  const seed: [string, string, number, SessionSummary['status']][] = [
    ['s-003', 'doc-qa-10k', 1, 'done'],
    ['s-0025', 'doc-qa-10k', 2, 'done'],
    ['s-002', 'support-assistant', 3, 'done'],
    ['s-001', 'code-search', 6, 'interrupted'],
  ];
  for (const [id, promptId, daysAgo, status] of seed) {
    const report = reportFor(id, promptId, allSegments, allTurns);
    if (status === 'interrupted') report.scorecard = { grader: 'offline', dimensions: [], tradeoffs: [] };
    const overall = report.scorecard.dimensions.length
      ? report.scorecard.dimensions.reduce((a, d) => a + d.level, 0) / report.scorecard.dimensions.length
      : null;
    sessions.set(id, {
      report,
      summary: {
        session_id: id,
        prompt_id: promptId,
        started_at: new Date(Date.now() - daysAgo * day - 3.5 * 3600 * 1000).toISOString(),
        duration_s: status === 'interrupted' ? 212 : 1480 + daysAgo * 30,
        status,
        grader: status === 'interrupted' ? null : 'offline',
        overall,
        prompt_title: '',
        levels: [],
        snippet: null,
      },
    });
    completeMockSession(sessions.get(id)!, PROMPTS);
  }
  if (params.get('sessions') === 'many') addManySessions(sessions, sessions.get('s-003')!.report, PROMPTS);
  if (params.get('sessions') === 'long') addLongSession(sessions, sessions.get('s-003')!.report, PROMPTS);
}

function wav(seconds: number): ArrayBuffer {
  const rate = 16000;
  const n = Math.floor(rate * seconds);
  const buf = new ArrayBuffer(44 + n * 2);
  const v = new DataView(buf);
  const text = (o: number, s: string) => [...s].forEach((c, i) => v.setUint8(o + i, c.charCodeAt(0)));
  text(0, 'RIFF');
  v.setUint32(4, 36 + n * 2, true);
  text(8, 'WAVEfmt ');
  v.setUint32(16, 16, true);
  v.setUint16(20, 1, true);
  v.setUint16(22, 1, true);
  v.setUint32(24, rate, true);
  v.setUint32(28, rate * 2, true);
  v.setUint16(32, 2, true);
  v.setUint16(34, 16, true);
  text(36, 'data');
  v.setUint32(40, n * 2, true);
  for (let i = 0; i < n; i++) v.setInt16(44 + i * 2, Math.round(Math.sin((i / rate) * 2 * Math.PI * 220) * 1500), true);
  return buf;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let live: { id: string; promptId: string; startedAt: number; timers: number[]; segments: Segment[]; turns: Turn[] } | null = null;
// The mock interview's phase: index into MOCK_PHASES, with its start (session seconds).
const MOCK_PHASES: { phase: Phase; budget_s: number }[] = [
  { phase: 'clarify', budget_s: 300 },
  { phase: 'high_level', budget_s: 600 },
  { phase: 'deep_dive', budget_s: 900 },
  { phase: 'tradeoffs_failures', budget_s: 600 },
  { phase: 'wrap_up', budget_s: 300 },
];
let livePhase = 0;
function mockPhaseEvent(index: number, startedS: number): EngineEvent {
  const p = MOCK_PHASES[index] ?? { phase: 'wrap_up', budget_s: 300 };
  return { type: 'phase', phase: p.phase, budget_s: p.budget_s, started_s: startedS };
}
let counter = 4;
const boards = new Map<string, { t: number; scene: string }[]>();
const MOCK_COMPONENTS: ComponentInfo[] = (
  [
    ['client', 'Client', 'A browser, app or caller outside the system.'],
    ['cdn', 'CDN', 'Caches static content near users.'],
    ['load_balancer', 'Load balancer', 'Spreads requests over identical instances.'],
    ['api_gateway', 'API gateway', 'One entry point: auth, rate limits, routing.'],
    ['service', 'Service', 'Application code behind an API.'],
    ['worker', 'Worker', 'Background jobs pulled from a queue.'],
    ['queue', 'Queue / stream', 'Buffers work between producers and consumers.'],
    ['cache', 'Cache', 'Fast copies of hot data.'],
    ['relational_db', 'Relational DB', 'Tables, transactions, SQL.'],
    ['document_store', 'Document / KV store', 'Documents or values by key.'],
    ['vector_store', 'Vector store', 'Nearest-neighbour search over embeddings.'],
    ['object_storage', 'Object storage', 'Files and blobs.'],
    ['search_index', 'Search index', 'Keyword (BM25) search.'],
    ['llm', 'LLM', 'A large language model.'],
    ['embedding_model', 'Embedding model', 'Turns text into vectors.'],
    ['reranker', 'Reranker', 'Re-orders retrieved results.'],
    ['external_api', 'Tool / external API', 'A system you do not run.'],
    ['monitoring', 'Monitoring', 'Metrics, logs, traces, alerts.'],
  ] as const
).map(([kind, name, description]) => ({ kind, name, description }));

function send(event: EngineEvent) {
  if (event.type === 'segment') live?.segments.push(event.segment);
  if (event.type === 'turn') live?.turns.push(event.turn);
  void emit('engine-event', event);
}

async function handle(cmd: string, args: Record<string, unknown>): Promise<unknown> {
  await sleep(60);
  switch (cmd) {
    case 'list_prompts':
      return PROMPTS;
    case 'app_status':
      return STATUS;
    case 'start_practice': {
      if (params.get('fail') === 'start') throw 'Could not open the microphone "Built-in Microphone (Analog Stereo)": the device is busy. Close other apps using it and try again.';
      if (live) throw 'A practice session is already running.';
      const id = `s-${String(counter++).padStart(3, '0')}`;
      live = { id, promptId: String(args.promptId), startedAt: Date.now(), timers: [], segments: [], turns: [] };
      const session = live;
      session.timers.push(window.setTimeout(() => send({ type: 'started', session_id: id }), 30));
      livePhase = 0;
      session.timers.push(window.setTimeout(() => send(mockPhaseEvent(0, 0)), 40));
      session.timers.push(
        window.setInterval(() => {
          const t = (Date.now() - session.startedAt) / 1000;
          send({ type: 'level', rms: 0.02 + 0.18 * Math.abs(Math.sin(t * 2.3) * Math.sin(t * 0.7)) });
        }, 100),
      );
      for (const step of SCRIPT) session.timers.push(window.setTimeout(() => send(step.event), step.at * 1000));
      return id;
    }
    case 'stop_practice': {
      if (!live) throw 'No practice session is running.';
      const session = live;
      session.timers.forEach((t) => {
        window.clearTimeout(t);
        window.clearInterval(t);
      });
      await sleep(1800);
      live = null;
      const report = reportFor(session.id, session.promptId, session.segments, session.turns);
      const overall = report.scorecard.dimensions.reduce((a, d) => a + d.level, 0) / 8;
      sessions.set(session.id, {
        report,
        summary: {
          session_id: session.id,
          prompt_id: session.promptId,
          started_at: new Date(session.startedAt).toISOString(),
          duration_s: (Date.now() - session.startedAt) / 1000,
          status: 'done',
          grader: 'offline',
          overall,
          prompt_title: '',
          levels: [],
          snippet: null,
        },
      });
      completeMockSession(sessions.get(session.id)!, PROMPTS);
      return report;
    }
    case 'list_sessions':
      return [...sessions.values()].map((s) => s.summary).sort((a, b) => b.started_at.localeCompare(a.started_at));
    case 'get_session': {
      const s = sessions.get(String(args.sessionId));
      if (!s) throw `Session ${String(args.sessionId)} was not found.`;
      return s.report;
    }
    case 'session_audio':
      // ?audio=short: 2 s of audio for any session, to time the session view without the
      // mock's own (main-thread) WAV synthesis.
      return wav(params.get('audio') === 'short' ? 2 : (sessions.get(String(args.sessionId))?.report.audio.duration_s ?? 2));
    case 'delete_session':
      sessions.delete(String(args.sessionId));
      return null;
    // Whiteboard (src/board): the library, and a board history per session kept in memory.
    case 'board_components':
      return MOCK_COMPONENTS;
    case 'continue_on_input': {
      if (!live) throw 'No practice session is running.';
      await sleep(600);
      const device = args.device === null || args.device === undefined ? 'Built-in Microphone (Analog Stereo)' : String(args.device);
      const at = (Date.now() - live.startedAt) / 1000;
      send({ type: 'mic_resumed', device, at_s: at, message: `Recording continues on ${device}. The gap at 00:${String(Math.floor(at)).padStart(2, '0')} is marked in the review.` });
      return device;
    }
    case 'next_phase': {
      if (!live) throw 'No practice session is running.';
      if (livePhase + 1 < MOCK_PHASES.length) {
        livePhase += 1;
        send(mockPhaseEvent(livePhase, (Date.now() - live.startedAt) / 1000));
      }
      return null;
    }
    case 'read_board': {
      // Not the engine's reader: each labelled text is a component, enough to show the list.
      const scene = JSON.parse(String(args.scene)) as { elements?: { id: string; type: string; text?: string; isDeleted?: boolean }[] };
      const texts = (scene.elements ?? []).filter((e) => e.type === 'text' && !e.isDeleted && e.text);
      return { nodes: texts.map((e) => ({ id: e.id, kind: 'service', label: e.text })), edges: [], notes: [] };
    }
    case 'practice_board_update': {
      if (!live) throw 'No practice session is running.';
      const history = boards.get(live.id) ?? [];
      history.push({ t: (Date.now() - live.startedAt) / 1000, scene: String(args.scene) });
      boards.set(live.id, history);
      return null;
    }
    case 'session_board_times':
      return (boards.get(String(args.id)) ?? []).map((b) => b.t);
    case 'session_board_at': {
      const at = Number(args.tS);
      const shown = (boards.get(String(args.id)) ?? []).filter((b) => b.t <= at).pop();
      return shown?.scene ?? null;
    }
    case 'export_board_file':
      return `${STATUS.data_dir}/exports/${String(args.name)}.${String(args.ext)}`;
    case 'retranscribe_session': {
      const s = sessions.get(String(args.sessionId));
      if (!s) throw `Session ${String(args.sessionId)} was not found.`;
      await sleep(1500);
      s.report = { ...s.report, score_version: (s.report.score_version ?? 1) + 1 };
      return s.report;
    }
    default: {
      const models = await handleModelCommand(cmd, args);
      if (models !== undefined) return models;
      const study = await handleStudyCommand(cmd, args);
      if (study !== undefined) return study;
      const answer = handleReviewCommand(cmd, args, sessions, PROMPTS);
      if (answer !== undefined) return answer;
      throw `Unknown command ${cmd}`;
    }
  }
}

async function click(testId: string, timeoutMs = 5000) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const el = document.querySelector<HTMLButtonElement>(`[data-testid="${testId}"]`);
    if (el && !el.disabled) {
      el.click();
      return;
    }
    await sleep(50);
  }
}

/** Types into a React-controlled input (its value setter, then an input event React sees). */
async function typeInto(testId: string, text: string, timeoutMs = 5000) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const el = document.querySelector<HTMLInputElement>(`[data-testid="${testId}"]`);
    if (el) {
      Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set?.call(el, text);
      el.dispatchEvent(new Event('input', { bubbles: true }));
      return;
    }
    await sleep(50);
  }
}

async function demo(name: string) {
  switch (name) {
    case 'recording':
      await click('start-button');
      return;
    case 'mic-lost':
    case 'mic-resumed': {
      // Recording, then the headset goes away: what the engine sends (see live/mic_loss.rs).
      await click('start-button');
      await sleep(4500);
      const device = 'USB Headset (Analog Mono)';
      live?.timers.forEach((t) => window.clearTimeout(t));
      send({ type: 'mic_lost', device, at_s: 4.5, message: `The microphone stopped: ${device}. What you said so far is saved.` });
      if (name === 'mic-resumed') await click('mic-lost-continue');
      return;
    }
    case 'phase':
      // Recording, moved on once: the phase strip with a past, a current and later phases.
      await click('start-button');
      await sleep(1500);
      await click('next-phase');
      return;
    case 'scored':
      await click('start-button');
      await sleep(13000);
      await click('stop-button');
      return;
    case 'review':
    case 'delete':
      await click('nav-review');
      await click('session-row');
      if (name === 'delete') await click('delete-session');
      return;
    case 'study':
    case 'settings':
    case 'progress':
      await click(`nav-${name}`);
      return;
    case 'study-answer':
    case 'study-graded':
      await click('nav-study');
      await click('study-show-answer');
      if (name === 'study-graded') await click('study-grade-good');
      return;
    case 'study-keys':
      // The same as study-graded, by keyboard: Space shows the answer, 3 grades it Good.
      await click('nav-study');
      await sleep(800);
      for (const key of [' ', '3']) {
        window.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }));
        await sleep(300);
      }
      return;
    case 'study-aloud':
      // Answered out loud: the coverage of the key points and a suggested grade.
      await click('nav-study');
      await click('study-answer-aloud');
      await sleep(1200);
      await click('study-answer-stop');
      return;
    case 'study-search':
      await click('nav-study');
      await typeInto('study-search', 'cache');
      return;
    case 'study-deck':
      await click('nav-study');
      await sleep(300);
      document.querySelector<HTMLButtonElement>('[data-testid="study-deck"] [data-area="agents"]')?.click();
      return;
    case 'onboarding-llm':
      // First start (with ?onboard): the model step offers a local LLM server.
      await click('onboarding-next');
      await click('local-servers-find');
      await click('local-server-use');
      return;
    case 'llm-servers':
      // Settings → AI interviewer: a local server found at its usual port.
      await click('nav-settings');
      await click('local-servers-find');
      await click('local-server-use');
      document.querySelector('[data-testid="local-servers"]')?.scrollIntoView({ block: 'center' });
      return;
    case 'models':
      // Settings → Speech models with a download running (progress bar, Cancel).
      await click('nav-settings');
      await click('model-download');
      return;
  }
}

export function installMockBackend() {
  mockIPC((cmd, args) => handle(cmd, (args ?? {}) as Record<string, unknown>), { shouldMockEvents: true });
  const name = params.get('demo');
  if (name) void demo(name);
}
