// Interleaves transcript segments, interviewer turns and notices in time order (pure).
import type { Segment } from '../bindings/Segment';
import type { Turn } from '../bindings/Turn';

export interface Notice {
  /** Seconds from the start of the session when it arrived. */
  at: number;
  message: string;
}

export type TimelineItem =
  | { kind: 'segment'; t: number; segment: Segment; key: string }
  | { kind: 'turn'; t: number; turn: Turn; key: string }
  | { kind: 'notice'; t: number; notice: Notice; key: string };

const KIND_ORDER: Record<TimelineItem['kind'], number> = { segment: 0, turn: 1, notice: 2 };

/**
 * Segments sort by start time, turns by when they were asked. On a tie the candidate's words
 * come first: a follow-up is asked after what prompted it.
 */
export function buildTimeline(segments: Segment[], turns: Turn[], notices: Notice[] = []): TimelineItem[] {
  const items: TimelineItem[] = [
    ...segments.map((segment, i) => ({ kind: 'segment' as const, t: segment.t0, segment, key: `s${i}` })),
    ...turns.map((turn, i) => ({ kind: 'turn' as const, t: turn.at, turn, key: `t${i}` })),
    ...notices.map((notice, i) => ({ kind: 'notice' as const, t: notice.at, notice, key: `n${i}` })),
  ];
  return items
    .map((item, index) => ({ item, index }))
    .sort((a, b) => a.item.t - b.item.t || KIND_ORDER[a.item.kind] - KIND_ORDER[b.item.kind] || a.index - b.index)
    .map(({ item }) => item);
}

/** The index of the segment being spoken at time `t` (for review playback), or -1. */
export function activeSegmentIndex(segments: Segment[], t: number): number {
  return segments.findIndex((s) => t >= s.t0 && t < s.t1);
}
