// The console's REST client. Every route it calls is typed by api/openapi.yaml through the
// generated src/api/schema.d.ts (npm run gen:api), so a route or field the API does not document
// fails `tsc`; test/openapi.test.ts checks schema.d.ts is what openapi.yaml generates today.
import type { components, paths } from "./schema";
import { signRequest, randomNonce } from "../chain/requestAuth";
import { toHex } from "../chain/bytes";
import type { SignedTx } from "../chain/tx";
import type { AccountKey } from "../chain/suite";

export type Schemas = components["schemas"];
export type Case = Schemas["Case"];
export type CaseList = Schemas["CaseList"];
export type Health = Schemas["Health"];
export type Genesis = Schemas["Genesis"];
export type ProofBundleView = Schemas["ProofBundleView"];
export type ClaimHistory = Schemas["ClaimHistory"];
export type DistributionDetail = Schemas["DistributionDetail"];
export type Account = Schemas["Account"];
export type TxStatus = Schemas["TxStatus"];
export type MeetingList = Schemas["MeetingList"];
export type RecruitmentList = Schemas["RecruitmentList"];
export type CaseCreditorList = Schemas["CaseCreditorList"];
export type NoticeList = Schemas["NoticeList"];
export type ClaimList = Schemas["ClaimList"];
export type OrgList = Schemas["OrgList"];
export type ClaimForm = Schemas["ClaimForm"];
export type Claim = Schemas["Claim"];
export type BlockView = Schemas["BlockView"];
export type PlanList = Schemas["PlanList"];
export type Plan = Schemas["Plan"];

type GetRoute = { [P in keyof paths]: paths[P] extends { get: object } ? P : never }[keyof paths];
type Query<P extends GetRoute> = paths[P]["get"] extends { parameters: { query?: infer Q } }
  ? Q
  : never;

export class ApiError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function parseReply<T>(response: Response): Promise<T> {
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ApiError(response.status, "MALFORMED", `the node answered ${response.status} without JSON`);
  }
  if (!response.ok) {
    const error = json as Schemas["ErrorBody"];
    throw new ApiError(response.status, String(error.code ?? "UNKNOWN"), String(error.message ?? ""));
  }
  return json as T;
}

function fillPath(route: string, params: Record<string, string>): string {
  return route.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`missing path parameter ${name}`);
    return encodeURIComponent(value);
  });
}

export interface GetOptions<P extends GetRoute> {
  path?: Record<string, string>;
  query?: Query<P>;
  // Signs the read with this account key (a signed read, api/request_auth.h).
  signWith?: AccountKey;
}

export async function get<P extends GetRoute, T>(route: P, options: GetOptions<P> = {}): Promise<T> {
  const path = fillPath(route, options.path ?? {});
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries((options.query ?? {}) as Record<string, unknown>)) {
    if (value !== undefined && value !== "") search.set(name, String(value));
  }
  const query = search.toString();
  const headers: Record<string, string> = { Accept: "application/json" };
  if (options.signWith) {
    const created = Math.floor(Date.now() / 1000);
    Object.assign(headers, signRequest(options.signWith, { method: "GET", path, query, body: "" }, created, randomNonce()));
  }
  const response = await fetch(query ? `${path}?${query}` : path, { headers });
  return parseReply<T>(response);
}

export const api = {
  orgs: () => get<"/v1/orgs", OrgList>("/v1/orgs"),
  latestBlock: () => get<"/v1/blocks/latest", BlockView>("/v1/blocks/latest"),
  block: (height: string) => get<"/v1/blocks/{height}", BlockView>("/v1/blocks/{height}", { path: { height } }),
  tx: (hash: string) => get<"/v1/tx/{hash}", TxStatus>("/v1/tx/{hash}", { path: { hash } }),
  health: () => get<"/v1/health", Health>("/v1/health"),
  searchCases: (query: Query<"/v1/cases">) => get<"/v1/cases", CaseList>("/v1/cases", { query }),
  getCase: (id: string) => get<"/v1/cases/{id}", Case>("/v1/cases/{id}", { path: { id } }),
  caseMeetings: (id: string) =>
    get<"/v1/cases/{id}/meetings", MeetingList>("/v1/cases/{id}/meetings", { path: { id } }),
  caseRecruitments: (id: string) =>
    get<"/v1/cases/{id}/recruitments", RecruitmentList>("/v1/cases/{id}/recruitments", { path: { id } }),
  accountByKey: (publicKey: Uint8Array) =>
    get<"/v1/keys/{public_key}", Account>("/v1/keys/{public_key}", { path: { public_key: toHex(publicKey) } }),
  me: (seed: AccountKey) => get<"/v1/me", Account>("/v1/me", { signWith: seed }),
  myNotices: (seed: AccountKey) => get<"/v1/me/notices", NoticeList>("/v1/me/notices", { signWith: seed }),
  myClaims: (seed: AccountKey) => get<"/v1/me/claims", ClaimList>("/v1/me/claims", { signWith: seed }),
  claimForm: (seed: AccountKey, id: string) =>
    get<"/v1/cases/{id}/claims", ClaimForm>("/v1/cases/{id}/claims", { path: { id }, signWith: seed }),
  claim: (seed: AccountKey, id: string) => get<"/v1/claims/{id}", Claim>("/v1/claims/{id}", { path: { id }, signWith: seed }),
  genesis: () => get<"/v1/genesis", Genesis>("/v1/genesis"),
  distributionPreview: (key: AccountKey, id: string, query: Query<"/v1/cases/{id}/distribution-preview">) =>
    get<"/v1/cases/{id}/distribution-preview", DistributionDetail>("/v1/cases/{id}/distribution-preview", {
      path: { id },
      query,
      signWith: key,
    }),
  // Signed by the transaction's signer, the bundle carries the transaction itself.
  txProof: (key: AccountKey | undefined, hash: string) =>
    get<"/v1/proofs/tx/{hash}", ProofBundleView>("/v1/proofs/tx/{hash}", { path: { hash }, signWith: key }),
  claimHistory: (key: AccountKey, id: string) =>
    get<"/v1/claims/{id}/history", ClaimHistory>("/v1/claims/{id}/history", { path: { id }, signWith: key }),
  caseCreditors: (seed: AccountKey, id: string) =>
    get<"/v1/cases/{id}/creditors", CaseCreditorList>("/v1/cases/{id}/creditors", { path: { id }, signWith: seed }),

  // PUT /v1/blobs/{hash}: a sealed material (src/materials/), the body its ciphertext, the request
  // signed like other signed calls (Content-Digest covers the body).
  async uploadBlob(key: AccountKey, sealed: Uint8Array, hashHex: string): Promise<void> {
    const route: keyof paths & "/v1/blobs/{hash}" = "/v1/blobs/{hash}";
    const path = route.replace("{hash}", hashHex);
    const headers = signRequest(key, { method: "PUT", path, query: "", body: sealed }, Math.floor(Date.now() / 1000), randomNonce());
    const response = await fetch(path, {
      method: "PUT",
      headers: { ...headers, "Content-Type": "application/octet-stream", Accept: "application/json" },
      body: sealed as BufferSource,
    });
    if (!response.ok) await parseReply<unknown>(response);
  },

  casePlans: (key: AccountKey, id: string) =>
    get<"/v1/cases/{id}/plans", PlanList>("/v1/cases/{id}/plans", { path: { id }, signWith: key }),

  // POST /v1/events/token (a signed POST, empty body): a token for EventSource.
  async eventToken(key: AccountKey): Promise<Schemas["EventToken"]> {
    const route: keyof paths & "/v1/events/token" = "/v1/events/token";
    const headers = signRequest(key, { method: "POST", path: route, query: "", body: "" }, Math.floor(Date.now() / 1000), randomNonce());
    return parseReply(await fetch(route, { method: "POST", headers: { ...headers, Accept: "application/json" } }));
  },

  account: (id: string) => get<"/v1/accounts/{id}", Account>("/v1/accounts/{id}", { path: { id } }),

  // GET /v1/blobs/{hash}: a material's ciphertext, to a reader (a signed read).
  async downloadBlob(key: AccountKey, hashHex: string): Promise<Uint8Array> {
    const route: keyof paths & "/v1/blobs/{hash}" = "/v1/blobs/{hash}";
    const path = route.replace("{hash}", hashHex);
    const headers = signRequest(key, { method: "GET", path, query: "", body: "" }, Math.floor(Date.now() / 1000), randomNonce());
    const response = await fetch(path, { headers: { ...headers, Accept: "application/octet-stream" } });
    if (!response.ok) await parseReply<unknown>(response);
    return new Uint8Array(await response.arrayBuffer());
  },

  // POST /v1/tx with the binary envelope; waits up to waitMs for the commit.
  async submitTx(tx: SignedTx, waitMs = 30000): Promise<TxStatus> {
    const route: keyof paths & "/v1/tx" = "/v1/tx";
    const response = await fetch(`${route}?wait_ms=${waitMs}`, {
      method: "POST",
      headers: { "Content-Type": "application/x-protobuf", Accept: "application/json" },
      body: tx.envelope as BufferSource,
    });
    return parseReply<TxStatus>(response);
  },
};
