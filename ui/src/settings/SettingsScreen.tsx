import { useState, type ReactNode } from 'react';
import type { AppSettings } from '../bindings/AppSettings';
import type { AppStatus } from '../bindings/AppStatus';
import type { ApiKeyStatus } from '../bindings/ApiKeyStatus';
import type { LlmCheck } from '../bindings/LlmCheck';
import type { LoadedSettings } from '../bindings/LoadedSettings';
import { clearApiKey, saveSettings, setApiKey, testLlmConnection } from '../ipc';
import { LocalServers } from './LocalServers';
import { MicTest } from './MicTest';
import { SpeechModels } from './SpeechModels';
import './settings.css';
import { useReportError } from '../components/errors';

interface Props {
  status: AppStatus | null | undefined;
  loaded: LoadedSettings | null;
  onSaved: (loaded: LoadedSettings) => void;
}

const KEY_SOURCE: Record<ApiKeyStatus['source'], string> = {
  none: 'No key is set.',
  keychain: 'A key is set (in the OS keychain).',
  environment: 'A key is set (from the REHEARSE_LLM_API_KEY environment variable).',
};

export function SettingsScreen({ status, loaded, onSaved }: Props) {
  const reportError = useReportError();
  const [draft, setDraft] = useState<AppSettings | null>(loaded?.settings ?? null);
  const [saving, setSaving] = useState(false);
  const [savedNote, setSavedNote] = useState<string | null>(null);
  const [keyInput, setKeyInput] = useState('');
  const [keyStatus, setKeyStatus] = useState<ApiKeyStatus | null>(loaded?.api_key ?? null);
  const [check, setCheck] = useState<LlmCheck | null>(null);
  const [checking, setChecking] = useState(false);

  // New settings from the shell (saved, or read at start) replace the draft.
  const [shown, setShown] = useState(loaded);
  if (loaded !== shown) {
    setShown(loaded);
    setDraft(loaded?.settings ?? null);
    setKeyStatus(loaded?.api_key ?? null);
  }

  if (!loaded || !draft) {
    return (
      <div className="screen" data-testid="settings-screen">
        <header className="screen-header">
          <h1>Settings</h1>
        </header>
        <p className="muted">Reading the settings…</p>
      </div>
    );
  }

  const set = (patch: Partial<AppSettings>) => {
    setSavedNote(null);
    setDraft({ ...draft, ...patch });
  };
  const dirty = JSON.stringify(draft) !== JSON.stringify(loaded.settings);
  const overridden = (name: string) => loaded.env_overrides.includes(name);

  const save = async () => {
    setSaving(true);
    try {
      const result = await saveSettings(draft);
      onSaved(result);
      setSavedNote('Saved and applied.');
    } catch (err) {
      reportError(err);
    } finally {
      setSaving(false);
    }
  };

  const storeKey = async () => {
    try {
      setKeyStatus(await setApiKey(keyInput));
      setKeyInput('');
    } catch (err) {
      reportError(err);
    }
  };

  const removeKey = async () => {
    try {
      setKeyStatus(await clearApiKey());
    } catch (err) {
      reportError(err);
    }
  };

  const runCheck = async () => {
    setChecking(true);
    setCheck(null);
    try {
      setCheck(await testLlmConnection(draft.llm));
    } catch (err) {
      reportError(err);
    } finally {
      setChecking(false);
    }
  };

  const devices = status?.input_devices ?? [];

  return (
    <div className="screen settings-screen" data-testid="settings-screen">
      <header className="screen-header settings-header">
        <div>
          <h1>Settings</h1>
          <p className="subtitle">Saved to your data folder and applied at once.</p>
        </div>
        <div className="settings-actions">
          {savedNote && !dirty && (
            <span className="muted" data-testid="settings-saved">
              {savedNote}
            </span>
          )}
          <button type="button" className="button" disabled={!dirty || saving} onClick={() => setDraft(loaded.settings)}>
            Undo changes
          </button>
          <button type="button" className="button primary" disabled={!dirty || saving} onClick={() => void save()} data-testid="settings-save">
            {saving ? 'Saving…' : 'Save'}
          </button>
        </div>
      </header>

      {(loaded.problems.length > 0 || loaded.migrated_from !== null) && (
        <section className="card settings-problems" data-testid="settings-problems">
          <h2>About your settings file</h2>
          {loaded.migrated_from !== null && <p>It was written by an older version (schema {loaded.migrated_from}) and has been updated.</p>}
          {loaded.problems.length > 0 && (
            <>
              <p>Some settings could not be used as written; they are back to their defaults:</p>
              <ul>
                {loaded.problems.map((p, i) => (
                  <li key={i}>
                    <code>{p.field || '(the file)'}</code>: {p.message}
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>
      )}

      <Group title="Microphone">
        <Field label="Input device" hint={overridden('REHEARSE_INPUT_DEVICE') ? 'Set by REHEARSE_INPUT_DEVICE, which takes precedence.' : undefined}>
          <select
            value={draft.input_device ?? ''}
            onChange={(e) => set({ input_device: e.target.value === '' ? null : e.target.value })}
            data-testid="settings-input-device"
          >
            <option value="">System default{status?.default_input ? ` (${status.default_input})` : ''}</option>
            {draft.input_device && !devices.includes(draft.input_device) && <option value={draft.input_device}>{draft.input_device} (not found)</option>}
            {devices.map((d) => (
              <option key={d} value={d}>
                {d}
              </option>
            ))}
          </select>
        </Field>
        <MicTest seconds={3} />
        <p className="muted small">The test uses the saved device: save first after changing it.</p>
      </Group>

      <Group title="Speech models">
        <Field label="Model">
          {status && (
            <p className="small">
              Transcribing with {status.model_name}:{' '}
              <span className={status.model_ready ? 'status-chip status-done' : 'status-chip status-interrupted'}>
                {status.model_ready ? 'installed and verified' : 'not ready'}
              </span>
            </p>
          )}
          <SpeechModels
            chosenId={draft.model_id}
            savedId={loaded.settings.model_id}
            onChoose={(id) => set({ model_id: id })}
            overridden={overridden('REHEARSE_MODEL')}
          />
        </Field>
        <Field label="Threads" hint="Blank: chosen from the cores. More threads than free cores makes whisper much slower.">
          <input
            type="number"
            min={1}
            max={64}
            value={draft.whisper_threads ?? ''}
            onChange={(e) => set({ whisper_threads: e.target.value === '' ? null : Number(e.target.value) })}
            data-testid="settings-threads"
          />
        </Field>
        <Field label="Use the GPU" hint="Needs a GPU build of whisper.cpp; this build runs on the CPU.">
          <input type="checkbox" checked={draft.use_gpu} onChange={(e) => set({ use_gpu: e.target.checked })} />
        </Field>
        <Field label="Language" hint="The built-in models are English-only (.en).">
          <input value={draft.language} onChange={(e) => set({ language: e.target.value })} size={6} />
        </Field>
      </Group>

      <Group title="Interview">
        <Field label="Length">
          <Choice
            name="length"
            value={draft.interview_length}
            options={[
              ['full45', '45-minute interview'],
              ['drill10', '10-minute drill'],
            ]}
            onChange={(v) => set({ interview_length: v })}
          />
        </Field>
        <Field label="Follow-up questions">
          <Choice
            name="interruptions"
            value={draft.interruption_style}
            options={[
              ['at_pauses', 'Ask at natural pauses'],
              ['hold_until_done', "Hold them until I'm done"],
            ]}
            onChange={(v) => set({ interruption_style: v })}
          />
        </Field>
      </Group>

      <Group title="AI interviewer">
        <Field label="Use an OpenAI-compatible server" hint="Off: the built-in offline interviewer only.">
          <input
            type="checkbox"
            checked={draft.llm.enabled}
            onChange={(e) => set({ llm: { ...draft.llm, enabled: e.target.checked } })}
            data-testid="settings-llm-enabled"
          />
        </Field>
        <Field label="A server on this computer" hint="Ollama, LM Studio or llama.cpp's server at its usual port: pick one and a model, then Save.">
          <LocalServers
            onUse={(server, model) => set({ llm: { ...draft.llm, enabled: true, base_url: server.base_url, model } })}
          />
        </Field>
        <Field label="Base URL" hint={overridden('REHEARSE_LLM_URL') ? 'REHEARSE_LLM_URL takes precedence.' : 'e.g. http://127.0.0.1:11434/v1 (Ollama)'}>
          <input
            value={draft.llm.base_url}
            onChange={(e) => set({ llm: { ...draft.llm, base_url: e.target.value } })}
            placeholder="http://127.0.0.1:8080/v1"
            data-testid="settings-llm-url"
          />
        </Field>
        <Field label="Model">
          <input value={draft.llm.model} onChange={(e) => set({ llm: { ...draft.llm, model: e.target.value } })} data-testid="settings-llm-model" />
        </Field>
        <Field label="Timeout (s)">
          <input
            type="number"
            min={1}
            max={600}
            value={draft.llm.timeout_s}
            onChange={(e) => set({ llm: { ...draft.llm, timeout_s: Number(e.target.value) } })}
          />
        </Field>
        <Field label="API key" hint={keyStatus?.keychain_available === false ? (keyStatus.keychain_message ?? undefined) : 'Kept in the OS keychain; never shown again.'}>
          <div className="key-row">
            <input
              type="password"
              autoComplete="off"
              value={keyInput}
              onChange={(e) => setKeyInput(e.target.value)}
              placeholder="sk-…"
              disabled={keyStatus?.keychain_available === false}
              data-testid="settings-api-key"
            />
            <button type="button" className="button" disabled={keyInput.trim() === ''} onClick={() => void storeKey()} data-testid="settings-api-key-save">
              Store key
            </button>
            <button type="button" className="button" disabled={keyStatus?.source !== 'keychain'} onClick={() => void removeKey()}>
              Remove key
            </button>
          </div>
          <p className="small" data-testid="settings-api-key-status">
            {keyStatus ? KEY_SOURCE[keyStatus.source] : ''}
          </p>
        </Field>
        <div className="llm-check">
          <button
            type="button"
            className="button"
            disabled={checking || draft.llm.base_url.trim() === '' || draft.llm.model.trim() === ''}
            onClick={() => void runCheck()}
            data-testid="settings-llm-test"
          >
            {checking ? 'Testing…' : 'Test connection'}
          </button>
          {check && (
            <span className={check.ok ? 'mic-verdict ok' : 'mic-verdict warn'} data-testid="settings-llm-result">
              {check.message}
            </span>
          )}
        </div>
      </Group>

      <Group title="Privacy">
        <Field label="Keep audio after scoring">
          <input
            type="checkbox"
            checked={draft.retention.keep_audio}
            onChange={(e) => set({ retention: { ...draft.retention, keep_audio: e.target.checked } })}
            data-testid="settings-keep-audio"
          />
        </Field>
        <Field label="Delete sessions older than" hint="Blank: keep every session.">
          <input
            type="number"
            min={1}
            value={draft.retention.delete_after_days ?? ''}
            onChange={(e) => set({ retention: { ...draft.retention, delete_after_days: e.target.value === '' ? null : Number(e.target.value) } })}
            data-testid="settings-delete-after"
          />{' '}
          days
        </Field>
        <Field label="Data folder">
          <code className="path">{status?.data_dir ?? ''}</code>
        </Field>
      </Group>

      <Group title="About">
        <Field
          label="Speech recognition built for"
          hint="The processors this build transcribes on. On an older one, Practice says what it lacks instead of crashing."
        >
          <code data-testid="settings-speech-build">{status?.speech_build ?? ''}</code>
        </Field>
      </Group>

      <Group title="Appearance">
        <Field label="Theme">
          <Choice
            name="theme"
            value={draft.theme}
            options={[
              ['system', 'System'],
              ['light', 'Light'],
              ['dark', 'Dark'],
            ]}
            onChange={(v) => set({ theme: v })}
            testId="settings-theme"
          />
        </Field>
      </Group>
    </div>
  );
}

function Group({ title, children }: { title: string; children: ReactNode }) {
  const id = `settings-${title.toLowerCase().replace(/[^a-z]+/g, '-')}`;
  return (
    <section className="card settings-group" aria-labelledby={id} data-testid={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

function Field({ label, hint, children }: { label: string; hint?: string; children: ReactNode }) {
  return (
    <div className="settings-field">
      <label className="settings-label">{label}</label>
      <div className="settings-control">
        {children}
        {hint && <p className="muted small">{hint}</p>}
      </div>
    </div>
  );
}

function Choice<T extends string>({
  name,
  value,
  options,
  onChange,
  testId,
}: {
  name: string;
  value: T;
  options: [T, string][];
  onChange: (v: T) => void;
  testId?: string;
}) {
  return (
    <div className="choice" role="radiogroup">
      {options.map(([v, label]) => (
        <label key={v} className={v === value ? 'choice-option active' : 'choice-option'}>
          <input type="radio" name={name} value={v} checked={v === value} onChange={() => onChange(v)} data-testid={testId ? `${testId}-${v}` : undefined} />
          {label}
        </label>
      ))}
    </div>
  );
}
