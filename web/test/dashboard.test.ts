// The dashboard's figures from claim histories and notices (block times).
import { describe, expect, it } from "vitest";
import { countNotified, formatDuration, paperSaved, responseTimes, stepDurations } from "../src/dashboard/figures";

const history = (...events: [string, number][]) => events.map(([kind, timeMs]) => ({ kind: `CLAIM_EVENT_KIND_${kind}`, timeMs: String(timeMs) }));

describe("dashboard figures", () => {
  it("measures each step from its start to its end, per claim", () => {
    const steps = stepDurations([
      history(["DECLARED", 0], ["REVIEWED", 60000], ["NOTIFIED", 90000], ["OBJECTED", 100000], ["RE_REVIEWED", 400000], ["NOTIFIED", 460000]),
      history(["DECLARED", 1000], ["REVIEWED", 181000]),
      history(["DECLARED", 5000]),
    ]);
    expect(steps.find((s) => s.step === "declaredToReviewed")).toMatchObject({ count: 2, averageMs: 120000, maxMs: 180000 });
    expect(steps.find((s) => s.step === "reviewedToNotified")).toMatchObject({ count: 2, averageMs: 45000, maxMs: 60000 });
    expect(steps.find((s) => s.step === "objectedToReReviewed")).toMatchObject({ count: 1, averageMs: 300000 });
  });
  it("counts notices, their response times and the paper saved", () => {
    expect(countNotified([history(["NOTIFIED", 1], ["NOTIFIED", 2]), history(["REVIEWED", 1])])).toBe(2);
    expect(responseTimes([{ sentTimeMs: "1000", acknowledgedTimeMs: "61000" }, { sentTimeMs: "5", acknowledgedTimeMs: "0" }])).toEqual({
      answered: 1,
      pending: 1,
      averageMs: 60000,
    });
    expect(paperSaved(3)).toEqual({ notices: 3, sheets: 6, postageFen: 6600 });
    expect(formatDuration(59000)).toBe("59 s");
    expect(formatDuration(3 * 3600 * 1000)).toBe("3.0 h");
  });
});
