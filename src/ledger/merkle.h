// RFC 6962 Merkle tree hashing: leaf = H(0x00 ‖ data), node = H(0x01 ‖ left ‖ right); the root
// of an empty tree is H(""). The split point of n leaves is the largest power of two below n.
#pragma once

#include <string>
#include <vector>

#include "crypto/crypto.h"

namespace onechain::ledger {

std::string MerkleLeafHash(const crypto::Suite& suite, std::string_view data);
std::string MerkleNodeHash(const crypto::Suite& suite, std::string_view left,
                           std::string_view right);
// Root over the leaves' data (each leaf is hashed with MerkleLeafHash first).
std::string MerkleRoot(const crypto::Suite& suite, const std::vector<std::string>& leaves);

}  // namespace onechain::ledger
