// The dashboard: the seed's figures for one case, live (refreshed every 10 s) — administrator time
// per step and paper and postage saved, from the claim histories the signed-in administrator may
// read; the signed-in account's own response time to the notices it received (a department's
// officer sees the department's). Charts: chart.js.
import { useEffect, useRef, useState, type FormEvent } from "react";
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from "chart.js";
import { ApiError, api } from "../api/client";
import {
  POSTAGE_FEN_PER_NOTICE,
  SHEETS_PER_NOTICE,
  countNotified,
  formatDuration,
  paperSaved,
  responseTimes,
  stepDurations,
  type StepFigure,
} from "../dashboard/figures";
import { NeedKey } from "../components/NeedKey";
import { useI18n, type MessageKey } from "../i18n";
import { yuan } from "../proof/notice";
import { useSession } from "../session";

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip, Legend);

const REFRESH_MS = 10000;

function StepChart({ figures, label }: { figures: StepFigure[]; label: (f: StepFigure) => string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const { t } = useI18n();
  useEffect(() => {
    if (!canvas.current) return;
    const chart = new Chart(canvas.current, {
      type: "bar",
      data: {
        labels: figures.map(label),
        datasets: [{ label: t("dashAverageMinutes"), data: figures.map((f) => f.averageMs / 1000), backgroundColor: "#8b1a1a" }],
      },
      options: { animation: false, responsive: true, maintainAspectRatio: false },
    });
    return () => chart.destroy();
  }, [figures, label, t]);
  return (
    <div style={{ height: 260 }}>
      <canvas ref={canvas} role="img" aria-label={t("dashStepChart")} />
    </div>
  );
}

interface Figures {
  steps: StepFigure[];
  notified: number;
  response: ReturnType<typeof responseTimes>;
  claims: number;
}

export function DashboardPage() {
  const { t } = useI18n();
  const { unlocked } = useSession();
  const [caseId, setCaseId] = useState("");
  const [loaded, setLoaded] = useState("");
  const [figures, setFigures] = useState<Figures | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [updated, setUpdated] = useState<Date | null>(null);

  useEffect(() => {
    if (!unlocked || !loaded) return;
    let stop = false;
    const refresh = async () => {
      try {
        const form = await api.claimForm(unlocked.key, loaded);
        const histories = await Promise.all(
          (form.rows ?? []).map(async (row) => (await api.claimHistory(unlocked.key, row.claimId ?? "")).events ?? []),
        );
        const notices = (await api.myNotices(unlocked.key)).notices ?? [];
        if (stop) return;
        setFigures({ steps: stepDurations(histories), notified: countNotified(histories), response: responseTimes(notices), claims: histories.length });
        setUpdated(new Date());
        setError(null);
      } catch (e) {
        if (!stop) setError(e instanceof ApiError ? `${e.code}: ${e.message}` : String(e));
      }
    };
    void refresh();
    const timer = setInterval(refresh, REFRESH_MS);
    return () => {
      stop = true;
      clearInterval(timer);
    };
  }, [unlocked, loaded]);

  if (!unlocked) return <NeedKey title={t("dashTitle")} />;
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!/^[0-9a-f]{32}$/.test(caseId.trim())) return setError(t("dashCaseIdShape"));
    setFigures(null);
    setLoaded(caseId.trim());
  };
  const stepLabel = (f: StepFigure) => t(`dashStep_${f.step}` as MessageKey);
  const paper = figures ? paperSaved(figures.notified) : null;

  return (
    <section aria-labelledby="dash-title">
      <h1 id="dash-title">{t("dashTitle")}</h1>
      <form onSubmit={onSubmit} className="row">
        <label htmlFor="dash-caseId">{t("caseIdLabel")}</label>
        <input id="dash-caseId" value={caseId} onChange={(e) => setCaseId(e.target.value)} maxLength={32} />
        <button type="submit">{t("dashShow")}</button>
      </form>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {figures && (
        <>
          <p role="status" data-testid="dash-updated">
            {t("dashUpdated", { claims: figures.claims, time: updated?.toLocaleTimeString() ?? "" })}
          </p>
          <h2>{t("dashStepsTitle")}</h2>
          <table data-testid="dash-steps">
            <thead>
              <tr>
                <th scope="col">{t("dashStep")}</th>
                <th scope="col">{t("dashCount")}</th>
                <th scope="col">{t("dashAverage")}</th>
                <th scope="col">{t("dashMax")}</th>
              </tr>
            </thead>
            <tbody>
              {figures.steps.map((f) => (
                <tr key={f.step}>
                  <td>{stepLabel(f)}</td>
                  <td>{f.count}</td>
                  <td>{f.count ? formatDuration(f.averageMs) : "—"}</td>
                  <td>{f.count ? formatDuration(f.maxMs) : "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <StepChart figures={figures.steps} label={stepLabel} />
          <h2>{t("dashResponseTitle")}</h2>
          <p data-testid="dash-response">
            {t("dashResponse", {
              answered: figures.response.answered,
              pending: figures.response.pending,
              average: figures.response.answered ? formatDuration(figures.response.averageMs) : "—",
            })}
          </p>
          <h2>{t("dashPaperTitle")}</h2>
          <p data-testid="dash-paper">
            {t("dashPaper", { notices: paper!.notices, sheets: paper!.sheets, postage: yuan(BigInt(paper!.postageFen)) })}
          </p>
          <p className="muted">
            {t("dashAssumptions", { sheets: SHEETS_PER_NOTICE, postage: yuan(BigInt(POSTAGE_FEN_PER_NOTICE)) })}
          </p>
          <p className="muted">{t("dashComing")}</p>
        </>
      )}
    </section>
  );
}
