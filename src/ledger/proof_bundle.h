// Proof bundles (proto/proof.proto, docs/proof-bundle.md): building them from stored trees and
// verifying them offline from a trust root (the genesis chain id, suite and validators).
// Certificates are checked by a CertificateVerifier, which the consensus will provide; the
// interim one here accepts CertificateSignatures by a two-thirds quorum of the set.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "crypto/crypto.h"
#include "ledger/proof_nodes.h"
#include "ledger/state_tree.h"
#include "proof.pb.h"
#include "util/status.h"

namespace onechain::ledger {

inline constexpr uint32_t kProofBundleFormat = 1;
inline constexpr size_t kProofBundleBytesMax = 256 * 1024;
inline constexpr size_t kValidatorsMax = 1024;
inline constexpr size_t kHandoffsMax = 4096;
inline constexpr char kProofBundleArmor[] = "onechain-proof@v1";
// The state key under which governance keeps the validator set in force after each block.
inline constexpr char kValidatorSetStateKey[] = "consensus/validators";

// OK when `certificate` certifies the block with `header_bytes` and `block_hash` under
// `validators`; otherwise the reason.
using CertificateVerifier = std::function<Status(
    const crypto::Suite& suite, const pb::ValidatorSet& validators, std::string_view header_bytes,
    std::string_view block_hash, std::string_view certificate)>;

// The interim certificate: a CertificateSignatures of distinct members of `validators`, each over
// the header bytes, at least n - floor((n - 1) / 3) of the n members.
Status VerifySignatureListCertificate(const crypto::Suite& suite,
                                      const pb::ValidatorSet& validators,
                                      std::string_view header_bytes, std::string_view block_hash,
                                      std::string_view certificate);

struct TrustRoot {
  const crypto::Suite* suite = nullptr;
  std::string chain_id;
  pb::ValidatorSet validators;  // the genesis validators
};

struct VerifiedBundle {
  uint64_t height = 0;  // of the checkpoint
  std::string block_hash;
  bool is_state = false;    // a state proof, else a log inclusion
  uint64_t leaf_index = 0;  // log inclusion
  std::string key;          // state proof
  std::optional<std::string> value;
  size_t handoffs = 0;
};

// Standard base64 with padding (RFC 4648 section 4); decoding skips whitespace and newlines and
// refuses anything else out of the alphabet.
std::string EncodeBase64(std::string_view bytes);
std::optional<std::string> DecodeBase64(std::string_view text);

// Binary protobuf, or the armored text form: the line "onechain-proof@v1", then base64 of it.
Result<pb::ProofBundle> DecodeProofBundle(std::string_view bytes);
std::string ArmorProofBundle(const pb::ProofBundle& bundle);

Result<VerifiedBundle> VerifyProofBundle(const TrustRoot& trust, const pb::ProofBundle& bundle,
                                         const CertificateVerifier& verify_certificate);

// Bundles from committed trees. The checkpoint's header gives the log size (for a record) or the
// state version (its height, for a key).
Result<pb::ProofBundle> BuildRecordBundle(const crypto::Suite& suite, const NodeReader& nodes,
                                          uint64_t leaf_index, std::string record,
                                          pb::Checkpoint checkpoint);
Result<pb::ProofBundle> BuildStateBundle(const crypto::Suite& suite, const NodeReader& nodes,
                                         std::string key, std::optional<std::string> value,
                                         pb::Checkpoint checkpoint);

pb::StateInclusion StateInclusionMessage(std::string key, std::optional<std::string> value,
                                         const StateProof& proof);

}  // namespace onechain::ledger
