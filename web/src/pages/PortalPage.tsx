import { useEffect, useState, type FormEvent } from "react";
import { ApiError, api, type Case, type OrgList } from "../api/client";
import { useI18n } from "../i18n";
import { Link, useRouter } from "../router";
import { isCreditCodeShape } from "../validation";
import { VerifyDocument } from "./VerifyDocument";

// The administrator firms on courts' rosters (public: GET /v1/orgs).
function AdministratorDirectory() {
  const { t } = useI18n();
  const [orgs, setOrgs] = useState<OrgList["orgs"] | null>(null);
  useEffect(() => {
    api.orgs().then((list) => setOrgs((list.orgs ?? []).filter((o) => o.kind === "ORG_KIND_ADMINISTRATOR_FIRM")), () => setOrgs(null));
  }, []);
  if (!orgs) return null;
  return (
    <section aria-labelledby="dir-title">
      <h2 id="dir-title">{t("dirTitle")}</h2>
      {orgs.length === 0 ? (
        <p>{t("noFirms")}</p>
      ) : (
        <table data-testid="directory">
          <thead>
            <tr>
              <th>{t("firmName")}</th>
              <th>{t("firmId")}</th>
            </tr>
          </thead>
          <tbody>
            {orgs.map((o) => (
              <tr key={o.id}>
                <td>{o.name}</td>
                <td>{o.id}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function PortalPage() {
  const { t } = useI18n();
  const { path, navigate } = useRouter();
  const initial = new URLSearchParams(path.split("?")[1] ?? "").get("q") ?? "";
  const [text, setText] = useState(initial);
  const [cases, setCases] = useState<Case[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const search = async (value: string) => {
    const q = value.trim();
    setError(null);
    if (!isCreditCodeShape(q) && [...q].length < 2) {
      setCases(null);
      setError(t("searchTooShort"));
      return;
    }
    try {
      const list = await api.searchCases(isCreditCodeShape(q) ? { credit_code: q } : { q });
      setCases(list.cases ?? []);
    } catch (e) {
      setCases(null);
      setError(e instanceof ApiError ? `${e.code}: ${e.message}` : String(e));
    }
  };

  useEffect(() => {
    if (initial) void search(initial);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [initial]);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    navigate(`/?q=${encodeURIComponent(text.trim())}`);
    void search(text);
  };

  return (
    <section aria-labelledby="portal-title">
      <h1 id="portal-title">{t("searchTitle")}</h1>
      <form role="search" onSubmit={onSubmit} className="row">
        <label htmlFor="search-q">{t("searchLabel")}</label>
        <input id="search-q" value={text} onChange={(e) => setText(e.target.value)} maxLength={60} />
        <button type="submit">{t("searchButton")}</button>
      </form>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {cases && cases.length === 0 && <p role="status">{t("searchNone")}</p>}
      {cases && cases.length > 0 && (
        <table aria-label={t("searchResults")} data-testid="search-results">
          <thead>
            <tr>
              <th>{t("caseNumber")}</th>
              <th>{t("debtorName")}</th>
              <th>{t("debtorCreditCode")}</th>
              <th>{t("acceptanceDate")}</th>
            </tr>
          </thead>
          <tbody>
            {cases.map((c) => (
              <tr key={c.id}>
                <td>
                  <Link to={`/cases/${c.id}`}>{c.caseNumber}</Link>
                </td>
                <td>{c.debtorName}</td>
                <td>{c.debtorCreditCode}</td>
                <td>{c.acceptanceDate}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <AdministratorDirectory />
      <VerifyDocument />
    </section>
  );
}
