// After a form names its bad fields, keyboard and screen-reader users land on the first of them:
// the field is focused and its message (aria-describedby) is read with it.
import { useEffect, useRef, type RefObject } from "react";

export function useFocusFirstInvalid(form: RefObject<HTMLElement | null>): () => void {
  const attempt = useRef(0);
  const handled = useRef(0);
  useEffect(() => {
    if (attempt.current === handled.current) return;
    handled.current = attempt.current;
    const invalid = form.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
    // A fieldset (a group of checkboxes) is not focusable: its first control is.
    const target = invalid?.tagName === "FIELDSET" ? invalid.querySelector<HTMLElement>("input, select, textarea") : invalid;
    target?.focus();
  });
  // Call when a submit found errors: the next render focuses the first invalid field.
  return () => {
    attempt.current += 1;
  };
}
