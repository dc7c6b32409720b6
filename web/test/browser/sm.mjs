// End to end on an sm network (SM2 signatures, SM3 hashes) in a real browser: the creditor's and
// the administrator's SM2 keys imported into the console, each publishing its SM2 encryption key
// (derived in the browser); the creditor declares a claim with a file encrypted in the browser
// (SM4-CTR + HMAC-SM3, the data key SM2-wrapped for both, docs/materials.md) and uploaded with
// PUT /v1/blobs; the administrator downloads and decrypts it in its declaration inbox. The case,
// the administrator and the claim period come from the CLI. Saves a screenshot per page.
//
//   node test/browser/sm.mjs --onechain ../build/src/cli/onechain --web-dir dist --out shots
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import {
  check,
  enterBindAndNotifySupplier,
  launchBrowser,
  publishEncryptionKey,
  runOptions,
  startNetwork,
  stopNetwork,
} from "./harness.mjs";

const o = runOptions("sm.mjs");
const { out, base, step } = o;
let network;
let browser;

async function main() {
  network = await startNetwork(o, "onechain-browser-sm", ["--suite", "sm"]);
  const { keys, cli } = network;
  const api = ["--node", base];
  const send = (...argv) => JSON.parse(cli("tx", "send", ...argv, ...api, "--json"));
  for (const name of ["judge", "firm-admin", "member", "creditor"]) cli("keys", "new", "--suite", "sm", "--out", join(keys, `${name}.pem`));
  send("register-account", "--key", join(keys, "court-admin.pem"), "--public-key-from", join(keys, "judge.pem"), "--role", "judge", "--name", "Judge Wang");
  send("add-roster-firm", "--key", join(keys, "judge.pem"), "--firm", "zhonglun", "--name", "Zhonglun LLP",
    "--admin-public-key-from", join(keys, "firm-admin.pem"), "--admin-name", "Partner Chen");
  send("register-account", "--key", join(keys, "firm-admin.pem"), "--public-key-from", join(keys, "member.pem"),
    "--role", "administrator-member", "--name", "Administrator Chen");
  send("self-register", "--key", join(keys, "creditor.pem"), "--name", "深圳供应链有限公司", "--kind", "firm", "--id-number", "914403001922038216");
  const caseId = send("accept-case", "--key", join(keys, "judge.pem"), "--case-number", "(2026)粤03破8号", "--debtor",
    "深圳市国密测试有限公司", "--credit-code", "91440300MA5F8XGL06", "--procedure", "liquidation", "--acceptance-date", "2026-11-20").recordId;
  check(/^[0-9a-f]{32}$/.test(caseId), `a case id, not '${caseId}'`);
  send("appoint-administrator", "--key", join(keys, "judge.pem"), "--case", caseId, "--firm", "zhonglun");
  const chinaDay = (days) => new Date(Date.now() + 8 * 3600e3 + days * 86400e3).toISOString().slice(0, 10);
  send("set-claim-period", "--key", join(keys, "judge.pem"), "--case", caseId, "--claim-period-end", `${chinaDay(45)}T17:00`,
    "--first-meeting", `${chinaDay(55)}T09:30`);
  step(`sm network up; case ${caseId} accepted, administrator appointed, claim period set (CLI)`);

  browser = await launchBrowser(o);
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const failures = [];
  page.on("pageerror", (e) => failures.push(`page error: ${e.message}`));
  const shot = async (name) => page.screenshot({ path: join(out, `sm-${name}.png`), fullPage: true });
  await page.goto(base + "/");
  await page.getByLabel("语言").selectOption("en");

  const unlock = async (name, file, password, fresh) => {
    await page.getByRole("link", { name: "My key", exact: true }).click();
    if (fresh) {
      await page.locator("#import-key-name").fill(name);
      await page.locator("#import-key-pem").fill(readFileSync(join(keys, file), "utf8"));
      await page.locator("#import-key-password").fill(password);
      await page.locator("#import-key-repeat").fill(password);
      await page.getByRole("button", { name: "Import and encrypt" }).click();
      await page.getByText("Key stored, encrypted.").waitFor();
    }
    await page.locator("#unlock-name").selectOption(name);
    await page.locator("#unlock-password").fill(password);
    await page.getByRole("button", { name: "Unlock", exact: true }).click();
    await page.getByTestId("who").filter({ hasText: name }).waitFor({ timeout: 20000 });
  };
  // The derived encryption key is SM2's: 04 ‖ x ‖ y.
  const publishSmEncryptionKey = async () => {
    const shown = (await page.getByTestId("enc-public").textContent()).trim();
    check(/^04[0-9a-f]{128}$/.test(shown), `an SM2 encryption key, not '${shown}'`);
    await publishEncryptionKey(page);
  };

  await unlock("creditor", "creditor.pem", "creditor password", true);
  await page.getByTestId("unlocked").getByText("sm (SM2, SM3)").waitFor();
  await publishSmEncryptionKey();
  await shot("01-creditor-encryption-key");
  await page.getByRole("link", { name: "Creditor", exact: true }).click();
  const accountId = (await page.getByTestId("my-account-id").textContent()).trim();
  step("creditor's SM2 key imported; its SM2 encryption key published");

  await unlock("member", "member.pem", "member password", true);
  await publishSmEncryptionKey();
  await enterBindAndNotifySupplier(page, caseId, accountId);
  step("administrator published its encryption key, entered, bound and notified the creditor");

  await unlock("creditor", "creditor.pem", "creditor password", false);
  await page.getByRole("link", { name: "Creditor", exact: true }).click();
  const declare = page.getByTestId("declare-form");
  await declare.waitFor({ timeout: 20000 });
  await declare.getByLabel("Service address").fill("深圳市福田区");
  await declare.getByLabel("Nature of the claim").fill("货款");
  await declare.getByLabel("Principal (yuan)").fill("88,000.00");
  const contractText = "国密供货合同 SM4-CTR sealed in the browser: 88,000.00 yuan";
  await declare.getByLabel("Materials (encrypted in your browser before upload)").setInputFiles([
    { name: "合同.txt", mimeType: "text/plain", buffer: Buffer.from(contractText) },
  ]);
  await declare.getByRole("button", { name: "Declare" }).click();
  await declare.getByTestId("tx-ok").waitFor({ timeout: 40000 });
  await shot("02-creditor-declared-with-material");
  step("creditor declared with a material sealed in the browser (SM4-CTR + HMAC-SM3, SM2-wrapped key)");

  await unlock("member", "member.pem", "member password", false);
  await page.getByRole("link", { name: "Administrator", exact: true }).click();
  await page.locator("#admin-caseId").fill(caseId);
  await page.getByRole("button", { name: "Load the case's creditors" }).click();
  const claimForm = page.getByTestId("claim-form");
  await claimForm.getByTestId("claim-status").filter({ hasText: "Declared" }).waitFor({ timeout: 20000 });
  await claimForm.getByRole("button", { name: "Review" }).click();
  const material = page.getByTestId("review-form").getByTestId("material").filter({ hasText: "合同.txt" });
  await material.getByRole("button", { name: "Decrypt 合同.txt" }).click();
  await material.getByTestId("material-text").filter({ hasText: contractText }).waitFor({ timeout: 20000 });
  await shot("03-administrator-material-decrypted");
  step("administrator decrypted the material in the browser (SM2 unwrap, HMAC-SM3 checked, SM4-CTR)");

  check(failures.length === 0, failures.join("; "));
  step(`passed; screenshots in ${out}`);
}

try {
  await main();
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  await browser?.close();
  await stopNetwork(network);
  if (network) rmSync(network.dir, { recursive: true, force: true });
}
