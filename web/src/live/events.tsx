// Live updates (docs/events.md): a page that shows a case's progress subscribes to
// GET /v1/events with EventSource and refreshes when an event of that case arrives. Anonymous
// pages see public events; with an unlocked key the stream is opened with a token from the signed
// POST /v1/events/token (EventSource cannot sign), so party and case events reach it too. The
// stream starts after the current height (no replay of the ledger). One stream per page: the
// node serves at most 24 at once.
import { useEffect, useRef, useState } from "react";
import { api } from "../api/client";
import type { AccountKey } from "../chain/suite";
import { useI18n } from "../i18n";

// Every event type of docs/events.md: EventSource delivers named events to their listeners only.
export const EVENT_TYPES = [
  "case.accepted", "case.administrator_appointed", "case.claim_period_set", "case.administrator_replaced", "case.terminated",
  "meeting.convened", "motion.added", "motion.closed", "recruitment.published",
  "creditor.listed", "creditor.bound", "notice.sent", "notice.acknowledged",
  "claim.declared", "claim.amended", "claim.withdrawn", "claim.employee_listed", "claim.material_requested", "claim.reviewed",
  "claim.review_notice_sent", "claim.objected", "claim.temporary_amount_set", "claim.transferred", "claim.priority_waived",
  "ballot.cast", "claims.confirmed", "plan.proposed", "distribution.proposed", "plan.approved", "payment.recorded",
] as const;

export interface LiveEvent {
  id?: string;
  type?: string;
  caseId?: string;
  recordId?: string;
}

export type LiveState = "connecting" | "live" | "off";

// The stream's URL: the case filter, a resume point, and the token when there is one.
export function eventsUrl(options: { caseId?: string; after?: string; token?: string }): string {
  const query = new URLSearchParams();
  if (options.caseId) query.set("case", options.caseId);
  if (options.after) query.set("after", options.after);
  if (options.token) query.set("token", options.token);
  const text = query.toString();
  return text ? `/v1/events?${text}` : "/v1/events";
}

// Calls onEvent (debounced to one call per 300 ms) for each event of the case (every event the
// caller may see when caseId is undefined). `enabled` false closes the stream.
export function useLiveEvents(
  options: { caseId?: string; signWith?: AccountKey | null; enabled?: boolean },
  onEvent: (event: LiveEvent) => void,
): LiveState {
  const [state, setState] = useState<LiveState>("off");
  const callback = useRef(onEvent);
  callback.current = onEvent;
  const { caseId, signWith, enabled = true } = options;

  useEffect(() => {
    if (!enabled || typeof EventSource === "undefined") {
      setState("off");
      return;
    }
    let source: EventSource | null = null;
    let closed = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let pending: LiveEvent | null = null;
    setState("connecting");
    const deliver = (e: MessageEvent) => {
      let event: LiveEvent = {};
      try {
        event = JSON.parse(String(e.data)) as LiveEvent;
      } catch {
        return;
      }
      if (caseId && event.caseId && event.caseId !== caseId) return;
      pending = event;
      if (timer === undefined) {
        timer = setTimeout(() => {
          timer = undefined;
          if (pending && !closed) callback.current(pending);
          pending = null;
        }, 300);
      }
    };
    (async () => {
      const after = (await api.health()).height ?? "0";
      const token = signWith ? (await api.eventToken(signWith)).token : undefined;
      if (closed) return;
      source = new EventSource(eventsUrl({ caseId, after, token }));
      source.onopen = () => setState("live");
      source.onerror = () => setState(source?.readyState === EventSource.CLOSED ? "off" : "connecting");
      for (const type of EVENT_TYPES) source.addEventListener(type, deliver as EventListener);
    })().catch(() => setState("off"));
    return () => {
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
      source?.close();
    };
  }, [caseId, signWith, enabled]);
  return state;
}

// The small indicator beside a page's title: announced politely to screen readers when it changes.
export function LiveIndicator({ state }: { state: LiveState }) {
  const { t } = useI18n();
  const live = state === "live";
  return (
    <span role="status" aria-live="polite" className={live ? "live on" : "live"} title={t("liveTitle")} data-testid="live" data-state={state}>
      <span aria-hidden="true">●</span> {live ? t("live") : t("liveOff")}
    </span>
  );
}
