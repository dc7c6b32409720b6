// @vitest-environment node
// src/api/schema.d.ts, which types every route the client calls, is what api/openapi.yaml
// generates today: a route removed or renamed in the API fails `tsc`, and a stale schema fails here.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import openapiTS, { astToString } from "openapi-typescript";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

describe("api/openapi.yaml", () => {
  it("generates the committed src/api/schema.d.ts (npm run gen:api)", async () => {
    const ast = await openapiTS(new URL("../../api/openapi.yaml", import.meta.url));
    const generated = astToString(ast);
    const committed = readFileSync(here("../src/api/schema.d.ts"), "utf8");
    const body = (text: string) => text.slice(text.indexOf("export interface paths"));
    expect(body(committed).trim()).toBe(body(generated).trim());
  });

  it("documents every route the client calls", () => {
    const yaml = readFileSync(here("../../api/openapi.yaml"), "utf8");
    const client = readFileSync(here("../src/api/client.ts"), "utf8");
    const used = new Set([...client.matchAll(/"(\/v1\/[^"?]*)"/g)].map((m) => m[1]));
    expect(used.size).toBeGreaterThanOrEqual(7);
    for (const route of used) expect(yaml).toContain(`\n  ${route}:`);
  });
});
