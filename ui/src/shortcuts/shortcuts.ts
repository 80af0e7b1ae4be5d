// The app's keyboard shortcuts: one list, shown by the `?` sheet, and the rule for when a
// global shortcut may fire at all.

export interface Shortcut {
  keys: string[];
  action: string;
}

export interface ShortcutGroup {
  title: string;
  shortcuts: Shortcut[];
}

export const SHORTCUT_GROUPS: ShortcutGroup[] = [
  {
    title: 'Anywhere',
    shortcuts: [
      { keys: ['?'], action: 'Show or hide this sheet' },
      { keys: ['/'], action: 'Search cards, glossary and prompts' },
      { keys: ['Ctrl', 'K'], action: 'Search (also while typing)' },
      { keys: ['Ctrl', 'Enter'], action: 'Start practice with the chosen prompt, or stop and score it' },
      { keys: ['M'], action: 'Mark this moment while recording (to find it in review)' },
      { keys: ['N'], action: 'Move on to the next interview phase while recording' },
      { keys: ['Esc'], action: 'Close a sheet, panel or open card' },
    ],
  },
  {
    title: 'Review playback',
    shortcuts: [
      { keys: ['Space'], action: 'Play or pause' },
      { keys: ['←'], action: 'Back 5 seconds' },
      { keys: ['→'], action: 'Forward 5 seconds' },
      { keys: ['['], action: 'Slower' },
      { keys: [']'], action: 'Faster' },
    ],
  },
  {
    title: 'Study',
    shortcuts: [
      { keys: ['Space'], action: 'Show the answer' },
      { keys: ['1', '2', '3', '4'], action: 'Grade: again, hard, good, easy' },
      { keys: ['A'], action: 'Answer out loud (A or Enter stops, Esc discards)' },
      { keys: ['/'], action: 'Search the cards' },
    ],
  },
];

/** The least an event target needs for [`isTypingTarget`] (a DOM element, or a test double). */
export interface KeyTarget {
  tagName?: string;
  type?: string;
  isContentEditable?: boolean;
  closest?: (selector: string) => unknown;
}

const TEXT_INPUT_TYPES = new Set(['text', 'search', 'email', 'url', 'password', 'number', 'tel', '']);

/**
 * True when a keystroke belongs to what has focus, not to the app: typing in a text field,
 * or working on the whiteboard (Excalidraw owns its keys).
 */
export function isTypingTarget(target: KeyTarget | null | undefined): boolean {
  if (!target) return false;
  if (target.closest?.('.excalidraw')) return true;
  if (target.isContentEditable) return true;
  const tag = (target.tagName ?? '').toUpperCase();
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag === 'INPUT') return TEXT_INPUT_TYPES.has((target.type ?? '').toLowerCase());
  return false;
}

export type GlobalAction = 'toggle-sheet' | 'start-stop' | 'mark' | 'next-phase' | null;

/** Which global shortcut a key press is, if any. */
export function globalAction(e: {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  target: KeyTarget | null;
}): GlobalAction {
  if (isTypingTarget(e.target)) return null;
  if (e.key === '?' && !e.ctrlKey && !e.metaKey && !e.altKey) return 'toggle-sheet';
  if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && !e.altKey) return 'start-stop';
  if ((e.key === 'm' || e.key === 'M') && !e.ctrlKey && !e.metaKey && !e.altKey) return 'mark';
  if ((e.key === 'n' || e.key === 'N') && !e.ctrlKey && !e.metaKey && !e.altKey) return 'next-phase';
  return null;
}
