// Shared by the end-to-end runs (run.mjs, sm.mjs): the command line, a one-validator network
// serving web/dist, Debian's Chromium under playwright-core, and console steps both runs take.
import { spawn, execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { chromium } from "playwright-core";

export function check(condition, message) {
  if (!condition) throw new Error(`check failed: ${message}`);
}

export function runOptions(script) {
  const { values: args } = parseArgs({
    options: {
      onechain: { type: "string" },
      "web-dir": { type: "string" },
      out: { type: "string", default: "browser-screenshots" },
      port: { type: "string" },
    },
  });
  if (!args.onechain || !args["web-dir"]) {
    console.error(`usage: ${script} --onechain BIN --web-dir DIR [--out DIR] [--port N]`);
    process.exit(2);
  }
  const port = Number(args.port ?? 20000 + Math.floor(Math.random() * 20000));
  const out = resolve(args.out);
  mkdirSync(out, { recursive: true });
  const started = Date.now();
  return {
    bin: resolve(args.onechain),
    webDir: resolve(args["web-dir"]),
    out,
    chromiumPath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    port,
    base: `http://127.0.0.1:${port}`,
    step: (what) => console.log(`[${((Date.now() - started) / 1000).toFixed(1)} s] ${what}`),
  };
}

// genesis new in a fresh directory, then the node, waited for until /v1/health answers.
export async function startNetwork(o, chainId, extraGenesisArgs = []) {
  check(existsSync(join(o.webDir, "index.html")), `${o.webDir} holds no index.html (npm run build)`);
  check(existsSync(o.chromiumPath), `${o.chromiumPath} is missing (apt-get install chromium)`);
  const dir = mkdtempSync(join(tmpdir(), "onechain-web-"));
  const cli = (...argv) => execFileSync(o.bin, argv, { encoding: "utf8" });
  cli("genesis", "new", "--out", dir, "--chain-id", chainId, ...extraGenesisArgs);
  const keys = join(dir, "keys");
  const node = spawn(o.bin, ["node", "--genesis", join(dir, "genesis.json"), "--key", join(keys, "validator-0.pem"),
    "--data-dir", join(dir, "data"), "--listen", `127.0.0.1:${o.port}`, "--web-dir", o.webDir, "--log-level", "warn"],
    { stdio: ["ignore", "inherit", "inherit"] });
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${o.base}/v1/health`)).ok) break;
    } catch {}
    check(i < 100 && node.exitCode === null, "the node did not start");
    await new Promise((r) => setTimeout(r, 100));
  }
  return { dir, keys, node, cli };
}

export async function launchBrowser(o) {
  return chromium.launch({
    executablePath: o.chromiumPath,
    headless: true,
    // As root (CI) Chromium's sandbox cannot start.
    args: process.getuid?.() === 0 ? ["--no-sandbox"] : [],
  });
}

// On "My key": the account's encryption key (derived from the unlocked key) published with
// SetEncryptionKey.
export async function publishEncryptionKey(page) {
  const section = page.getByTestId("encryption-key");
  await section.getByTestId("enc-state").waitFor({ timeout: 20000 });
  await section.getByRole("button", { name: "Publish encryption key" }).click();
  await section.getByTestId("enc-state").filter({ hasText: "Published on chain." }).waitFor({ timeout: 40000 });
}

// The administrator (unlocked) enters the supplier as a creditor of the case, binds it to the
// supplier's account and sends it the claim notice; returns the creditor's row.
export async function enterBindAndNotifySupplier(page, caseId, accountId) {
  await page.getByRole("link", { name: "Administrator", exact: true }).click();
  await page.locator("#admin-caseId").fill(caseId);
  await page.getByRole("button", { name: "Load the case's creditors" }).click();
  await page.getByText("No creditor entered yet.").waitFor();
  await page.locator("#creditor-name").fill("深圳供应链有限公司");
  await page.locator("#creditor-idNumber").fill("914403001922038216");
  await page.locator("#creditor-serviceAddress").fill("深圳市福田区");
  await page.locator("#creditor-basis").fill("the debtor's books");
  await page.getByRole("button", { name: "Add the creditor" }).click();
  const row = page.getByTestId("creditor-深圳供应链有限公司");
  await row.waitFor({ timeout: 40000 });
  await row.locator("input").first().fill(accountId);
  await row.getByRole("button", { name: "Bind" }).click();
  await row.getByTestId("bound-account").filter({ hasText: accountId }).waitFor({ timeout: 40000 });
  await row.getByRole("button", { name: "Send the claim notice" }).click();
  await row.getByTestId("tx-ok").waitFor({ timeout: 40000 });
  return row;
}

export async function stopNetwork(network) {
  const node = network?.node;
  if (node && node.exitCode === null) {
    node.kill("SIGTERM");
    await new Promise((r) => node.once("exit", r));
  }
}
