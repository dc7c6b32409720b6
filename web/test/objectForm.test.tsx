import { describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen } from "@testing-library/react";
import { I18nProvider } from "../src/i18n";
import { ObjectForm } from "../src/pages/ObjectForm";

const CLAIM = "00001111222233334444555566667777";
const ENTRY = "fedcba9876543210fedcba9876543210";

function renderForm() {
  const onSubmit = vi.fn(async () => null);
  render(
    <I18nProvider lang="en">
      <ObjectForm claimId={CLAIM} creditorId={ENTRY} deadlineMs="1801000000000" onSubmit={onSubmit} />
    </I18nProvider>,
  );
  return onSubmit;
}

describe("ObjectForm", () => {
  it("names missing and over-long reasons and signs nothing", async () => {
    const onSubmit = renderForm();
    fireEvent.click(screen.getByRole("button"));
    expect((await screen.findByTestId(`object-${CLAIM}-reasons-error`)).textContent).toMatch(/required/);
    fireEvent.change(document.getElementById(`object-${CLAIM}-reasons`)!, { target: { value: "理".repeat(1334) } });
    fireEvent.click(screen.getByRole("button"));
    expect((await screen.findByTestId(`object-${CLAIM}-reasons-error`)).textContent).toMatch(/at most 4000 bytes/);
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it("signs the holder's objection with its reasons", async () => {
    const onSubmit = renderForm();
    expect(screen.getByText(/Objections until 2027-01-27/)).toBeTruthy();
    fireEvent.change(document.getElementById(`object-${CLAIM}-reasons`)!, { target: { value: " clause 5 " } });
    fireEvent.click(screen.getByRole("button"));
    await vi.waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
    expect(onSubmit).toHaveBeenCalledWith({ objectToClaim: { claimId: CLAIM, objectorCreditorId: ENTRY, reasons: "clause 5" } });
  });
});
