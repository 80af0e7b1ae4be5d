import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { errorMessage } from '../format';
import './errors.css';

interface ShownError {
  id: number;
  message: string;
}

interface ErrorList {
  errors: ShownError[];
  dismiss: (id: number) => void;
}

/** Show a command's rejection (or any message) verbatim in the banner. */
type ReportError = (err: unknown) => void;

// Two contexts: the report function never changes, so the many components that only report
// do not re-render each time the list of shown errors does.
const ReportContext = createContext<ReportError | null>(null);
const ListContext = createContext<ErrorList | null>(null);

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
  const list = useMemo(() => ({ errors, dismiss }), [errors, dismiss]);
  return (
    <ReportContext.Provider value={report}>
      <ListContext.Provider value={list}>{children}</ListContext.Provider>
    </ReportContext.Provider>
  );
}

/** The function that shows an error in the banner: for any component under ErrorProvider. */
export function useReportError(): ReportError {
  const report = useContext(ReportContext);
  if (!report) throw new Error('useReportError outside ErrorProvider');
  return report;
}

export function ErrorBanner() {
  const list = useContext(ListContext);
  if (!list) throw new Error('ErrorBanner outside ErrorProvider');
  const { errors, dismiss } = list;
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
