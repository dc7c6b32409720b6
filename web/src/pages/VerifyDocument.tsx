// "Verify a document" of the public portal: a review-result notice's PDF, or the payload of its
// QR code pasted as text, checked in this browser against the genesis validators the node
// publishes (GET /v1/genesis): certificate, inclusion in the ledger, and — for a PDF — that the
// printed text is the one the proved transactions give.
import { useState, type FormEvent } from "react";
import { api } from "../api/client";
import { hash } from "../chain/suite";
import { useI18n } from "../i18n";
import { BundleError, trustRootOf } from "../proof/bundle";
import { verifyNoticePayload, verifyNoticePdf, yuan } from "../proof/notice";

const PDF_BYTES_MAX = 4 * 1024 * 1024;

type Verdict = { ok: true; lines: string[] } | { ok: false; reason: string };

export function VerifyDocument() {
  const { t } = useI18n();
  const [file, setFile] = useState<File | null>(null);
  const [payload, setPayload] = useState("");
  const [verdict, setVerdict] = useState<Verdict | null>(null);
  const [busy, setBusy] = useState(false);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setVerdict(null);
    if (!file && payload.trim() === "") return setVerdict({ ok: false, reason: t("verifyNothing") });
    if (file && file.size > PDF_BYTES_MAX) return setVerdict({ ok: false, reason: t("verifyTooLarge") });
    setBusy(true);
    try {
      const root = trustRootOf(await api.genesis());
      if (file) {
        const v = await verifyNoticePdf(new Uint8Array(await file.arrayBuffer()), root, (body) => hash(root.suite, body));
        const total = v.facts.components.reduce((sum, c) => sum + c.confirmedFen, 0n);
        setVerdict({
          ok: true,
          lines: [
            t("verifiedNotice", { claim: v.facts.claimId, total: yuan(total) }),
            t("verifiedAt", { height: v.notice.height.toString(), tx: v.facts.noticeTxHash }),
          ],
        });
      } else {
        const v = verifyNoticePayload(payload, root);
        setVerdict({
          ok: true,
          lines: [
            t("verifiedPayload", { claim: v.claimId }),
            t("verifiedAt", { height: v.notice.height.toString(), tx: "" }),
          ],
        });
      }
    } catch (e) {
      const reason = e instanceof BundleError ? `${e.code}: ${e.message}` : String(e instanceof Error ? e.message : e);
      setVerdict({ ok: false, reason });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={onSubmit} aria-labelledby="verify-title" className="card">
      <h2 id="verify-title">{t("verifyTitle")}</h2>
      <p>{t("verifyIntro")}</p>
      <div className="field">
        <label htmlFor="verify-file">{t("verifyFile")}</label>
        <input
          id="verify-file"
          type="file"
          accept="application/pdf,.pdf"
          onChange={(e) => {
            setFile(e.target.files?.[0] ?? null);
            setVerdict(null);
          }}
        />
      </div>
      <div className="field">
        <label htmlFor="verify-payload">{t("verifyPayload")}</label>
        <textarea id="verify-payload" rows={4} value={payload} onChange={(e) => setPayload(e.target.value)} />
      </div>
      <button type="submit" disabled={busy}>
        {t("verifyButton")}
      </button>
      {verdict?.ok && (
        <div role="status" className="ok" data-testid="verify-result" data-ok="true">
          <p>
            <strong>{t("verifyValid")}</strong>
          </p>
          {verdict.lines.map((line) => (
            <p key={line}>{line}</p>
          ))}
        </div>
      )}
      {verdict && !verdict.ok && (
        <div role="alert" className="error" data-testid="verify-result" data-ok="false">
          <p>
            <strong>{t("verifyInvalid")}</strong>
          </p>
          <p>{verdict.reason}</p>
        </div>
      )}
    </form>
  );
}
