// The accept-case and appoint-administrator checks of src/contracts/cases.cc, run before
// signing so that a mistake is named beside its field instead of costing a refused transaction.
import type { MessageKey } from "./i18n";
import { PROCEDURES } from "./chain/tx";
import { utf8 } from "./chain/bytes";

export const CASE_NUMBER_BYTES_MAX = 64; // contracts::kCaseNumberBytesMax
export const DEBTOR_NAME_BYTES_MAX = 200; // contracts::kDebtorNameBytesMax
export const ID_NUMBER_BYTES_MAX = 64; // contracts::kIdNumberBytesMax
export const TEXT_BYTES_MAX = 4000; // contracts::kTextBytesMax (addresses, notice texts)

const CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";

export interface FieldError {
  key: MessageKey;
  vars?: Record<string, number>;
}

export type Errors<F extends string> = Partial<Record<F, FieldError>>;

// GB 32100-2015: weights 3^i mod 31, check = (31 - sum mod 31) mod 31.
export function creditCodeCheckCharacter(first17: string): string | null {
  let sum = 0;
  let weight = 1;
  for (const c of first17) {
    const value = CREDIT_CODE_ALPHABET.indexOf(c);
    if (value < 0) return null;
    sum += value * weight;
    weight = (weight * 3) % 31;
  }
  return CREDIT_CODE_ALPHABET[(31 - (sum % 31)) % 31];
}

export function isCreditCodeShape(code: string): boolean {
  return /^[0-9A-HJ-NPQRTUWXY]{18}$/.test(code);
}

export function isValidDate(date: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (year < 1900 || month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return day <= days[month - 1];
}

function text(value: string, max: number): FieldError | undefined {
  if (value.trim() === "") return { key: "err_required" };
  if (utf8(value).length > max) return { key: "err_tooLong", vars: { max } };
  return undefined;
}

export interface AcceptCaseInput {
  caseNumber: string;
  debtorName: string;
  debtorCreditCode: string;
  procedure: string;
  acceptanceDate: string;
}

export function validateAcceptCase(input: AcceptCaseInput): Errors<keyof AcceptCaseInput> {
  const errors: Errors<keyof AcceptCaseInput> = {};
  const caseNumber = text(input.caseNumber, CASE_NUMBER_BYTES_MAX);
  if (caseNumber) errors.caseNumber = caseNumber;
  const debtorName = text(input.debtorName, DEBTOR_NAME_BYTES_MAX);
  if (debtorName) errors.debtorName = debtorName;
  const code = input.debtorCreditCode;
  if (code === "") errors.debtorCreditCode = { key: "err_required" };
  else if (!isCreditCodeShape(code)) errors.debtorCreditCode = { key: "err_creditCodeShape" };
  else if (creditCodeCheckCharacter(code.slice(0, 17)) !== code[17]) {
    errors.debtorCreditCode = { key: "err_creditCodeCheck" };
  }
  if (!(PROCEDURES as readonly string[]).includes(input.procedure)) {
    errors.procedure = { key: "err_procedure" };
  }
  if (input.acceptanceDate === "") errors.acceptanceDate = { key: "err_required" };
  else if (!isValidDate(input.acceptanceDate)) errors.acceptanceDate = { key: "err_date" };
  return errors;
}

export interface AppointInput {
  caseId: string;
  firmOrgId: string;
}

export function validateAppoint(input: AppointInput): Errors<keyof AppointInput> {
  const errors: Errors<keyof AppointInput> = {};
  if (input.caseId === "") errors.caseId = { key: "err_required" };
  else if (!/^[0-9a-f]{32}$/.test(input.caseId)) errors.caseId = { key: "err_caseId" };
  if (input.firmOrgId === "") errors.firmOrgId = { key: "err_required" };
  else if (!/^[a-z0-9-]{3,40}$/.test(input.firmOrgId)) errors.firmOrgId = { key: "err_firmOrgId" };
  return errors;
}

// "YYYY-MM-DDTHH:MM" in China time (UTC+8, no daylight saving) to unix milliseconds, as the CLI's
// --claim-period-end reads it; null when it is not a real time.
export function chinaTimeToMs(text: string): number | null {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})$/.exec(text);
  if (!m || !isValidDate(m[1]) || Number(m[2]) > 23 || Number(m[3]) > 59) return null;
  const [year, month, day] = m[1].split("-").map(Number);
  return Date.UTC(year, month - 1, day, Number(m[2]) - 8, Number(m[3]));
}

export interface ClaimPeriodInput {
  caseId: string;
  claimPeriodEnd: string;
  firstMeeting: string;
}

// The contract judges the statutory windows (EBL 45, 62) by block time; here only the shapes and
// their order.
export function validateClaimPeriod(input: ClaimPeriodInput): Errors<keyof ClaimPeriodInput> {
  const errors: Errors<keyof ClaimPeriodInput> = {};
  const caseId = validateAppoint({ caseId: input.caseId, firmOrgId: "ok-firm" }).caseId;
  if (caseId) errors.caseId = caseId;
  const end = chinaTimeToMs(input.claimPeriodEnd);
  const meeting = chinaTimeToMs(input.firstMeeting);
  if (input.claimPeriodEnd === "") errors.claimPeriodEnd = { key: "err_required" };
  else if (end === null) errors.claimPeriodEnd = { key: "err_time" };
  if (input.firstMeeting === "") errors.firstMeeting = { key: "err_required" };
  else if (meeting === null) errors.firstMeeting = { key: "err_time" };
  else if (end !== null && meeting <= end) errors.firstMeeting = { key: "err_meetingBeforeEnd" };
  return errors;
}

export interface KnownCreditorInput {
  kind: string;
  name: string;
  idNumber: string;
  orgId: string;
  serviceAddress: string;
  basis: string;
}

export function validateKnownCreditor(input: KnownCreditorInput): Errors<keyof KnownCreditorInput> {
  const errors: Errors<keyof KnownCreditorInput> = {};
  if (!["firm", "person", "department"].includes(input.kind)) errors.kind = { key: "err_kind" };
  const name = text(input.name, DEBTOR_NAME_BYTES_MAX);
  if (name) errors.name = name;
  const id = text(input.idNumber, ID_NUMBER_BYTES_MAX);
  if (id) errors.idNumber = id;
  if (input.kind === "department" && input.orgId.trim() === "") errors.orgId = { key: "err_required" };
  for (const field of ["serviceAddress", "basis"] as const) {
    if (utf8(input[field]).length > TEXT_BYTES_MAX) errors[field] = { key: "err_tooLong", vars: { max: TEXT_BYTES_MAX } };
  }
  return errors;
}

// Unix milliseconds as "YYYY-MM-DD HH:MM" China time; empty for 0 or nothing.
export function formatChinaTime(ms: string | number | undefined): string {
  if (ms === undefined || Number(ms) === 0) return "";
  return new Date(Number(ms) + 8 * 3600_000).toISOString().slice(0, 16).replace("T", " ");
}

// "1,234.56" yuan to 123456 fen exactly (no floating point); null when it is not an amount.
export function yuanToFen(text: string): bigint | null {
  const m = /^(\d{1,15})(?:\.(\d{1,2}))?$/.exec(text.replace(/[,\s]/g, ""));
  if (!m) return null;
  return BigInt(m[1]) * 100n + BigInt((m[2] ?? "").padEnd(2, "0"));
}

export interface DeclarationInput {
  creditorName: string;
  serviceAddress: string;
  paymentAccount: string;
  nature: string;
  facts: string;
  principal: string; // yuan
  interest: string; // yuan, optional
  interestCalculation: string;
}

export function validateDeclaration(input: DeclarationInput): Errors<keyof DeclarationInput> {
  const errors: Errors<keyof DeclarationInput> = {};
  for (const field of ["creditorName", "serviceAddress", "nature"] as const) {
    const error = text(input[field], TEXT_BYTES_MAX);
    if (error) errors[field] = error;
  }
  for (const field of ["paymentAccount", "facts", "interestCalculation"] as const) {
    if (utf8(input[field]).length > TEXT_BYTES_MAX) errors[field] = { key: "err_tooLong", vars: { max: TEXT_BYTES_MAX } };
  }
  const principal = yuanToFen(input.principal);
  if (input.principal.trim() === "") errors.principal = { key: "err_required" };
  else if (principal === null) errors.principal = { key: "err_amount" };
  else if (principal === 0n) errors.principal = { key: "err_amountZero" };
  if (input.interest.trim() !== "" && yuanToFen(input.interest) === null) errors.interest = { key: "err_amount" };
  return errors;
}

// 123456 fen as "1,234.56" yuan.
export function fenToYuan(fen: string | number | bigint | undefined): string {
  const value = BigInt(fen ?? 0);
  const sign = value < 0n ? "-" : "";
  const abs = value < 0n ? -value : value;
  const yuan = (abs / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${sign}${yuan}.${(abs % 100n).toString().padStart(2, "0")}`;
}

export interface ComponentReviewInput {
  declared: bigint; // fen
  confirmed: string; // yuan
  ranking: string;
  reason: string;
}

// Per component: the confirmed amount (0 to the declared), a ranking, and a reason when less than
// declared is confirmed; overall reasons unless everything is confirmed (src/contracts/review.cc).
export function validateReview(
  components: ComponentReviewInput[],
  reasons: string,
): { components: Errors<"confirmed" | "ranking" | "reason">[]; reasons?: FieldError } {
  let all = true;
  const out = components.map((c) => {
    const errors: Errors<"confirmed" | "ranking" | "reason"> = {};
    const fen = yuanToFen(c.confirmed);
    if (c.confirmed.trim() === "") errors.confirmed = { key: "err_required" };
    else if (fen === null) errors.confirmed = { key: "err_amount" };
    else if (fen > c.declared) errors.confirmed = { key: "err_overDeclared" };
    if (fen === null || fen < c.declared) {
      all = false;
      if (c.reason.trim() === "") errors.reason = { key: "err_reasonNeeded" };
    }
    if (!["secured", "employee", "taxAndSocialInsurance", "ordinary", "subordinated"].includes(c.ranking)) {
      errors.ranking = { key: "err_required" };
    }
    return errors;
  });
  return { components: out, reasons: !all && reasons.trim() === "" ? { key: "err_reasonNeeded" } : undefined };
}
