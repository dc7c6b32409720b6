// The claim-period and known-creditor forms name each bad field and sign nothing until valid.
import { describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen } from "@testing-library/react";
import { I18nProvider } from "../src/i18n";
import { ClaimPeriodForm } from "../src/pages/CourtPage";
import { KnownCreditorForm } from "../src/pages/AdministratorPage";
import { chinaTimeToMs, formatChinaTime } from "../src/validation";

const CASE = "0123456789abcdef0123456789abcdef";

function setValue(id: string, value: string) {
  fireEvent.change(document.getElementById(id)!, { target: { value } });
}

describe("China time", () => {
  it("reads YYYY-MM-DDTHH:MM as UTC+8, as the CLI does, and prints it back", () => {
    expect(chinaTimeToMs("2027-01-15T17:00")).toBe(Date.UTC(2027, 0, 15, 9, 0));
    expect(formatChinaTime(Date.UTC(2027, 0, 15, 9, 0))).toBe("2027-01-15 17:00");
    for (const bad of ["2027-02-29T10:00", "2027-01-15T24:00", "2027-01-15 17:00", "2027-01-15T17:60"]) {
      expect(chinaTimeToMs(bad)).toBeNull();
    }
  });
});

describe("ClaimPeriodForm", () => {
  const cases: [string, string, string, string, RegExp][] = [
    ["caseId", "", "2027-01-15T17:00", "2027-01-25T09:30", /required/],
    ["caseId", "ABC", "2027-01-15T17:00", "2027-01-25T09:30", /32 lowercase hex/],
    ["claimPeriodEnd", CASE, "", "2027-01-25T09:30", /required/],
    ["claimPeriodEnd", CASE, "2027-01-15", "2027-01-25T09:30", /YYYY-MM-DDTHH:MM/],
    ["firstMeeting", CASE, "2027-01-15T17:00", "2027-13-25T09:30", /YYYY-MM-DDTHH:MM/],
    ["firstMeeting", CASE, "2027-01-15T17:00", "2027-01-15T09:30", /after the claim period/],
  ];
  for (const [field, caseId, end, meeting, message] of cases) {
    it(`names ${field} in ${JSON.stringify([caseId.slice(0, 3), end, meeting])}`, async () => {
      const onSubmit = vi.fn(async () => null);
      render(
        <I18nProvider lang="en">
          <ClaimPeriodForm onSubmit={onSubmit} />
        </I18nProvider>,
      );
      setValue("period-caseId", caseId);
      setValue("period-claimPeriodEnd", end);
      setValue("period-firstMeeting", meeting);
      fireEvent.click(screen.getByRole("button"));
      expect((await screen.findByTestId(`period-${field}-error`)).textContent).toMatch(message);
      expect(document.querySelectorAll(".field-error")).toHaveLength(1);
      expect(onSubmit).not.toHaveBeenCalled();
    });
  }

  it("signs the times in milliseconds", async () => {
    const onSubmit = vi.fn(async () => null);
    render(
      <I18nProvider lang="en">
        <ClaimPeriodForm onSubmit={onSubmit} />
      </I18nProvider>,
    );
    setValue("period-caseId", CASE);
    setValue("period-claimPeriodEnd", "2027-01-15T17:00");
    setValue("period-firstMeeting", "2027-01-25T09:30");
    fireEvent.click(screen.getByRole("button"));
    await vi.waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
    expect(onSubmit).toHaveBeenCalledWith({
      caseId: CASE,
      claimPeriodEndMs: Date.UTC(2027, 0, 15, 9, 0),
      firstMeetingMs: Date.UTC(2027, 0, 25, 1, 30),
    });
  });
});

describe("KnownCreditorForm", () => {
  function renderForm() {
    const onSubmit = vi.fn(async () => null);
    render(
      <I18nProvider lang="zh-CN">
        <KnownCreditorForm caseId={CASE} onSubmit={onSubmit} />
      </I18nProvider>,
    );
    return onSubmit;
  }

  it("names the missing name and id number, in Chinese", async () => {
    const onSubmit = renderForm();
    fireEvent.click(screen.getByRole("button"));
    expect((await screen.findByTestId("creditor-name-error")).textContent).toMatch(/必填/);
    expect(screen.getByTestId("creditor-idNumber-error").textContent).toMatch(/必填/);
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it("asks a department for its organization and bounds the address", async () => {
    const onSubmit = renderForm();
    setValue("creditor-kind", "department");
    setValue("creditor-name", "国家税务总局深圳市税务局");
    setValue("creditor-idNumber", "11440300MB2C92051D");
    setValue("creditor-serviceAddress", "地".repeat(1334));
    fireEvent.click(screen.getByRole("button"));
    expect((await screen.findByTestId("creditor-orgId-error")).textContent).toMatch(/必填/);
    expect(screen.getByTestId("creditor-serviceAddress-error").textContent).toMatch(/4000/);
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it("signs a firm without an organization id", async () => {
    const onSubmit = renderForm();
    setValue("creditor-name", "深圳供应链有限公司");
    setValue("creditor-idNumber", "914403001922038216");
    fireEvent.click(screen.getByRole("button"));
    await vi.waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
    expect(onSubmit).toHaveBeenCalledWith({
      addKnownCreditor: {
        caseId: CASE,
        kind: "firm",
        name: "深圳供应链有限公司",
        idNumber: "914403001922038216",
        orgId: "",
        serviceAddress: "",
        basis: "",
      },
    });
  });
});
