// The accept-case form names each bad field beside it, in the chosen language, and signs nothing
// until every field is valid.
import { describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen } from "@testing-library/react";
import { I18nProvider, type Lang } from "../src/i18n";
import { AcceptCaseForm, AppointForm } from "../src/pages/CourtPage";
import { creditCodeCheckCharacter } from "../src/validation";

const good = {
  caseNumber: "(2026)粤03破1号",
  debtorName: "深圳市示例制造有限公司",
  debtorCreditCode: "91440300MA5F8XGL06",
  procedure: "liquidation",
  acceptanceDate: "2026-11-20",
};

function renderForm(lang: Lang = "en") {
  const onSubmit = vi.fn(async () => null);
  render(
    <I18nProvider lang={lang}>
      <AcceptCaseForm onSubmit={onSubmit} />
    </I18nProvider>,
  );
  return onSubmit;
}

function fill(values: Partial<typeof good>) {
  for (const [field, value] of Object.entries({ ...good, ...values })) {
    fireEvent.change(document.getElementById(`accept-${field}`)!, { target: { value } });
  }
  fireEvent.click(screen.getByRole("button"));
}

const cases: [keyof typeof good, string, RegExp][] = [
  ["caseNumber", "", /required/],
  ["caseNumber", "号".repeat(22), /at most 64 bytes/],
  ["debtorName", "  ", /required/],
  ["debtorName", "a".repeat(201), /at most 200 bytes/],
  ["debtorCreditCode", "", /required/],
  ["debtorCreditCode", "91440300MA5F8XGL0", /18 characters/],
  ["debtorCreditCode", "91440300MA5F8XGLO6", /18 characters/],
  ["debtorCreditCode", "91440300MA5F8XGL07", /check character/],
  ["procedure", "bankruptcy", /liquidation, reorganization or compromise/],
  ["acceptanceDate", "", /required/],
  ["acceptanceDate", "2026/11/20", /YYYY-MM-DD/],
  ["acceptanceDate", "2026-02-29", /YYYY-MM-DD/],
  ["acceptanceDate", "1899-12-31", /YYYY-MM-DD/],
];

describe("AcceptCaseForm", () => {
  it("the demo credit code's check character is right", () => {
    expect(creditCodeCheckCharacter("91440300MA5F8XGL0")).toBe("6");
  });

  for (const [field, value, message] of cases) {
    it(`names ${field} = ${JSON.stringify(value.slice(0, 20))}`, async () => {
      const onSubmit = renderForm();
      if (field === "procedure") {
        // The select offers only the three procedures; force another value as a tampered DOM would.
        const select = document.getElementById("accept-procedure") as HTMLSelectElement;
        select.add(new Option("x", value));
      }
      fill({ [field]: value });
      const error = await screen.findByTestId(`accept-${field}-error`);
      expect(error.textContent).toMatch(message);
      expect(document.getElementById(`accept-${field}`)!.getAttribute("aria-invalid")).toBe("true");
      expect(document.getElementById(`accept-${field}`)!.getAttribute("aria-describedby")).toBe(`accept-${field}-error`);
      // Only that field is named.
      expect(document.querySelectorAll(".field-error")).toHaveLength(1);
      expect(onSubmit).not.toHaveBeenCalled();
    });
  }

  it("shows the messages in Chinese", async () => {
    renderForm("zh-CN");
    fill({ debtorCreditCode: "91440300MA5F8XGL07" });
    expect((await screen.findByTestId("accept-debtorCreditCode-error")).textContent).toMatch(/校验码/);
  });

  it("signs a valid form once, with the typed fields", async () => {
    const onSubmit = renderForm();
    fill({});
    await vi.waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
    expect(onSubmit).toHaveBeenCalledWith(good);
    expect(document.querySelectorAll(".field-error")).toHaveLength(0);
  });
});

describe("AppointForm", () => {
  it("names a bad case id and firm id", async () => {
    const onSubmit = vi.fn(async () => null);
    render(
      <I18nProvider lang="en">
        <AppointForm onSubmit={onSubmit} />
      </I18nProvider>,
    );
    fireEvent.change(document.getElementById("appoint-caseId")!, { target: { value: "XYZ" } });
    fireEvent.change(document.getElementById("appoint-firmOrgId")!, { target: { value: "Zh" } });
    fireEvent.click(screen.getByRole("button"));
    expect((await screen.findByTestId("appoint-caseId-error")).textContent).toMatch(/32 lowercase hex/);
    expect(screen.getByTestId("appoint-firmOrgId-error").textContent).toMatch(/3 to 40/);
    expect(onSubmit).not.toHaveBeenCalled();
  });
});
