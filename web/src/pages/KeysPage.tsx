import { EncryptionKeySection } from "./EncryptionKeySection";
import { useCallback, useEffect, useState, type FormEvent } from "react";
import { ApiError, api, type Account } from "../api/client";
import { useI18n } from "../i18n";
import { KeyImportError, keyFromPem, newKey } from "../keys/pem";
import { suiteOfHealth, type AccountKey, type SuiteName } from "../chain/suite";
import {
  PASSWORD_CHARS_MIN,
  WrongPasswordError,
  listKeys,
  openKey,
  saveKey,
  sealKey,
  suiteOf,
  type StoredKey,
} from "../keys/keystore";
import { useSession } from "../session";

type Mode = "import" | "create";

const IMPORT_ERROR = {
  "encrypted-pem": "importEncryptedPem",
  "not-pem": "importNotPem",
  "unsupported-key": "importUnsupportedKey",
} as const;

// The network's suite (genesis), from GET /v1/health; null until known or when unreachable.
function useNetworkSuite(): SuiteName | null {
  const [suite, setSuite] = useState<SuiteName | null>(null);
  useEffect(() => {
    api.health().then((h) => setSuite(suiteOfHealth(h.suite)), () => setSuite(null));
  }, []);
  return suite;
}

function AddKeyForm({ mode, onSaved, networkSuite }: { mode: Mode; onSaved: () => void; networkSuite: SuiteName | null }) {
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
    let key: AccountKey;
    try {
      // A new key is of the network's suite; an imported key's suite is its type.
      key = mode === "import" ? keyFromPem(pem) : newKey(networkSuite ?? "intl");
    } catch (e) {
      return setMessage({ error: true, text: e instanceof KeyImportError ? t(IMPORT_ERROR[e.code]) : String(e) });
    }
    if (networkSuite && key.suite !== networkSuite) {
      return setMessage({ error: true, text: t("wrongSuite", { key: key.suite, network: networkSuite }) });
    }
    setBusy(true);
    try {
      await saveKey(await sealKey(name.trim(), key, password));
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
      {networkSuite && (
        <p data-testid={`${prefix}-suite`}>
          {t("networkSuite")}: {networkSuite === "sm" ? t("suiteSm") : t("suiteIntl")}
        </p>
      )}
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
              {k.name} ({suiteOf(k)}, {k.publicKeyHex.slice(0, 12)}…)
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
    api.me(unlocked.key).then(setAccount, (e: unknown) =>
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
        {t("suite")}: {unlocked.key.suite === "sm" ? t("suiteSm") : t("suiteIntl")} · {t("publicKey")}:{" "}
        <code>{unlocked.publicKeyHex}</code>
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
  const networkSuite = useNetworkSuite();

  return (
    <section aria-labelledby="keys-title">
      <h1 id="keys-title">{t("keysTitle")}</h1>
      <p>{t("keysIntro")}</p>
      <UnlockedAccount />
      <EncryptionKeySection />
      <h2>{t("storedKeys")}</h2>
      {keys.length === 0 ? <p>{t("noKeys")}</p> : <UnlockForm keys={keys} />}
      <div className="grid">
        <AddKeyForm mode="import" onSaved={refresh} networkSuite={networkSuite} />
        <AddKeyForm mode="create" onSaved={refresh} networkSuite={networkSuite} />
      </div>
    </section>
  );
}
