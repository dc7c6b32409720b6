// Checks of the materials a declaration carries and of the court's rulings, before anything is
// encrypted or signed (the limits of PUT /v1/blobs/{hash} and src/contracts/cases.cc).
import { MATERIAL_BYTES_MAX, MATERIALS_MAX } from "./materials/materials";
import type { FieldError } from "./validation";

export const REASON_BYTES_MAX = 1000; // src/contracts/executor.h kReasonBytesMax

export function validateMaterials(files: { name: string; size: number }[]): FieldError | undefined {
  if (files.length > MATERIALS_MAX) return { key: "err_tooManyFiles", vars: { max: MATERIALS_MAX } };
  for (let i = 0; i < files.length; i++) {
    if (files[i].size === 0) return { key: "err_fileEmpty", vars: { n: i + 1 } };
    if (files[i].size > MATERIAL_BYTES_MAX) return { key: "err_fileTooLarge", vars: { n: i + 1, mib: MATERIAL_BYTES_MAX >> 20 } };
  }
  return undefined;
}

export function validateTerminationReason(reason: string): FieldError | undefined {
  if (reason.trim() === "") return { key: "err_required" };
  if (new TextEncoder().encode(reason).length > REASON_BYTES_MAX) return { key: "err_tooLong", vars: { max: REASON_BYTES_MAX } };
  return undefined;
}

export function validateClaimSelection(claimIds: string[]): FieldError | undefined {
  return claimIds.length === 0 ? { key: "err_noClaimSelected" } : undefined;
}
