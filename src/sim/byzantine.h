// The Byzantine validator of a simulation: it runs the honest state machine underneath (so it
// takes part in rounds and knows current certificates) and rewrites what it sends: equivocating
// proposals and votes, invalid certificates, malformed and oversized messages. It holds its own
// key, so everything it signs is validly signed by it; it cannot sign for anyone else.
#pragma once

#include <optional>
#include <random>
#include <string>
#include <vector>

#include "consensus/encoding.h"

namespace onechain::sim {

enum class ByzantineMode { kNone, kEquivocate, kInvalidCerts, kGarbage };

struct Outgoing {
  uint32_t to;
  std::string bytes;
};

class Byzantine {
 public:
  Byzantine(ByzantineMode mode, const consensus::ChainParams& params,
            const crypto::PrivateKey& key, uint32_t self, std::mt19937_64& rng)
      : mode_(mode), params_(params), key_(key), self_(self), rng_(rng) {}

  // What it actually sends when its state machine sends `bytes` to `to` (nullopt: everyone).
  std::vector<Outgoing> Mutate(std::optional<uint32_t> to, const std::string& bytes);

 private:
  std::vector<Outgoing> Equivocate(const std::vector<uint32_t>& targets,
                                   const pb::ConsensusMessage& message, const std::string& bytes);
  std::vector<Outgoing> InvalidCerts(const std::vector<uint32_t>& targets,
                                     pb::ConsensusMessage message, const std::string& bytes);
  std::vector<Outgoing> Garbage(const std::vector<uint32_t>& targets, const std::string& bytes);
  void CorruptQc(pb::QuorumCert& qc);
  void CorruptTc(pb::TimeoutCert& tc, uint64_t round);
  pb::QuorumCert ForgeQc(uint64_t round, uint64_t height);
  void SignBlock(pb::ConsensusBlock& block) const;
  std::string RandomBytes(size_t n);
  bool Chance(double p) { return std::uniform_real_distribution<double>(0, 1)(rng_) < p; }

  const ByzantineMode mode_;
  const consensus::ChainParams& params_;
  const crypto::PrivateKey& key_;
  const uint32_t self_;
  std::mt19937_64& rng_;
};

}  // namespace onechain::sim
