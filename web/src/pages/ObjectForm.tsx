import { useState, type FormEvent } from "react";
import type { ObjectToClaim } from "../chain/tx";
import { Field } from "../components/Field";
import { TxResult, type TxOutcome } from "../components/TxResult";
import { useI18n } from "../i18n";
import { TEXT_BYTES_MAX, formatChinaTime, type FieldError } from "../validation";
import { utf8 } from "../chain/bytes";

// The holder's objection to its claim's review, inside the objection window (JI III 8).
export function ObjectForm({
  claimId,
  creditorId,
  deadlineMs,
  onSubmit,
}: {
  claimId: string;
  creditorId: string;
  deadlineMs?: string;
  onSubmit: (action: { objectToClaim: ObjectToClaim }) => Promise<TxOutcome>;
}) {
  const { t } = useI18n();
  const [reasons, setReasons] = useState("");
  const [error, setError] = useState<FieldError | undefined>();
  const [outcome, setOutcome] = useState<TxOutcome>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found: FieldError | undefined =
      reasons.trim() === ""
        ? { key: "err_required" }
        : utf8(reasons).length > TEXT_BYTES_MAX
          ? { key: "err_tooLong", vars: { max: TEXT_BYTES_MAX } }
          : undefined;
    setError(found);
    setOutcome(null);
    if (found) return;
    setOutcome(await onSubmit({ objectToClaim: { claimId, objectorCreditorId: creditorId, reasons: reasons.trim() } }));
  };
  return (
    <form onSubmit={submit} noValidate className="card" data-testid="object-form" aria-labelledby={`object-${claimId}-title`}>
      <h3 id={`object-${claimId}-title`}>
        {t("objectTitle")} <code>{claimId}</code>
      </h3>
      {deadlineMs && (
        <p>
          {t("objectionUntil")} {formatChinaTime(deadlineMs)}
        </p>
      )}
      <Field id={`object-${claimId}-reasons`} label={t("objectionReasons")} error={error}>
        {(props) => <textarea {...props} rows={3} value={reasons} onChange={(e) => setReasons(e.target.value)} />}
      </Field>
      <button type="submit">{t("objectButton")}</button>
      <TxResult outcome={outcome} />
    </form>
  );
}
