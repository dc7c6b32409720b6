// Transactions signed in the browser: the TxBody of proto/tx.proto, signed with Ed25519 over its
// exact serialized bytes (the intl suite), wrapped in a SignedTx envelope.
import { ed25519 } from "@noble/curves/ed25519.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { ProtoWriter } from "./proto";

export const PROCEDURES = ["liquidation", "reorganization", "compromise"] as const;
export type Procedure = (typeof PROCEDURES)[number];

export interface AcceptCase {
  caseNumber: string;
  debtorName: string;
  debtorCreditCode: string;
  procedure: Procedure;
  acceptanceDate: string; // YYYY-MM-DD
}

export interface AppointAdministrator {
  caseId: string;
  firmOrgId: string;
}

export type Action = { acceptCase: AcceptCase } | { appointAdministrator: AppointAdministrator };

export interface TxHeader {
  chainId: string;
  nonce: bigint | number;
  validUntilHeight: bigint | number;
}

const SUITE_INTL = 1;
// TxBody oneof field numbers (proto/tx.proto).
const FIELD_ACCEPT_CASE = 32;
const FIELD_APPOINT_ADMINISTRATOR = 33;

function encodeAction(action: Action): [number, Uint8Array] {
  if ("acceptCase" in action) {
    const a = action.acceptCase;
    const procedure = PROCEDURES.indexOf(a.procedure) + 1;
    if (procedure === 0) throw new Error(`unknown procedure ${a.procedure}`);
    return [
      FIELD_ACCEPT_CASE,
      new ProtoWriter()
        .string(1, a.caseNumber)
        .string(2, a.debtorName)
        .string(3, a.debtorCreditCode)
        .uint(4, procedure)
        .string(5, a.acceptanceDate)
        .finish(),
    ];
  }
  const a = action.appointAdministrator;
  return [
    FIELD_APPOINT_ADMINISTRATOR,
    new ProtoWriter().string(1, a.caseId).string(2, a.firmOrgId).finish(),
  ];
}

export function encodeTxBody(header: TxHeader, signer: Uint8Array, action: Action): Uint8Array {
  const [field, encoded] = encodeAction(action);
  return new ProtoWriter()
    .string(1, header.chainId)
    .uint(2, SUITE_INTL)
    .bytes(3, signer)
    .uint(4, header.nonce)
    .uint(5, header.validUntilHeight)
    .message(field, encoded)
    .finish();
}

export interface SignedTx {
  body: Uint8Array;
  signature: Uint8Array;
  envelope: Uint8Array; // SignedTx, as POST /v1/tx takes it (application/x-protobuf)
  hash: Uint8Array; // SHA-256 of body: the transaction's hash
}

export function signTx(seed: Uint8Array, header: TxHeader, action: Action): SignedTx {
  const body = encodeTxBody(header, ed25519.getPublicKey(seed), action);
  const signature = ed25519.sign(body, seed);
  const envelope = new ProtoWriter().bytes(1, body).bytes(2, signature).finish();
  return { body, signature, envelope, hash: sha256(body) };
}
