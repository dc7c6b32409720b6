// Actions the console signs beyond the claim workflow of tx.ts: the court's rulings
// (proto/claims.proto ConfirmClaims, proto/meetings.proto ApprovePlan, proto/case.proto
// TerminateCase) and an account's encryption key (proto/governance.proto SetEncryptionKey).
import { ProtoWriter } from "./proto";

const FIELD_TERMINATE_CASE = 35;
const FIELD_CONFIRM_CLAIMS = 50;
const FIELD_APPROVE_PLAN = 59;
const FIELD_SET_ENCRYPTION_KEY = 62;

export interface ConfirmClaims {
  caseId: string;
  claimIds: string[];
}

export interface ApprovePlan {
  planId: string;
}

export interface TerminateCase {
  caseId: string;
  reason: string;
}

export interface SetEncryptionKey {
  publicKey: Uint8Array;
}

export type CourtAction =
  | { confirmClaims: ConfirmClaims }
  | { approvePlan: ApprovePlan }
  | { terminateCase: TerminateCase }
  | { setEncryptionKey: SetEncryptionKey };

export function encodeCourtAction(action: object): [number, Uint8Array] | null {
  const a = action as CourtAction;
  if ("confirmClaims" in a) {
    const writer = new ProtoWriter().string(1, a.confirmClaims.caseId);
    for (const id of a.confirmClaims.claimIds) writer.string(2, id);
    return [FIELD_CONFIRM_CLAIMS, writer.finish()];
  }
  if ("approvePlan" in a) return [FIELD_APPROVE_PLAN, new ProtoWriter().string(1, a.approvePlan.planId).finish()];
  if ("terminateCase" in a) {
    return [FIELD_TERMINATE_CASE, new ProtoWriter().string(1, a.terminateCase.caseId).string(2, a.terminateCase.reason).finish()];
  }
  if ("setEncryptionKey" in a) return [FIELD_SET_ENCRYPTION_KEY, new ProtoWriter().bytes(1, a.setEncryptionKey.publicKey).finish()];
  return null;
}
