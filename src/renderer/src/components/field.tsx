/**
 * A labelled form field with its validation message beside it. `group`: a field of several inputs
 * (a div with role="group" named by the label, since a <label> may hold only one control).
 */
import type { ReactNode } from 'react';

interface Props {
  label: string;
  error?: string;
  errorTestId?: string;
  children: ReactNode;
  wide?: boolean;
  group?: boolean;
}

export function Field({ label, error, errorTestId, children, wide, group }: Props) {
  const className = `field${wide ? ' wide' : ''}${error ? ' invalid' : ''}`;
  const body = (
    <>
      <span className="field-label">{label}</span>
      {children}
      {error && (
        <span className="field-error" role="alert" data-testid={errorTestId}>
          {error}
        </span>
      )}
    </>
  );
  return group ? (
    <div className={className} role="group" aria-label={label}>
      {body}
    </div>
  ) : (
    <label className={className}>{body}</label>
  );
}
