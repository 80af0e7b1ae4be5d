// Mock answers for the study commands (see mockBackend.ts): a handful of cards in four decks,
// reviews that take a card out of today's queue, search over titles and bodies, and a spoken
// answer that covers two of three key points.
import type { CardSchedule } from '../bindings/CardSchedule';
import type { DueCard } from '../bindings/DueCard';
import type { ReviewGrade } from '../bindings/ReviewGrade';
import type { SearchHit } from '../bindings/SearchHit';
import type { SpokenAnswer } from '../bindings/SpokenAnswer';
import type { StudyCard } from '../bindings/StudyCard';
import type { StudyDeck } from '../bindings/StudyDeck';
import type { StudyStats } from '../bindings/StudyStats';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function card(card_id: string, area: string, kind: string, title: string, body: string, key_points: string[] = []): StudyCard {
  return { card_id, title, kind, area, tags: [], body, key_points, weak_answers: [], followups: [] };
}

const CARDS: StudyCard[] = [
  {
    ...card(
      'sd-cache-invalidation',
      'system-design',
      'question',
      'How would you keep a cache of LLM answers fresh when the documents change daily?',
      'Key the cache on the **question and the versions of the documents retrieved**, so a changed document misses on its own.',
      [
        'Key the cache on the retrieved documents’ versions',
        'Invalidate on document change events',
        'Bound staleness with a TTL',
      ],
    ),
    weak_answers: ['“Just set a short TTL.” Answers go stale for the TTL and the hit rate drops.'],
    followups: ['What hit rate do you expect, and how would you measure it?'],
  },
  card(
    'ml-precision-recall',
    'ml-fundamentals',
    'concept',
    'Precision and recall',
    'Precision: of what you flagged, how much was right. Recall: of what was there, how much you found.',
  ),
  card(
    'llm-streaming',
    'llm-apis',
    'concept',
    'Streaming responses',
    'Server-sent events deliver tokens as they are generated: the first words show in a few hundred milliseconds.',
  ),
  card(
    'agents-tool-loops',
    'agents',
    'overview',
    'Agent tool loops',
    'An agent alternates between calling a tool and reading its result until it can answer; **bound the loop**.',
  ),
];

const INTERVAL_DAYS: Record<ReviewGrade, number> = { again: 0.007, hard: 1.2, good: 3.1, easy: 8.4 };

const reviewed = new Set<string>();

function due(area: string | null): DueCard[] {
  return CARDS.filter((c) => !reviewed.has(c.card_id) && (area === null || c.area === area)).map((c) => ({
    card_id: c.card_id,
    title: c.title,
    kind: c.kind,
    area: c.area,
    state: 'new',
    due: null,
    reason: null,
  }));
}

function stats(area: string | null): StudyStats {
  const inDeck = CARDS.filter((c) => area === null || c.area === area);
  const done = inDeck.filter((c) => reviewed.has(c.card_id)).length;
  return { due_today: 0, new: inDeck.length - done, reviewed_total: 12 + done, due_next_7_days: [0, 2, 1, 0, 3, 0, 1], retention: 0.83 };
}

function decks(): StudyDeck[] {
  const areas = [...new Set(CARDS.map((c) => c.area))];
  return areas.map((area) => {
    const n = due(area).length;
    return { area, due: n, due_reviewed: 0, new: n, total: CARDS.filter((c) => c.area === area).length };
  });
}

function search(query: string): SearchHit[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  return CARDS.filter((c) => words.every((w) => `${c.title} ${c.body}`.toLowerCase().includes(w))).map((c) => ({
    kind: 'card',
    id: c.card_id,
    title: c.title,
    snippet: words.reduce((s, w) => s.replace(new RegExp(`(${w})`, 'i'), '**$1**'), c.body.replace(/\*\*/g, '')),
  }));
}

function spokenAnswer(cardId: string): SpokenAnswer {
  const c = CARDS.find((x) => x.card_id === cardId);
  const points = c?.key_points ?? [];
  return {
    transcript: 'I would key the cache on the documents I retrieved and their versions, and drop entries when a document changes.',
    coverage: {
      card_id: cardId,
      covered: points.slice(0, 2).map((text, i) => ({ key_point_id: `kp${i}`, text, matched_phrase: text.split(' ').slice(-3).join(' ') })),
      missed: points.slice(2).map((text, i) => ({ key_point_id: `kp${i + 2}`, text })),
      suggested_grade: 'hard',
    },
  };
}

let answering: string | null = null;

/** The answer to a study command, or undefined when `cmd` is not one. */
export async function handleStudyCommand(cmd: string, args: Record<string, unknown>): Promise<unknown> {
  const area = typeof args.area === 'string' ? args.area : null;
  switch (cmd) {
    case 'study_due':
      return due(area);
    case 'study_stats':
      return stats(area);
    case 'study_decks':
      return decks();
    case 'study_card': {
      const found = CARDS.find((c) => c.card_id === args.cardId);
      if (!found) throw `Card ${String(args.cardId)} was not found.`;
      return found;
    }
    case 'study_search':
      return search(String(args.query));
    case 'study_review': {
      const cardId = String(args.cardId);
      const grade = args.grade as ReviewGrade;
      if (grade !== 'again') reviewed.add(cardId);
      const schedule: CardSchedule = {
        card_id: cardId,
        grade,
        state: grade === 'again' ? 'learning' : 'review',
        reviewed_at: new Date().toISOString(),
        due: new Date(Date.now() + INTERVAL_DAYS[grade] * 86_400_000).toISOString(),
        interval_days: INTERVAL_DAYS[grade],
        stability: 3,
        difficulty: 5,
        reps: 1,
        lapses: 0,
      };
      return schedule;
    }
    case 'study_answer_start':
      answering = String(args.cardId);
      return '/home/you/.local/share/rehearse/answers/a-001.wav';
    case 'study_answer_stop': {
      if (!answering) throw 'No answer is being recorded.';
      const cardId = answering;
      answering = null;
      await sleep(700);
      return spokenAnswer(cardId);
    }
    case 'study_answer_cancel':
      answering = null;
      return null;
    default:
      return undefined;
  }
}
