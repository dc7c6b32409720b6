// The administrator's claims of a case: review a declared claim component by component, then send
// the review-result notice with its objection deadline.
import { useCallback, useEffect, useState, type FormEvent } from "react";
import { api, type Claim, type ClaimForm } from "../api/client";
import { RANKINGS, type Action, type Ranking } from "../chain/tx";
import { Field } from "../components/Field";
import { TxResult, type TxOutcome } from "../components/TxResult";
import type { AccountKey } from "../chain/suite";
import { enumLabel, useI18n, type MessageKey } from "../i18n";
import { Link } from "../router";
import { MaterialsInbox } from "./MaterialsInbox";
import {
  chinaTimeToMs,
  fenToYuan,
  validateReview,
  yuanToFen,
  type ComponentReviewInput,
  type FieldError,
} from "../validation";

type Send = (action: Action) => Promise<TxOutcome>;

interface DeclaredComponent {
  kind?: string;
  amount?: string;
  calculation?: string;
}

function ReviewForm({ claim, seed, send, onDone }: { claim: Claim; seed: AccountKey; send: Send; onDone: () => void }) {
  const { t } = useI18n();
  const declared = ((claim.declaration as { components?: DeclaredComponent[] } | undefined)?.components ?? []).map(
    (c) => ({ kind: c.kind ?? "", declared: BigInt(c.amount ?? "0") }),
  );
  const [rows, setRows] = useState<ComponentReviewInput[]>(
    declared.map((c) => ({ declared: c.declared, confirmed: fenToYuan(c.declared), ranking: "ordinary", reason: "" })),
  );
  const [reasons, setReasons] = useState("");
  const [errors, setErrors] = useState<ReturnType<typeof validateReview> | null>(null);
  const [outcome, setOutcome] = useState<TxOutcome>(null);
  const id = claim.id ?? "";
  const setRow = (i: number, patch: Partial<ComponentReviewInput>) =>
    setRows(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found = validateReview(rows, reasons);
    setErrors(found);
    setOutcome(null);
    if (found.reasons || found.components.some((c) => Object.keys(c).length > 0)) return;
    const result = await send({
      reviewClaim: {
        claimId: id,
        components: rows.map((r, index) => ({
          index,
          confirmed: yuanToFen(r.confirmed)!,
          ranking: r.ranking as Ranking,
          reason: r.reason.trim(),
        })),
        collateralId: "",
        reasons: reasons.trim(),
      },
    });
    setOutcome(result);
    if (result && "status" in result && result.status.code === "OK") onDone();
  };

  return (
    <form onSubmit={submit} noValidate className="card" aria-label={`${t("reviewTitle")} ${id}`} data-testid="review-form">
      <h3>
        {t("reviewTitle")} <code>{id}</code>
      </h3>
      <MaterialsInbox claim={claim} seed={seed} />
      {declared.map((c, i) => {
        const e = errors?.components[i] ?? {};
        return (
          <fieldset key={i}>
            <legend>
              {t("component")} {i + 1}: {c.kind.replace("COMPONENT_KIND_", "").toLowerCase()} · {t("declared")} {fenToYuan(c.declared)}
            </legend>
            <Field id={`review-${id}-${i}-confirmed`} label={t("confirmedYuan")} error={e.confirmed}>
              {(props) => <input {...props} value={rows[i].confirmed} onChange={(ev) => setRow(i, { confirmed: ev.target.value })} />}
            </Field>
            <Field id={`review-${id}-${i}-ranking`} label={t("ranking")} error={e.ranking}>
              {(props) => (
                <select {...props} value={rows[i].ranking} onChange={(ev) => setRow(i, { ranking: ev.target.value })}>
                  {RANKINGS.filter((r) => r !== "secured").map((r) => (
                    <option key={r} value={r}>
                      {t(`ranking_${r}` as MessageKey)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field id={`review-${id}-${i}-reason`} label={t("reason")} error={e.reason}>
              {(props) => <input {...props} value={rows[i].reason} onChange={(ev) => setRow(i, { reason: ev.target.value })} />}
            </Field>
          </fieldset>
        );
      })}
      <Field id={`review-${id}-reasons`} label={t("reviewReasons")} error={errors?.reasons}>
        {(props) => <textarea {...props} rows={2} value={reasons} onChange={(ev) => setReasons(ev.target.value)} />}
      </Field>
      <button type="submit">{t("submitReview")}</button>
      <TxResult outcome={outcome} />
    </form>
  );
}

// After a first review the notice opens the objection window; after a re-review it has none (the
// contract refuses a deadline then).
function NoticeForm({ claimId, reReview, send, onDone }: { claimId: string; reReview: boolean; send: Send; onDone: () => void }) {
  const { t } = useI18n();
  const inDays = new Date(Date.now() + 8 * 3600e3 + 20 * 86400e3).toISOString().slice(0, 10);
  const [deadline, setDeadline] = useState(`${inDays}T17:00`);
  const [error, setError] = useState<FieldError | undefined>();
  const [outcome, setOutcome] = useState<TxOutcome>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const ms = reReview ? 0 : chinaTimeToMs(deadline);
    setError(ms === null ? { key: "err_time" } : undefined);
    if (ms === null) return;
    const result = await send({ sendReviewNotice: { claimId, objectionDeadlineMs: ms } });
    setOutcome(result);
    if (result && "status" in result && result.status.code === "OK") onDone();
  };
  return (
    <form onSubmit={submit} noValidate className="row" data-testid="review-notice-form">
      {!reReview && (
        <Field id={`deadline-${claimId}`} label={t("objectionDeadline")} error={error}>
          {(props) => <input {...props} value={deadline} onChange={(e) => setDeadline(e.target.value.trim())} />}
        </Field>
      )}
      <button type="submit">{t("sendReviewNotice")}</button>
      <TxResult outcome={outcome} />
    </form>
  );
}

// A review-result notice has been sent for claims in these states.
const NOTIFIED_STATUSES = ["CLAIM_STATUS_NOTIFIED", "CLAIM_STATUS_OBJECTED", "CLAIM_STATUS_RE_REVIEWED", "CLAIM_STATUS_CONFIRMED"];

// `version` changes when a live event of the case arrives: the claims are read again.
export function ReviewPanel({ caseId, seed, send, version = 0 }: { caseId: string; seed: AccountKey; send: Send; version?: number }) {
  const { t } = useI18n();
  const [form, setForm] = useState<ClaimForm | null>(null);
  const [reviewing, setReviewing] = useState<Claim | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    api.claimForm(seed, caseId).then(setForm, (e: unknown) => setError(String(e)));
  }, [seed, caseId]);
  useEffect(load, [load, version]);

  return (
    <section aria-labelledby="claims-title">
      <h2 id="claims-title">{t("claimsTitle")}</h2>
      {error && <p role="alert" className="error">{error}</p>}
      {form?.rows?.length ? (
        <table data-testid="claim-form">
          <tbody>
            {form.rows.map((row) => (
              <tr key={row.claimId}>
                <td>{row.creditorName}</td>
                <td>{fenToYuan(row.declaredTotal)}</td>
                <td data-testid="claim-status">{enumLabel(t, row.status)}</td>
                <td>{row.confirmedTotal && row.status !== "CLAIM_STATUS_DECLARED" ? fenToYuan(row.confirmedTotal) : ""}</td>
                <td>
                  {(row.status === "CLAIM_STATUS_DECLARED" || row.status === "CLAIM_STATUS_OBJECTED") && (
                    <button type="button" onClick={() => api.claim(seed, row.claimId ?? "").then(setReviewing, (e: unknown) => setError(String(e)))}>
                      {t("reviewButton")}
                    </button>
                  )}
                  {NOTIFIED_STATUSES.includes(row.status ?? "") && (
                    <Link to={`/notices/claim/${row.claimId}`} data-testid="notice-link">
                      {t("navNotice")}
                    </Link>
                  )}
                  {(row.status === "CLAIM_STATUS_REVIEWED" || row.status === "CLAIM_STATUS_RE_REVIEWED") && (
                    <NoticeForm
                      claimId={row.claimId ?? ""}
                      reReview={row.status === "CLAIM_STATUS_RE_REVIEWED"}
                      send={send}
                      onDone={load}
                    />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>{t("noClaimsInCase")}</p>
      )}
      {reviewing && (
        <ReviewForm
          key={reviewing.id}
          claim={reviewing}
          seed={seed}
          send={send}
          onDone={() => {
            setReviewing(null);
            load();
          }}
        />
      )}
    </section>
  );
}
