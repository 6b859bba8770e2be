/** A labelled group of inputs (a Field holds one input; this one holds several) with its message. */
import type { ReactNode } from 'react';

interface Props {
  label: string;
  error?: string;
  errorTestId?: string;
  children: ReactNode;
}

export function FieldGroup({ label, error, errorTestId, children }: Props) {
  return (
    <div className={`field${error ? ' invalid' : ''}`} role="group" aria-label={label}>
      <span className="field-label">{label}</span>
      {children}
      {error && (
        <span className="field-error" role="alert" data-testid={errorTestId}>
          {error}
        </span>
      )}
    </div>
  );
}
