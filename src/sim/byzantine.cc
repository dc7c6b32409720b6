#include "sim/byzantine.h"

#include <algorithm>

#include "consensus/limits.h"

namespace onechain::sim {

using consensus::EncodeMessage;

std::string Byzantine::RandomBytes(size_t n) {
  std::string out(n, '\0');
  for (char& c : out) c = static_cast<char>(rng_());
  return out;
}

void Byzantine::SignBlock(pb::ConsensusBlock& block) const {
  block.set_signature(key_.Sign(consensus::BlockId(params_, block)));
}

std::vector<Outgoing> Byzantine::Mutate(std::optional<uint32_t> to, const std::string& bytes) {
  std::vector<uint32_t> targets;
  for (uint32_t v = 0; v < params_.n(); ++v) {
    if (v != self_ && (!to || *to == v)) targets.push_back(v);
  }
  pb::ConsensusMessage message;
  const bool parsed = message.ParseFromString(bytes);
  switch (mode_) {
    case ByzantineMode::kEquivocate:
      if (parsed) return Equivocate(targets, message, bytes);
      break;
    case ByzantineMode::kInvalidCerts:
      if (parsed) return InvalidCerts(targets, std::move(message), bytes);
      break;
    case ByzantineMode::kGarbage:
      return Garbage(targets, bytes);
    case ByzantineMode::kNone:
      break;
  }
  std::vector<Outgoing> out;
  for (uint32_t t : targets) out.push_back({t, bytes});
  return out;
}

// Two proposals for one round (one possibly with an invalid payload), each sent to part of the
// validators; two votes per round for different blocks.
std::vector<Outgoing> Byzantine::Equivocate(const std::vector<uint32_t>& targets,
                                            const pb::ConsensusMessage& message,
                                            const std::string& bytes) {
  std::vector<Outgoing> out;
  if (message.has_proposal()) {
    pb::ConsensusMessage other = message;
    pb::ConsensusBlock& block = *other.mutable_proposal()->mutable_block();
    block.clear_batches();
    block.add_batches((Chance(0.3) ? "invalid-" : "equivocation-") + RandomBytes(8));
    SignBlock(block);
    const std::string other_bytes = EncodeMessage(other);
    for (uint32_t t : targets) out.push_back({t, Chance(0.5) ? bytes : other_bytes});
    return out;
  }
  if (message.has_vote()) {
    pb::ConsensusMessage other = message;
    pb::Vote& vote = *other.mutable_vote();
    vote.mutable_vote_data()->mutable_proposed()->set_id(RandomBytes(crypto::kHashBytes));
    vote.set_signature(key_.Sign(consensus::VoteDigest(params_, vote.vote_data())));
    const std::string other_bytes = EncodeMessage(other);
    const bool other_first = Chance(0.5);
    for (uint32_t t : targets) {
      out.push_back({t, other_first ? other_bytes : bytes});
      out.push_back({t, other_first ? bytes : other_bytes});
    }
    return out;
  }
  for (uint32_t t : targets) out.push_back({t, bytes});
  return out;
}

pb::QuorumCert Byzantine::ForgeQc(uint64_t round, uint64_t height) {
  pb::QuorumCert qc;
  pb::BlockInfo& proposed = *qc.mutable_vote_data()->mutable_proposed();
  proposed.set_round(round);
  proposed.set_height(height);
  proposed.set_id(RandomBytes(crypto::kHashBytes));
  proposed.set_state_root(RandomBytes(crypto::kHashBytes));
  pb::BlockInfo& parent = *qc.mutable_vote_data()->mutable_parent();
  parent.set_round(round - 1);
  parent.set_height(height - 1);
  parent.set_id(RandomBytes(crypto::kHashBytes));
  parent.set_state_root(RandomBytes(crypto::kHashBytes));
  // Every signature is the Byzantine validator's own, under other validators' indices.
  const std::string signature = key_.Sign(consensus::VoteDigest(params_, qc.vote_data()));
  for (uint32_t i = 0; i < params_.quorum(); ++i) {
    pb::ValidatorSignature& s = *qc.add_signatures();
    s.set_signer(i);
    s.set_signature(signature);
  }
  return qc;
}

void Byzantine::CorruptQc(pb::QuorumCert& qc) {
  const int how = static_cast<int>(rng_() % 4);
  if (qc.signatures_size() == 0 || how == 0) {
    qc = ForgeQc(consensus::QcRound(qc) + 1 + rng_() % 5, qc.vote_data().proposed().height() + 1);
  } else if (how == 1) {  // a flipped bit
    std::string& sig = *qc.mutable_signatures(0)->mutable_signature();
    sig[rng_() % sig.size()] ^= 1;
  } else if (how == 2) {  // one signer counted twice
    *qc.mutable_signatures(qc.signatures_size() - 1) = qc.signatures(0);
  } else {  // one signer short of a quorum
    qc.mutable_signatures()->RemoveLast();
  }
}

void Byzantine::CorruptTc(pb::TimeoutCert& tc, uint64_t round) {
  tc.set_round(round);
  tc.clear_signatures();
  const bool duplicate = Chance(0.5);
  for (uint32_t i = 0; i < params_.quorum(); ++i) {
    pb::TimeoutSignature& s = *tc.add_signatures();
    s.set_signer(duplicate ? self_ : i);
    s.set_high_qc_round(0);
    s.set_signature(key_.Sign(consensus::TimeoutDigest(params_, round, 0)));
  }
}

// The message goes out as it is to some validators, and with a broken certificate (otherwise
// validly signed by this validator) to others.
std::vector<Outgoing> Byzantine::InvalidCerts(const std::vector<uint32_t>& targets,
                                              pb::ConsensusMessage message,
                                              const std::string& bytes) {
  if (message.has_proposal()) {
    pb::Proposal& proposal = *message.mutable_proposal();
    if (Chance(0.5)) {
      CorruptQc(*proposal.mutable_block()->mutable_qc());
    } else {
      CorruptTc(*proposal.mutable_last_round_tc(), proposal.block().round() - 1);
    }
    SignBlock(*proposal.mutable_block());
  } else if (message.has_timeout()) {
    pb::Timeout& timeout = *message.mutable_timeout();
    if (Chance(0.5)) {
      CorruptQc(*timeout.mutable_high_qc());
      if (consensus::QcRound(timeout.high_qc()) >= timeout.round()) {
        timeout.set_round(consensus::QcRound(timeout.high_qc()) + 1);
      }
    } else {
      CorruptTc(*timeout.mutable_last_round_tc(), timeout.round() - 1);
    }
    timeout.set_signature(key_.Sign(consensus::TimeoutDigest(
        params_, timeout.round(), consensus::QcRound(timeout.high_qc()))));
  } else if (message.has_vote()) {
    message.mutable_vote()->set_signer((self_ + 1) % params_.n());  // claims another's vote
  }
  const std::string broken = EncodeMessage(message);
  std::vector<Outgoing> out;
  for (uint32_t t : targets) {
    if (Chance(0.5)) out.push_back({t, bytes});
    out.push_back({t, broken});
  }
  return out;
}

std::vector<Outgoing> Byzantine::Garbage(const std::vector<uint32_t>& targets,
                                         const std::string& bytes) {
  std::vector<Outgoing> out;
  for (uint32_t t : targets) {
    if (Chance(0.5)) out.push_back({t, bytes});
    const int how = static_cast<int>(rng_() % 100);
    if (how < 30) {
      out.push_back({t, RandomBytes(rng_() % 300)});
    } else if (how < 60) {
      out.push_back({t, bytes.substr(0, rng_() % (bytes.size() + 1))});
    } else if (how < 75) {  // a well-formed block over the batch limit
      pb::ConsensusMessage big;
      pb::ConsensusBlock& block = *big.mutable_proposal()->mutable_block();
      block.set_round(1);
      block.set_proposer(self_);
      *block.mutable_qc() = consensus::GenesisQc(params_.genesis);
      for (size_t i = 0; i <= consensus::kBlockBatchesMax; ++i) block.add_batches("x");
      SignBlock(block);
      out.push_back({t, EncodeMessage(big)});
    } else if (how < 90) {  // an unsolicited response with a forged chain
      pb::ConsensusMessage response;
      pb::ConsensusBlock& block = *response.mutable_block_response()->add_blocks();
      block.set_round(1000);
      block.set_proposer(self_);
      *block.mutable_qc() = ForgeQc(999, 500);
      SignBlock(block);
      out.push_back({t, EncodeMessage(response)});
    } else if (how < 99) {  // a vote from a signer index outside the set
      pb::ConsensusMessage vote;
      vote.mutable_vote()->set_signer(static_cast<uint32_t>(params_.n() + rng_() % 1000));
      out.push_back({t, EncodeMessage(vote)});
    } else {  // one byte over the message limit
      out.push_back({t, std::string(consensus::kMessageBytesMax + 1, '\x0a')});
    }
  }
  return out;
}

}  // namespace onechain::sim
