import { useEffect, useRef, useState } from 'react';
import type { AppStatus } from '../bindings/AppStatus';
import type { LocalLlmServer } from '../bindings/LocalLlmServer';
import type { PromptInfo } from '../bindings/PromptInfo';
import type { PracticeSession } from '../practice/usePracticeSession';
import type { ModelDownloadProgress } from '../bindings/ModelDownloadProgress';
import { downloadModel, onModelDownload } from '../ipc';
import { LocalServers } from '../settings/LocalServers';
import { MicTest } from '../settings/MicTest';
import '../settings/settings.css';
import { useReportError } from '../components/errors';

/** The sample drill's length: long enough to hear a follow-up, short enough for a first start. */
export const SAMPLE_DRILL_S = 60;

type Step = 'mic' | 'model' | 'drill';
const STEPS: { id: Step; title: string }[] = [
  { id: 'mic', title: 'Microphone' },
  { id: 'model', title: 'Speech model' },
  { id: 'drill', title: 'A 60-second drill' },
];

interface Props {
  status: AppStatus | null | undefined;
  prompts: PromptInfo[] | null;
  session: PracticeSession;
  /** Finished or skipped: never shown again. */
  onDone: () => void;
  /** A model was downloaded: read the app status again. */
  onModelInstalled: () => void;
  /** The candidate picked an LLM server found on this computer: turn it on and save. */
  onUseLlm: (server: LocalLlmServer, model: string) => Promise<void>;
}

/** First start: check the microphone and the model, try a one-minute drill, then home. */
export function Onboarding({ status, prompts, session, onDone, onModelInstalled, onUseLlm }: Props) {
  const reportError = useReportError();
  const [llmChosen, setLlmChosen] = useState<string | null>(null);
  const [step, setStep] = useState<Step>('mic');
  const index = STEPS.findIndex((s) => s.id === step);
  const go = (i: number) => {
    const target = STEPS[i];
    if (target) setStep(target.id);
    else onDone();
  };
  const next = () => go(index + 1);

  return (
    <div className="onboarding" data-testid="onboarding">
      <div className="card onboarding-card">
        <header className="onboarding-header">
          <p className="eyebrow">
            Welcome to Rehearse · step {index + 1} of {STEPS.length}
          </p>
          <ol className="onboarding-steps">
            {STEPS.map((s, i) => (
              <li key={s.id} className={i === index ? 'active' : i < index ? 'done' : ''}>
                {s.title}
              </li>
            ))}
          </ol>
        </header>

        {step === 'mic' && (
          <section data-testid="onboarding-mic">
            <h1>Can Rehearse hear you?</h1>
            <p>
              Rehearse listens to you answer out loud. Press the button, say a sentence, and watch the meter move; then play it back.
            </p>
            <p className="muted small">Microphone: {status?.default_input ?? 'the system default'} (change it later in Settings).</p>
            <MicTest seconds={3} />
          </section>
        )}

        {step === 'model' && (
          <section data-testid="onboarding-model">
            <h1>The speech model</h1>
            {status === undefined ? (
              <p className="muted">Checking…</p>
            ) : status?.model_ready ? (
              <p className="mic-verdict ok" data-testid="onboarding-model-ready">
                {status.model_name} is installed and verified. Transcription runs on this computer; nothing is sent anywhere.
              </p>
            ) : (
              <div className="mic-verdict warn" data-testid="onboarding-model-missing">
                <p>
                  The model {status?.model_name ?? ''} is not ready{status?.model_message ? `: ${status.model_message}` : '.'}
                </p>
                <ModelDownload modelId={status?.model_name ?? ''} onInstalled={onModelInstalled} />
                <p className="small">
                  Or from a terminal in the Rehearse folder: <code>bash scripts/setup.sh --no-run</code>.
                </p>
              </div>
            )}
          </section>
        )}

        {step === 'model' && (
          <section className="onboarding-llm" data-testid="onboarding-llm">
            <h2>An AI interviewer (optional)</h2>
            <p className="small">
              Rehearse interviews and scores offline. With Ollama, LM Studio or llama.cpp&apos;s server running on this computer, a language model can
              ask the follow-ups, and a capable one can judge correctness too.
            </p>
            {llmChosen ? (
              <p className="mic-verdict ok" data-testid="onboarding-llm-chosen">
                {llmChosen} Change it any time in Settings.
              </p>
            ) : (
              <LocalServers
                onUse={(server, model) =>
                  void onUseLlm(server, model).then(() => setLlmChosen(`Using ${model} on ${server.name}.`), reportError)
                }
              />
            )}
          </section>
        )}

        {step === 'drill' && <SampleDrill status={status} prompts={prompts} session={session} />}

        <footer className="onboarding-footer">
          <button type="button" className="button" onClick={onDone} data-testid="onboarding-skip">
            Skip setup
          </button>
          <div className="onboarding-nav">
            {index > 0 && (
              <button type="button" className="button" onClick={() => go(index - 1)} disabled={session.state.phase === 'recording' || session.state.phase === 'scoring'}>
                Back
              </button>
            )}
            <button
              type="button"
              className="button primary"
              onClick={next}
              disabled={session.state.phase === 'recording' || session.state.phase === 'scoring' || session.state.phase === 'starting'}
              data-testid="onboarding-next"
            >
              {index + 1 < STEPS.length ? 'Next' : 'Finish'}
            </button>
          </div>
        </footer>
      </div>
    </div>
  );
}

/** Practice for at most a minute on the first prompt; stops by itself. */
function SampleDrill({ status, prompts, session }: { status: AppStatus | null | undefined; prompts: PromptInfo[] | null; session: PracticeSession }) {
  const prompt = prompts?.[0] ?? null;
  const { phase } = session.state;
  const [nowMs, setNowMs] = useState(() => Date.now());
  const startedAtMs = session.state.startedAtMs;
  const left = startedAtMs === null ? SAMPLE_DRILL_S : Math.max(0, SAMPLE_DRILL_S - Math.floor((nowMs - startedAtMs) / 1000));
  const stopRef = useRef(session.stop);
  useEffect(() => {
    stopRef.current = session.stop;
  });

  useEffect(() => {
    if (phase !== 'recording') return;
    const timer = window.setInterval(() => setNowMs(Date.now()), 250);
    return () => window.clearInterval(timer);
  }, [phase]);

  useEffect(() => {
    if (phase === 'recording' && left === 0) void stopRef.current();
  }, [phase, left]);

  const report = session.state.report;
  return (
    <section data-testid="onboarding-drill">
      <h1>Try a 60-second drill</h1>
      {prompt ? (
        <>
          <p>
            <strong>{prompt.title}.</strong> Talk for up to a minute: who the users are, what the system must do, and your first
            idea for its design. It stops by itself.
          </p>
          {phase === 'idle' && (
            <button type="button" className="button primary" disabled={!status?.model_ready} onClick={() => void session.start(prompt.id)} data-testid="onboarding-drill-start">
              Start the drill
            </button>
          )}
          {!status?.model_ready && phase === 'idle' && <p className="muted small">The drill needs the speech model (the step before).</p>}
          {phase === 'starting' && <p className="muted">Starting…</p>}
          {phase === 'recording' && (
            <div className="drill-live">
              <span className="rec-dot" /> Recording · <strong data-testid="onboarding-drill-left">{left} s</strong> left
              <button type="button" className="button" onClick={() => void session.stop()} data-testid="onboarding-drill-stop">
                Stop now
              </button>
            </div>
          )}
          {phase === 'scoring' && <p className="muted">Scoring…</p>}
          {phase === 'done' && report && (
            <p className="mic-verdict ok" data-testid="onboarding-drill-done">
              Done: {plural(report.transcript.segments.length, 'transcript segment')}, {plural(report.turns.length, 'follow-up question')}. The
              session is in Review.
            </p>
          )}
        </>
      ) : (
        <p className="muted">No prompts are available.</p>
      )}
    </section>
  );
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** Downloads the default model from its catalogue address, with progress. */
function ModelDownload({ modelId, onInstalled }: { modelId: string; onInstalled: () => void }) {
  const reportError = useReportError();
  const [progress, setProgress] = useState<ModelDownloadProgress | null>(null);
  const [running, setRunning] = useState(false);

  useEffect(() => {
    let unlisten: (() => void) | null = null;
    let cancelled = false;
    onModelDownload(setProgress).then(
      (fn) => (cancelled ? fn() : (unlisten = fn)),
      () => undefined,
    );
    return () => {
      cancelled = true;
      unlisten?.();
    };
  }, []);

  const run = async () => {
    setRunning(true);
    try {
      await downloadModel(modelId);
      onInstalled();
    } catch (err) {
      reportError(err);
    } finally {
      setRunning(false);
    }
  };

  const percent = progress && progress.total > 0 ? Math.round((100 * progress.bytes) / progress.total) : null;
  return (
    <div className="mic-test-row">
      <button type="button" className="button primary" disabled={running || modelId === ''} onClick={() => void run()} data-testid="onboarding-model-download">
        {running ? 'Downloading…' : `Download ${modelId}`}
      </button>
      {running && progress && (
        <span className="muted small">
          {progress.phase === 'verifying' ? 'Checking the checksum…' : percent !== null ? `${percent}%` : `${Math.round(progress.bytes / 1e6)} MB`}
        </span>
      )}
    </div>
  );
}
