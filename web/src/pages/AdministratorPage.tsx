import { useEffect, useState, type FormEvent } from "react";
import { LiveIndicator, useLiveEvents } from "../live/events";
import { ApiError, api, type CaseCreditorList } from "../api/client";
import { sendForForm } from "../chain/send";
import { CREDITOR_KINDS, type Action, type CreditorKind } from "../chain/tx";
import { CaseIdForm } from "../components/CaseIdForm";
import { Field } from "../components/Field";
import { TxResult, type TxOutcome } from "../components/TxResult";
import { useI18n, type MessageKey } from "../i18n";
import { useSession } from "../session";
import { NeedKey } from "../components/NeedKey";
import { ReviewPanel } from "./ReviewPanel";
import { MeetingsPanel } from "./Meetings";
import { DistributionPreview } from "./DistributionPreview";
import { validateKnownCreditor, type Errors, type FieldError, type KnownCreditorInput } from "../validation";

type Send = (action: Action) => Promise<TxOutcome>;

export function KnownCreditorForm({ caseId, onSubmit }: { caseId: string; onSubmit: Send }) {
  const { t } = useI18n();
  const empty: KnownCreditorInput = { kind: "firm", name: "", idNumber: "", orgId: "", serviceAddress: "", basis: "" };
  const [input, setInput] = useState(empty);
  const [errors, setErrors] = useState<Errors<keyof KnownCreditorInput>>({});
  const [outcome, setOutcome] = useState<TxOutcome>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found = validateKnownCreditor(input);
    setErrors(found);
    setOutcome(null);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    const orgId = input.kind === "department" ? input.orgId.trim() : "";
    setOutcome(await onSubmit({ addKnownCreditor: { ...input, caseId, orgId, kind: input.kind as CreditorKind } }));
    setBusy(false);
  };
  const field = (name: keyof KnownCreditorInput, label: MessageKey) => (
    <Field id={`creditor-${name}`} label={t(label)} error={errors[name]}>
      {(props) => <input {...props} value={input[name]} onChange={(e) => setInput({ ...input, [name]: e.target.value })} />}
    </Field>
  );

  return (
    <form onSubmit={submit} noValidate aria-labelledby="creditor-title" className="card">
      <h2 id="creditor-title">{t("addCreditorTitle")}</h2>
      <Field id="creditor-kind" label={t("kind")} error={errors.kind}>
        {(props) => (
          <select {...props} value={input.kind} onChange={(e) => setInput({ ...input, kind: e.target.value })}>
            {CREDITOR_KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`kind_${k}` as MessageKey)}
              </option>
            ))}
          </select>
        )}
      </Field>
      {field("name", "creditorName")}
      {field("idNumber", "idNumber")}
      {input.kind === "department" && field("orgId", "orgId")}
      {field("serviceAddress", "serviceAddress")}
      {field("basis", "basis")}
      <button type="submit" disabled={busy}>
        {busy ? t("submitting") : t("addCreditorButton")}
      </button>
      <TxResult outcome={outcome} />
    </form>
  );
}

// One creditor entry: bind it to the creditor's account, send it the claim-declaration notice.
function CreditorRow({
  creditor,
  send,
  onChange,
}: {
  creditor: NonNullable<CaseCreditorList["creditors"]>[number];
  send: Send;
  onChange: () => void;
}) {
  const { t } = useI18n();
  const [accountId, setAccountId] = useState("");
  const [accountError, setAccountError] = useState<FieldError | undefined>();
  const [text, setText] = useState(t("defaultNoticeText"));
  const [outcome, setOutcome] = useState<TxOutcome>(null);
  const id = creditor.id ?? "";

  const run = async (action: Action) => {
    setOutcome(null);
    const result = await send(action);
    setOutcome(result);
    if (result && "status" in result && result.status.code === "OK") onChange();
  };
  const bind = (event: FormEvent) => {
    event.preventDefault();
    const ok = /^[0-9a-f]{40}$/.test(accountId);
    setAccountError(ok ? undefined : { key: "err_accountId" });
    if (ok) void run({ bindCreditorAccount: { creditorId: id, accountId } });
  };

  return (
    <li className="card" data-testid={`creditor-${creditor.name}`}>
      <p>
        <strong>{creditor.name}</strong> · {creditor.idNumber} · {t(`kind_${(creditor.kind ?? "").replace("CREDITOR_KIND_", "").toLowerCase()}` as MessageKey)} ·{" "}
        {t("bound")}: <span data-testid="bound-account">{creditor.boundAccountId || t("unbound")}</span>
      </p>
      <form onSubmit={bind} noValidate className="row">
        <Field id={`bind-${id}`} label={t("bindAccount")} error={accountError}>
          {(props) => <input {...props} value={accountId} onChange={(e) => setAccountId(e.target.value.trim())} />}
        </Field>
        <button type="submit">{t("bindButton")}</button>
      </form>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void run({ sendClaimNotice: { creditorId: id, text } });
        }}
        className="row"
      >
        <Field id={`notice-${id}`} label={t("noticeText")}>
          {(props) => <textarea {...props} rows={2} value={text} onChange={(e) => setText(e.target.value)} />}
        </Field>
        <button type="submit">{t("sendNoticeButton")}</button>
      </form>
      <TxResult outcome={outcome} />
    </li>
  );
}

export function AdministratorPage() {
  const { t } = useI18n();
  const { unlocked } = useSession();
  const [loaded, setLoaded] = useState<string | null>(null);
  const [list, setList] = useState<CaseCreditorList | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  // Events of the loaded case (declarations, objections, acknowledgements, ballots…) refresh it.
  const live = useLiveEvents({ caseId: loaded ?? undefined, signWith: unlocked?.key, enabled: !!unlocked && !!loaded }, () =>
    setVersion((v) => v + 1),
  );
  useEffect(() => {
    if (version === 0 || !loaded || !unlocked) return;
    api.caseCreditors(unlocked.key, loaded).then(setList, () => {});
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [version]);

  if (!unlocked) return <NeedKey title={t("adminTitle")} />;
  const send: Send = (action) => sendForForm(unlocked.key, unlocked.publicKey, action);
  const load = async (id: string) => {
    setError(null);
    try {
      setList(await api.caseCreditors(unlocked.key, id));
      setLoaded(id);
    } catch (e) {
      setList(null);
      setError(e instanceof ApiError ? `${e.code}: ${e.message}` : String(e));
    }
  };


  return (
    <section aria-labelledby="admin-title">
      <h1 id="admin-title">
        {t("adminTitle")}
        {loaded && <LiveIndicator state={live} />}
      </h1>
      <CaseIdForm idPrefix="admin" button={t("loadCase")} onLoad={(id) => void load(id)} />
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {loaded && list && (
        <>
          <h2>{t("creditors")}</h2>
          {list.creditors?.length ? (
            <ul className="plain">
              {list.creditors.map((c) => (
                <CreditorRow key={c.id} creditor={c} send={send} onChange={() => void load(loaded)} />
              ))}
            </ul>
          ) : (
            <p>{t("noCreditors")}</p>
          )}
          <ReviewPanel key={loaded} caseId={loaded} seed={unlocked.key} send={send} version={version} />
          <MeetingsPanel key={`meetings-${loaded}`} caseId={loaded} send={send} />
          <DistributionPreview key={`dist-${loaded}`} caseId={loaded} signer={unlocked.key} />
          <KnownCreditorForm
            caseId={loaded}
            onSubmit={async (action) => {
              const result = await send(action);
              if (result && "status" in result && result.status.code === "OK") void load(loaded);
              return result;
            }}
          />
        </>
      )}
    </section>
  );
}
