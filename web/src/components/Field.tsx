// A labelled input with its validation message tied to it (aria-describedby, aria-invalid).
import type { ReactNode } from "react";
import { useI18n } from "../i18n";
import type { FieldError } from "../validation";

export function Field({
  id,
  label,
  error,
  children,
}: {
  id: string;
  label: string;
  error?: FieldError;
  children: (props: { id: string; "aria-invalid": boolean; "aria-describedby"?: string }) => ReactNode;
}) {
  const { t } = useI18n();
  const errorId = `${id}-error`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children({ id, "aria-invalid": !!error, "aria-describedby": error ? errorId : undefined })}
      {error && (
        <p className="field-error" id={errorId} data-testid={errorId}>
          {t(error.key, error.vars)}
        </p>
      )}
    </div>
  );
}
