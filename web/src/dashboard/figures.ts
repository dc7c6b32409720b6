// The seed's figures, computed from what the chain records (block times), not from the clock:
// - administrator time per step: for each claim of a case, the block time between the events of
//   its history (declared → reviewed, reviewed → notified, objected → re-reviewed);
// - response time of a notice's recipient (a department answering a claim notice, a creditor):
//   the block time from the notice to its acknowledgement, from GET /v1/me/notices;
// - paper and postage saved: review-result notices (and re-review results) served on the chain
//   instead of by registered mail, at the documented assumptions below.
export const STEPS = [
  { key: "declaredToReviewed", from: ["CLAIM_EVENT_KIND_DECLARED"], to: "CLAIM_EVENT_KIND_REVIEWED" },
  { key: "reviewedToNotified", from: ["CLAIM_EVENT_KIND_REVIEWED", "CLAIM_EVENT_KIND_RE_REVIEWED"], to: "CLAIM_EVENT_KIND_NOTIFIED" },
  { key: "objectedToReReviewed", from: ["CLAIM_EVENT_KIND_OBJECTED"], to: "CLAIM_EVENT_KIND_RE_REVIEWED" },
] as const;
export type StepKey = (typeof STEPS)[number]["key"];

// Assumptions per paper notice (documented in web/README.md): a notice on paper is two A4 sheets
// and one envelope, sent by domestic registered letter.
export const SHEETS_PER_NOTICE = 2;
export const POSTAGE_FEN_PER_NOTICE = 2200; // CNY 22.00, registered letter with return receipt

export interface HistoryEvent {
  kind?: string;
  timeMs?: string | number;
}

export interface StepFigure {
  step: StepKey;
  count: number;
  averageMs: number;
  maxMs: number;
}

// Each occurrence of a step: from the latest `from` event to the next `to` event.
export function stepDurations(histories: HistoryEvent[][]): StepFigure[] {
  return STEPS.map(({ key, from, to }) => {
    const durations: number[] = [];
    for (const events of histories) {
      let startMs: number | null = null;
      for (const e of events) {
        const at = Number(e.timeMs ?? 0);
        if ((from as readonly string[]).includes(e.kind ?? "")) startMs = at;
        else if (e.kind === to && startMs !== null) {
          durations.push(at - startMs);
          startMs = null;
        }
      }
    }
    const total = durations.reduce((a, b) => a + b, 0);
    return {
      step: key,
      count: durations.length,
      averageMs: durations.length ? total / durations.length : 0,
      maxMs: durations.length ? Math.max(...durations) : 0,
    };
  });
}

export interface NoticeTimes {
  kind?: string;
  sentTimeMs?: string | number;
  acknowledgedTimeMs?: string | number;
}

export function responseTimes(notices: NoticeTimes[]): { answered: number; pending: number; averageMs: number } {
  const answered = notices.filter((n) => Number(n.acknowledgedTimeMs ?? 0) > 0);
  const total = answered.reduce((sum, n) => sum + Number(n.acknowledgedTimeMs) - Number(n.sentTimeMs ?? 0), 0);
  return {
    answered: answered.length,
    pending: notices.length - answered.length,
    averageMs: answered.length ? total / answered.length : 0,
  };
}

// Notices served on the chain instead of on paper.
export function paperSaved(notices: number): { notices: number; sheets: number; postageFen: number } {
  return { notices, sheets: notices * SHEETS_PER_NOTICE, postageFen: notices * POSTAGE_FEN_PER_NOTICE };
}

export function countNotified(histories: HistoryEvent[][]): number {
  return histories.reduce((n, events) => n + events.filter((e) => e.kind === "CLAIM_EVENT_KIND_NOTIFIED").length, 0);
}

export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 120) return `${s} s`;
  const m = Math.round(s / 60);
  if (m < 120) return `${m} min`;
  const h = m / 60;
  return h < 48 ? `${h.toFixed(1)} h` : `${(h / 24).toFixed(1)} d`;
}
