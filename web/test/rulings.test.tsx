// The court's rulings: each bad field is named before anything is signed (en and zh-CN), and what
// is signed carries the selected claims, the adopted plan and the reason.
import { describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import type { ClaimForm, PlanList } from "../src/api/client";
import { I18nProvider, type Lang } from "../src/i18n";
import { ConfirmClaimsForm, PlansPanel, TerminateForm } from "../src/pages/RulingsPanel";
import { eventsUrl, LiveIndicator } from "../src/live/events";

const CASE = "0123456789abcdef0123456789abcdef";
const FORM: ClaimForm = {
  caseId: CASE,
  rows: [
    { claimId: "c1", creditorName: "Supplier", status: "CLAIM_STATUS_RE_REVIEWED", confirmedTotal: "100" },
    { claimId: "c2", creditorName: "Bank", status: "CLAIM_STATUS_OBJECTED", confirmedTotal: "5" },
    { claimId: "c3", creditorName: "Landlord", status: "CLAIM_STATUS_NOTIFIED", confirmedTotal: "7" },
  ],
};

const ok = async () => ({ status: { code: "OK" as const, state: "COMMITTED" as const, height: "9", recordId: CASE } });

function wrap(node: React.ReactNode, lang: Lang = "en") {
  return render(<I18nProvider lang={lang}>{node}</I18nProvider>);
}

describe("ConfirmClaimsForm", () => {
  it("offers notified and re-reviewed claims only, and names an empty selection", async () => {
    const send = vi.fn(ok);
    wrap(<ConfirmClaimsForm caseId={CASE} form={FORM} send={send} />);
    expect(screen.getAllByRole("checkbox")).toHaveLength(2);
    expect(screen.queryByLabelText("Confirm claim c2")).toBeNull();
    fireEvent.click(screen.getByRole("button", { name: "Confirm selected claims" }));
    expect((await screen.findByTestId("confirm-claims-error")).textContent).toBe("Select at least one claim.");
    expect(document.activeElement).toBe(screen.getByLabelText("Confirm claim c1"));
    expect(send).not.toHaveBeenCalled();
  });

  it("signs the selected claims", async () => {
    const send = vi.fn(ok);
    wrap(<ConfirmClaimsForm caseId={CASE} form={FORM} send={send} />);
    fireEvent.click(screen.getByLabelText("Confirm claim c3"));
    fireEvent.click(screen.getByLabelText("Confirm claim c1"));
    fireEvent.click(screen.getByRole("button", { name: "Confirm selected claims" }));
    await waitFor(() => expect(send).toHaveBeenCalledWith({ confirmClaims: { caseId: CASE, claimIds: ["c3", "c1"] } }));
  });

  it("names an empty selection in Chinese", async () => {
    wrap(<ConfirmClaimsForm caseId={CASE} form={FORM} send={vi.fn(ok)} />, "zh-CN");
    fireEvent.click(screen.getByRole("button", { name: "确认所选债权" }));
    expect((await screen.findByTestId("confirm-claims-error")).textContent).toBe("请至少选择一项债权。");
  });
});

describe("PlansPanel", () => {
  it("offers approval for an adopted plan only and signs ApprovePlan", async () => {
    const plans: PlanList = {
      plans: [
        { id: "p1", title: "Reorganization plan A", kind: "PLAN_KIND_REORGANIZATION", status: "PLAN_STATUS_PROPOSED" },
        { id: "p2", title: "Reorganization plan B", kind: "PLAN_KIND_REORGANIZATION", status: "PLAN_STATUS_ADOPTED" },
      ],
    };
    const send = vi.fn(ok);
    wrap(<PlansPanel plans={plans} send={send} />);
    const buttons = screen.getAllByRole("button");
    expect(buttons).toHaveLength(1);
    expect(buttons[0].getAttribute("aria-label")).toBe("Approve plan: Reorganization plan B");
    fireEvent.click(buttons[0]);
    await waitFor(() => expect(send).toHaveBeenCalledWith({ approvePlan: { planId: "p2" } }));
    expect(screen.getAllByTestId("plan-status").map((e) => e.textContent)).toEqual(["Proposed", "Adopted by the creditors' meeting"]);
  });
});

describe("TerminateForm", () => {
  const cases: [string, string, boolean, string, RegExp, Lang][] = [
    ["an empty reason", "  ", true, "terminate-reason-error", /required/, "en"],
    ["a reason over 1000 bytes", "理".repeat(334), true, "terminate-reason-error", /at most 1000 bytes/, "en"],
    ["no confirmation", "the debtor's estate cannot pay the costs (EBL 43)", false, "terminate-confirm-error", /Tick the box/, "en"],
    ["no confirmation (zh-CN)", "破产财产不足以清偿破产费用", false, "terminate-confirm-error", /请勾选/, "zh-CN"],
  ];
  for (const [what, reason, tick, errorId, message, lang] of cases) {
    it(`names ${what}`, async () => {
      const send = vi.fn(ok);
      wrap(<TerminateForm caseId={CASE} send={send} />, lang);
      fireEvent.change(document.getElementById("terminate-reason")!, { target: { value: reason } });
      if (tick) fireEvent.click(document.getElementById("terminate-confirm")!);
      fireEvent.click(screen.getByRole("button"));
      expect((await screen.findByTestId(errorId)).textContent).toMatch(message);
      expect(document.querySelectorAll(".field-error")).toHaveLength(1);
      // The first bad field has the focus, its message tied to it.
      expect(document.activeElement?.id).toBe(errorId.replace("-error", ""));
      expect(document.activeElement?.getAttribute("aria-describedby")).toBe(errorId);
      expect(send).not.toHaveBeenCalled();
    });
  }

  it("signs the termination with its reason", async () => {
    const send = vi.fn(ok);
    wrap(<TerminateForm caseId={CASE} send={send} />);
    fireEvent.change(screen.getByLabelText("Reason for termination"), { target: { value: " all debts paid (EBL 105) " } });
    fireEvent.click(screen.getByLabelText(/cannot be undone/));
    fireEvent.click(screen.getByRole("button", { name: "Terminate case" }));
    await waitFor(() => expect(send).toHaveBeenCalledWith({ terminateCase: { caseId: CASE, reason: "all debts paid (EBL 105)" } }));
  });
});

describe("live updates", () => {
  it("asks for one case's events after the current height, with the token when signed", () => {
    expect(eventsUrl({})).toBe("/v1/events");
    expect(eventsUrl({ caseId: CASE, after: "42", token: "ab" })).toBe(`/v1/events?case=${CASE}&after=42&token=ab`);
  });

  it("shows and announces the stream's state", () => {
    const { unmount } = wrap(<LiveIndicator state="connecting" />);
    expect(screen.getByRole("status").textContent).toContain("Not live");
    unmount();
    wrap(<LiveIndicator state="live" />, "zh-CN");
    expect(screen.getByRole("status").textContent).toContain("实时");
    expect(screen.getByRole("status").getAttribute("aria-live")).toBe("polite");
  });
});
