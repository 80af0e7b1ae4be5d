import { useCallback, useEffect, useState } from 'react';
import type { LoadedSettings } from '../bindings/LoadedSettings';
import type { LocalLlmServer } from '../bindings/LocalLlmServer';
import { getSettings, saveSettings } from '../ipc';
import { applyTheme } from './theme';
import { useReportError } from '../components/errors';

export interface AppSettingsHandle {
  /** null until read (or when it could not be read: the banner says why). */
  loaded: LoadedSettings | null;
  /** Settings were saved elsewhere (the Settings screen): use what the shell answered. */
  onSaved: (loaded: LoadedSettings) => void;
  /** Onboarding finished or skipped: never shown again. */
  finishOnboarding: () => Promise<void>;
  /** Turns the LLM interviewer on with a server found on this computer, and saves. */
  adoptLocalLlm: (server: LocalLlmServer, model: string) => Promise<void>;
}

/** The app's settings, read once at start; keeps the theme applied. */
export function useAppSettings(afterSave?: () => void): AppSettingsHandle {
  const reportError = useReportError();
  const [loaded, setLoaded] = useState<LoadedSettings | null>(null);

  useEffect(() => {
    getSettings().then(setLoaded, reportError);
  }, [reportError]);

  useEffect(() => {
    if (loaded) applyTheme(loaded.settings.theme);
  }, [loaded]);

  const onSaved = useCallback(
    (l: LoadedSettings) => {
      setLoaded(l);
      afterSave?.();
    },
    [afterSave],
  );

  const finishOnboarding = useCallback(async () => {
    if (!loaded) return;
    try {
      onSaved(await saveSettings({ ...loaded.settings, onboarded: true }));
    } catch (err) {
      reportError(err);
      // Still leave onboarding: a settings file that cannot be written must not trap the user.
      setLoaded({ ...loaded, settings: { ...loaded.settings, onboarded: true } });
    }
  }, [loaded, onSaved, reportError]);

  /** Turns the LLM interviewer on with a server found on this computer (onboarding). */
  const adoptLocalLlm = useCallback(
    async (server: LocalLlmServer, model: string) => {
      if (!loaded) return;
      const llm = { ...loaded.settings.llm, enabled: true, base_url: server.base_url, model };
      onSaved(await saveSettings({ ...loaded.settings, llm }));
    },
    [loaded, onSaved],
  );

  return { loaded, onSaved, finishOnboarding, adoptLocalLlm };
}
