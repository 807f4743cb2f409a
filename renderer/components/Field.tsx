import { useId, type ReactNode } from 'react';

interface FieldProps {
  label: ReactNode;
  error?: string | null;
  help?: ReactNode;
  /** Shown at the right of the label row (e.g. a character counter). */
  aside?: ReactNode;
  className?: string;
  children(props: { id: string; 'aria-invalid': boolean; 'aria-describedby': string | undefined }): ReactNode;
}

/** A labelled control with its help text and its error message right under it. */
export function Field({ label, error, help, aside, className, children }: FieldProps) {
  const id = useId();
  const errorId = `${id}-error`;
  const helpId = `${id}-help`;
  const describedBy = [error ? errorId : null, help ? helpId : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field ${error ? 'field-invalid' : ''} ${className ?? ''}`}>
      <div className="field-label-row">
        <label htmlFor={id} className="field-label">{label}</label>
        {aside}
      </div>
      {children({ id, 'aria-invalid': Boolean(error), 'aria-describedby': describedBy })}
      {error && (
        <p id={errorId} className="field-error">
          {error}
        </p>
      )}
      {help && !error && (
        <p id={helpId} className="field-help">
          {help}
        </p>
      )}
    </div>
  );
}
