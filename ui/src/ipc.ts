// The one place that talks to the Tauri shell. Every command and event the UI uses is here,
// typed with the bindings ts-rs generates from the Rust types (src/bindings, never hand-edited).
//
// Command errors reject with a string meant for the user; callers show it verbatim
// (see errorMessage in format.ts and the ErrorBanner).
import { invoke } from '@tauri-apps/api/core';
import { listen, type UnlistenFn } from '@tauri-apps/api/event';
import type { AppStatus } from './bindings/AppStatus';
import type { CardSchedule } from './bindings/CardSchedule';
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
