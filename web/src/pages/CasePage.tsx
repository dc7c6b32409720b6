import { useEffect, useState } from "react";
import { MotionTally } from "./Meetings";
import { ApiError, api, type Case, type MeetingList, type RecruitmentList } from "../api/client";
import { enumLabel, useI18n, type MessageKey } from "../i18n";
import { formatChinaTime } from "../validation";
import { LiveIndicator, useLiveEvents } from "../live/events";

function formatMs(ms: string | undefined): string | null {
  return formatChinaTime(ms) || null;
}

export function CasePage({ id }: { id: string }) {
  const { t } = useI18n();
  const [record, setRecord] = useState<Case | null>(null);
  const [meetings, setMeetings] = useState<MeetingList | null>(null);
  const [recruitments, setRecruitments] = useState<RecruitmentList | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  // The case's public events (acceptance, appointment, periods, meetings, termination) refresh it.
  const live = useLiveEvents({ caseId: id }, () => setVersion((v) => v + 1));

  useEffect(() => {
    if (version === 0) setRecord(null);
    setError(null);
    api.getCase(id).then(setRecord, (e: unknown) =>
      setError(e instanceof ApiError && e.code === "NOT_FOUND" ? t("caseNotFound") : String(e)),
    );
    api.caseMeetings(id).then(setMeetings, () => setMeetings(null));
    api.caseRecruitments(id).then(setRecruitments, () => setRecruitments(null));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [id, version]);

  if (error) return <p role="alert" className="error">{error}</p>;
  if (!record) return <p role="status">{t("loading")}</p>;
  const procedure = (record.procedure ?? "").replace("PROCEDURE_", "").toLowerCase();
  const rows: [MessageKey, string][] = [
    ["caseNumber", record.caseNumber ?? ""],
    ["debtorName", record.debtorName ?? ""],
    ["debtorCreditCode", record.debtorCreditCode ?? ""],
    ["procedure", t(`procedure_${procedure}` as MessageKey)],
    ["acceptanceDate", record.acceptanceDate ?? ""],
    ["court", record.courtOrgId ?? ""],
    ["administrator", record.administratorOrgId || t("notAppointed")],
    ["claimPeriodEnd", formatMs(record.claimPeriodEndMs) ?? t("notSet")],
    ["firstMeeting", formatMs(record.firstMeetingMs) ?? t("notSet")],
    ["status", t(`status_${record.status}` as MessageKey)],
  ];
  return (
    <section aria-labelledby="case-title">
      <h1 id="case-title">
        {t("caseTitle")} {record.caseNumber}
        <LiveIndicator state={live} />
      </h1>
      <dl data-testid="case-record">
        {rows.map(([key, value]) => (
          <div key={key} className="dl-row">
            <dt>{t(key)}</dt>
            <dd data-testid={`case-${key}`}>{value}</dd>
          </div>
        ))}
      </dl>
      <h2>{t("meetings")}</h2>
      {meetings?.meetings?.length ? (
        <ul>
          {meetings.meetings.map((m, i) => (
            <li key={m.meeting?.id ?? i} data-testid="case-meeting">
              {enumLabel(t, m.meeting?.kind)} · {formatMs(m.meeting?.startMs)} · {m.meeting?.place}
              <ul>
                {((m.meeting?.motions ?? []) as { id?: string; title?: string }[]).map((motion, k) => (
                  <li key={motion.id ?? k}>
                    {motion.title} · <MotionTally motion={motion} ballots={m.ballotsCast?.[k] ?? 0} />
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      ) : (
        <p>{t("noneYet")}</p>
      )}
      <h2>{t("recruitments")}</h2>
      {recruitments?.notices?.length ? (
        <ul>
          {recruitments.notices.map((n, i) => (
            <li key={n.id ?? i}>
              <strong>{n.title}</strong> · {n.text} · {n.contact}
            </li>
          ))}
        </ul>
      ) : (
        <p>{t("noneYet")}</p>
      )}
    </section>
  );
}
