// The review checks of src/contracts/review.cc, run before signing.
import { describe, expect, it } from "vitest";
import { validateReview } from "../src/validation";

const row = (confirmed: string, reason = "", ranking = "ordinary") => ({ declared: 10000n, confirmed, ranking, reason });

describe("validateReview", () => {
  it("accepts a claim confirmed in full without reasons", () => {
    const found = validateReview([row("100.00"), row("100")], "");
    expect(found.reasons).toBeUndefined();
    expect(found.components).toEqual([{}, {}]);
  });

  it("asks for a component reason and overall reasons when less is confirmed", () => {
    const found = validateReview([row("100"), row("50")], "");
    expect(found.components[1].reason?.key).toBe("err_reasonNeeded");
    expect(found.components[0]).toEqual({});
    expect(found.reasons?.key).toBe("err_reasonNeeded");
    expect(validateReview([row("100"), row("50", "above the agreed rate")], "half not owed")).toEqual({
      components: [{}, {}],
      reasons: undefined,
    });
  });

  it("names a bad amount, one over the declared, and a missing ranking", () => {
    const found = validateReview([row("100.01", "x"), row("ten", "x"), row("", "x"), row("1", "x", "first")], "r");
    expect(found.components[0].confirmed?.key).toBe("err_overDeclared");
    expect(found.components[1].confirmed?.key).toBe("err_amount");
    expect(found.components[2].confirmed?.key).toBe("err_required");
    expect(found.components[3].ranking?.key).toBe("err_required");
  });
});
