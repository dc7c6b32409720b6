#include "node/document_refs.h"

#include <algorithm>

#include "claims.pb.h"
#include "meetings.pb.h"

namespace onechain::node {

std::vector<std::string> DocumentHashesOf(std::string_view key, std::string_view value) {
  std::vector<std::string> hashes;
  auto add = [&](const pb::Attachment& attachment) {
    if (!attachment.hash().empty()) hashes.push_back(attachment.hash());
  };
  if (key.starts_with("plan/")) {
    pb::Plan plan;
    if (!plan.ParseFromArray(value.data(), static_cast<int>(value.size()))) return {};
    if (plan.has_document()) add(plan.document());
  } else if (key.starts_with("claim/")) {
    pb::Claim claim;
    if (!claim.ParseFromArray(value.data(), static_cast<int>(value.size()))) return {};
    const pb::Declaration& declaration = claim.declaration();
    if (declaration.has_agent_authorization()) add(declaration.agent_authorization());
    for (const pb::Attachment& attachment : declaration.attachments()) add(attachment);
    for (const pb::Objection& objection : claim.objections()) {
      for (const pb::Attachment& attachment : objection.attachments()) add(attachment);
    }
  }
  return hashes;
}

bool References(std::string_view key, std::string_view value, std::string_view file_hash) {
  std::vector<std::string> hashes = DocumentHashesOf(key, value);
  return std::find(hashes.begin(), hashes.end(), file_hash) != hashes.end();
}

}  // namespace onechain::node
