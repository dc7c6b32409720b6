import { useCallback, useEffect, useState, type FormEvent } from "react";
import { ApiError, api, type Account } from "../api/client";
import { useI18n } from "../i18n";
import { KeyImportError, newSeed, seedFromPem } from "../keys/pem";
import {
  PASSWORD_CHARS_MIN,
  WrongPasswordError,
  listKeys,
  openKey,
  saveKey,
  sealKey,
  type StoredKey,
} from "../keys/keystore";
import { useSession } from "../session";

type Mode = "import" | "create";

function AddKeyForm({ mode, onSaved }: { mode: Mode; onSaved: () => void }) {
  const { t } = useI18n();
  const [name, setName] = useState("");
  const [pem, setPem] = useState("");
  const [password, setPassword] = useState("");
  const [repeat, setRepeat] = useState("");
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const prefix = `${mode}-key`;

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setMessage(null);
    if (name.trim() === "") return setMessage({ error: true, text: t("nameRequired") });
    if (password.length < PASSWORD_CHARS_MIN) return setMessage({ error: true, text: t("passwordTooShort") });
    if (password !== repeat) return setMessage({ error: true, text: t("passwordsDiffer") });
    let seed: Uint8Array;
    try {
      seed = mode === "import" ? seedFromPem(pem) : newSeed();
    } catch (e) {
      return setMessage({ error: true, text: e instanceof KeyImportError ? e.message : String(e) });
    }
    setBusy(true);
    try {
      await saveKey(await sealKey(name.trim(), seed, password));
      setMessage({ error: false, text: t("keySaved") });
      setPem("");
      setPassword("");
      setRepeat("");
      onSaved();
    } catch (e) {
      const taken = e instanceof DOMException && e.name === "ConstraintError";
      setMessage({ error: true, text: taken ? t("nameTaken") : String(e) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={onSubmit} aria-labelledby={`${prefix}-title`} className="card">
      <h2 id={`${prefix}-title`}>{mode === "import" ? t("importKey") : t("createKey")}</h2>
      <div className="field">
        <label htmlFor={`${prefix}-name`}>{t("keyName")}</label>
        <input id={`${prefix}-name`} value={name} onChange={(e) => setName(e.target.value)} maxLength={60} />
      </div>
      {mode === "import" && (
        <>
          <div className="field">
            <label htmlFor={`${prefix}-pem`}>{t("pemLabel")}</label>
            <textarea id={`${prefix}-pem`} rows={4} value={pem} onChange={(e) => setPem(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor={`${prefix}-file`}>{t("pemFile")}</label>
            <input
              id={`${prefix}-file`}
              type="file"
              accept=".pem"
              onChange={async (e) => {
                const file = e.target.files?.[0];
                if (file && file.size < 64 * 1024) setPem(await file.text());
              }}
            />
          </div>
        </>
      )}
      <div className="field">
        <label htmlFor={`${prefix}-password`}>{t("password")}</label>
        <input id={`${prefix}-password`} type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor={`${prefix}-repeat`}>{t("passwordRepeat")}</label>
        <input id={`${prefix}-repeat`} type="password" autoComplete="new-password" value={repeat} onChange={(e) => setRepeat(e.target.value)} />
      </div>
      <button type="submit" disabled={busy}>
        {mode === "import" ? t("importButton") : t("createButton")}
      </button>
      {message && (
        <p role={message.error ? "alert" : "status"} className={message.error ? "error" : "ok"}>
          {message.text}
        </p>
      )}
    </form>
  );
}

function UnlockForm({ keys }: { keys: StoredKey[] }) {
  const { t } = useI18n();
  const { unlock } = useSession();
  const [name, setName] = useState(keys[0]?.name ?? "");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!keys.some((k) => k.name === name)) setName(keys[0]?.name ?? "");
  }, [keys, name]);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const record = keys.find((k) => k.name === name);
    if (!record) return;
    setError(null);
    setBusy(true);
    try {
      unlock(record.name, await openKey(record, password));
      setPassword("");
    } catch (e) {
      setError(e instanceof WrongPasswordError ? t("wrongPassword") : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={onSubmit} aria-labelledby="unlock-title" className="card">
      <h2 id="unlock-title">{t("unlockTitle")}</h2>
      <div className="field">
        <label htmlFor="unlock-name">{t("keyName")}</label>
        <select id="unlock-name" value={name} onChange={(e) => setName(e.target.value)}>
          {keys.map((k) => (
            <option key={k.name} value={k.name}>
              {k.name} ({k.publicKeyHex.slice(0, 12)}…)
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="unlock-password">{t("password")}</label>
        <input id="unlock-password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
      </div>
      <button type="submit" disabled={busy}>
        {t("unlock")}
      </button>
      {error && (
        <p role="alert" className="error" data-testid="unlock-error">
          {error}
        </p>
      )}
    </form>
  );
}

function UnlockedAccount() {
  const { t } = useI18n();
  const { unlocked, lock } = useSession();
  const [account, setAccount] = useState<Account | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!unlocked) return;
    setAccount(null);
    setError(null);
    // A signed read: the node learns who asks from the request signature alone.
    api.me(unlocked.seed).then(setAccount, (e: unknown) =>
      setError(e instanceof ApiError && e.code === "UNAUTHENTICATED" ? t("noAccount") : String(e)),
    );
  }, [unlocked, t]);

  if (!unlocked) return null;
  return (
    <section className="card" aria-labelledby="unlocked-title" data-testid="unlocked">
      <h2 id="unlocked-title">
        {t("unlocked")}: {unlocked.name}
      </h2>
      <p>
        {t("publicKey")}: <code>{unlocked.publicKeyHex}</code>
      </p>
      {account && (
        <p data-testid="account">
          {t("account")}: {account.displayName} · {account.orgId} · {t("roles")}: {(account.roles ?? []).join(", ")}
        </p>
      )}
      {error && <p role="alert" className="error">{error}</p>}
      <button type="button" onClick={lock}>
        {t("lock")}
      </button>
    </section>
  );
}

export function KeysPage() {
  const { t } = useI18n();
  const [keys, setKeys] = useState<StoredKey[]>([]);
  const refresh = useCallback(() => {
    listKeys().then(setKeys, () => setKeys([]));
  }, []);
  useEffect(refresh, [refresh]);

  return (
    <section aria-labelledby="keys-title">
      <h1 id="keys-title">{t("keysTitle")}</h1>
      <p>{t("keysIntro")}</p>
      <UnlockedAccount />
      <h2>{t("storedKeys")}</h2>
      {keys.length === 0 ? <p>{t("noKeys")}</p> : <UnlockForm keys={keys} />}
      <div className="grid">
        <AddKeyForm mode="import" onSaved={refresh} />
        <AddKeyForm mode="create" onSaved={refresh} />
      </div>
    </section>
  );
}
