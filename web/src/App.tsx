import { useI18n, type Lang } from "./i18n";
import { CasePage } from "./pages/CasePage";
import { AdministratorPage } from "./pages/AdministratorPage";
import { CourtPage } from "./pages/CourtPage";
import { CreditorPage } from "./pages/CreditorPage";
import { DashboardPage } from "./pages/DashboardPage";
import { DepartmentPage } from "./pages/DepartmentPage";
import { ExplorerPage } from "./pages/ExplorerPage";
import { KeysPage } from "./pages/KeysPage";
import { NoticePage } from "./pages/NoticePage";
import { PortalPage } from "./pages/PortalPage";
import { Link, useRouter } from "./router";
import { useSession } from "./session";

function Page() {
  const { path } = useRouter();
  const pathname = path.split("?")[0];
  const caseMatch = /^\/cases\/([0-9a-f]{32})$/.exec(pathname);
  if (caseMatch) return <CasePage id={caseMatch[1]} />;
  const noticeMatch = /^\/notices\/claim\/([0-9a-f]{32})$/.exec(pathname);
  if (noticeMatch) return <NoticePage claimId={noticeMatch[1]} />;
  if (pathname === "/keys") return <KeysPage />;
  if (pathname === "/court") return <CourtPage />;
  if (pathname === "/administrator") return <AdministratorPage />;
  if (pathname === "/creditor") return <CreditorPage />;
  if (pathname === "/explorer") return <ExplorerPage />;
  if (pathname === "/dashboard") return <DashboardPage />;
  if (pathname === "/department") return <DepartmentPage />;
  return <PortalPage />;
}

export function App() {
  const { t, lang, setLang } = useI18n();
  const { unlocked } = useSession();
  return (
    <>
      <header>
        <span className="brand">{t("appTitle")}</span>
        <nav aria-label="main">
          <Link to="/">{t("navPortal")}</Link>
          <Link to="/keys">{t("navKeys")}</Link>
          <Link to="/court">{t("navCourt")}</Link>
          <Link to="/administrator">{t("navAdministrator")}</Link>
          <Link to="/creditor">{t("navCreditor")}</Link>
          <Link to="/explorer">{t("navExplorer")}</Link>
          <Link to="/department">{t("navDepartment")}</Link>
          <Link to="/dashboard">{t("navDashboard")}</Link>
        </nav>
        <span className="who" data-testid="who">
          {unlocked ? `${t("unlocked")}: ${unlocked.name}` : ""}
        </span>
        <label htmlFor="lang">{t("language")}</label>
        <select id="lang" value={lang} onChange={(e) => setLang(e.target.value as Lang)}>
          <option value="zh-CN">中文</option>
          <option value="en">English</option>
        </select>
      </header>
      <main>
        <Page />
      </main>
    </>
  );
}
