#include "ledger/state_root.h"

namespace onechain::ledger {

namespace {
void AppendLengthPrefixed(std::string& out, std::string_view bytes) {
  uint32_t size = static_cast<uint32_t>(bytes.size());
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>(size >> shift));
  out.append(bytes);
}
}  // namespace

std::string NextStateRoot(const crypto::Suite& suite, std::string_view previous_root,
                          const StateWrites& writes) {
  std::string encoded;
  for (const auto& [key, value] : writes) {
    AppendLengthPrefixed(encoded, key);
    encoded.push_back(value.has_value() ? '\x01' : '\x00');
    if (value.has_value()) AppendLengthPrefixed(encoded, *value);
  }
  std::string digest = suite.Hash(encoded);
  return suite.Hash({"onechain/state/v1", previous_root, digest});
}

}  // namespace onechain::ledger
