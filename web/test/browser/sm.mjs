// End to end on an sm network (SM2 signatures, SM3 hashes) in a real browser: the creditor's and
// the administrator's SM2 keys imported into the console, each publishing its SM2 encryption key
// (derived in the browser); the creditor declares a claim with a file encrypted in the browser
// (SM4-CTR + HMAC-SM3, the data key SM2-wrapped for both, docs/materials.md) and uploaded with
// PUT /v1/blobs; the administrator downloads and decrypts it in its declaration inbox. Then a
// reorganization plan adopted at a meeting (the creditor votes in the browser) is approved by the
// court in its rulings panel. The case, the administrator, the claim period, the plan and the
// meeting come from the CLI. Saves a screenshot per page.
//
//   node test/browser/sm.mjs --onechain ../build/src/cli/onechain --web-dir dist --out shots
import { readFileSync, rmSync, writeFileSync } from "node:fs";
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
  const memberId = send("register-account", "--key", join(keys, "firm-admin.pem"), "--public-key-from", join(keys, "member.pem"),
    "--role", "administrator-member", "--name", "Administrator Chen").recordId;
  send("self-register", "--key", join(keys, "creditor.pem"), "--name", "深圳供应链有限公司", "--kind", "firm", "--id-number", "914403001922038216");
  const caseId = send("accept-case", "--key", join(keys, "judge.pem"), "--case-number", "(2026)粤03破8号", "--debtor",
    "深圳市国密测试有限公司", "--credit-code", "91440300MA5F8XGL06", "--procedure", "reorganization", "--acceptance-date", "2026-11-20").recordId;
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
  const claimId = (await declare.getByTestId("record-id").textContent()).trim();
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

  // A reorganization plan: proposed by the administrator with its document (CLI: blob put, then
  // ProposePlan), put to a meeting; the creditor (a temporary voting amount from the court) votes
  // for it in the browser; the motion is closed, and the court approves the adopted plan in the
  // browser's rulings panel.
  const action = (key, body) => send("action", "--key", join(keys, key), JSON.stringify(body));
  const planFile = join(network.dir, "plan.txt");
  writeFileSync(planFile, "重整计划草案：普通债权按 60% 清偿 (a reorganization plan)");
  const document = JSON.parse(cli("blob", "put", planFile, "--key", join(keys, "member.pem"), "--for", memberId,
    "--media-type", "text/plain", "--node", base));
  const planId = action("member.pem", { proposePlan: { caseId, kind: "PLAN_KIND_REORGANIZATION", title: "重整计划草案", document } }).recordId;
  action("judge.pem", { setTemporaryVotingAmount: { claimId, amount: "8800000" } });
  const opensAt = Date.now() + 8000;
  const closesAt = opensAt + 8000;
  const meetingId = action("member.pem", { conveneMeeting: { caseId, kind: "MEETING_KIND_SUBSEQUENT", startMs: String(opensAt),
    voteEndMs: String(closesAt), place: "线上" } }).recordId;
  const motionId = action("member.pem", { addMotion: { meetingId, kind: "MOTION_KIND_REORGANIZATION_PLAN", title: "表决重整计划草案",
    planId } }).recordId;
  step(`plan ${planId} proposed with its document; meeting convened with the plan's motion (CLI)`);
  await unlock("creditor", "creditor.pem", "creditor password", false);
  await new Promise((r) => setTimeout(r, Math.max(0, opensAt + 1000 - Date.now())));
  await page.getByRole("link", { name: "Creditor", exact: true }).click();
  const vote = page.getByTestId("vote-panel");
  await vote.getByTestId("open-motion").waitFor({ timeout: 20000 });
  await vote.getByRole("button", { name: "Yes", exact: true }).click();
  await vote.getByTestId("tx-ok").waitFor({ timeout: 40000 });
  await new Promise((r) => setTimeout(r, Math.max(0, closesAt + 1000 - Date.now())));
  action("member.pem", { closeMotion: { motionId } });
  step("the creditor voted for the plan in the browser (SM2-signed); the motion closed");

  await unlock("judge", "judge.pem", "judge password", true);
  await page.getByRole("link", { name: "Court", exact: true }).click();
  const rulings = page.getByTestId("rulings");
  await rulings.locator("#rulings-caseId").fill(caseId);
  await rulings.getByRole("button", { name: "Load the case" }).click();
  const plan = rulings.getByTestId("plan").filter({ hasText: "重整计划草案" });
  await plan.getByTestId("plan-status").filter({ hasText: "Adopted by the creditors' meeting" }).waitFor({ timeout: 20000 });
  await plan.getByRole("button", { name: "Approve plan: 重整计划草案" }).click();
  await plan.getByTestId("plan-status").filter({ hasText: "Approved by the court" }).waitFor({ timeout: 40000 });
  await shot("04-court-plan-approved");
  step("the court approved the adopted plan in the browser");

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
