// The accept-case and appoint-administrator checks of src/contracts/cases.cc, run before
// signing so that a mistake is named beside its field instead of costing a refused transaction.
import type { MessageKey } from "./i18n";
import { PROCEDURES } from "./chain/tx";
import { utf8 } from "./chain/bytes";

export const CASE_NUMBER_BYTES_MAX = 64; // contracts::kCaseNumberBytesMax
export const DEBTOR_NAME_BYTES_MAX = 200; // contracts::kDebtorNameBytesMax

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
