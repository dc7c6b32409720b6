// What the fuzz targets and the corpus generator share: a fixed four-validator chain whose keys
// come from constant seeds, so seeds signed by make_corpus verify in every fuzz run and the
// fuzzer can mutate past the signature checks.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "block.pb.h"
#include "consensus/encoding.h"
#include "crypto/crypto.h"
#include "ledger/proof_bundle.h"

namespace onechain::fuzz {

inline constexpr size_t kValidators = 4;

struct Fixture {
  std::vector<std::unique_ptr<crypto::PrivateKey>> keys;  // validator i's key
  std::unique_ptr<crypto::PrivateKey> client;             // an account key that signs txs
  pb::Genesis genesis;
  std::string genesis_hash;
  consensus::ChainParams params;
  ledger::TrustRoot trust;
};

// Built once per process.
const Fixture& GetFixture();

// The Ed25519 key whose 32-byte seed is `seed` repeated.
std::unique_ptr<crypto::PrivateKey> FixedKey(uint8_t seed);

inline std::string_view AsView(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

}  // namespace onechain::fuzz
