// The meeting forms' checks: each bad field named, in en and zh-CN.
import { describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen } from "@testing-library/react";
import { I18nProvider } from "../src/i18n";
import { TemporaryAmountForm, chinaTimeSecondsToMs, validateConvene } from "../src/pages/Meetings";

describe("meeting forms", () => {
  it("reads China time to the second", () => {
    expect(chinaTimeSecondsToMs("2027-01-23T09:30:15")).toBe(Date.UTC(2027, 0, 23, 1, 30, 15));
    expect(chinaTimeSecondsToMs("2027-01-23T09:30")).toBe(Date.UTC(2027, 0, 23, 1, 30, 0));
    expect(chinaTimeSecondsToMs("2027-02-30T09:30")).toBeNull();
    expect(chinaTimeSecondsToMs("2027-01-23T09:30:60")).toBeNull();
  });
  it("names each bad field of a convened meeting", () => {
    expect(validateConvene({ start: "x", voteEnd: "", place: "" })).toEqual({
      start: { key: "err_timeSeconds" },
      voteEnd: { key: "err_timeSeconds" },
      place: { key: "err_required" },
    });
    expect(validateConvene({ start: "2027-01-23T10:00", voteEnd: "2027-01-23T09:00", place: "法庭" })).toEqual({
      voteEnd: { key: "err_voteEndAfterStart" },
    });
    expect(validateConvene({ start: "2027-01-23T10:00", voteEnd: "2027-01-23T12:00", place: "法庭" })).toEqual({});
  });
  it("refuses a bad temporary voting amount before signing, in zh-CN", async () => {
    const send = vi.fn();
    render(
      <I18nProvider lang="zh-CN">
        <TemporaryAmountForm send={send} />
      </I18nProvider>,
    );
    fireEvent.change(screen.getByLabelText("债权"), { target: { value: "not-a-claim" } });
    fireEvent.change(screen.getByLabelText("金额（元）"), { target: { value: "1.234" } });
    fireEvent.click(screen.getByRole("button", { name: "确定金额" }));
    expect(await screen.findByTestId("temp-claimId-error")).toHaveProperty("textContent", "32 位小写十六进制字符：债权编号。");
    expect(screen.getByTestId("temp-amount-error").textContent).toContain("最多两位小数");
    expect(send).not.toHaveBeenCalled();
  });
});
