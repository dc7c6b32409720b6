// A creditor's materials for one declaration: each file sealed for the creditor's own account and
// for the administrator members who sent it a notice for that creditor entry, uploaded with
// PUT /v1/blobs/{hash}, and returned as the attachments the declaration references.
import { api, ApiError } from "../api/client";
import { toBase64 } from "../chain/bytes";
import type { AccountKey } from "../chain/suite";
import type { Attachment } from "../chain/tx";
import type { Translate } from "../i18n";
import { deriveEncryptionKey } from "./encryptionKey";
import { declarationMaterialAad, readersOf, sealMaterial } from "./materials";

export async function prepareDeclarationMaterials(
  t: Translate,
  key: AccountKey,
  me: { id?: string; encryptionKey?: string },
  administratorIds: string[],
  creditorId: string,
  files: File[],
): Promise<Attachment[] | { error: string }> {
  if (!me.id || me.encryptionKey !== toBase64(deriveEncryptionKey(key).publicKey)) {
    return { error: t("err_noOwnEncryptionKey") };
  }
  if (administratorIds.length === 0) return { error: t("err_noAdministratorReader") };
  try {
    const readers = await readersOf([me.id, ...administratorIds]);
    const attachments: Attachment[] = [];
    for (let i = 0; i < files.length; i++) {
      const content = new Uint8Array(await files[i].arrayBuffer());
      const sealed = sealMaterial(
        key.suite,
        { name: files[i].name, mediaType: files[i].type, content },
        readers,
        declarationMaterialAad(creditorId, i),
      );
      await api.uploadBlob(key, sealed.sealed, sealed.hashHex);
      attachments.push(sealed.attachment);
    }
    return attachments;
  } catch (error) {
    if (error instanceof ApiError && error.code === "NO_ENCRYPTION_KEY") return { error: t("err_noReaderKey", { id: error.message }) };
    return { error: error instanceof ApiError ? `${error.code}: ${error.message}` : String(error) };
  }
}
