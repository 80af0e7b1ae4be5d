import { useEffect, useRef, useState } from 'react';
import type { MicCheck } from '../bindings/MicCheck';
import { micTest, micTestAudio, onMicLevel } from '../ipc';
import { LevelMeter } from '../practice/LevelMeter';
import { useReportError } from '../components/errors';

/** "Test microphone": records a few seconds with a live level meter, then plays it back. */
export function MicTest({ seconds, onChecked }: { seconds: number; onChecked?: (check: MicCheck) => void }) {
  const reportError = useReportError();
  const [running, setRunning] = useState(false);
  const [rms, setRms] = useState(0);
  const [check, setCheck] = useState<MicCheck | null>(null);
  const [audioUrl, setAudioUrl] = useState<string | null>(null);
  const urlRef = useRef<string | null>(null);

  useEffect(() => {
    let unlisten: (() => void) | null = null;
    let cancelled = false;
    onMicLevel(setRms).then(
      (fn) => (cancelled ? fn() : (unlisten = fn)),
      () => undefined,
    );
    return () => {
      cancelled = true;
      unlisten?.();
      if (urlRef.current) URL.revokeObjectURL(urlRef.current);
    };
  }, []);

  const run = async () => {
    setRunning(true);
    setCheck(null);
    try {
      const result = await micTest(seconds);
      setCheck(result);
      onChecked?.(result);
      const bytes = await micTestAudio();
      if (urlRef.current) URL.revokeObjectURL(urlRef.current);
      urlRef.current = URL.createObjectURL(new Blob([bytes], { type: 'audio/wav' }));
      setAudioUrl(urlRef.current);
    } catch (err) {
      reportError(err);
    } finally {
      setRunning(false);
      setRms(0);
    }
  };

  return (
    <div className="mic-test" data-testid="mic-test">
      <div className="mic-test-row">
        <button type="button" className="button" onClick={() => void run()} disabled={running} data-testid="mic-test-start">
          {running ? `Listening for ${seconds} s…` : `Test microphone (${seconds} s)`}
        </button>
        <LevelMeter rms={rms} active={running} />
      </div>
      {check && (
        <p className={check.peak_rms >= 0.01 ? 'mic-verdict ok' : 'mic-verdict warn'} data-testid="mic-test-verdict">
          {check.verdict} <span className="muted">({check.device}, {check.seconds.toFixed(1)} s)</span>
        </p>
      )}
      {audioUrl && <audio controls src={audioUrl} data-testid="mic-test-audio" />}
    </div>
  );
}
