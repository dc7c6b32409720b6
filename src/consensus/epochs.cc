#include "consensus/epochs.h"

#include <set>

#include "consensus/certificates.h"
#include "consensus/limits.h"

namespace onechain::consensus {

namespace {

Status Refuse(const std::string& why) { return Status(pb::Status::BAD_SIGNATURE, why); }

}  // namespace

std::string EpochChainId(std::string_view chain_id, uint64_t epoch) {
  std::string id(chain_id);
  if (epoch > 0) id += "/epoch/" + std::to_string(epoch);
  return id;
}

ChainParams EpochParams(const ChainParams& genesis_params, uint64_t epoch,
                        std::vector<std::string> keys, const pb::BlockInfo& start) {
  ChainParams params;
  params.chain_id = EpochChainId(genesis_params.chain_id, epoch);
  params.suite = genesis_params.suite;
  params.validator_keys = std::move(keys);
  params.genesis = start;
  return params;
}

std::string EncodeEpochFrame(uint64_t epoch, std::string_view message) {
  std::string frame;
  frame.reserve(8 + message.size());
  for (int shift = 56; shift >= 0; shift -= 8) {
    frame.push_back(static_cast<char>((epoch >> shift) & 0xff));
  }
  frame.append(message);
  return frame;
}

std::optional<std::pair<uint64_t, std::string_view>> DecodeEpochFrame(std::string_view frame) {
  if (frame.size() < 8) return std::nullopt;
  uint64_t epoch = 0;
  for (size_t i = 0; i < 8; ++i) epoch = (epoch << 8) | static_cast<unsigned char>(frame[i]);
  return std::make_pair(epoch, frame.substr(8));
}

bool IsCommitQcOf(const pb::QuorumCert& qc, const pb::BlockInfo& last) {
  return InfoBytes(qc.vote_data().parent()) == InfoBytes(last) &&
         QcRound(qc) == last.round() + 1;
}

Result<ChainParams> VerifyEpochChange(const ChainParams& genesis_params, const ChainParams& current,
                                      uint64_t current_epoch, const pb::EpochChangeProof& change,
                                      const SetBinding& binding) {
  const std::string at = "epoch change to " + std::to_string(change.epoch()) + ": ";
  if (change.epoch() != current_epoch + 1) {
    return Refuse(at + "expected epoch " + std::to_string(current_epoch + 1));
  }
  const pb::QuorumCert& qc = change.commit_qc();
  if (Status st = CheckQcShape(current, qc); !st.ok()) return Status(st.code(), at + st.message());
  if (qc.signatures().empty()) return Refuse(at + "the commit QC carries no signatures");
  if (!IsCommitQcOf(qc, qc.vote_data().parent())) {
    return Refuse(at + "the QC does not commit its parent (round is not the parent's + 1)");
  }
  if (static_cast<size_t>(change.ancestry_size()) > kEpochAncestryMax) {
    return Refuse(at + "more than " + std::to_string(kEpochAncestryMax) + " ancestry QCs");
  }
  Verifier verifier(current);
  if (Status st = verifier.VerifyQc(qc); !st.ok()) {
    return Refuse(at + "commit QC does not verify under epoch " + std::to_string(current_epoch) +
                  ": " + st.message());
  }
  // Down from the committed block to the epoch's last block, one certified parent link a QC.
  pb::BlockInfo last = qc.vote_data().parent();
  for (const pb::QuorumCert& link : change.ancestry()) {
    if (Status st = CheckQcShape(current, link); !st.ok()) {
      return Status(st.code(), at + "ancestry: " + st.message());
    }
    if (link.signatures().empty() || InfoBytes(link.vote_data().proposed()) != InfoBytes(last)) {
      return Refuse(at + "an ancestry QC does not certify the block named before it");
    }
    if (Status st = verifier.VerifyQc(link); !st.ok()) {
      return Refuse(at + "an ancestry QC does not verify: " + st.message());
    }
    last = link.vote_data().parent();
  }
  if (last.height() <= current.genesis.height()) {
    return Refuse(at + "the last block is not above the previous epoch's start");
  }
  std::vector<std::string> keys(change.next_keys().begin(), change.next_keys().end());
  if (keys.empty() || keys.size() > kValidatorsMax) {
    return Refuse(at + "the new set needs 1 to " + std::to_string(kValidatorsMax) + " keys");
  }
  std::set<std::string> distinct;
  for (const std::string& key : keys) {
    if (key.size() != genesis_params.suite->public_key_bytes() || !distinct.insert(key).second) {
      return Refuse(at + "the new set has a key of the wrong size or a repeated key");
    }
  }
  if (Status st = binding(last, keys, change.binding()); !st.ok()) {
    return Refuse(at + "the new set is not the one block " + std::to_string(last.height()) +
                  " committed: " + st.message());
  }
  return EpochParams(genesis_params, change.epoch(), std::move(keys), last);
}

Result<ChainParams> VerifyEpochChain(const ChainParams& genesis_params, const pb::EpochChain& chain,
                                     const SetBinding& binding) {
  if (static_cast<size_t>(chain.changes_size()) > kEpochChangesMax) {
    return Status(pb::Status::TOO_LARGE, "more than " + std::to_string(kEpochChangesMax) +
                                             " epoch changes");
  }
  ChainParams current = genesis_params;
  uint64_t epoch = 0;
  for (const pb::EpochChangeProof& change : chain.changes()) {
    Result<ChainParams> next = VerifyEpochChange(genesis_params, current, epoch, change, binding);
    if (!next.ok()) return next.status();
    current = std::move(next).value();
    ++epoch;
  }
  return current;
}

}  // namespace onechain::consensus
