import { useEffect, useState } from 'react';
import type { AppStatus } from './bindings/AppStatus';
import type { PromptInfo } from './bindings/PromptInfo';
import { ErrorBanner, ErrorProvider, useReportError } from './components/errors';
import { NavRail, type Screen } from './components/NavRail';
import { appStatus, listPrompts } from './ipc';
import { PracticeScreen } from './practice/PracticeScreen';
import { usePracticeSession } from './practice/usePracticeSession';
import { ReviewScreen } from './review/ReviewScreen';
import { SettingsScreen } from './settings/SettingsScreen';
import { StudyScreen } from './study/StudyScreen';

export function App() {
  return (
    <ErrorProvider>
      <Shell />
    </ErrorProvider>
  );
}

function Shell() {
  const reportError = useReportError();
  const [screen, setScreen] = useState<Screen>('practice');
  const [reviewId, setReviewId] = useState<string | null>(null);
  const [prompts, setPrompts] = useState<PromptInfo[] | null>(null);
  // undefined: loading; null: could not be read (the banner says why).
  const [status, setStatus] = useState<AppStatus | null | undefined>(undefined);
  const session = usePracticeSession(reportError);

  useEffect(() => {
    listPrompts().then(setPrompts, (err: unknown) => {
      reportError(err);
      setPrompts([]);
    });
    appStatus().then(setStatus, (err: unknown) => {
      reportError(err);
      setStatus(null);
    });
  }, [reportError]);

  const openReview = (sessionId: string) => {
    setReviewId(sessionId);
    setScreen('review');
  };

  return (
    <div className="app">
      <NavRail current={screen} onNavigate={setScreen} recording={session.state.phase === 'recording'} />
      <main className="main">
        <ErrorBanner />
        {screen === 'practice' && (
          <PracticeScreen session={session} prompts={prompts} status={status} onReview={openReview} />
        )}
        {screen === 'review' && (
          <ReviewScreen prompts={prompts} selectedId={reviewId} onSelect={setReviewId} reportError={reportError} />
        )}
        {screen === 'study' && <StudyScreen reportError={reportError} />}
        {screen === 'settings' && <SettingsScreen status={status} />}
      </main>
    </div>
  );
}
