// Fills a transaction's chain id, nonce and validity from the node, signs it in the browser and
// submits it, as `onechain tx send` does (src/cli/tx_query.cc SignAndSend).
import { ApiError, api, type TxStatus } from "../api/client";
import { SUITE_ENUM_NAME, type AccountKey } from "./suite";
import { signTx, type Action } from "./tx";

export const VALID_FOR_BLOCKS = 1000;

export async function signAndSend(key: AccountKey, publicKey: Uint8Array, action: Action): Promise<TxStatus> {
  const health = await api.health();
  if (health.suite !== SUITE_ENUM_NAME[key.suite]) {
    throw new ApiError(
      400,
      "WRONG_SUITE",
      `this network signs with ${health.suite ?? "another suite"}; this key is of the ${key.suite} suite`,
    );
  }
  let nonce = 1n;
  try {
    nonce = BigInt((await api.accountByKey(publicKey)).nonce ?? "0") + 1n;
  } catch (error) {
    if (!(error instanceof ApiError && error.code === "NOT_FOUND")) throw error;
  }
  const tx = signTx(
    key,
    { chainId: health.chainId ?? "", nonce, validUntilHeight: BigInt(health.height ?? "0") + BigInt(VALID_FOR_BLOCKS) },
    action,
  );
  return api.submitTx(tx);
}

// signAndSend's outcome for a form: the committed status, or the refusal as one sentence.
export async function sendForForm(
  seed: AccountKey,
  publicKey: Uint8Array,
  action: Action,
): Promise<{ status: TxStatus } | { error: string }> {
  try {
    return { status: await signAndSend(seed, publicKey, action) };
  } catch (error) {
    return { error: error instanceof ApiError ? `${error.code}: ${error.message}` : String(error) };
  }
}
