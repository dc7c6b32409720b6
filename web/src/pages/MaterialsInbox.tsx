// The materials of a declared claim, as the administrator's declaration inbox shows them: each
// file downloaded with a signed read and decrypted in the browser with the encryption key derived
// from the unlocked account key, then offered for download (and shown, for text and images).
import { useEffect, useState } from "react";
import { api, type Claim } from "../api/client";
import type { AccountKey } from "../chain/suite";
import { useI18n } from "../i18n";
import { declarationMaterialAad, openMaterial, type AttachmentJson } from "../materials/materials";

interface Opened {
  url: string;
  text?: string;
}

function Material({ claim, index, attachment, seed, accountId }: {
  claim: Claim;
  index: number;
  attachment: AttachmentJson;
  seed: AccountKey;
  accountId: string;
}) {
  const { t } = useI18n();
  const [opened, setOpened] = useState<Opened | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => () => {
    if (opened) URL.revokeObjectURL(opened.url);
  }, [opened]);
  const mediaType = attachment.mediaType || "application/octet-stream";
  const decrypt = async () => {
    setBusy(true);
    setError(null);
    try {
      const plaintext = await openMaterial(seed, accountId, attachment, declarationMaterialAad(claim.creditorId ?? "", index));
      const url = URL.createObjectURL(new Blob([plaintext as BlobPart], { type: mediaType }));
      setOpened({ url, text: mediaType.startsWith("text/") ? new TextDecoder().decode(plaintext) : undefined });
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
    setBusy(false);
  };
  const name = attachment.name || `material-${index + 1}`;
  return (
    <li className="card" data-testid="material">
      <p>
        <strong>{name}</strong> · {mediaType} · {attachment.size} {t("bytes")}
      </p>
      {!opened && (
        <button type="button" onClick={() => void decrypt()} disabled={busy} aria-label={`${t("decrypt")} ${name}`}>
          {busy ? t("decrypting") : t("decrypt")}
        </button>
      )}
      {error && (
        <p role="alert" className="error" data-testid="material-error">
          {t("decryptFailed")}: {error}
        </p>
      )}
      {opened && (
        <>
          <a href={opened.url} download={name} data-testid="material-download">
            {t("download")} {name}
          </a>
          {opened.text !== undefined && <pre data-testid="material-text">{opened.text}</pre>}
          {mediaType.startsWith("image/") && <img src={opened.url} alt={name} style={{ maxWidth: "100%" }} />}
        </>
      )}
    </li>
  );
}

// `hideEmpty`: nothing at all for a claim without materials (the creditor's own claim list).
export function MaterialsInbox({ claim, seed, hideEmpty = false }: { claim: Claim; seed: AccountKey; hideEmpty?: boolean }) {
  const { t } = useI18n();
  const [accountId, setAccountId] = useState("");
  useEffect(() => {
    api.me(seed).then((a) => setAccountId(a.id ?? ""), () => setAccountId(""));
  }, [seed]);
  const attachments = ((claim.declaration as { attachments?: AttachmentJson[] } | undefined)?.attachments ?? []);
  if (hideEmpty && attachments.length === 0) return null;
  return (
    <section aria-label={t("materialsInbox")} data-testid="materials-inbox">
      <h4>{t("materialsInbox")}</h4>
      {attachments.length === 0 ? (
        <p>{t("noMaterials")}</p>
      ) : (
        <ul className="plain">
          {attachments.map((a, i) => (
            <Material key={i} claim={claim} index={i} attachment={a} seed={seed} accountId={accountId} />
          ))}
        </ul>
      )}
    </section>
  );
}
