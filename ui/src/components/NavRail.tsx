import type { ReactNode } from 'react';
import './navRail.css';

export type Screen = 'practice' | 'review' | 'progress' | 'study' | 'settings';

const ICONS: Record<Screen, ReactNode> = {
  practice: (
    <>
      <rect x="9" y="3" width="6" height="11" rx="3" />
      <path d="M5 11a7 7 0 0 0 14 0M12 18v3" />
    </>
  ),
  review: (
    <>
      <circle cx="12" cy="12" r="9" />
      <path d="M10 8.5v7l6-3.5z" />
    </>
  ),
  progress: (
    <>
      <path d="M4 20h16" />
      <path d="M5 16l4-5 4 3 6-8" />
    </>
  ),
  study: (
    <>
      <path d="M4 5.5A2.5 2.5 0 0 1 6.5 3H20v15H6.5A2.5 2.5 0 0 0 4 20.5z" />
      <path d="M4 20.5A2.5 2.5 0 0 0 6.5 23H20v-5" />
    </>
  ),
  settings: (
    <>
      <circle cx="12" cy="12" r="3" />
      <path d="M12 2v3M12 19v3M4.9 4.9l2.1 2.1M17 17l2.1 2.1M2 12h3M19 12h3M4.9 19.1 7 17M17 7l2.1-2.1" />
    </>
  ),
};

const ITEMS: { id: Screen; label: string }[] = [
  { id: 'practice', label: 'Practice' },
  { id: 'review', label: 'Review' },
  { id: 'progress', label: 'Progress' },
  { id: 'study', label: 'Study' },
  { id: 'settings', label: 'Settings' },
];

interface Props {
  current: Screen;
  onNavigate: (screen: Screen) => void;
  /** A session is recording: Practice shows a red dot wherever the candidate is. */
  recording: boolean;
  /** The search box, under the brand. */
  search?: ReactNode;
}

export function NavRail({ current, onNavigate, recording, search }: Props) {
  return (
    <nav className="nav-rail" aria-label="Main">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true">
          R
        </span>
        <span className="brand-name">Rehearse</span>
      </div>
      {search}
      <ul>
        {ITEMS.map((item) => (
          <li key={item.id}>
            <button
              type="button"
              className={item.id === current ? 'nav-item active' : 'nav-item'}
              aria-current={item.id === current ? 'page' : undefined}
              data-testid={`nav-${item.id}`}
              onClick={() => onNavigate(item.id)}
            >
              <svg viewBox="0 0 24 24" className="nav-icon" aria-hidden="true">
                {ICONS[item.id]}
              </svg>
              <span>{item.label}</span>
              {item.id === 'practice' && recording && <span className="rec-dot" title="Recording" />}
            </button>
          </li>
        ))}
      </ul>
      <p className="nav-foot">Everything stays on this computer.</p>
    </nav>
  );
}
