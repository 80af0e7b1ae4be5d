import { useState } from 'react';
import type { MicLost } from './session';

interface Props {
  micLost: MicLost;
  /** Input devices the system sees (app status); empty when unknown. */
  devices: string[];
  onContinue: (device: string | null) => void;
  onStop: () => void;
}

const SYSTEM_DEFAULT = '';

/** The microphone stopped: the engine's message, and the two ways on. */
export function MicLostPanel({ micLost, devices, onContinue, onStop }: Props) {
  const [device, setDevice] = useState(SYSTEM_DEFAULT);
  const { switching } = micLost;
  return (
    <section className="card mic-lost" role="alert" aria-labelledby="mic-lost-title" data-testid="mic-lost">
      <h2 id="mic-lost-title">{micLost.message}</h2>
      <p className="muted">
        Continue on another input, and the recording goes on in the same file with the gap marked; or stop now
        and have what you said scored.
      </p>
      <div className="mic-lost-actions">
        <label className="mic-lost-device">
          <span>Input</span>
          <select
            value={device}
            onChange={(e) => setDevice(e.target.value)}
            disabled={switching}
            data-testid="mic-lost-device"
          >
            <option value={SYSTEM_DEFAULT}>System default</option>
            {devices.map((d) => (
              <option key={d} value={d}>
                {d}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          className="button primary"
          onClick={() => onContinue(device === SYSTEM_DEFAULT ? null : device)}
          disabled={switching}
          data-testid="mic-lost-continue"
        >
          {switching ? 'Opening the input…' : 'Continue on this input'}
        </button>
        <button type="button" className="button secondary" onClick={onStop} disabled={switching} data-testid="mic-lost-stop">
          Stop and score what I said
        </button>
      </div>
    </section>
  );
}
