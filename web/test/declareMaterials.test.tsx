// The declaration's materials field: a bad file is named before anything is encrypted, the
// sealed attachments go into the signed declaration, and a sealing failure is shown, not signed.
import { describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { I18nProvider, type Lang } from "../src/i18n";
import { DeclareForm, type PrepareMaterials } from "../src/pages/DeclareForm";
import type { Attachment } from "../src/chain/tx";

const ENTRY = "fedcba9876543210fedcba9876543210";
const ATTACHMENT: Attachment = { hashHex: "ab".repeat(32), size: 70, mediaType: "application/pdf", name: "c.pdf", keys: [] };

function renderForm(prepare: PrepareMaterials, lang: Lang = "en") {
  const onSubmit = vi.fn(async () => null);
  render(
    <I18nProvider lang={lang}>
      <DeclareForm creditorId={ENTRY} creditorName="Shenzhen Supply" idNumber="914403001922038216" onSubmit={onSubmit} prepareMaterials={prepare} />
    </I18nProvider>,
  );
  for (const [field, value] of [["serviceAddress", "Futian"], ["nature", "goods"], ["principal", "100"]]) {
    fireEvent.change(document.getElementById(`declare-${ENTRY}-${field}`)!, { target: { value } });
  }
  return onSubmit;
}

function choose(files: File[]) {
  const input = screen.getByLabelText(/Materials|证据材料/) as HTMLInputElement;
  fireEvent.change(input, { target: { files } });
}

describe("DeclareForm materials", () => {
  const cases: [string, () => File[], Lang, RegExp][] = [
    ["an empty file", () => [new File(["x"], "a.pdf"), new File([], "b.pdf")], "en", /File 2 is empty/],
    ["an empty file (zh-CN)", () => [new File([], "b.pdf")], "zh-CN", /第 1 个文件为空/],
    ["21 files", () => Array.from({ length: 21 }, (_, i) => new File(["x"], `${i}.pdf`)), "en", /At most 20 files/],
  ];
  for (const [what, files, lang, message] of cases) {
    it(`names ${what}`, async () => {
      const prepare = vi.fn<PrepareMaterials>(async () => [ATTACHMENT]);
      const onSubmit = renderForm(prepare, lang);
      choose(files());
      fireEvent.click(screen.getByRole("button"));
      expect((await screen.findByTestId(`declare-${ENTRY}-materials-error`)).textContent).toMatch(message);
      expect(screen.getByLabelText(/Materials|证据材料/).getAttribute("aria-invalid")).toBe("true");
      expect(document.activeElement).toBe(screen.getByLabelText(/Materials|证据材料/));
      // The message and the hint (who can read the files) are both read with the field.
      expect(screen.getByLabelText(/Materials|证据材料/).getAttribute("aria-describedby")).toBe(
        `declare-${ENTRY}-materials-error declare-${ENTRY}-materials-hint`,
      );
      expect(prepare).not.toHaveBeenCalled();
      expect(onSubmit).not.toHaveBeenCalled();
    });
  }

  it("signs the sealed attachments into the declaration", async () => {
    const prepare = vi.fn<PrepareMaterials>(async () => [ATTACHMENT]);
    const onSubmit = renderForm(prepare);
    const file = new File(["%PDF"], "c.pdf", { type: "application/pdf" });
    choose([file]);
    fireEvent.click(screen.getByRole("button"));
    await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
    expect(prepare).toHaveBeenCalledWith(ENTRY, [file]);
    const action = (onSubmit.mock.calls[0] as unknown as [{ declareClaim: { declaration: { attachments: Attachment[] } } }])[0];
    expect(action.declareClaim.declaration.attachments).toEqual([ATTACHMENT]);
  });

  it("shows why the files could not be sealed, and signs nothing", async () => {
    const prepare = vi.fn<PrepareMaterials>(async () => ({ error: "Publish your encryption key first" }));
    const onSubmit = renderForm(prepare);
    choose([new File(["%PDF"], "c.pdf")]);
    fireEvent.click(screen.getByRole("button"));
    expect((await screen.findByTestId("tx-error")).textContent).toMatch(/Publish your encryption key first/);
    expect(onSubmit).not.toHaveBeenCalled();
  });
});
