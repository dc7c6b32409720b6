// The account page's encryption key: derived from the unlocked account key (src/materials/
// encryptionKey.ts), compared with the one the account published, and published with
// SetEncryptionKey when it differs.
import { useEffect, useMemo, useState } from "react";
import { api, type Account } from "../api/client";
import { toBase64, toHex } from "../chain/bytes";
import { sendForForm } from "../chain/send";
import { TxResult, type TxOutcome } from "../components/TxResult";
import { useI18n } from "../i18n";
import { deriveEncryptionKey } from "../materials/encryptionKey";
import { useSession } from "../session";

export function EncryptionKeySection() {
  const { t } = useI18n();
  const { unlocked } = useSession();
  const [account, setAccount] = useState<Account | null | undefined>(undefined);
  const [outcome, setOutcome] = useState<TxOutcome>(null);
  const [busy, setBusy] = useState(false);
  const derived = useMemo(() => (unlocked ? deriveEncryptionKey(unlocked.key) : null), [unlocked]);

  useEffect(() => {
    if (!unlocked) return;
    setAccount(undefined);
    // No account yet (UNAUTHENTICATED) or no answer: nothing to publish for.
    api.me(unlocked.key).then(setAccount, () => setAccount(null));
  }, [unlocked]);

  if (!unlocked || !derived) return null;
  const published = account?.encryptionKey ?? "";
  const mine = toBase64(derived.publicKey);
  const publish = async () => {
    setBusy(true);
    setOutcome(null);
    const result = await sendForForm(unlocked.key, unlocked.publicKey, { setEncryptionKey: { publicKey: derived.publicKey } });
    setOutcome(result);
    if ("status" in result && result.status.code === "OK") setAccount(await api.me(unlocked.key));
    setBusy(false);
  };

  return (
    <section className="card" aria-labelledby="enc-title" data-testid="encryption-key">
      <h2 id="enc-title">{t("encTitle")}</h2>
      <p>{t("encIntro")}</p>
      <p>
        {t("encPublic")}: <code data-testid="enc-public">{toHex(derived.publicKey)}</code>
      </p>
      {account === null && <p>{t("encNoAccount")}</p>}
      {account && (
        <p role="status" data-testid="enc-state" className={published === mine ? "ok" : ""}>
          {published === mine ? t("encPublished") : published === "" ? t("encNotPublished") : t("encDifferent")}
        </p>
      )}
      {account && published !== mine && (
        <button type="button" onClick={() => void publish()} disabled={busy} data-testid="enc-publish">
          {busy ? t("submitting") : t("encPublish")}
        </button>
      )}
      <TxResult outcome={outcome} />
    </section>
  );
}
