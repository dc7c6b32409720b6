// The public explorer: the latest blocks and a transaction's status by hash.
import { useEffect, useState, type FormEvent } from "react";
import { ApiError, api, type BlockView, type TxStatus } from "../api/client";
import { Field } from "../components/Field";
import { useI18n } from "../i18n";
import { formatChinaTime, type FieldError } from "../validation";

const BLOCKS_SHOWN = 10;

export function ExplorerPage() {
  const { t } = useI18n();
  const [blocks, setBlocks] = useState<BlockView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [hash, setHash] = useState("");
  const [hashError, setHashError] = useState<FieldError | undefined>();
  const [tx, setTx] = useState<TxStatus | null>(null);

  useEffect(() => {
    (async () => {
      try {
        const latest = await api.latestBlock();
        const top = BigInt(latest.header?.height ?? "0");
        const older: BlockView[] = [latest];
        for (let h = top - 1n; h >= 1n && older.length < BLOCKS_SHOWN; h--) older.push(await api.block(h.toString()));
        setBlocks(older);
      } catch (e) {
        setError(e instanceof ApiError ? `${e.code}: ${e.message}` : String(e));
      }
    })();
  }, []);

  const lookup = async (event: FormEvent) => {
    event.preventDefault();
    const ok = /^[0-9a-f]{64}$/i.test(hash);
    setHashError(ok ? undefined : { key: "err_hash" });
    setTx(null);
    if (!ok) return;
    try {
      setTx(await api.tx(hash.toLowerCase()));
    } catch (e) {
      setError(e instanceof ApiError ? `${e.code}: ${e.message}` : String(e));
    }
  };

  return (
    <section aria-labelledby="explorer-title">
      <h1 id="explorer-title">{t("explorerTitle")}</h1>
      <form onSubmit={lookup} noValidate className="row">
        <Field id="tx-hash" label={t("txLookup")} error={hashError}>
          {(props) => <input {...props} size={66} value={hash} onChange={(e) => setHash(e.target.value.trim())} />}
        </Field>
        <button type="submit">{t("txLookupButton")}</button>
      </form>
      {tx && (
        <p data-testid="tx-status">
          {t("txState")}: {tx.state} · {t("height")} {tx.height} · {tx.code} {tx.message} · {t("record")}: <code>{tx.recordId}</code>
        </p>
      )}
      {error && <p role="alert" className="error">{error}</p>}
      {blocks && (
        <table data-testid="blocks">
          <thead>
            <tr>
              <th>{t("height")}</th>
              <th>{t("blockTime")}</th>
              <th>{t("txCount")}</th>
              <th>{t("blockHash")}</th>
            </tr>
          </thead>
          <tbody>
            {blocks.map((b) => (
              <tr key={b.hash}>
                <td>{b.header?.height}</td>
                <td>{formatChinaTime(b.header?.timeMs)}</td>
                <td>{b.header?.txCount ?? 0}</td>
                <td>
                  <code>{b.hash}</code>
                  {(b.txHashes ?? []).map((h) => (
                    <div key={h}>
                      <button type="button" className="link" onClick={() => setHash(h)}>
                        {h}
                      </button>
                    </div>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
