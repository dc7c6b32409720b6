// The administrator's distribution preview (GET /v1/cases/{id}/distribution-preview): what a plan
// distributing this general estate would pay now, by ranking tier in the order of EBL 113 — the
// ranking table — and per claim. Nothing is signed into the chain.
import { useState, type FormEvent } from "react";
import { ApiError, api, type DistributionDetail } from "../api/client";
import type { AccountKey } from "../chain/suite";
import { Field } from "../components/Field";
import { useI18n, type MessageKey } from "../i18n";
import { fenToYuan, yuanToFen, type Errors } from "../validation";

// Tier order of src/contracts/distribution.h.
const TIERS: MessageKey[] = ["tier_expenses", "tier_employee", "tier_tax", "tier_ordinary", "tier_subordinated"];

export function DistributionPreview({ caseId, signer }: { caseId: string; signer: AccountKey }) {
  const { t } = useI18n();
  const [estate, setEstate] = useState("");
  const [errors, setErrors] = useState<Errors<"estate">>({});
  const [detail, setDetail] = useState<DistributionDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setDetail(null);
    setError(null);
    const fen = yuanToFen(estate);
    if (fen === null) return setErrors({ estate: { key: "err_amount" } });
    setErrors({});
    try {
      setDetail(await api.distributionPreview(signer, caseId, { general_estate: Number(fen) }));
    } catch (e) {
      setError(e instanceof ApiError ? `${e.code}: ${e.message}` : String(e));
    }
  };
  return (
    <form onSubmit={submit} noValidate aria-labelledby="dist-title" className="card" data-testid="distribution-preview">
      <h2 id="dist-title">{t("distTitle")}</h2>
      <Field id="dist-estate" label={t("distEstate")} error={errors.estate}>
        {(props) => <input {...props} value={estate} onChange={(e) => setEstate(e.target.value)} />}
      </Field>
      <button type="submit">{t("distButton")}</button>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {detail && (
        <>
          <table data-testid="ranking-table">
            <caption>{t("distRankingCaption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("distTier")}</th>
                <th scope="col">{t("distClaimed")}</th>
                <th scope="col">{t("distPaid")}</th>
                <th scope="col">{t("distRatio")}</th>
              </tr>
            </thead>
            <tbody>
              {TIERS.map((tier, i) => {
                const total = Number(detail.tierTotals?.[i] ?? 0);
                const paid = Number(detail.tierPaid?.[i] ?? 0);
                return (
                  <tr key={tier}>
                    <td>{t(tier)}</td>
                    <td>{fenToYuan(total)}</td>
                    <td>{fenToYuan(paid)}</td>
                    <td>{total > 0 ? `${((paid / total) * 100).toFixed(2)} %` : "—"}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <p data-testid="dist-summary">
            {t("distSummary", { distributed: fenToYuan(detail.distributed), undistributed: fenToYuan(detail.undistributed) })}
          </p>
          <table>
            <caption>{t("distPayments")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("distPayee")}</th>
                <th scope="col">{t("distTotal")}</th>
              </tr>
            </thead>
            <tbody>
              {((detail.payments ?? []) as { payeeId?: string; total?: string }[]).map((p, i) => (
                <tr key={p.payeeId ?? i}>
                  <td>
                    <code>{p.payeeId}</code>
                  </td>
                  <td>{fenToYuan(p.total)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </form>
  );
}
