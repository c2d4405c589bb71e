// A failure the user can read and act on: what happened, and a way to try again.
import { describeError } from "../app/api-errors.ts";

interface ErrorStateProps {
  title: string;
  error: unknown;
  onRetry?: () => void;
  compact?: boolean;
}

export function ErrorState({ title, error, onRetry, compact = false }: ErrorStateProps) {
  return (
    <div className={compact ? "error-state error-state--compact" : "error-state"} role="alert">
      <div>
        <p className="error-state-title">{title}</p>
        <p className="error-state-message">{describeError(error)}</p>
      </div>
      {onRetry && (
        <button type="button" className="button" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}
