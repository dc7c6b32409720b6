#include "ledger/proof_bundle.h"

#include <sodium.h>

#include <set>

#include "block.pb.h"
#include "ledger/log_tree.h"
#include "ledger/merkle.h"
#include "ledger/merkle_proof.h"

namespace onechain::ledger {

namespace {

Status Invalid(std::string message) {
  return Status(pb::Status::INVALID_ARGUMENT, std::move(message));
}

Status Malformed(std::string message) { return Status(pb::Status::MALFORMED, std::move(message)); }

StateProof ProofOf(const pb::StateInclusion& state) {
  StateProof proof;
  proof.siblings.assign(state.siblings().begin(), state.siblings().end());
  proof.leaf_key_hash = state.leaf_key_hash();
  proof.leaf_value_hash = state.leaf_value_hash();
  return proof;
}

std::optional<std::string> ValueOf(const pb::StateInclusion& state) {
  if (!state.has_value()) return std::nullopt;
  return state.value();
}

// A checkpoint certified by `validators`: its parsed header and block hash.
struct CheckedHeader {
  pb::BlockHeader header;
  std::string block_hash;
};

Result<CheckedHeader> CheckCheckpoint(const TrustRoot& trust, const pb::ValidatorSet& validators,
                                      const pb::Checkpoint& checkpoint,
                                      const CertificateVerifier& verify_certificate) {
  CheckedHeader out;
  if (!out.header.ParseFromString(checkpoint.header())) {
    return Malformed("the checkpoint header does not decode");
  }
  if (out.header.chain_id() != trust.chain_id) {
    return Status(pb::Status::WRONG_CHAIN, "the checkpoint is of chain '" + out.header.chain_id() +
                                               "', not '" + trust.chain_id + "'");
  }
  out.block_hash = trust.suite->Hash(checkpoint.header());
  Status st = verify_certificate(*trust.suite, validators, checkpoint.header(), out.block_hash,
                                 checkpoint.certificate());
  if (!st.ok()) {
    return Status(st.code(), "certificate of block " + std::to_string(out.header.height()) + ": " +
                                 st.message());
  }
  return out;
}

Status CheckValidatorSet(const crypto::Suite& suite, const pb::ValidatorSet& set) {
  if (set.public_keys_size() == 0) return Invalid("the validator set is empty");
  if (static_cast<size_t>(set.public_keys_size()) > kValidatorsMax) {
    return Status(pb::Status::TOO_LARGE, "the validator set has more than 1024 members");
  }
  std::set<std::string> seen;
  for (const std::string& key : set.public_keys()) {
    if (key.size() != suite.public_key_bytes()) return Malformed("a validator key has a bad size");
    if (!seen.insert(key).second) return Invalid("the validator set lists a key twice");
  }
  return Status::Ok();
}

// Walks the handoffs from the genesis set; returns the set in force after the last one.
Result<pb::ValidatorSet> FollowHandoffs(const TrustRoot& trust, const pb::ProofBundle& bundle,
                                        uint64_t target_height,
                                        const CertificateVerifier& verify_certificate) {
  if (static_cast<size_t>(bundle.handoffs_size()) > kHandoffsMax) {
    return Status(pb::Status::TOO_LARGE, "too many validator handoffs");
  }
  pb::ValidatorSet current = trust.validators;
  uint64_t last_height = 0;
  for (int i = 0; i < bundle.handoffs_size(); ++i) {
    const pb::ValidatorHandoff& handoff = bundle.handoffs(i);
    auto checked = CheckCheckpoint(trust, current, handoff.checkpoint(), verify_certificate);
    if (!checked.ok()) {
      return Status(checked.status().code(),
                    "handoff " + std::to_string(i) + ": " + checked.status().message());
    }
    uint64_t height = checked->header.height();
    if (height <= last_height || height >= target_height) {
      return Invalid("handoff " + std::to_string(i) + " at height " + std::to_string(height) +
                     " is out of order");
    }
    const pb::StateInclusion& next = handoff.next_validators();
    if (next.key() != kValidatorSetStateKey || !next.has_value()) {
      return Invalid("handoff " + std::to_string(i) + " does not prove the validator set");
    }
    Status st = VerifyStateProof(*trust.suite, checked->header.state_root(), next.key(),
                                 ValueOf(next), ProofOf(next));
    if (!st.ok()) {
      return Status(st.code(), "handoff " + std::to_string(i) + " validator set: " + st.message());
    }
    pb::ValidatorSet set;
    if (!set.ParseFromString(next.value())) return Malformed("a handoff's validator set");
    if (Status st = CheckValidatorSet(*trust.suite, set); !st.ok()) return st;
    current = std::move(set);
    last_height = height;
  }
  return current;
}

}  // namespace

std::string EncodeBase64(std::string_view bytes) {
  std::string out(sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

std::optional<std::string> DecodeBase64(std::string_view text) {
  std::string out(text.size() / 4 * 3 + 3, '\0');
  size_t length = 0;
  const char* end = nullptr;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                        text.size(), " \t\r\n", &length, &end,
                        sodium_base64_VARIANT_ORIGINAL) != 0 ||
      end != text.data() + text.size()) {
    return std::nullopt;
  }
  out.resize(length);
  return out;
}

Status VerifySignatureListCertificate(const crypto::Suite& suite,
                                      const pb::ValidatorSet& validators,
                                      std::string_view header_bytes, std::string_view block_hash,
                                      std::string_view certificate) {
  (void)block_hash;  // the interim certificate signs the header bytes themselves
  pb::CertificateSignatures signatures;
  if (!signatures.ParseFromArray(certificate.data(), static_cast<int>(certificate.size()))) {
    return Malformed("the certificate does not decode");
  }
  std::set<std::string> members(validators.public_keys().begin(), validators.public_keys().end());
  std::set<std::string> signers;
  for (const pb::KeyedSignature& signature : signatures.signatures()) {
    if (members.count(signature.public_key()) == 0) {
      return Status(pb::Status::UNKNOWN_SIGNER, "a signer is not in the validator set");
    }
    if (!signers.insert(signature.public_key()).second) {
      return Invalid("a validator signs twice");
    }
    if (!suite.Verify(signature.public_key(), header_bytes, signature.signature())) {
      return Status(pb::Status::BAD_SIGNATURE, "a validator signature does not verify");
    }
  }
  size_t n = members.size();
  size_t quorum = n - (n - 1) / 3;
  if (n == 0 || signers.size() < quorum) {
    return Invalid(std::to_string(signers.size()) + " of " + std::to_string(n) +
                   " validators signed; " + std::to_string(quorum) + " are needed");
  }
  return Status::Ok();
}

Result<pb::ProofBundle> DecodeProofBundle(std::string_view bytes) {
  if (bytes.size() > kProofBundleBytesMax) {
    return Status(pb::Status::TOO_LARGE, "a proof bundle is at most 256 KiB");
  }
  std::string binary(bytes);
  if (bytes.starts_with(kProofBundleArmor)) {
    auto decoded = DecodeBase64(bytes.substr(std::string_view(kProofBundleArmor).size()));
    if (!decoded.has_value()) return Malformed("the armored bundle is not base64");
    binary = std::move(*decoded);
  }
  pb::ProofBundle bundle;
  if (!bundle.ParseFromString(binary)) return Malformed("the bundle does not decode");
  if (bundle.format() != kProofBundleFormat) {
    return Malformed("bundle format " + std::to_string(bundle.format()) + " is not 1");
  }
  return bundle;
}

std::string ArmorProofBundle(const pb::ProofBundle& bundle) {
  std::string base64 = EncodeBase64(bundle.SerializeAsString());
  std::string out = std::string(kProofBundleArmor) + "\n";
  for (size_t at = 0; at < base64.size(); at += 64) out += base64.substr(at, 64) + "\n";
  return out;
}

Result<VerifiedBundle> VerifyProofBundle(const TrustRoot& trust, const pb::ProofBundle& bundle,
                                         const CertificateVerifier& verify_certificate) {
  if (Status st = CheckValidatorSet(*trust.suite, trust.validators); !st.ok()) return st;
  pb::BlockHeader target;
  if (!target.ParseFromString(bundle.checkpoint().header())) {
    return Malformed("the checkpoint header does not decode");
  }
  auto validators = FollowHandoffs(trust, bundle, target.height(), verify_certificate);
  if (!validators.ok()) return validators.status();
  auto checked = CheckCheckpoint(trust, *validators, bundle.checkpoint(), verify_certificate);
  if (!checked.ok()) return checked.status();
  const pb::BlockHeader& header = checked->header;
  VerifiedBundle out;
  out.height = header.height();
  out.block_hash = checked->block_hash;
  out.handoffs = static_cast<size_t>(bundle.handoffs_size());
  bool has_record = !bundle.record().empty() || !bundle.leaf_hash().empty();
  if (has_record == bundle.has_state()) {
    return Malformed("a bundle proves either a record or a state key");
  }
  if (bundle.has_state()) {
    const pb::StateInclusion& state = bundle.state();
    Status st = VerifyStateProof(*trust.suite, header.state_root(), state.key(), ValueOf(state),
                                 ProofOf(state));
    if (!st.ok()) return st;
    out.is_state = true;
    out.key = state.key();
    out.value = ValueOf(state);
    return out;
  }
  std::string leaf_hash =
      bundle.record().empty() ? bundle.leaf_hash() : MerkleLeafHash(*trust.suite, bundle.record());
  if (!bundle.record().empty() && !bundle.leaf_hash().empty() && leaf_hash != bundle.leaf_hash()) {
    return Invalid("the record does not match the leaf hash given with it");
  }
  const pb::LogInclusion& inclusion = bundle.inclusion();
  if (inclusion.tree_size() != header.log_size()) {
    return Invalid("the proof is for a log of " + std::to_string(inclusion.tree_size()) +
                   " leaves; the checkpoint's log has " + std::to_string(header.log_size()));
  }
  std::vector<std::string> path(inclusion.path().begin(), inclusion.path().end());
  Status st = VerifyInclusion(*trust.suite, inclusion.leaf_index(), inclusion.tree_size(),
                              leaf_hash, path, header.log_root());
  if (!st.ok()) return st;
  out.leaf_index = inclusion.leaf_index();
  return out;
}

pb::StateInclusion StateInclusionMessage(std::string key, std::optional<std::string> value,
                                         const StateProof& proof) {
  pb::StateInclusion state;
  state.set_key(std::move(key));
  if (value.has_value()) state.set_value(std::move(*value));
  for (const std::string& sibling : proof.siblings) state.add_siblings(sibling);
  state.set_leaf_key_hash(proof.leaf_key_hash);
  state.set_leaf_value_hash(proof.leaf_value_hash);
  return state;
}

Result<pb::ProofBundle> BuildRecordBundle(const crypto::Suite& suite, const NodeReader& nodes,
                                          uint64_t leaf_index, std::string record,
                                          pb::Checkpoint checkpoint) {
  pb::BlockHeader header;
  if (!header.ParseFromString(checkpoint.header())) return Malformed("checkpoint header");
  auto path = LogInclusionProof(suite, nodes, leaf_index, header.log_size());
  if (!path.ok()) return path.status();
  pb::ProofBundle bundle;
  bundle.set_format(kProofBundleFormat);
  bundle.set_record(std::move(record));
  bundle.mutable_inclusion()->set_leaf_index(leaf_index);
  bundle.mutable_inclusion()->set_tree_size(header.log_size());
  for (std::string& hash : *path) bundle.mutable_inclusion()->add_path(std::move(hash));
  *bundle.mutable_checkpoint() = std::move(checkpoint);
  return bundle;
}

Result<pb::ProofBundle> BuildStateBundle(const crypto::Suite& suite, const NodeReader& nodes,
                                         std::string key, std::optional<std::string> value,
                                         pb::Checkpoint checkpoint) {
  pb::BlockHeader header;
  if (!header.ParseFromString(checkpoint.header())) return Malformed("checkpoint header");
  auto proof = StateTree(suite, nodes).Prove(header.height(), key);
  if (!proof.ok()) return proof.status();
  pb::ProofBundle bundle;
  bundle.set_format(kProofBundleFormat);
  *bundle.mutable_state() = StateInclusionMessage(std::move(key), std::move(value), *proof);
  *bundle.mutable_checkpoint() = std::move(checkpoint);
  return bundle;
}

}  // namespace onechain::ledger
