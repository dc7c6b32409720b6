// Certified checkpoints under BFT (docs/consensus.md, "Checkpoint certificates"). Consensus
// votes on an ordering root before the block is executed, so its quorum certificate does not sign
// the executed header that the proof bundles carry. After executing committed block h each
// validator therefore signs the stored header bytes of h and sends the signature to its peers
// (kCheckpointSignatureMessage, a pb::Checkpoint whose certificate holds the one signature);
// once 2f+1 distinct validators' signatures over the same header bytes are held, their
// CertificateSignatures (ledger::VerifySignatureListCertificate checks it offline) is stored
// beside the block in <data_dir>/bft/checkpoints/<height> and becomes the latest certified
// checkpoint, which /v1/checkpoints/latest and the proof routes serve.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "crypto/crypto.h"
#include "net/network.h"
#include "util/status.h"

namespace onechain::node {

class Chain;

// Far from the driver's own types (consensus, relay) and from those other features may add.
inline constexpr net::MessageType kCheckpointSignatureMessage = net::kFirstApplicationType + 8;
// Signatures are kept for heights up to this far above the executed height (a peer ahead).
inline constexpr uint64_t kCheckpointLookahead = 256;

struct CertifiedCheckpoint {
  uint64_t height = 0;      // 0: none yet
  std::string certificate;  // serialized pb::CertificateSignatures over the header of `height`
};

class CheckpointCertifier {
 public:
  // Opens <dir>/checkpoints and finds the latest stored certificate that verifies against its
  // stored header (a file torn by a crash is passed over).
  static Result<std::unique_ptr<CheckpointCertifier>> Open(const Chain& chain,
                                                           const crypto::PrivateKey& key,
                                                           std::vector<std::string> validators,
                                                           const std::string& dir);

  // Block `height` was executed and committed here: returns the message to broadcast (this
  // validator's signature over its stored header bytes), and counts that signature.
  Result<std::string> OnExecuted(uint64_t height);
  // A peer's signature message; bad ones (unknown signer, wrong signature, another header than
  // ours) are dropped with the reason.
  Status OnMessage(uint32_t peer, std::string_view payload);

  CertifiedCheckpoint Latest() const;
  // The stored certificate of `height`, if that height was certified here.
  std::optional<std::string> CertificateOf(uint64_t height) const;

 private:
  CheckpointCertifier(const Chain& chain, const crypto::PrivateKey& key,
                      std::vector<std::string> validators, std::string dir)
      : chain_(chain), key_(key), validators_(std::move(validators)), dir_(std::move(dir)) {}
  struct Pending {
    std::string header;  // our executed header bytes; empty until executed here
    std::map<uint32_t, std::pair<std::string, std::string>> signed_headers;  // by signer index:
                                                                             // (header, signature)
  };
  Status MaybeCertify(uint64_t height, Pending& pending);
  size_t quorum() const { return validators_.size() - (validators_.size() - 1) / 3; }
  std::string PathOf(uint64_t height) const;
  // Whether `certificate` is a quorum certificate of the stored header of `height`.
  bool Certifies(uint64_t height, std::string_view certificate) const;
  static Status WriteUnsynced(const std::string& path, std::string_view bytes);

  const Chain& chain_;
  const crypto::PrivateKey& key_;
  const std::vector<std::string> validators_;  // public keys by validator index
  const std::string dir_;
  uint32_t self_ = 0;

  mutable std::mutex mu_;
  std::map<uint64_t, Pending> pending_;  // guarded by mu_; heights above latest_.height
  CertifiedCheckpoint latest_;           // guarded by mu_
};

}  // namespace onechain::node
