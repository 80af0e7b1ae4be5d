// The one place that talks to the Tauri shell. Every command and event the UI uses is here,
// typed with the bindings ts-rs generates from the Rust types (src/bindings, never hand-edited).
//
// Command errors reject with `{ kind, message }` (src-tauri/src/error.rs: kind is busy,
// not_running, not_found, model, microphone, settings, engine or internal); the message is
// meant for the user and callers show it verbatim (see errorMessage in format.ts and the
// ErrorBanner).
import { invoke } from '@tauri-apps/api/core';
import { listen, type UnlistenFn } from '@tauri-apps/api/event';
import type { ApiKeyStatus } from './bindings/ApiKeyStatus';
import type { AppSettings } from './bindings/AppSettings';
import type { AppStatus } from './bindings/AppStatus';
import type { BoardGraph } from './bindings/BoardGraph';
import type { LocalLlmServer } from './bindings/LocalLlmServer';
import type { LlmCheck } from './bindings/LlmCheck';
import type { LlmPreferences } from './bindings/LlmPreferences';
import type { LoadedSettings } from './bindings/LoadedSettings';
import type { MicCheck } from './bindings/MicCheck';
import type { ModelDownloadProgress } from './bindings/ModelDownloadProgress';
import type { InstalledModel } from './bindings/InstalledModel';
import type { CardSchedule } from './bindings/CardSchedule';
import type { ComponentInfo } from './bindings/ComponentInfo';
import type { DueCard } from './bindings/DueCard';
import type { EngineEvent } from './bindings/EngineEvent';
import type { GlossaryEntry } from './bindings/GlossaryEntry';
import type { PromptInfo } from './bindings/PromptInfo';
import type { ReviewGrade } from './bindings/ReviewGrade';
import type { SearchHit } from './bindings/SearchHit';
import type { SessionReport } from './bindings/SessionReport';
import type { SessionSummary } from './bindings/SessionSummary';
import type { SpokenAnswer } from './bindings/SpokenAnswer';
import type { StudyCard } from './bindings/StudyCard';
import type { StudyDeck } from './bindings/StudyDeck';
import type { StudyStats } from './bindings/StudyStats';
import type { DeliveryAnalytics } from './bindings/DeliveryAnalytics';
import type { ExportFormat } from './bindings/ExportFormat';
import type { ExportedFile } from './bindings/ExportedFile';
import type { ModelInfo } from './bindings/ModelInfo';
import type { Progress } from './bindings/Progress';
import type { PruneResult } from './bindings/PruneResult';
import type { ScoreVersion } from './bindings/ScoreVersion';
import type { SessionComparison } from './bindings/SessionComparison';
import type { SessionQuery } from './bindings/SessionQuery';

export const ENGINE_EVENT = 'engine-event';

export function listPrompts(): Promise<PromptInfo[]> {
  return invoke<PromptInfo[]>('list_prompts');
}

export function appStatus(): Promise<AppStatus> {
  return invoke<AppStatus>('app_status');
}

/** Starts recording; resolves with the new session id. The session then emits engine events. */
export function startPractice(promptId: string): Promise<string> {
  return invoke<string>('start_practice', { promptId });
}

/** Stops recording; resolves once the tail is transcribed, scored and stored (seconds). */
export function stopPractice(): Promise<SessionReport> {
  return invoke<SessionReport>('stop_practice');
}

/** Newest first. */
export function listSessions(): Promise<SessionSummary[]> {
  return invoke<SessionSummary[]>('list_sessions');
}

export function getSession(sessionId: string): Promise<SessionReport> {
  return invoke<SessionReport>('get_session', { sessionId });
}

/** The session's WAV bytes. */
export async function sessionAudio(sessionId: string): Promise<ArrayBuffer> {
  const raw = await invoke<ArrayBuffer | Uint8Array | number[]>('session_audio', { sessionId });
  if (raw instanceof ArrayBuffer) return raw;
  // A shell that returns Vec<u8> as JSON gives a number array; accept it too.
  const bytes = raw instanceof Uint8Array ? raw : Uint8Array.from(raw);
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

export function deleteSession(sessionId: string): Promise<void> {
  return invoke<void>('delete_session', { sessionId });
}

/**
 * Cards to study now: fallen-due cards most overdue first, then new cards (all of them by default).
 * `area` keeps one deck ("agents", ...); null or undefined: every deck.
 */
export function studyDue(limit?: number, area?: string | null): Promise<DueCard[]> {
  return invoke<DueCard[]>('study_due', { limit: limit ?? null, area: area ?? null });
}

/** Records a review now; resolves with when the card is next due. */
export function studyReview(cardId: string, grade: ReviewGrade): Promise<CardSchedule> {
  return invoke<CardSchedule>('study_review', { cardId, grade });
}

/** Study counts for one deck (`area`), or every deck. */
export function studyStats(area?: string | null): Promise<StudyStats> {
  return invoke<StudyStats>('study_stats', { area: area ?? null });
}

/** The decks (topic areas) with how many of their cards are to study now. */
export function studyDecks(): Promise<StudyDeck[]> {
  return invoke<StudyDeck[]>('study_decks');
}

/** A glossary term with its definition. */
export function studyTerm(termId: string): Promise<GlossaryEntry> {
  return invoke<GlossaryEntry>('study_term', { termId });
}

/** Full-text search over cards, glossary and prompts, best first. */
export function studySearch(query: string, limit?: number): Promise<SearchHit[]> {
  return invoke<SearchHit[]>('study_search', { query, limit: limit ?? null });
}

/** A card in full: its front (title) and answer (body, key points). */
export function studyCard(cardId: string): Promise<StudyCard> {
  return invoke<StudyCard>('study_card', { cardId });
}

/** Starts recording a spoken answer to a question card (one with key points). */
export function studyAnswerStart(cardId: string): Promise<string> {
  return invoke<string>('study_answer_start', { cardId });
}

/** Stops the recording; resolves with the transcript, the key points it covers and a suggested grade. */
export function studyAnswerStop(): Promise<SpokenAnswer> {
  return invoke<SpokenAnswer>('study_answer_stop');
}

/** Discards the answer being recorded, if any. */
export function studyAnswerCancel(): Promise<void> {
  return invoke<void>('study_answer_cancel');
}

/** Subscribes to the live session's events; resolves with the function that unsubscribes. */
export function onEngineEvent(handler: (event: EngineEvent) => void): Promise<UnlistenFn> {
  return listen<EngineEvent>(ENGINE_EVENT, (e) => handler(e.payload));
}

// Review and progress -------------------------------------------------------------------

/** Sessions matching the query (full text over transcripts, prompt, dates, weak dimension), newest first. */
export function querySessions(query: SessionQuery): Promise<SessionSummary[]> {
  return invoke<SessionSummary[]>('search_sessions', { query });
}

/** Every session on one prompt (its attempts), newest first. */
export function sessionAttempts(promptId: string): Promise<SessionSummary[]> {
  return invoke<SessionSummary[]>('session_attempts', { promptId });
}

/** Sessions a crash or kill interrupted, found when the engine opened the store. */
export function interruptedSessions(): Promise<SessionSummary[]> {
  return invoke<SessionSummary[]>('interrupted_sessions');
}

/** Replaces a segment's text (the original is kept), re-scores; resolves with the new report. */
export function correctSegment(sessionId: string, segmentId: number, text: string): Promise<SessionReport> {
  return invoke<SessionReport>('correct_segment', { sessionId, segmentId, text });
}

/** Every version of the session's scores, oldest first. */
export function scoreHistory(sessionId: string): Promise<ScoreVersion[]> {
  return invoke<ScoreVersion[]>('score_history', { sessionId });
}

/** Pace per minute, fillers and pauses, from the transcript. */
export function sessionAnalytics(sessionId: string): Promise<DeliveryAnalytics> {
  return invoke<DeliveryAnalytics>('session_analytics', { sessionId });
}

/** Two attempts at one prompt side by side (b's levels minus a's). */
export function compareSessions(a: string, b: string): Promise<SessionComparison> {
  return invoke<SessionComparison>('compare_sessions', { a, b });
}

/** Each dimension over time, delivery trends and the weakest dimensions with their cards. */
export function progress(): Promise<Progress> {
  return invoke<Progress>('progress');
}

/** Writes the session as Markdown or one self-contained HTML file; resolves with where. */
export function exportSession(sessionId: string, format: ExportFormat): Promise<ExportedFile> {
  return invoke<ExportedFile>('export_session', { sessionId, format });
}

/** The speech models: the catalogue and custom ones, with whether each is installed and verified. */
export function listModels(): Promise<ModelInfo[]> {
  return invoke<ModelInfo[]>('list_models');
}

/** Transcribes the session's audio again with another installed model (old segments kept) and re-scores it. */
export function retranscribeSession(sessionId: string, modelId: string): Promise<SessionReport> {
  return invoke<SessionReport>('retranscribe_session', { sessionId, modelId });
}

/** Deletes sessions (rows and files) that started more than `olderThanDays` days ago (Settings, retention). */
export function pruneSessions(olderThanDays: number): Promise<PruneResult> {
  return invoke<PruneResult>('prune_sessions', { olderThanDays });
}

/** Scores an interrupted session from what was saved; resolves with its report. */
export function finishSession(sessionId: string): Promise<SessionReport> {
  return invoke<SessionReport>('finish_interrupted', { sessionId });
}

// --- Whiteboard (ui/src/board) ---

/** The component library the board's palette offers, in its order. */
export function boardComponents(): Promise<ComponentInfo[]> {
  return invoke<ComponentInfo[]>('board_components');
}

/** Hands the live session the board as it is now (an Excalidraw scene as JSON). */
/** The board as the interviewer reads it: components, arrows, notes (parsed by the engine). */
export function readBoard(scene: string): Promise<BoardGraph> {
  return invoke<BoardGraph>('read_board', { scene });
}

export function practiceBoardUpdate(scene: string): Promise<void> {
  return invoke<void>('practice_board_update', { scene });
}

/** The board (Excalidraw scene JSON) as it was `tS` seconds into a session; null before the first change. */
export function sessionBoardAt(id: string, tS: number): Promise<string | null> {
  return invoke<string | null>('session_board_at', { id, tS });
}

/** When the session's board changed, seconds from its start, ascending. */
export function sessionBoardTimes(id: string): Promise<number[]> {
  return invoke<number[]>('session_board_times', { id });
}

/** Writes an exported board (`ext` "svg" or "png") into the data folder's exports/; resolves with its path. */
export function exportBoardFile(name: string, ext: 'svg' | 'png', bytes: Uint8Array): Promise<string> {
  return invoke<string>('export_board_file', { name, ext, bytes: Array.from(bytes) });
}

// Settings, the API key, connection and microphone tests (src-tauri/src/commands/settings.rs).

/** The settings the app runs with, the file's problems, env overrides and where the API key is. */
export function getSettings(): Promise<LoadedSettings> {
  return invoke<LoadedSettings>('get_settings');
}

/** Saves and applies the settings (the engine restarts with them); refused while recording. */
export function saveSettings(settings: AppSettings): Promise<LoadedSettings> {
  return invoke<LoadedSettings>('save_settings', { settings });
}

/** Keeps the LLM API key in the OS keychain. The key never comes back: only where one is set. */
export function setApiKey(key: string): Promise<ApiKeyStatus> {
  return invoke<ApiKeyStatus>('set_api_key', { key });
}

export function clearApiKey(): Promise<ApiKeyStatus> {
  return invoke<ApiKeyStatus>('clear_api_key');
}

/** One tiny chat call to the server as typed (not yet saved), with the stored key. */
export function testLlmConnection(llm: LlmPreferences): Promise<LlmCheck> {
  return invoke<LlmCheck>('test_llm_connection', { llm });
}

/** The OpenAI-compatible servers running on this machine at their usual ports. */
export function findLocalLlmServers(): Promise<LocalLlmServer[]> {
  return invoke<LocalLlmServer[]>('find_local_llm_servers');
}

export const MIC_LEVEL_EVENT = 'mic-level';

/** Records `seconds` from the chosen microphone; levels arrive through onMicLevel. */
export function micTest(seconds: number): Promise<MicCheck> {
  return invoke<MicCheck>('mic_test', { seconds });
}

/** The last microphone test's WAV bytes. */
export async function micTestAudio(): Promise<ArrayBuffer> {
  const raw = await invoke<ArrayBuffer | Uint8Array | number[]>('mic_test_audio');
  if (raw instanceof ArrayBuffer) return raw;
  const bytes = raw instanceof Uint8Array ? raw : Uint8Array.from(raw);
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

export function onMicLevel(handler: (rms: number) => void): Promise<UnlistenFn> {
  return listen<EngineEvent>(MIC_LEVEL_EVENT, (e) => {
    if (e.payload.type === 'level') handler(e.payload.rms);
  });
}

/** Marks this moment of the session being recorded; resolves with its time in seconds. */
export function markMoment(): Promise<number> {
  return invoke<number>('mark_moment');
}

/**
 * After the microphone was lost: continues the session on `device` (null: the system default),
 * in the same recording; resolves with the device's name (a `mic_resumed` event follows).
 */
export function continueOnInput(device: string | null): Promise<string> {
  return invoke<string>('continue_on_input', { device });
}

/** Moves the session being recorded on to its next interview phase (a `phase` event follows). */
export function nextPhase(): Promise<void> {
  return invoke<void>('next_phase');
}

/** A stored session's marks, seconds from its start. */
export function sessionMarks(sessionId: string): Promise<number[]> {
  return invoke<number[]>('session_marks', { sessionId });
}

export const MODEL_DOWNLOAD_EVENT = 'model-download';

/** Downloads and verifies a catalogue model (progress through onModelDownload); resolves with its path. */
export function downloadModel(id: string): Promise<string> {
  return invoke<string>('download_model', { id });
}

export function onModelDownload(handler: (progress: ModelDownloadProgress) => void): Promise<UnlistenFn> {
  return listen<ModelDownloadProgress>(MODEL_DOWNLOAD_EVENT, (e) => handler(e.payload));
}

/** Stops the download in progress; its part file is kept, so downloading again resumes. */
export function cancelDownload(): Promise<void> {
  return invoke<void>('cancel_download');
}

/** Installs a local ggml file: a catalogue model when its checksum matches, else a custom one (with a warning). */
export function installModelFile(path: string): Promise<InstalledModel> {
  return invoke<InstalledModel>('install_model_file', { path });
}
