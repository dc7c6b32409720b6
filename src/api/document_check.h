// The document check (issue 5, item 5): whether a record references a file, given the file's
// hash, with a proof bundle of that record's state key (node/document_refs.h says which records
// and fields count). A record answers only to a caller who may read it (node/read_policy.h,
// through the node's reads of plans and claims); for everyone else a match answers exactly as no
// match: NotFound("document").
#pragma once

#include <string_view>

#include "api/proof_reads.h"
#include "node/node.h"

namespace onechain::api {

// Records that reference one hash read from the document index at most.
inline constexpr size_t kDocumentScanPage = 512;

Result<pb::ProofBundleView> DocumentProof(const node::Node& node, const pb::Account* caller,
                                          std::string_view file_hash,
                                          const CertificateSource& certificates);

}  // namespace onechain::api
