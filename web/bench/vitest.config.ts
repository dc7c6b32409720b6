// The browser-side figures (bench/web_seal.sh): not part of `npm test`.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: { environment: "node", include: ["bench/**/*.figures.ts"], testTimeout: 600000 },
});
