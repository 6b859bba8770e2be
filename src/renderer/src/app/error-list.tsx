/** Engine and command errors as dismissible messages. */
import { useApp } from './context.ts';
import { tid } from './testids.ts';

export function ErrorList() {
  const errors = useApp((s) => s.errors);
  const dismiss = useApp((s) => s.dismissError);
  if (errors.length === 0) return null;
  return (
    <div className="errors" role="alert" aria-live="assertive">
      {errors.map((e) => (
        <div key={e.id} className="error-msg" data-testid={tid.errorMessage}>
          <span>
            {e.command && <code>{e.command}</code>} {e.message}
          </span>
          <button
            type="button"
            className="btn small"
            data-testid={tid.errorDismiss}
            aria-label="dismiss"
            onClick={() => dismiss(e.id)}
          >
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
