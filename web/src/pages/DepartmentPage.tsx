// A department's officer (tax bureau, market regulator, …): the notices served on the department
// as a creditor of a case (acknowledged here, which the dashboard counts as its response), and the
// department's claims. Data requests, grants, the access log and adapter status need routes this
// node does not serve yet; they are shown as coming, with no data made up.
import { useState } from "react";
import { sendForForm } from "../chain/send";
import { NeedKey } from "../components/NeedKey";
import { TxResult, type TxOutcome } from "../components/TxResult";
import { enumLabel, useI18n } from "../i18n";
import { useSession } from "../session";
import { useMyRecords } from "./useMyRecords";
import { fenToYuan, formatChinaTime } from "../validation";

export function DepartmentPage() {
  const { t } = useI18n();
  const { unlocked } = useSession();
  const { account, notices, claims, error, refresh } = useMyRecords(unlocked);
  const [outcome, setOutcome] = useState<TxOutcome>(null);

  if (!unlocked) return <NeedKey title={t("deptTitle")} />;
  const isOfficer = account?.roles?.includes("ROLE_DEPARTMENT_OFFICER") ?? false;
  const acknowledge = async (noticeId: string) => {
    setOutcome(await sendForForm(unlocked.key, unlocked.publicKey, { acknowledgeNotice: { noticeId } }));
    await refresh();
  };

  return (
    <section aria-labelledby="dept-title">
      <h1 id="dept-title">{t("deptTitle")}</h1>
      {account && (
        <p data-testid="dept-account">
          {account.displayName} · {t("deptOrg")}: <code>{account.orgId}</code>
        </p>
      )}
      {account && !isOfficer && (
        <p role="alert" className="error">
          {t("deptNotOfficer")}
        </p>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <h2>{t("deptNotices")}</h2>
      {notices?.notices?.length ? (
        <table data-testid="dept-notices">
          <thead>
            <tr>
              <th scope="col">{t("deptNoticeKind")}</th>
              <th scope="col">{t("deptNoticeText")}</th>
              <th scope="col">{t("deptSent")}</th>
              <th scope="col">{t("deadline")}</th>
              <th scope="col">{t("deptAnswer")}</th>
            </tr>
          </thead>
          <tbody>
            {notices.notices.map((n) => (
              <tr key={n.id}>
                <td>{enumLabel(t, n.kind)}</td>
                <td>{n.text}</td>
                <td>{formatChinaTime(n.sentTimeMs)}</td>
                <td>{formatChinaTime(n.deadlineMs)}</td>
                <td>
                  {n.acknowledgedHeight && n.acknowledgedHeight !== "0" ? (
                    <span className="ok" data-testid="dept-acknowledged">
                      {t("deptAnswered", { time: formatChinaTime(n.acknowledgedTimeMs) })}
                    </span>
                  ) : (
                    <button type="button" onClick={() => void acknowledge(n.id ?? "")}>
                      {t("acknowledge")}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>{t("noNotices")}</p>
      )}
      <TxResult outcome={outcome} />
      <h2>{t("deptClaims")}</h2>
      {claims?.claims?.length ? (
        <ul data-testid="dept-claims">
          {claims.claims.map((c) => (
            <li key={c.id}>
              <code>{c.id}</code> · {enumLabel(t, c.status)} · {fenToYuan(c.declaredTotal)}
            </li>
          ))}
        </ul>
      ) : (
        <p>{t("deptNoClaims")}</p>
      )}
      <h2>{t("deptComingTitle")}</h2>
      <ul data-testid="dept-coming">
        <li>{t("deptComingRequests")}</li>
        <li>{t("deptComingGrants")}</li>
        <li>{t("deptComingAccessLog")}</li>
        <li>{t("deptComingAdapter")}</li>
      </ul>
    </section>
  );
}
