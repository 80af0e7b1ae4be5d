import { Fragment, memo } from 'react';
import type { Segment } from '../bindings/Segment';
import { isUncertain, UNSURE_TITLE, wordsToShow } from './uncertainWords';

/** A segment's text, with the words whisper was unsure of dimmed (a tooltip says why). */
export const SegmentText = memo(function SegmentText({ segment }: { segment: Segment }) {
  const words = wordsToShow(segment);
  if (!words) return <>{segment.text.trim()}</>;
  return (
    <>
      {words.map((w, i) => (
        <Fragment key={i}>
          {i > 0 && ' '}
          {isUncertain(w) ? (
            <span className="uncertain-word" title={UNSURE_TITLE} data-testid="uncertain-word">
              {w.text}
            </span>
          ) : (
            w.text
          )}
        </Fragment>
      ))}
    </>
  );
});
