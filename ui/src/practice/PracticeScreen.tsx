import { Group, Panel, Separator } from 'react-resizable-panels';
import type { AppStatus } from '../bindings/AppStatus';
import type { PromptInfo } from '../bindings/PromptInfo';
import { PracticeBoard } from '../board/PracticeBoard';
import { Markdown } from '../components/Markdown';
import { Scorecard } from '../components/Scorecard';
import { Timeline } from '../components/Timeline';
import { TradeOffList } from '../components/TradeOffList';
import { formatDuration } from '../format';
import { InterviewerDraft } from './InterviewerDraft';
import { MicLostPanel } from './MicLostPanel';
import { PartialLine } from './PartialLine';
import { PromptPicker } from './PromptPicker';
import { PhaseStrip } from './PhaseStrip';
import { ReadinessLine } from './ReadinessLine';
import { RecorderBar } from './RecorderBar';
import type { PracticeSession } from './usePracticeSession';
import './practice.css';

interface Props {
  session: PracticeSession;
  prompts: PromptInfo[] | null;
  /** undefined while loading, null when it could not be read. */
  status: AppStatus | null | undefined;
  onReview: (sessionId: string) => void;
}

export function PracticeScreen({ session, prompts, status, onReview }: Props) {
  const { state } = session;
  const selectedId = session.chosenPromptId ?? prompts?.[0]?.id ?? null;
  const activePromptId = state.phase === 'idle' ? selectedId : (state.promptId ?? selectedId);
  const activePrompt = prompts?.find((p) => p.id === activePromptId) ?? null;
  const whyNot =
    status === undefined
      ? 'Checking the speech model…'
      : status === null
        ? 'The app status could not be read.'
        : !status.model_ready
          ? 'Install the speech model to start.'
          : !selectedId
            ? 'Pick a prompt to start.'
            : null;
  const picking = state.phase === 'idle' || state.phase === 'starting';
  const hasLive = state.segments.length > 0 || state.turns.length > 0 || state.notices.length > 0;

  return (
    <div className="screen screen-wide" data-testid="practice-screen">
      <header className="screen-header">
        <h1>Practice</h1>
        <p className="subtitle">
          Pick a prompt, press Start and answer out loud. The interviewer follows up at natural pauses.
        </p>
        <ReadinessLine status={status} />
      </header>

      {state.phase === 'done' && state.report ? (
        <Result session={session} title={activePrompt?.title ?? state.report.prompt_id} onReview={onReview} />
      ) : (
        <Group className="practice-split" orientation="horizontal">
          <Panel id="practice-talk" defaultSize="36" minSize="24">
            <div className="practice-talk">
              {picking && (
                <section className="section" aria-labelledby="choose-prompt">
                  <h2 id="choose-prompt">Choose a prompt</h2>
                  <PromptPicker
                    prompts={prompts}
                    selectedId={selectedId}
                    onSelect={session.choosePrompt}
                    disabled={state.phase === 'starting'}
                  />
                </section>
              )}

              <RecorderBar
                state={state}
                canStart={whyNot === null}
                whyNot={whyNot}
                onStart={() => selectedId && void session.start(selectedId)}
                onStop={() => void session.stop()}
              />

              {state.phase === 'recording' && state.micLost && (
                <MicLostPanel
                  micLost={state.micLost}
                  devices={status?.input_devices ?? []}
                  onContinue={(device) => void session.continueOn(device)}
                  onStop={() => void session.stop()}
                />
              )}

              {state.phase === 'recording' && <PhaseStrip state={state} onNextPhase={() => session.nextPhase()} />}

              {(!picking || hasLive) && (
                <div className="live-grid">
                  {activePrompt && !picking && (
                    <aside className="card prompt-brief-card" aria-label="The prompt">
                      <p className="eyebrow">Prompt</p>
                      <h2>{activePrompt.title}</h2>
                      <Markdown source={activePrompt.brief} />
                    </aside>
                  )}
                  <section className="card live-transcript" aria-labelledby="live-transcript">
                    <h2 id="live-transcript">Live transcript</h2>
                    {/* Before the first final text, the provisional line stands in for the empty transcript. */}
                    {(hasLive || state.partial === null) && (
                      <Timeline
                        segments={state.segments}
                        turns={state.turns}
                        notices={state.notices}
                        follow
                        emptyText="Your words appear here as you say them."
                      />
                    )}
                    <PartialLine partial={state.partial} />
                    <InterviewerDraft text={state.interviewerDraft} />
                  </section>
                </div>
              )}
            </div>
          </Panel>
          <Separator className="split-handle" aria-label="Resize the whiteboard" />
          <Panel id="practice-board" minSize="30">
            <PracticeBoard
              live={state.phase === 'recording'}
              exportBase={activePrompt?.id ?? 'board'}
            />
          </Panel>
        </Group>
      )}
    </div>
  );
}

function Result({ session, title, onReview }: { session: PracticeSession; title: string; onReview: (id: string) => void }) {
  const report = session.state.report!;
  return (
    <section className="section result" aria-labelledby="result-title" data-testid="practice-result">
      <div className="result-header card">
        <div>
          <p className="eyebrow">Session scored and saved</p>
          <h2 id="result-title">{title}</h2>
          <p className="muted">
            {formatDuration(report.audio.duration_s)} · {report.transcript.segments.length} transcript segments ·{' '}
            {report.turns.length} follow-ups
          </p>
        </div>
        <div className="result-actions">
          <button type="button" className="button secondary" onClick={session.reset} data-testid="practice-again">
            Practise again
          </button>
          <button
            type="button"
            className="button primary"
            onClick={() => onReview(report.session_id)}
            data-testid="review-this-session"
          >
            Review this session →
          </button>
        </div>
      </div>
      <Scorecard scorecard={report.scorecard} />
      {report.scorecard.dimensions.length > 0 && <TradeOffList decisions={report.scorecard.tradeoffs ?? []} />}
      <details className="card transcript-details">
        <summary>Transcript and follow-ups</summary>
        <Timeline
          segments={report.transcript.segments}
          turns={report.turns}
          emptyText="Nothing was transcribed in this session."
        />
      </details>
    </section>
  );
}
