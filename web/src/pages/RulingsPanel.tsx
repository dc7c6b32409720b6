// The court's rulings on a case it accepted (src/contracts/review.cc, plans.cc, cases.cc):
// confirm undisputed claims after the first meeting (EBL 58), approve a plan the creditors'
// meeting adopted (EBL 86, 98, 115), terminate the case (EBL 120). Each form checks its input
// before signing; the contract's refusal (e.g. before the first meeting) is shown as it comes.
// The case's events keep the panel current.
import { useCallback, useEffect, useRef, useState, type FormEvent } from "react";
import { useFocusFirstInvalid } from "../components/focusInvalid";
import { ApiError, api, type Case, type ClaimForm, type PlanList } from "../api/client";
import type { AccountKey } from "../chain/suite";
import type { Action } from "../chain/tx";
import { CaseIdForm } from "../components/CaseIdForm";
import { Field } from "../components/Field";
import { TxResult, type TxOutcome } from "../components/TxResult";
import { enumLabel, useI18n, type MessageKey } from "../i18n";
import { LiveIndicator, useLiveEvents } from "../live/events";
import { fenToYuan, type FieldError } from "../validation";
import { validateClaimSelection, validateTerminationReason } from "../validationMore";

type Send = (action: Action) => Promise<TxOutcome>;

// Claims the court may confirm: notified (the contract checks the objection window is over) or
// re-reviewed after an objection.
const CONFIRMABLE = ["CLAIM_STATUS_NOTIFIED", "CLAIM_STATUS_RE_REVIEWED"];

export function ConfirmClaimsForm({ caseId, form, send }: { caseId: string; form: ClaimForm | null; send: Send }) {
  const { t } = useI18n();
  const rows = (form?.rows ?? []).filter((r) => CONFIRMABLE.includes(r.status ?? ""));
  const [selected, setSelected] = useState<string[]>([]);
  const [error, setError] = useState<FieldError | undefined>();
  const [outcome, setOutcome] = useState<TxOutcome>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const focusInvalid = useFocusFirstInvalid(formRef);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found = validateClaimSelection(selected);
    setError(found);
    setOutcome(null);
    if (found) return focusInvalid();
    setOutcome(await send({ confirmClaims: { caseId, claimIds: selected } }));
  };
  return (
    <form ref={formRef} onSubmit={submit} noValidate className="card" aria-labelledby="confirm-title" data-testid="confirm-claims-form">
      <h3 id="confirm-title">{t("confirmClaimsTitle")}</h3>
      <p id="confirm-hint">{t("confirmClaimsHint")}</p>
      {rows.length === 0 ? (
        <p>{t("noConfirmable")}</p>
      ) : (
        <fieldset aria-describedby={error ? "confirm-claims-error" : "confirm-hint"} aria-invalid={!!error}>
          <legend>{t("claimsTitle")}</legend>
          {rows.map((r) => (
            <div key={r.claimId}>
              <label>
                <input
                  type="checkbox"
                  aria-label={t("selectClaim", { id: r.claimId ?? "" })}
                  checked={selected.includes(r.claimId ?? "")}
                  onChange={(e) =>
                    setSelected(e.target.checked ? [...selected, r.claimId ?? ""] : selected.filter((id) => id !== r.claimId))
                  }
                />{" "}
                {r.creditorName} · {enumLabel(t, r.status)} · {fenToYuan(r.confirmedTotal)} · <code>{r.claimId}</code>
              </label>
            </div>
          ))}
        </fieldset>
      )}
      {error && (
        <p className="field-error" id="confirm-claims-error" data-testid="confirm-claims-error">
          {t(error.key, error.vars)}
        </p>
      )}
      <button type="submit">{t("confirmClaimsButton")}</button>
      <TxResult outcome={outcome} />
    </form>
  );
}

export function PlansPanel({ plans, send }: { plans: PlanList | null; send: Send }) {
  const { t } = useI18n();
  const [outcome, setOutcome] = useState<TxOutcome>(null);
  const list = plans?.plans ?? [];
  return (
    <section className="card" aria-labelledby="plans-title" data-testid="plans">
      <h3 id="plans-title">{t("plansTitle")}</h3>
      <p>{t("approvePlanHint")}</p>
      {list.length === 0 ? (
        <p>{t("noPlans")}</p>
      ) : (
        <ul className="plain">
          {list.map((p) => (
            <li key={p.id} data-testid="plan">
              <strong>{p.title}</strong> · {enumLabel(t, p.kind)} · {t("planStatus")}: <span data-testid="plan-status">{enumLabel(t, p.status)}</span>{" "}
              {p.status === "PLAN_STATUS_ADOPTED" && (
                <button
                  type="button"
                  aria-label={`${t("approvePlan")}: ${p.title}`}
                  onClick={async () => {
                    setOutcome(null);
                    setOutcome(await send({ approvePlan: { planId: p.id ?? "" } }));
                  }}
                >
                  {t("approvePlan")}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      <TxResult outcome={outcome} />
    </section>
  );
}

export function TerminateForm({ caseId, send }: { caseId: string; send: Send }) {
  const { t } = useI18n();
  const [reason, setReason] = useState("");
  const [confirmed, setConfirmed] = useState(false);
  const [errors, setErrors] = useState<{ reason?: FieldError; confirm?: FieldError }>({});
  const [outcome, setOutcome] = useState<TxOutcome>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const focusInvalid = useFocusFirstInvalid(formRef);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found = {
      reason: validateTerminationReason(reason),
      confirm: confirmed ? undefined : ({ key: "err_confirmTermination" } as FieldError),
    };
    setErrors(found);
    setOutcome(null);
    if (found.reason || found.confirm) return focusInvalid();
    setOutcome(await send({ terminateCase: { caseId, reason: reason.trim() } }));
  };
  return (
    <form ref={formRef} onSubmit={submit} noValidate className="card" aria-labelledby="terminate-title" data-testid="terminate-form">
      <h3 id="terminate-title">{t("terminateTitle")}</h3>
      <Field id="terminate-reason" label={t("terminationReason")} error={errors.reason}>
        {(props) => <textarea {...props} rows={2} value={reason} onChange={(e) => setReason(e.target.value)} />}
      </Field>
      <div className="field">
        <label>
          <input
            type="checkbox"
            id="terminate-confirm"
            checked={confirmed}
            aria-invalid={!!errors.confirm}
            aria-describedby={errors.confirm ? "terminate-confirm-error" : undefined}
            onChange={(e) => setConfirmed(e.target.checked)}
          />{" "}
          {t("terminateConfirm")}
        </label>
        {errors.confirm && (
          <p className="field-error" id="terminate-confirm-error" data-testid="terminate-confirm-error">
            {t(errors.confirm.key)}
          </p>
        )}
      </div>
      <button type="submit">{t("terminateButton")}</button>
      <TxResult outcome={outcome} />
    </form>
  );
}

export function RulingsPanel({ signer, send }: { signer: AccountKey; send: Send }) {
  const { t } = useI18n();
  const [loaded, setLoaded] = useState<string | null>(null);
  const [record, setRecord] = useState<Case | null>(null);
  const [form, setForm] = useState<ClaimForm | null>(null);
  const [plans, setPlans] = useState<PlanList | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const live = useLiveEvents({ caseId: loaded ?? undefined, signWith: signer, enabled: !!loaded }, () => setVersion((v) => v + 1));

  const load = useCallback(
    async (id: string) => {
      setError(null);
      try {
        setRecord(await api.getCase(id));
        setForm(await api.claimForm(signer, id));
        setPlans(await api.casePlans(signer, id));
        setLoaded(id);
      } catch (e) {
        setError(e instanceof ApiError ? `${e.code}: ${e.message}` : String(e));
      }
    },
    [signer],
  );
  useEffect(() => {
    if (loaded && version > 0) void load(loaded);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [version]);
  const sendAndReload: Send = async (action) => {
    const result = await send(action);
    if (loaded) await load(loaded);
    return result;
  };


  return (
    <section aria-labelledby="rulings-title" data-testid="rulings">
      <h2 id="rulings-title">
        {t("rulingsTitle")}
        {loaded && <LiveIndicator state={live} />}
      </h2>
      <CaseIdForm idPrefix="rulings" button={t("rulingsLoad")} onLoad={(id) => void load(id)} />
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {loaded && record && (
        <>
          <p data-testid="rulings-case-status">
            {record.caseNumber} · {record.debtorName} · {t(`status_${record.status ?? "CASE_STATUS_ACCEPTED"}` as MessageKey)}
            {record.status === "CASE_STATUS_TERMINATED" && ` · ${t("caseTerminated")}: ${record.terminationReason ?? ""}`}
          </p>
          <div className="grid">
            <ConfirmClaimsForm key={`confirm-${loaded}`} caseId={loaded} form={form} send={sendAndReload} />
            <PlansPanel plans={plans} send={sendAndReload} />
            {record.status !== "CASE_STATUS_TERMINATED" && <TerminateForm key={`terminate-${loaded}`} caseId={loaded} send={sendAndReload} />}
          </div>
        </>
      )}
    </section>
  );
}
