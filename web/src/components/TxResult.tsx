import type { TxStatus } from "../api/client";
import { useI18n } from "../i18n";
import { Link } from "../router";

export type TxOutcome = { status: TxStatus } | { error: string } | null;

export function TxResult({ outcome, caseLink }: { outcome: TxOutcome; caseLink?: boolean }) {
  const { t } = useI18n();
  if (!outcome) return null;
  if ("error" in outcome) {
    return (
      <p role="alert" className="error" data-testid="tx-error">
        {t("txFailed")}: {outcome.error}
      </p>
    );
  }
  const { status } = outcome;
  if (status.code !== "OK" || status.state !== "COMMITTED") {
    return (
      <p role="alert" className="error" data-testid="tx-error">
        {t("txFailed")}: {status.code} {status.message}
      </p>
    );
  }
  return (
    <div role="status" className="ok" data-testid="tx-ok">
      <p>
        {t("committed")} {status.height} · {t("record")}: <code data-testid="record-id">{status.recordId}</code>
      </p>
      {caseLink && status.recordId && <Link to={`/cases/${status.recordId}`}>{t("viewCase")}</Link>}
    </div>
  );
}
