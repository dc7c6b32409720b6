// The claim declaration: amounts typed in yuan become exact fen; each bad field is named.
import { describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen } from "@testing-library/react";
import { I18nProvider } from "../src/i18n";
import { DeclareForm } from "../src/pages/DeclareForm";
import { fenToYuan, yuanToFen } from "../src/validation";

const ENTRY = "fedcba9876543210fedcba9876543210";

function renderForm() {
  const onSubmit = vi.fn(async () => null);
  render(
    <I18nProvider lang="en">
      <DeclareForm creditorId={ENTRY} creditorName="Shenzhen Supply" idNumber="914403001922038216" onSubmit={onSubmit} />
    </I18nProvider>,
  );
  return onSubmit;
}

function set(field: string, value: string) {
  fireEvent.change(document.getElementById(`declare-${ENTRY}-${field}`)!, { target: { value } });
}

describe("yuan and fen", () => {
  it("converts exactly, without floating point", () => {
    expect(yuanToFen("1,234,567.89")).toBe(123456789n);
    expect(yuanToFen("0.1")).toBe(10n);
    expect(yuanToFen("999999999999999.99")).toBe(99999999999999999n);
    for (const bad of ["", "1.234", "-1", "1e3", "abc", "1.2.3"]) expect(yuanToFen(bad)).toBeNull();
    expect(fenToYuan("123456789")).toBe("1,234,567.89");
    expect(fenToYuan(5)).toBe("0.05");
  });
});

describe("DeclareForm", () => {
  const cases: [string, string, RegExp][] = [
    ["creditorName", "", /required/],
    ["serviceAddress", "", /required/],
    ["nature", "", /required/],
    ["principal", "", /required/],
    ["principal", "12.345", /at most 2 decimals/],
    ["principal", "0.00", /more than 0/],
    ["interest", "ten", /at most 2 decimals/],
    ["facts", "x".repeat(4001), /at most 4000 bytes/],
  ];
  for (const [field, value, message] of cases) {
    it(`names ${field} = ${JSON.stringify(value.slice(0, 10))}`, async () => {
      const onSubmit = renderForm();
      set("serviceAddress", "Futian");
      set("nature", "price of goods");
      set("principal", "100");
      set(field, value);
      fireEvent.click(screen.getByRole("button"));
      expect((await screen.findByTestId(`declare-${ENTRY}-${field}-error`)).textContent).toMatch(message);
      expect(document.querySelectorAll(".field-error")).toHaveLength(1);
      expect(onSubmit).not.toHaveBeenCalled();
    });
  }

  it("signs the declaration in fen with the entry's id number", async () => {
    const onSubmit = renderForm();
    set("serviceAddress", "Futian");
    set("nature", "price of goods");
    set("principal", "1,234,567.89");
    set("interest", "100");
    set("interestCalculation", "LPR");
    fireEvent.click(screen.getByRole("button"));
    await vi.waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
    expect(onSubmit).toHaveBeenCalledWith({
      declareClaim: {
        creditorId: ENTRY,
        declaration: {
          creditorName: "Shenzhen Supply",
          creditorIdNumber: "914403001922038216",
          serviceAddress: "Futian",
          electronicServiceConsent: true,
          paymentAccount: "",
          nature: "price of goods",
          facts: "",
          components: [
            { kind: "principal", amount: 123456789n, calculation: "" },
            { kind: "interest", amount: 10000n, calculation: "LPR" },
          ],
        },
      },
    });
  });
});
