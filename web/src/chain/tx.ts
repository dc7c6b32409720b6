// Transactions signed in the browser: the TxBody of proto/tx.proto, signed over its exact
// serialized bytes with the key's suite (intl: Ed25519; sm: SM2 with SM3), wrapped in a SignedTx
// envelope. The transaction's hash is the suite's hash of the body.
import { fromHex } from "./bytes";
import { ProtoWriter } from "./proto";
import { SUITE_NUMBER, hash, publicKeyOf, sign, type AccountKey, type SuiteName } from "./suite";
import { encodeCourtAction, type CourtAction } from "./txCourt";

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

export interface SetClaimPeriod {
  caseId: string;
  claimPeriodEndMs: bigint | number;
  firstMeetingMs: bigint | number;
}

export const CREDITOR_KINDS = ["firm", "person", "department"] as const;
export type CreditorKind = (typeof CREDITOR_KINDS)[number];

export interface AddKnownCreditor {
  caseId: string;
  kind: CreditorKind;
  name: string;
  idNumber: string;
  orgId: string; // a department's organization; empty otherwise
  serviceAddress: string;
  basis: string;
}

export interface BindCreditorAccount {
  creditorId: string;
  accountId: string;
}

export interface SendClaimNotice {
  creditorId: string;
  text: string;
}

export interface AcknowledgeNotice {
  noticeId: string;
}

// The creditor-facing component kinds (proto/claims.proto ComponentKind 1-4).
export const COMPONENT_KINDS = ["principal", "interest", "penalty", "other"] as const;
export type ComponentKind = (typeof COMPONENT_KINDS)[number];

export interface AmountComponent {
  kind: ComponentKind;
  amount: bigint | number; // fen, ≥ 0
  calculation: string;
}

// A material: the sealed file's hash and size (src/materials/seal.ts) and its data key wrapped for
// each reader (proto/claims.proto Attachment).
export interface Attachment {
  hashHex: string; // the suite hash of the sealed bytes
  size: bigint | number;
  mediaType: string;
  name: string;
  keys: { readerAccountId: string; wrappedHex: string }[];
}

// A declaration without security; attachments are sealed files uploaded before.
export interface Declaration {
  creditorName: string;
  creditorIdNumber: string;
  serviceAddress: string;
  electronicServiceConsent: boolean;
  paymentAccount: string;
  nature: string;
  facts: string;
  components: AmountComponent[];
  attachments?: Attachment[];
}

export interface DeclareClaim {
  creditorId: string;
  declaration: Declaration;
}

// proto/claims.proto Ranking 1-5.
export const RANKINGS = ["secured", "employee", "taxAndSocialInsurance", "ordinary", "subordinated"] as const;
export type Ranking = (typeof RANKINGS)[number];

export interface ComponentReview {
  index: number; // into the declared components, in order
  confirmed: bigint | number; // fen
  ranking: Ranking;
  reason: string;
}

export interface ReviewClaim {
  claimId: string;
  components: ComponentReview[];
  collateralId: string;
  reasons: string;
}

export interface SendReviewNotice {
  claimId: string;
  objectionDeadlineMs: bigint | number;
}

// A creditor of the case objects to a claim's review inside its window (no attachments yet).
export interface ObjectToClaim {
  claimId: string;
  objectorCreditorId: string;
  reasons: string;
}

// A temporary voting amount the court sets for an undetermined claim (EBL 59); 0 removes it.
export interface SetTemporaryVotingAmount {
  claimId: string;
  amount: bigint | number; // fen
}

export const MEETING_KINDS = ["first", "subsequent"] as const;
export type MeetingKind = (typeof MEETING_KINDS)[number];

export interface ConveneMeeting {
  caseId: string;
  kind: MeetingKind;
  startMs: bigint | number;
  voteEndMs: bigint | number;
  place: string;
}

export const MOTION_KINDS = ["ordinary", "compromise", "reorganizationPlan", "distributionPlan"] as const;
export type MotionKind = (typeof MOTION_KINDS)[number];

export interface AddMotion {
  meetingId: string;
  kind: MotionKind;
  title: string;
  text: string;
  planId: string;
}

export const BALLOT_CHOICES = ["yes", "no", "abstain"] as const;
export type BallotChoice = (typeof BALLOT_CHOICES)[number];

export interface CastBallot {
  motionId: string;
  creditorId: string;
  choice: BallotChoice;
}

export interface CloseMotion {
  motionId: string;
}

export type Action =
  | CourtAction
  | { acceptCase: AcceptCase }
  | { appointAdministrator: AppointAdministrator }
  | { setClaimPeriod: SetClaimPeriod }
  | { addKnownCreditor: AddKnownCreditor }
  | { bindCreditorAccount: BindCreditorAccount }
  | { sendClaimNotice: SendClaimNotice }
  | { acknowledgeNotice: AcknowledgeNotice }
  | { declareClaim: DeclareClaim }
  | { reviewClaim: ReviewClaim }
  | { sendReviewNotice: SendReviewNotice }
  | { objectToClaim: ObjectToClaim }
  | { setTemporaryVotingAmount: SetTemporaryVotingAmount }
  | { conveneMeeting: ConveneMeeting }
  | { addMotion: AddMotion }
  | { castBallot: CastBallot }
  | { closeMotion: CloseMotion };

export interface TxHeader {
  chainId: string;
  nonce: bigint | number;
  validUntilHeight: bigint | number;
}

// TxBody oneof field numbers (proto/tx.proto).
const FIELD_ACCEPT_CASE = 32;
const FIELD_APPOINT_ADMINISTRATOR = 33;
const FIELD_SET_CLAIM_PERIOD = 34;
const FIELD_ADD_KNOWN_CREDITOR = 37;
const FIELD_BIND_CREDITOR_ACCOUNT = 38;
const FIELD_SEND_CLAIM_NOTICE = 39;
const FIELD_ACKNOWLEDGE_NOTICE = 40;
const FIELD_DECLARE_CLAIM = 41;
const FIELD_REVIEW_CLAIM = 46;
const FIELD_SEND_REVIEW_NOTICE = 47;
const FIELD_OBJECT_TO_CLAIM = 48;
const FIELD_SET_TEMPORARY_VOTING_AMOUNT = 49;
const FIELD_CONVENE_MEETING = 53;
const FIELD_ADD_MOTION = 54;
const FIELD_CAST_BALLOT = 55;
const FIELD_CLOSE_MOTION = 56;

// The 1-based proto enum number of `value` in `values`.
function enumNumber<T extends string>(values: readonly T[], value: T, what: string): number {
  const n = values.indexOf(value) + 1;
  if (n === 0) throw new Error(`unknown ${what} ${value}`);
  return n;
}

function encodeMeetingAction(action: Action): [number, Uint8Array] | null {
  if ("setTemporaryVotingAmount" in action) {
    const a = action.setTemporaryVotingAmount;
    return [FIELD_SET_TEMPORARY_VOTING_AMOUNT, new ProtoWriter().string(1, a.claimId).uint(2, a.amount).finish()];
  }
  if ("conveneMeeting" in action) {
    const a = action.conveneMeeting;
    return [
      FIELD_CONVENE_MEETING,
      new ProtoWriter()
        .string(1, a.caseId)
        .uint(2, enumNumber(MEETING_KINDS, a.kind, "meeting kind"))
        .uint(3, a.startMs)
        .uint(4, a.voteEndMs)
        .string(5, a.place)
        .finish(),
    ];
  }
  if ("addMotion" in action) {
    const a = action.addMotion;
    return [
      FIELD_ADD_MOTION,
      new ProtoWriter()
        .string(1, a.meetingId)
        .uint(2, enumNumber(MOTION_KINDS, a.kind, "motion kind"))
        .string(3, a.title)
        .string(4, a.text)
        .string(5, a.planId)
        .finish(),
    ];
  }
  if ("castBallot" in action) {
    const a = action.castBallot;
    return [
      FIELD_CAST_BALLOT,
      new ProtoWriter()
        .string(1, a.motionId)
        .string(2, a.creditorId)
        .uint(3, enumNumber(BALLOT_CHOICES, a.choice, "ballot choice"))
        .finish(),
    ];
  }
  if ("closeMotion" in action) return [FIELD_CLOSE_MOTION, new ProtoWriter().string(1, action.closeMotion.motionId).finish()];
  return null;
}

function encodeReview(a: ReviewClaim): Uint8Array {
  const writer = new ProtoWriter().string(1, a.claimId);
  for (const c of a.components) {
    const ranking = RANKINGS.indexOf(c.ranking) + 1;
    if (ranking === 0) throw new Error(`unknown ranking ${c.ranking}`);
    writer.message(
      2,
      new ProtoWriter().uint(1, c.index).uint(2, c.confirmed).uint(3, ranking).string(4, c.reason).finish(),
    );
  }
  return writer.string(3, a.collateralId).string(4, a.reasons).finish();
}

function encodeAttachment(a: Attachment): Uint8Array {
  const writer = new ProtoWriter().bytes(1, fromHex(a.hashHex)).uint(2, a.size).string(3, a.mediaType).string(4, a.name);
  for (const k of a.keys) {
    writer.message(5, new ProtoWriter().string(1, k.readerAccountId).bytes(2, fromHex(k.wrappedHex)).finish());
  }
  return writer.finish();
}

function encodeDeclaration(d: Declaration): Uint8Array {
  const writer = new ProtoWriter()
    .string(1, d.creditorName)
    .string(2, d.creditorIdNumber)
    .string(5, d.serviceAddress)
    .uint(6, d.electronicServiceConsent ? 1 : 0)
    .string(7, d.paymentAccount)
    .string(8, d.nature)
    .string(9, d.facts);
  for (const c of d.components) {
    const kind = COMPONENT_KINDS.indexOf(c.kind) + 1;
    if (kind === 0) throw new Error(`unknown component kind ${c.kind}`);
    writer.message(10, new ProtoWriter().uint(1, kind).uint(2, c.amount).string(3, c.calculation).finish());
  }
  for (const a of d.attachments ?? []) writer.message(17, encodeAttachment(a));
  return writer.finish();
}

function encodeAction(action: Action): [number, Uint8Array] {
  const meeting = encodeMeetingAction(action) ?? encodeCourtAction(action);
  if (meeting) return meeting;
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
  if ("appointAdministrator" in action) {
    const a = action.appointAdministrator;
    return [FIELD_APPOINT_ADMINISTRATOR, new ProtoWriter().string(1, a.caseId).string(2, a.firmOrgId).finish()];
  }
  if ("setClaimPeriod" in action) {
    const a = action.setClaimPeriod;
    return [
      FIELD_SET_CLAIM_PERIOD,
      new ProtoWriter().string(1, a.caseId).uint(2, a.claimPeriodEndMs).uint(3, a.firstMeetingMs).finish(),
    ];
  }
  if ("addKnownCreditor" in action) {
    const a = action.addKnownCreditor;
    const kind = CREDITOR_KINDS.indexOf(a.kind) + 1;
    if (kind === 0) throw new Error(`unknown creditor kind ${a.kind}`);
    return [
      FIELD_ADD_KNOWN_CREDITOR,
      new ProtoWriter()
        .string(1, a.caseId)
        .uint(2, kind)
        .string(3, a.name)
        .string(4, a.idNumber)
        .string(5, a.orgId)
        .string(6, a.serviceAddress)
        .string(7, a.basis)
        .finish(),
    ];
  }
  if ("bindCreditorAccount" in action) {
    const a = action.bindCreditorAccount;
    return [FIELD_BIND_CREDITOR_ACCOUNT, new ProtoWriter().string(1, a.creditorId).string(2, a.accountId).finish()];
  }
  if ("sendClaimNotice" in action) {
    const a = action.sendClaimNotice;
    return [FIELD_SEND_CLAIM_NOTICE, new ProtoWriter().string(1, a.creditorId).string(2, a.text).finish()];
  }
  if ("acknowledgeNotice" in action) {
    return [FIELD_ACKNOWLEDGE_NOTICE, new ProtoWriter().string(1, action.acknowledgeNotice.noticeId).finish()];
  }
  if ("reviewClaim" in action) return [FIELD_REVIEW_CLAIM, encodeReview(action.reviewClaim)];
  if ("sendReviewNotice" in action) {
    const a = action.sendReviewNotice;
    return [FIELD_SEND_REVIEW_NOTICE, new ProtoWriter().string(1, a.claimId).uint(2, a.objectionDeadlineMs).finish()];
  }
  if ("objectToClaim" in action) {
    const a = action.objectToClaim;
    return [
      FIELD_OBJECT_TO_CLAIM,
      new ProtoWriter().string(1, a.claimId).string(2, a.objectorCreditorId).string(3, a.reasons).finish(),
    ];
  }
  if (!("declareClaim" in action)) throw new Error(`unknown action ${Object.keys(action).join(",")}`);
  const a = action.declareClaim;
  return [
    FIELD_DECLARE_CLAIM,
    new ProtoWriter().string(1, a.creditorId).message(2, encodeDeclaration(a.declaration)).finish(),
  ];
}

export function encodeTxBody(
  header: TxHeader,
  signer: Uint8Array,
  action: Action,
  suite: SuiteName = "intl",
): Uint8Array {
  const [field, encoded] = encodeAction(action);
  return new ProtoWriter()
    .string(1, header.chainId)
    .uint(2, SUITE_NUMBER[suite])
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
  hash: Uint8Array; // the suite's hash of body (SHA-256 or SM3): the transaction's hash
}

// `key` is an account key, or an Ed25519 seed (suite intl).
export function signTx(key: AccountKey | Uint8Array, header: TxHeader, action: Action): SignedTx {
  const account: AccountKey = key instanceof Uint8Array ? { suite: "intl", secret: key } : key;
  const body = encodeTxBody(header, publicKeyOf(account), action, account.suite);
  const signature = sign(account, body);
  const envelope = new ProtoWriter().bytes(1, body).bytes(2, signature).finish();
  return { body, signature, envelope, hash: hash(account.suite, body) };
}
