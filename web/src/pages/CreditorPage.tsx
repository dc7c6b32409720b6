import { useState } from "react";
import { sendForForm } from "../chain/send";
import { TxResult, type TxOutcome } from "../components/TxResult";
import { enumLabel, useI18n } from "../i18n";
import { useSession } from "../session";
import { useMyRecords } from "./useMyRecords";
import { NeedKey } from "../components/NeedKey";
import { fenToYuan, formatChinaTime } from "../validation";
import { DeclareForm } from "./DeclareForm";
import { MaterialsInbox } from "./MaterialsInbox";
import { prepareDeclarationMaterials } from "../materials/declare";
import { ObjectForm } from "./ObjectForm";
import { VotePanel } from "./Meetings";
import { LiveIndicator, useLiveEvents } from "../live/events";

export function CreditorPage() {
  const { t } = useI18n();
  const { unlocked } = useSession();
  const { account, notices, claims, error, refresh } = useMyRecords(unlocked);
  const [outcome, setOutcome] = useState<TxOutcome>(null);
  // Notices served on this account and its claims' reviews arrive as party events.
  const live = useLiveEvents({ signWith: unlocked?.key, enabled: !!unlocked }, () => void refresh());

  if (!unlocked) return <NeedKey title={t("creditorTitle")} />;
  const acknowledge = async (noticeId: string) => {
    setOutcome(null);
    setOutcome(await sendForForm(unlocked.key, unlocked.publicKey, { acknowledgeNotice: { noticeId } }));
    await refresh();
  };

  return (
    <section aria-labelledby="creditor-page-title">
      <h1 id="creditor-page-title">
        {t("creditorTitle")}
        <LiveIndicator state={live} />
      </h1>
      {account && (
        <p>
          {t("myAccountId")}: <code data-testid="my-account-id">{account.id}</code> · {account.displayName}
        </p>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <h2>{t("myNotices")}</h2>
      {notices?.notices?.length ? (
        <ul className="plain" data-testid="notices">
          {notices.notices.map((n) => (
            <li key={n.id} className="card">
              <p>
                <strong>{enumLabel(t, n.kind)}</strong> · {n.text}
              </p>
              <p>
                {t("deadline")}: {formatChinaTime(n.deadlineMs)}
              </p>
              {n.acknowledgedHeight && n.acknowledgedHeight !== "0" ? (
                <p className="ok" data-testid="acknowledged">
                  {t("acknowledged")} {n.acknowledgedHeight}
                </p>
              ) : (
                <button type="button" onClick={() => void acknowledge(n.id ?? "")}>
                  {t("acknowledge")}
                </button>
              )}
            </li>
          ))}
        </ul>
      ) : (
        <p>{t("noNotices")}</p>
      )}
      <TxResult outcome={outcome} />
      {claims?.creditors?.map((c) => (
        <DeclareForm
          key={c.id}
          creditorId={c.id ?? ""}
          creditorName={c.name ?? ""}
          idNumber={c.idNumber ?? ""}
          onSubmit={async (action) => {
            const result = await sendForForm(unlocked.key, unlocked.publicKey, action);
            await refresh();
            return result;
          }}
          prepareMaterials={(creditorId, files) =>
            prepareDeclarationMaterials(
              t,
              unlocked.key,
              account ?? {},
              (notices?.notices ?? []).filter((n) => n.creditorId === creditorId).map((n) => n.senderAccountId ?? ""),
              creditorId,
              files,
            )
          }
        />
      ))}
      {claims?.claims
        ?.filter((c) => c.status === "CLAIM_STATUS_NOTIFIED" && Number(c.objectionDeadlineMs ?? 0) > Date.now())
        .map((c) => (
          <ObjectForm
            key={c.id}
            claimId={c.id ?? ""}
            creditorId={c.creditorId ?? ""}
            deadlineMs={c.objectionDeadlineMs}
            onSubmit={async (action) => {
              const result = await sendForForm(unlocked.key, unlocked.publicKey, action);
              await refresh();
              return result;
            }}
          />
        ))}
      {claims?.creditors?.map((c) => (
        <VotePanel
          key={`vote-${c.id}`}
          caseId={c.caseId ?? ""}
          creditorId={c.id ?? ""}
          send={(action) => sendForForm(unlocked.key, unlocked.publicKey, action)}
        />
      ))}
      <h2>{t("myClaims")}</h2>
      {claims?.claims?.length ? (
        <ul>
          {claims.claims.map((c) => (
            <li key={c.id} data-testid="my-claim">
              <code>{c.id}</code> · {enumLabel(t, c.status)} · {fenToYuan(c.declaredTotal)}
              <MaterialsInbox claim={c} seed={unlocked.key} hideEmpty />
            </li>
          ))}
        </ul>
      ) : (
        <p>{t("noClaims")}</p>
      )}
    </section>
  );
}
