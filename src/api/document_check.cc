#include "api/document_check.h"

#include "node/document_index.h"
#include "node/document_refs.h"
#include "node/read_policy.h"

namespace onechain::api {

namespace {

// Whether `caller` may read the record under `key` (a key of kDocumentRecordPrefixes).
bool MayReadRecord(const node::Node& node, const pb::Account* caller, std::string_view key) {
  if (key.starts_with("plan/")) return node.GetPlan(caller, key.substr(5)).ok();
  if (key.starts_with("claim/")) return node.GetClaim(caller, key.substr(6)).ok();
  return false;
}

}  // namespace

Result<pb::ProofBundleView> DocumentProof(const node::Node& node, const pb::Account* caller,
                                          std::string_view file_hash,
                                          const CertificateSource& certificates) {
  // The records that reference the hash, from the document index (node/document_index.h).
  auto keys = node::RecordsReferencing(node.chain().store(), file_hash, kDocumentScanPage);
  if (!keys.ok()) return keys.status();
  for (const std::string& key : *keys) {
    if (!MayReadRecord(node, caller, key)) continue;
    Result<pb::ProofBundleView> view = StateKeyProof(node.chain(), key, certificates);
    // The record proven is the one read at the proof's height: it must still reference it.
    if (!view.ok() || !view->present() ||
        !node::References(key, view->bundle().state().value(), file_hash)) {
      continue;
    }
    return view;
  }
  return node::NotFound("document");
}

}  // namespace onechain::api
