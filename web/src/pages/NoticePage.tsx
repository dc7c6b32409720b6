// The administrator's printable review-result notice of one claim: the latest notice sent for it
// and the review it announces, each proved by a bundle the node gives the transactions' signer;
// rendered here, downloadable as a PDF carrying both bundles and a QR code of the notice's.
import { useEffect, useState } from "react";
import { ApiError, api } from "../api/client";
import { hash, type AccountKey } from "../chain/suite";
import { useI18n, type MessageKey } from "../i18n";
import { NeedKey } from "../components/NeedKey";
import { dearmor, trustRootOf, verifyRecordBundle } from "../proof/bundle";
import { factsOf, makeNoticePdf, noticeLines, noticeQrDataUrl, yuan, type NoticeFacts } from "../proof/notice";
import { useSession } from "../session";

type Loaded = { facts: NoticeFacts; qr: string; pdfUrl: string; lines: string[]; payload: string };

// The hash of the transaction of `action` on `claimId` in block `height`.
async function findTx(height: string, action: "sendReviewNotice" | "reviewClaim", claimId: string): Promise<string> {
  const block = await api.block(height);
  for (const h of block.txHashes ?? []) {
    const status = await api.tx(h);
    const body = status.body as Record<string, { claimId?: string } | undefined> | undefined;
    if (body?.[action]?.claimId === claimId) return h;
  }
  throw new Error(`no ${action} of claim ${claimId} in block ${height}`);
}

export async function loadNotice(key: AccountKey, claimId: string): Promise<Omit<Loaded, "pdfUrl"> & { pdf: Uint8Array }> {
  const history = await api.claimHistory(key, claimId);
  const events = history.events ?? [];
  const noticeAt = events.map((e) => e.kind).lastIndexOf("CLAIM_EVENT_KIND_NOTIFIED");
  if (noticeAt < 0) throw new Error("no review-result notice has been sent for this claim");
  let reviewAt = noticeAt - 1;
  while (reviewAt >= 0 && !["CLAIM_EVENT_KIND_REVIEWED", "CLAIM_EVENT_KIND_RE_REVIEWED"].includes(events[reviewAt].kind ?? "")) {
    reviewAt--;
  }
  if (reviewAt < 0) throw new Error("no review precedes the notice");
  const noticeHash = await findTx(String(events[noticeAt].height), "sendReviewNotice", claimId);
  const reviewHash = await findTx(String(events[reviewAt].height), "reviewClaim", claimId);
  const [noticeProof, reviewProof, genesis] = await Promise.all([
    api.txProof(key, noticeHash),
    api.txProof(key, reviewHash),
    api.genesis(),
  ]);
  const root = trustRootOf(genesis);
  const bundles = { notice: noticeProof.armored ?? "", review: reviewProof.armored ?? "" };
  const facts = factsOf(
    root,
    verifyRecordBundle(dearmor(bundles.review), root),
    verifyRecordBundle(dearmor(bundles.notice), root),
    (body) => hash(root.suite, body),
  );
  return {
    facts,
    qr: await noticeQrDataUrl(bundles.notice),
    lines: noticeLines(facts),
    payload: bundles.notice,
    pdf: await makeNoticePdf(facts, bundles),
  };
}

export function NoticePage({ claimId }: { claimId: string }) {
  const { t } = useI18n();
  const { unlocked } = useSession();
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!unlocked) return;
    let url = "";
    setLoaded(null);
    setError(null);
    loadNotice(unlocked.key, claimId).then(
      ({ pdf, ...rest }) => {
        url = URL.createObjectURL(new Blob([pdf as BlobPart], { type: "application/pdf" }));
        setLoaded({ ...rest, pdfUrl: url });
      },
      (e: unknown) => setError(e instanceof ApiError ? `${e.code}: ${e.message}` : String(e instanceof Error ? e.message : e)),
    );
    return () => {
      if (url) URL.revokeObjectURL(url);
    };
  }, [unlocked, claimId]);

  if (!unlocked) return <NeedKey title={t("noticeTitle")} />;
  return (
    <section aria-labelledby="notice-title" className="notice">
      <h1 id="notice-title">{t("noticeTitle")}</h1>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {!loaded && !error && <p role="status">{t("loading")}</p>}
      {loaded && (
        <>
          <dl>
            <dt>{t("claimIdLabel")}</dt>
            <dd>
              <code>{loaded.facts.claimId}</code>
            </dd>
            <dt>{t("noticeObjectionUntil")}</dt>
            <dd>
              {loaded.facts.objectionDeadlineMs > 0n
                ? new Date(Number(loaded.facts.objectionDeadlineMs)).toLocaleString()
                : t("reReviewResult")}
            </dd>
          </dl>
          <table data-testid="notice-components">
            <caption>{t("reviewResult")}</caption>
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">{t("noticeConfirmedYuan")}</th>
                <th scope="col">{t("ranking")}</th>
                <th scope="col">{t("reasonLabel")}</th>
              </tr>
            </thead>
            <tbody>
              {loaded.facts.components.map((c) => (
                <tr key={c.index}>
                  <td>{c.index + 1}</td>
                  <td>{yuan(c.confirmedFen)}</td>
                  <td>{t(`ranking_${c.ranking}` as MessageKey)}</td>
                  <td>{c.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {loaded.facts.reasons && (
            <p>
              {t("reasonLabel")}: {loaded.facts.reasons}
            </p>
          )}
          <p>
            {t("noticeTx")}: <code data-testid="notice-tx">{loaded.facts.noticeTxHash}</code>
          </p>
          <figure>
            <img src={loaded.qr} alt={t("noticeQrAlt")} width={260} height={260} data-testid="notice-qr" />
            <figcaption>{t("noticeQrCaption")}</figcaption>
          </figure>
          <details>
            <summary>{t("noticePdfText")}</summary>
            <pre data-testid="notice-lines">{loaded.lines.join("\n")}</pre>
          </details>
          <details>
            <summary>{t("noticePayload")}</summary>
            <pre data-testid="notice-payload">{loaded.payload}</pre>
          </details>
          <p className="row no-print">
            <a href={loaded.pdfUrl} download={`notice-${loaded.facts.claimId}.pdf`} data-testid="notice-pdf">
              {t("downloadPdf")}
            </a>
            <button type="button" onClick={() => window.print()}>
              {t("printNotice")}
            </button>
          </p>
        </>
      )}
    </section>
  );
}
