import { useEffect, useState, type RefObject } from 'react';
import { sessionAudio } from '../ipc';
import { errorMessage } from '../format';

interface Props {
  sessionId: string;
  audioRef: RefObject<HTMLAudioElement | null>;
  onTime: (seconds: number) => void;
  reportError: (err: unknown) => void;
}

/** The session's recording, fetched as WAV bytes over IPC and played from a Blob URL. */
export function AudioPlayer({ sessionId, audioRef, onTime, reportError }: Props) {
  const [loaded, setLoaded] = useState<{ id: string; url: string | null; failed: string | null } | null>(null);

  useEffect(() => {
    let cancelled = false;
    let url: string | null = null;
    sessionAudio(sessionId).then(
      (bytes) => {
        if (cancelled) return;
        url = URL.createObjectURL(new Blob([bytes], { type: 'audio/wav' }));
        setLoaded({ id: sessionId, url, failed: null });
      },
      (err: unknown) => {
        if (cancelled) return;
        reportError(err);
        setLoaded({ id: sessionId, url: null, failed: errorMessage(err) });
      },
    );
    return () => {
      cancelled = true;
      if (url) URL.revokeObjectURL(url);
    };
  }, [sessionId, reportError]);

  const current = loaded?.id === sessionId ? loaded : null;
  if (!current) return <p className="muted audio-placeholder">Loading the recording…</p>;
  if (!current.url) return <p className="muted audio-placeholder">The recording is not available.</p>;
  return (
    <audio
      ref={audioRef}
      className="audio-player"
      data-testid="audio-player"
      controls
      preload="metadata"
      src={current.url}
      onTimeUpdate={(e) => onTime(e.currentTarget.currentTime)}
      onSeeked={(e) => onTime(e.currentTarget.currentTime)}
    />
  );
}
