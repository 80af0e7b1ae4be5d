import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { errorMessage } from '../format';

interface ShownError {
  id: number;
  message: string;
}

interface ErrorApi {
  errors: ShownError[];
  /** Show a command's rejection (or any message) verbatim in the banner. */
  report: (err: unknown) => void;
  dismiss: (id: number) => void;
}

const ErrorContext = createContext<ErrorApi | null>(null);

let nextId = 1;

export function ErrorProvider({ children }: { children: ReactNode }) {
  const [errors, setErrors] = useState<ShownError[]>([]);
  const report = useCallback((err: unknown) => {
    const message = errorMessage(err);
    setErrors((prev) =>
      // The same message twice in a row is shown once.
      prev.length > 0 && prev[prev.length - 1]!.message === message ? prev : [...prev, { id: nextId++, message }],
    );
  }, []);
  const dismiss = useCallback((id: number) => setErrors((prev) => prev.filter((e) => e.id !== id)), []);
  const api = useMemo(() => ({ errors, report, dismiss }), [errors, report, dismiss]);
  return <ErrorContext.Provider value={api}>{children}</ErrorContext.Provider>;
}

function useErrorApi(): ErrorApi {
  const api = useContext(ErrorContext);
  if (!api) throw new Error('useErrorApi outside ErrorProvider');
  return api;
}

export function useReportError(): (err: unknown) => void {
  return useErrorApi().report;
}

export function ErrorBanner() {
  const { errors, dismiss } = useErrorApi();
  if (errors.length === 0) return null;
  return (
    <div className="error-stack">
      {errors.map((e) => (
        <div key={e.id} className="error-banner" role="alert" data-testid="error-banner">
          <span className="error-icon" aria-hidden="true">
            !
          </span>
          <p className="error-message" data-testid="error-message">
            {e.message}
          </p>
          <button
            type="button"
            className="icon-button"
            aria-label="Dismiss error"
            data-testid="error-dismiss"
            onClick={() => dismiss(e.id)}
          >
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
