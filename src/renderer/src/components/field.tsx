/** A labelled form field with its validation message beside it. */
import type { ReactNode } from 'react';

interface Props {
  label: string;
  error?: string;
  errorTestId?: string;
  children: ReactNode;
  wide?: boolean;
}

export function Field({ label, error, errorTestId, children, wide }: Props) {
  return (
    <label className={`field${wide ? ' wide' : ''}${error ? ' invalid' : ''}`}>
      <span className="field-label">{label}</span>
      {children}
      {error && (
        <span className="field-error" role="alert" data-testid={errorTestId}>
          {error}
        </span>
      )}
    </label>
  );
}
