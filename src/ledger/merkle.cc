#include "ledger/merkle.h"

#include <cassert>
#include <span>

namespace onechain::ledger {

namespace {
constexpr char kLeafPrefix = '\x00';
constexpr char kNodePrefix = '\x01';

// Root of already-hashed leaves, following RFC 6962 section 2.1 with the split point k = the
// largest power of two smaller than n.
std::string RootOfHashes(const crypto::Suite& suite, std::span<const std::string> hashes) {
  assert(!hashes.empty());
  if (hashes.size() == 1) return hashes[0];
  size_t split = 1;
  while (split * 2 < hashes.size()) split *= 2;
  return MerkleNodeHash(suite, RootOfHashes(suite, hashes.first(split)),
                        RootOfHashes(suite, hashes.subspan(split)));
}
}  // namespace

std::string MerkleLeafHash(const crypto::Suite& suite, std::string_view data) {
  return suite.Hash({std::string_view(&kLeafPrefix, 1), data});
}

std::string MerkleNodeHash(const crypto::Suite& suite, std::string_view left,
                           std::string_view right) {
  return suite.Hash({std::string_view(&kNodePrefix, 1), left, right});
}

std::string MerkleRoot(const crypto::Suite& suite, const std::vector<std::string>& leaves) {
  if (leaves.empty()) return suite.Hash(std::string_view());
  std::vector<std::string> hashes;
  hashes.reserve(leaves.size());
  for (const auto& leaf : leaves) hashes.push_back(MerkleLeafHash(suite, leaf));
  return RootOfHashes(suite, hashes);
}

}  // namespace onechain::ledger
