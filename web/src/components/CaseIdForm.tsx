// "Which case": a case id, checked (32 lowercase hex digits) before `onLoad` reads it.
import { useState, type FormEvent } from "react";
import { useI18n } from "../i18n";
import { validateAppoint, type FieldError } from "../validation";
import { Field } from "./Field";

export function CaseIdForm({ idPrefix, button, onLoad }: { idPrefix: string; button: string; onLoad: (caseId: string) => void }) {
  const { t } = useI18n();
  const [caseId, setCaseId] = useState("");
  const [error, setError] = useState<FieldError | undefined>();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found = validateAppoint({ caseId, firmOrgId: "ok-firm" }).caseId;
    setError(found);
    if (!found) onLoad(caseId);
  };
  return (
    <form onSubmit={submit} noValidate className="row">
      <Field id={`${idPrefix}-caseId`} label={t("caseId")} error={error}>
        {(props) => <input {...props} value={caseId} onChange={(e) => setCaseId(e.target.value.trim())} />}
      </Field>
      <button type="submit">{button}</button>
    </form>
  );
}
