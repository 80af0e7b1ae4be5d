import { useEffect, useState } from 'react';
import type { AppStatus } from './bindings/AppStatus';
import type { PromptInfo } from './bindings/PromptInfo';
import { ErrorBanner, ErrorProvider, useReportError } from './components/errors';
import { GlobalSearch } from './components/GlobalSearch';
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
  // A card a search hit asked Study to open; seq tells two requests for one card apart.
  const [studyOpen, setStudyOpen] = useState<{ cardId: string; seq: number } | null>(null);

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

  const navigate = (to: Screen) => {
    setStudyOpen(null);
    setScreen(to);
  };

  const openCard = (cardId: string) => {
    setStudyOpen((prev) => ({ cardId, seq: (prev?.seq ?? 0) + 1 }));
    setScreen('study');
  };

  // A prompt hit picks the prompt in Practice (a recording keeps its own prompt).
  const openPrompt = (promptId: string) => {
    const { phase } = session.state;
    if (phase === 'done') session.reset();
    session.choosePrompt(promptId);
    navigate('practice');
  };

  return (
    <div className="app">
      <NavRail
        current={screen}
        onNavigate={navigate}
        recording={session.state.phase === 'recording'}
        search={
          <GlobalSearch
            slashFocusesHere={screen !== 'study'}
            onOpenCard={openCard}
            onOpenPrompt={openPrompt}
            reportError={reportError}
          />
        }
      />
      <main className="main">
        <ErrorBanner />
        {screen === 'practice' && (
          <PracticeScreen session={session} prompts={prompts} status={status} onReview={openReview} />
        )}
        {screen === 'review' && (
          <ReviewScreen prompts={prompts} selectedId={reviewId} onSelect={setReviewId} reportError={reportError} />
        )}
        {screen === 'study' && <StudyScreen reportError={reportError} openRequest={studyOpen} />}
        {screen === 'settings' && <SettingsScreen status={status} />}
      </main>
    </div>
  );
}
