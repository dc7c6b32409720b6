#include "consensus/encoding.h"

#include <cassert>

#include "consensus/limits.h"

namespace onechain::consensus {
namespace {

void PutU32(std::string& out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>(v >> shift));
}
void PutU64(std::string& out, uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>(v >> shift));
}
void PutChainId(std::string& out, std::string_view chain_id) {
  PutU32(out, static_cast<uint32_t>(chain_id.size()));
  out.append(chain_id);
}

Status Malformed(std::string message) { return Status(pb::Status::MALFORMED, std::move(message)); }

Status CheckInfoShape(const pb::BlockInfo& info, const char* what) {
  if (info.id().size() != crypto::kHashBytes || info.state_root().size() != crypto::kHashBytes) {
    return Malformed(std::string(what) + ": block id and state root must be 32 bytes");
  }
  return Status::Ok();
}

}  // namespace

void ChainParams::CheckValid() const {
  assert(suite != nullptr);
  assert(!validator_keys.empty() && validator_keys.size() <= kValidatorsMax);
  // Epochs after the first sign under chain_id ‖ "/epoch/" ‖ decimal (at most 27 more bytes).
  assert(chain_id.size() <= kChainIdBytesMax + 27);
  for (const std::string& key : validator_keys) assert(key.size() == suite->public_key_bytes());
  // `genesis` is the epoch's start: the genesis block (round 0, height 0) for epoch 0, the
  // previous epoch's last block otherwise (docs/consensus.md §14.3).
  assert(genesis.id().size() == crypto::kHashBytes);
  assert(genesis.state_root().size() == crypto::kHashBytes);
  assert(quorum() * 3 > n() * 2);
}

pb::BlockInfo GenesisInfo(const crypto::Suite& suite, std::string_view genesis_hash,
                          int64_t genesis_time_ms, std::string_view genesis_state_root) {
  pb::BlockInfo info;
  info.set_round(0);
  info.set_height(0);
  info.set_id(suite.Hash({"onechain/consensus/genesis/v1", genesis_hash}));
  info.set_time_ms(genesis_time_ms);
  info.set_state_root(std::string(genesis_state_root));
  return info;
}

pb::QuorumCert GenesisQc(const pb::BlockInfo& genesis) {
  pb::QuorumCert qc;
  *qc.mutable_vote_data()->mutable_proposed() = genesis;
  *qc.mutable_vote_data()->mutable_parent() = genesis;
  return qc;
}

bool IsGenesisQc(const ChainParams& params, const pb::QuorumCert& qc) {
  return qc.signatures_size() == 0 && InfoBytes(qc.vote_data().proposed()) == InfoBytes(params.genesis) &&
         InfoBytes(qc.vote_data().parent()) == InfoBytes(params.genesis);
}

std::string InfoBytes(const pb::BlockInfo& info) {
  std::string out;
  out.reserve(8 + 8 + 32 + 8 + 32);
  PutU64(out, info.round());
  PutU64(out, info.height());
  out.append(info.id());
  PutU64(out, static_cast<uint64_t>(info.time_ms()));
  out.append(info.state_root());
  return out;
}

std::string VoteDigest(const ChainParams& params, const pb::VoteData& data) {
  std::string body;
  PutChainId(body, params.chain_id);
  body += InfoBytes(data.proposed());
  body += InfoBytes(data.parent());
  return params.suite->Hash({"onechain/consensus/vote/v1", body});
}

std::string TimeoutDigest(const ChainParams& params, uint64_t round, uint64_t high_qc_round) {
  std::string body;
  PutChainId(body, params.chain_id);
  PutU64(body, round);
  PutU64(body, high_qc_round);
  return params.suite->Hash({"onechain/consensus/timeout/v1", body});
}

std::string PayloadDigest(const crypto::Suite& suite,
                          const google::protobuf::RepeatedPtrField<std::string>& batches) {
  std::string body;
  PutU32(body, static_cast<uint32_t>(batches.size()));
  for (const std::string& batch : batches) body += suite.Hash(batch);
  return suite.Hash({"onechain/consensus/payload/v1", body});
}

std::string BlockId(const ChainParams& params, const pb::ConsensusBlock& block) {
  std::string body;
  PutChainId(body, params.chain_id);
  PutU64(body, block.round());
  PutU64(body, BlockHeight(block));
  PutU64(body, static_cast<uint64_t>(block.time_ms()));
  PutU32(body, block.proposer());
  body += InfoBytes(block.qc().vote_data().proposed());
  body += PayloadDigest(*params.suite, block.batches());
  return params.suite->Hash({"onechain/consensus/block/v1", body});
}

uint64_t MaxHighQcRound(const pb::TimeoutCert& tc) {
  uint64_t max = 0;
  for (const pb::TimeoutSignature& s : tc.signatures()) max = std::max(max, s.high_qc_round());
  return max;
}

Status CheckQcShape(const ChainParams& params, const pb::QuorumCert& qc) {
  if (!qc.has_vote_data()) return Malformed("QC without vote data");
  Status status = CheckInfoShape(qc.vote_data().proposed(), "QC proposed block");
  if (!status.ok()) return status;
  status = CheckInfoShape(qc.vote_data().parent(), "QC parent block");
  if (!status.ok()) return status;
  if (static_cast<size_t>(qc.signatures_size()) > params.n()) {
    return Status(pb::Status::TOO_LARGE, "QC has more signatures than validators");
  }
  for (const pb::ValidatorSignature& s : qc.signatures()) {
    if (s.signer() >= params.n()) return Malformed("QC signer is not a validator index");
    if (s.signature().size() != crypto::kSignatureBytes) return Malformed("QC signature size");
  }
  return Status::Ok();
}

Status CheckTcShape(const ChainParams& params, const pb::TimeoutCert& tc) {
  if (static_cast<size_t>(tc.signatures_size()) > params.n()) {
    return Status(pb::Status::TOO_LARGE, "TC has more signatures than validators");
  }
  for (const pb::TimeoutSignature& s : tc.signatures()) {
    if (s.signer() >= params.n()) return Malformed("TC signer is not a validator index");
    if (s.signature().size() != crypto::kSignatureBytes) return Malformed("TC signature size");
    if (s.high_qc_round() >= tc.round()) return Malformed("TC high QC round not below its round");
  }
  return Status::Ok();
}

Status CheckBlockShape(const ChainParams& params, const pb::ConsensusBlock& block) {
  if (!block.has_qc()) return Malformed("block without QC");
  Status status = CheckQcShape(params, block.qc());
  if (!status.ok()) return status;
  if (block.proposer() >= params.n()) return Malformed("block proposer is not a validator index");
  if (block.signature().size() != crypto::kSignatureBytes) return Malformed("block signature size");
  if (block.round() <= QcRound(block.qc())) return Malformed("block round not above its QC's");
  if (static_cast<size_t>(block.batches_size()) > kBlockBatchesMax) {
    return Status(pb::Status::TOO_LARGE, "block has too many batches");
  }
  size_t payload_bytes = 0;
  for (const std::string& batch : block.batches()) {
    if (batch.size() > kBatchBytesMax) return Status(pb::Status::TOO_LARGE, "batch too large");
    payload_bytes += batch.size();
  }
  if (payload_bytes > kBlockPayloadBytesMax) {
    return Status(pb::Status::TOO_LARGE, "block payload too large");
  }
  return Status::Ok();
}

namespace {

Status CheckOptionalTc(const ChainParams& params, bool present, const pb::TimeoutCert& tc) {
  return present ? CheckTcShape(params, tc) : Status::Ok();
}

Status CheckShape(const ChainParams& params, const pb::ConsensusMessage& message) {
  switch (message.kind_case()) {
    case pb::ConsensusMessage::kProposal: {
      const pb::Proposal& p = message.proposal();
      if (!p.has_block()) return Malformed("proposal without block");
      Status status = CheckBlockShape(params, p.block());
      if (!status.ok()) return status;
      return CheckOptionalTc(params, p.has_last_round_tc(), p.last_round_tc());
    }
    case pb::ConsensusMessage::kVote: {
      const pb::Vote& v = message.vote();
      pb::QuorumCert as_qc;  // a vote's data has the shape of a QC's
      *as_qc.mutable_vote_data() = v.vote_data();
      if (!v.has_vote_data()) return Malformed("vote without vote data");
      Status status = CheckQcShape(params, as_qc);
      if (!status.ok()) return status;
      if (v.signer() >= params.n()) return Malformed("vote signer is not a validator index");
      if (v.signature().size() != crypto::kSignatureBytes) return Malformed("vote signature size");
      return Status::Ok();
    }
    case pb::ConsensusMessage::kTimeout: {
      const pb::Timeout& t = message.timeout();
      if (!t.has_high_qc()) return Malformed("timeout without high QC");
      Status status = CheckQcShape(params, t.high_qc());
      if (!status.ok()) return status;
      if (t.signer() >= params.n()) return Malformed("timeout signer is not a validator index");
      if (t.signature().size() != crypto::kSignatureBytes) {
        return Malformed("timeout signature size");
      }
      if (t.round() <= QcRound(t.high_qc())) return Malformed("timeout round not above its QC's");
      return CheckOptionalTc(params, t.has_last_round_tc(), t.last_round_tc());
    }
    case pb::ConsensusMessage::kBlockRequest: {
      const pb::BlockRequest& r = message.block_request();
      if (r.block_id().size() != crypto::kHashBytes) return Malformed("block request id size");
      if (r.count() == 0 || r.count() > kResponseBlocksMax) {
        return Malformed("block request count out of range");
      }
      return Status::Ok();
    }
    case pb::ConsensusMessage::kBlockResponse: {
      const pb::BlockResponse& r = message.block_response();
      if (r.blocks_size() == 0 || static_cast<size_t>(r.blocks_size()) > kResponseBlocksMax) {
        return Malformed("block response count out of range");
      }
      for (const pb::ConsensusBlock& block : r.blocks()) {
        Status status = CheckBlockShape(params, block);
        if (!status.ok()) return status;
      }
      return Status::Ok();
    }
    case pb::ConsensusMessage::KIND_NOT_SET:
      break;
  }
  return Malformed("message of no known kind");
}

}  // namespace

Result<pb::ConsensusMessage> DecodeMessage(const ChainParams& params, std::string_view bytes) {
  if (bytes.size() > kMessageBytesMax) {
    return Status(pb::Status::TOO_LARGE, "consensus message of " + std::to_string(bytes.size()) +
                                             " bytes exceeds " + std::to_string(kMessageBytesMax));
  }
  pb::ConsensusMessage message;
  if (!message.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return Malformed("consensus message does not decode");
  }
  Status status = CheckShape(params, message);
  if (!status.ok()) return status;
  return message;
}

std::string EncodeMessage(const pb::ConsensusMessage& message) {
  std::string bytes;
  const bool ok = message.SerializeToString(&bytes);
  assert(ok);
  (void)ok;
  return bytes;
}

}  // namespace onechain::consensus
