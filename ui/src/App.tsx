import { useCallback, useEffect, useState } from 'react';
import type { AppStatus } from './bindings/AppStatus';
import type { PromptInfo } from './bindings/PromptInfo';
import { ErrorBanner, ErrorProvider, useReportError } from './components/errors';
import { GlobalSearch } from './components/GlobalSearch';
import { NavRail, type Screen } from './components/NavRail';
import { Onboarding } from './onboarding/Onboarding';
import { appStatus, listPrompts, markMoment } from './ipc';
import { PracticeScreen } from './practice/PracticeScreen';
import { ProgressScreen } from './progress/ProgressScreen';
import { usePracticeSession } from './practice/usePracticeSession';
import { InterruptedNotice } from './review/InterruptedNotice';
import { ReviewScreen } from './review/ReviewScreen';
import { SettingsScreen } from './settings/SettingsScreen';
import { useAppSettings } from './settings/useAppSettings';
import { MarkToast } from './shortcuts/MarkToast';
import { ShortcutsSheet } from './shortcuts/ShortcutsSheet';
import { useGlobalShortcuts } from './shortcuts/useGlobalShortcuts';
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
  const session = usePracticeSession();
  // A card a search hit asked Study to open; seq tells two requests for one card apart.
  const [studyOpen, setStudyOpen] = useState<{ cardId: string; seq: number } | null>(null);
  const [sheetOpen, setSheetOpen] = useState(false);
  const [lastMark, setLastMark] = useState<{ at: number; seq: number } | null>(null);
  // Saved settings restart the engine: read its status (model, microphones) again.
  const refreshStatus = useCallback(() => {
    appStatus().then(setStatus, reportError);
  }, [reportError]);
  const appSettings = useAppSettings(refreshStatus);

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

  useGlobalShortcuts({
    toggleSheet: () => setSheetOpen((open) => !open),
    startStop: () => {
      const { phase } = session.state;
      if (phase === 'recording') void session.stop();
      else if ((phase === 'idle' || phase === 'done') && session.chosenPromptId) {
        if (phase === 'done') session.reset();
        setScreen('practice');
        void session.start(session.chosenPromptId);
      }
    },
    mark: () => {
      if (session.state.phase !== 'recording') return false;
      markMoment().then((at) => setLastMark((prev) => ({ at, seq: (prev?.seq ?? 0) + 1 })), reportError);
      return true;
    },
    nextPhase: () => session.nextPhase(),
  });

  if (appSettings.loaded && !appSettings.loaded.settings.onboarded) {
    return (
      <>
        <ErrorBanner />
        <MarkToast mark={lastMark} />
        <Onboarding
          status={status}
          prompts={prompts}
          session={session}
          onModelInstalled={refreshStatus}
          onUseLlm={appSettings.adoptLocalLlm}
          onDone={() => {
            if (session.state.phase === 'done') session.reset();
            void appSettings.finishOnboarding();
          }}
        />
      </>
    );
  }

  return (
    <div className="app">
      {sheetOpen && <ShortcutsSheet onClose={() => setSheetOpen(false)} />}
      <MarkToast mark={lastMark} />
      <NavRail
        current={screen}
        onNavigate={navigate}
        recording={session.state.phase === 'recording'}
        search={
          <GlobalSearch
            slashFocusesHere={screen !== 'study'}
            onOpenCard={openCard}
            onOpenPrompt={openPrompt}
          />
        }
      />
      <main className="main">
        <ErrorBanner />
        {screen !== 'review' && <InterruptedNotice onOpen={openReview} />}
        {screen === 'practice' && (
          <PracticeScreen session={session} prompts={prompts} status={status} onReview={openReview} />
        )}
        {screen === 'review' && (
          <ReviewScreen prompts={prompts} selectedId={reviewId} onSelect={setReviewId} />
        )}
        {screen === 'progress' && <ProgressScreen onOpenCard={openCard} onOpenSession={openReview} />}
        {screen === 'study' && <StudyScreen openRequest={studyOpen} />}
        {screen === 'settings' && (
          <SettingsScreen status={status} loaded={appSettings.loaded} onSaved={appSettings.onSaved} />
        )}
      </main>
    </div>
  );
}
