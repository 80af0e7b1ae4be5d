import { useEffect, useState } from 'react';
import { formatClock } from '../format';

/** "Marked at 1:23": shown briefly after M marks a moment. `mark.seq` tells two marks apart. */
export function MarkToast({ mark }: { mark: { at: number; seq: number } | null }) {
  const [hiddenSeq, setHiddenSeq] = useState<number | null>(null);
  useEffect(() => {
    if (!mark) return;
    const timer = window.setTimeout(() => setHiddenSeq(mark.seq), 2500);
    return () => window.clearTimeout(timer);
  }, [mark]);
  if (!mark || hiddenSeq === mark.seq) return null;
  return (
    <div className="mark-toast" role="status" data-testid="mark-toast">
      Marked at {formatClock(mark.at)}
    </div>
  );
}
