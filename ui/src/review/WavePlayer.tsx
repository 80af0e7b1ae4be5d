import { useEffect, useImperativeHandle, useRef, useState, type ReactNode, type Ref } from 'react';
import WaveSurfer from 'wavesurfer.js';
import { errorMessage, formatClock } from '../format';
import { sessionAudio } from '../ipc';
import { clampTime, formatSpeed, keyAction, SPEEDS, stepSpeed } from './playback';
import { useReportError } from '../components/errors';
import './player.css';

/** What the session view asks of the player: jump somewhere (evidence, a transcript line). */
export interface PlayerHandle {
  /** Moves the playhead to `seconds` and plays from there. */
  seek: (seconds: number) => void;
}

interface Props {
  sessionId: string;
  /** The session's length from the store, used until the audio has loaded. */
  durationHint: number;
  handle: Ref<PlayerHandle | null>;
  /** The playhead, reported a few times a second while playing and at once after a seek. */
  onTime: (seconds: number) => void;
  /** Drawn under the waveform at the same width, so it lines up with the time axis. */
  children?: ReactNode;
}

// WebKitGTK's media pipeline now and then refuses a blob it plays fine a moment later
// ("Media error 4" while the machine is busy): the recording is loaded again this many times
// before the player says it is not available.
const LOAD_RETRIES = 2;
const RETRY_AFTER_MS = 700;

// The playhead drives the transcript highlight and the board; re-rendering those on every
// animation frame is wasted work, so time reaches React at most this often while playing.
const REPORT_EVERY_S = 0.2;

/**
 * The recording as a waveform (wavesurfer.js) with play/pause, speed and keyboard control
 * (Space, ←/→ 5 s, [ ] speed; ignored while typing). The bytes come over IPC
 * (`session_audio`) and play from a Blob, as the plain player did. The current playhead is
 * mirrored in `data-playhead-s` for tests and kept in sync with every seek.
 */
export function WavePlayer({ sessionId, durationHint, handle, onTime, children }: Props) {
  const reportError = useReportError();
  const rootRef = useRef<HTMLDivElement>(null);
  const waveRef = useRef<HTMLDivElement>(null);
  const clockRef = useRef<HTMLSpanElement>(null);
  const wsRef = useRef<WaveSurfer | null>(null);
  const readyRef = useRef(false);
  const pendingSeek = useRef<{ t: number; play: boolean } | null>(null);
  const lastReported = useRef(-1);
  const onTimeRef = useRef(onTime);
  const [phase, setPhase] = useState<'loading' | 'ready' | 'failed'>('loading');
  const [failure, setFailure] = useState<string | null>(null);
  const [playing, setPlaying] = useState(false);
  const [speed, setSpeed] = useState(1);
  const [duration, setDuration] = useState(durationHint);

  useEffect(() => {
    onTimeRef.current = onTime;
  }, [onTime]);

  // Shows the playhead without a React render; tells React when it moved enough to matter.
  const showTime = (t: number, force: boolean) => {
    rootRef.current?.setAttribute('data-playhead-s', t.toFixed(2));
    if (clockRef.current) clockRef.current.textContent = formatClock(t);
    if (force || Math.abs(t - lastReported.current) >= REPORT_EVERY_S) {
      lastReported.current = t;
      onTimeRef.current(t);
    }
  };

  useEffect(() => {
    const container = waveRef.current;
    if (!container) return;
    let cancelled = false;
    const css = getComputedStyle(document.documentElement);
    const color = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
    const ws = WaveSurfer.create({
      container,
      height: 72,
      waveColor: color('--wave', '#b9c3d3'),
      progressColor: color('--accent', '#3b5bdb'),
      cursorColor: color('--text', '#1f2430'),
      cursorWidth: 2,
      barWidth: 2,
      barGap: 1,
      barRadius: 1,
      normalize: true,
      dragToSeek: true,
      hideScrollbar: true,
    });
    wsRef.current = ws;
    readyRef.current = false;
    ws.on('ready', (d) => {
      readyRef.current = true;
      setDuration(d);
      setPhase('ready');
      const pending = pendingSeek.current;
      pendingSeek.current = null;
      if (pending) {
        ws.setTime(clampTime(pending.t, d));
        showTime(clampTime(pending.t, d), true);
        if (pending.play) void ws.play().catch(() => undefined);
      }
    });
    ws.on('timeupdate', (t) => showTime(t, false));
    ws.on('seeking', (t) => showTime(t, true));
    ws.on('interaction', (t) => showTime(t, true));
    ws.on('play', () => setPlaying(true));
    ws.on('pause', () => {
      setPlaying(false);
      showTime(ws.getCurrentTime(), true);
    });
    ws.on('finish', () => setPlaying(false));
    let audio: Blob | null = null;
    let retriesLeft = LOAD_RETRIES;
    ws.on('error', (err) => {
      if (cancelled) return;
      if (audio && !readyRef.current && retriesLeft > 0) {
        retriesLeft -= 1;
        const again = audio;
        window.setTimeout(() => {
          if (!cancelled) ws.loadBlob(again).catch(() => undefined);
        }, RETRY_AFTER_MS);
        return;
      }
      setFailure(errorMessage(err));
      setPhase('failed');
    });

    sessionAudio(sessionId).then(
      (bytes) => {
        if (cancelled) return;
        audio = new Blob([bytes], { type: 'audio/wav' });
        ws.loadBlob(audio).catch(() => undefined);
      },
      (err: unknown) => {
        if (cancelled) return;
        reportError(err);
        setFailure(errorMessage(err));
        setPhase('failed');
      },
    );
    return () => {
      cancelled = true;
      wsRef.current = null;
      ws.destroy();
    };
    // showTime only touches refs; the player is rebuilt per session.
  }, [sessionId, reportError]);

  const seek = (seconds: number, play: boolean) => {
    const ws = wsRef.current;
    const t = clampTime(seconds, readyRef.current && ws ? ws.getDuration() : duration);
    showTime(t, true);
    if (!ws || !readyRef.current) {
      pendingSeek.current = { t, play };
      return;
    }
    ws.setTime(t);
    if (play) void ws.play().catch(() => undefined);
  };

  useImperativeHandle(handle, () => ({ seek: (seconds: number) => seek(seconds, true) }));

  const changeSpeed = (next: number) => {
    setSpeed(next);
    wsRef.current?.setPlaybackRate(next, true);
  };

  const toggle = () => {
    const ws = wsRef.current;
    if (ws && readyRef.current) void ws.playPause().catch(() => undefined);
  };

  const speedRef = useRef(speed);
  useEffect(() => {
    speedRef.current = speed;
  }, [speed]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented) return;
      const action = keyAction({
        key: e.key,
        ctrlKey: e.ctrlKey,
        metaKey: e.metaKey,
        altKey: e.altKey,
        target: e.target instanceof HTMLElement ? (e.target as HTMLElement & { type?: string }) : null,
      });
      if (!action) return;
      e.preventDefault();
      const ws = wsRef.current;
      if (action.kind === 'toggle') toggle();
      else if (action.kind === 'skip') seek((ws?.getCurrentTime() ?? lastReported.current) + action.seconds, false);
      else changeSpeed(stepSpeed(speedRef.current, action.direction));
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  return (
    <div
      ref={rootRef}
      className="wave-player card"
      data-testid="audio-player"
      data-playhead-s="0.00"
      data-state={phase}
      data-playing={playing ? 'true' : 'false'}
      data-speed={speed}
    >
      <div className="wave-controls">
        <button
          type="button"
          className="button play-button"
          onClick={toggle}
          disabled={phase !== 'ready'}
          aria-label={playing ? 'Pause (Space)' : 'Play (Space)'}
          data-testid="play-pause"
        >
          {playing ? 'Pause' : 'Play'}
        </button>
        <span className="wave-clock" aria-live="off">
          <span ref={clockRef} data-testid="playhead-clock">
            00:00
          </span>{' '}
          / {formatClock(duration)}
        </span>
        <div className="speed-group" role="group" aria-label="Playback speed ([ and ] change it)">
          {SPEEDS.map((s) => (
            <button
              key={s}
              type="button"
              className={s === speed ? 'speed-button active' : 'speed-button'}
              aria-pressed={s === speed}
              onClick={() => changeSpeed(s)}
              data-testid={`speed-${s}`}
            >
              {formatSpeed(s)}
            </button>
          ))}
        </div>
        <span className="muted key-hint">Space play · ←/→ 5 s · [ ] speed</span>
      </div>
      <div className="wave-track">
        <div ref={waveRef} className="waveform" data-testid="waveform" aria-label="Waveform: click or drag to seek" />
        {phase === 'loading' && <p className="muted wave-overlay">Loading the recording…</p>}
        {phase === 'failed' && (
          <p className="muted wave-overlay" data-testid="audio-unavailable">
            The recording is not available{failure ? `: ${failure}` : '.'}
          </p>
        )}
      </div>
      {children}
    </div>
  );
}
