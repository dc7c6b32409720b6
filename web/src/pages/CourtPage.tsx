import { useState, type FormEvent } from "react";
import { sendForForm } from "../chain/send";
import { TemporaryAmountForm } from "./Meetings";
import { RulingsPanel } from "./RulingsPanel";
import { PROCEDURES, type AcceptCase, type Action, type AppointAdministrator, type Procedure, type SetClaimPeriod } from "../chain/tx";
import { Field } from "../components/Field";
import { TxResult, type TxOutcome } from "../components/TxResult";
import { useI18n, type MessageKey } from "../i18n";
import { useSession } from "../session";
import { NeedKey } from "../components/NeedKey";
import {
  chinaTimeToMs,
  validateAcceptCase,
  validateAppoint,
  validateClaimPeriod,
  type AcceptCaseInput,
  type AppointInput,
  type ClaimPeriodInput,
  type Errors,
} from "../validation";

// The accept-case form: checks every field as the contract does before `onSubmit` signs it.
export function AcceptCaseForm({ onSubmit }: { onSubmit: (action: AcceptCase) => Promise<TxOutcome> }) {
  const { t } = useI18n();
  const [input, setInput] = useState<AcceptCaseInput>({
    caseNumber: "",
    debtorName: "",
    debtorCreditCode: "",
    procedure: "liquidation",
    acceptanceDate: "",
  });
  const [errors, setErrors] = useState<Errors<keyof AcceptCaseInput>>({});
  const [outcome, setOutcome] = useState<TxOutcome>(null);
  const [busy, setBusy] = useState(false);
  const set = (field: keyof AcceptCaseInput) => (value: string) => setInput({ ...input, [field]: value });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found = validateAcceptCase(input);
    setErrors(found);
    setOutcome(null);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    setOutcome(await onSubmit({ ...input, procedure: input.procedure as Procedure }));
    setBusy(false);
  };

  const text = (field: keyof AcceptCaseInput, label: MessageKey, extra: object = {}) => (
    <Field id={`accept-${field}`} label={t(label)} error={errors[field]}>
      {(props) => <input {...props} {...extra} value={input[field]} onChange={(e) => set(field)(e.target.value)} />}
    </Field>
  );

  return (
    <form onSubmit={submit} noValidate aria-labelledby="accept-title" className="card">
      <h2 id="accept-title">{t("acceptTitle")}</h2>
      {text("caseNumber", "caseNumber")}
      {text("debtorName", "debtorName")}
      {text("debtorCreditCode", "debtorCreditCode", { maxLength: 18, autoCapitalize: "characters" })}
      <Field id="accept-procedure" label={t("procedure")} error={errors.procedure}>
        {(props) => (
          <select {...props} value={input.procedure} onChange={(e) => set("procedure")(e.target.value)}>
            {PROCEDURES.map((p) => (
              <option key={p} value={p}>
                {t(`procedure_${p}` as MessageKey)}
              </option>
            ))}
          </select>
        )}
      </Field>
      {text("acceptanceDate", "acceptanceDate", { placeholder: "YYYY-MM-DD" })}
      <button type="submit" disabled={busy}>
        {busy ? t("submitting") : t("acceptButton")}
      </button>
      <TxResult outcome={outcome} caseLink />
    </form>
  );
}

export function AppointForm({ onSubmit }: { onSubmit: (action: AppointAdministrator) => Promise<TxOutcome> }) {
  const { t } = useI18n();
  const [input, setInput] = useState<AppointInput>({ caseId: "", firmOrgId: "" });
  const [errors, setErrors] = useState<Errors<keyof AppointInput>>({});
  const [outcome, setOutcome] = useState<TxOutcome>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found = validateAppoint(input);
    setErrors(found);
    setOutcome(null);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    setOutcome(await onSubmit(input));
    setBusy(false);
  };

  return (
    <form onSubmit={submit} noValidate aria-labelledby="appoint-title" className="card">
      <h2 id="appoint-title">{t("appointTitle")}</h2>
      <Field id="appoint-caseId" label={t("caseId")} error={errors.caseId}>
        {(props) => <input {...props} value={input.caseId} onChange={(e) => setInput({ ...input, caseId: e.target.value.trim() })} />}
      </Field>
      <Field id="appoint-firmOrgId" label={t("firmOrgId")} error={errors.firmOrgId}>
        {(props) => <input {...props} value={input.firmOrgId} onChange={(e) => setInput({ ...input, firmOrgId: e.target.value.trim() })} />}
      </Field>
      <button type="submit" disabled={busy}>
        {busy ? t("submitting") : t("appointButton")}
      </button>
      <TxResult outcome={outcome} caseLink />
    </form>
  );
}

export function ClaimPeriodForm({ onSubmit }: { onSubmit: (action: SetClaimPeriod) => Promise<TxOutcome> }) {
  const { t } = useI18n();
  const [input, setInput] = useState<ClaimPeriodInput>({ caseId: "", claimPeriodEnd: "", firstMeeting: "" });
  const [errors, setErrors] = useState<Errors<keyof ClaimPeriodInput>>({});
  const [outcome, setOutcome] = useState<TxOutcome>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found = validateClaimPeriod(input);
    setErrors(found);
    setOutcome(null);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    setOutcome(
      await onSubmit({
        caseId: input.caseId,
        claimPeriodEndMs: chinaTimeToMs(input.claimPeriodEnd)!,
        firstMeetingMs: chinaTimeToMs(input.firstMeeting)!,
      }),
    );
    setBusy(false);
  };
  const field = (name: keyof ClaimPeriodInput, label: MessageKey, placeholder?: string) => (
    <Field id={`period-${name}`} label={t(label)} error={errors[name]}>
      {(props) => (
        <input
          {...props}
          placeholder={placeholder}
          value={input[name]}
          onChange={(e) => setInput({ ...input, [name]: e.target.value.trim() })}
        />
      )}
    </Field>
  );

  return (
    <form onSubmit={submit} noValidate aria-labelledby="period-title" className="card">
      <h2 id="period-title">{t("periodTitle")}</h2>
      {field("caseId", "caseId")}
      {field("claimPeriodEnd", "claimPeriodEndInput", "YYYY-MM-DDTHH:MM")}
      {field("firstMeeting", "firstMeetingInput", "YYYY-MM-DDTHH:MM")}
      <button type="submit" disabled={busy}>
        {busy ? t("submitting") : t("periodButton")}
      </button>
      <TxResult outcome={outcome} caseLink />
    </form>
  );
}

export function CourtPage() {
  const { t } = useI18n();
  const { unlocked } = useSession();
  if (!unlocked) return <NeedKey title={t("courtTitle")} />;
  const send = (action: Action): Promise<TxOutcome> => sendForForm(unlocked.key, unlocked.publicKey, action);
  return (
    <section aria-labelledby="court-title">
      <h1 id="court-title">{t("courtTitle")}</h1>
      <p>
        {t("unlocked")}: {unlocked.name}
      </p>
      <div className="grid">
        <AcceptCaseForm onSubmit={(acceptCase) => send({ acceptCase })} />
        <AppointForm onSubmit={(appointAdministrator) => send({ appointAdministrator })} />
        <ClaimPeriodForm onSubmit={(setClaimPeriod) => send({ setClaimPeriod })} />
        <TemporaryAmountForm send={send} />
      </div>
      <RulingsPanel signer={unlocked.key} send={send} />
    </section>
  );
}
