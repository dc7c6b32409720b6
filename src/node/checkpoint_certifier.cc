#include "node/checkpoint_certifier.h"

#include <spdlog/spdlog.h>

#include <charconv>
#include <filesystem>
#include <fstream>

#include "block.pb.h"
#include "ledger/proof_bundle.h"
#include "node/chain.h"
#include "node/genesis.h"
#include "proof.pb.h"

namespace onechain::node {

namespace {

constexpr size_t kCertificateBytesMax = 1 << 20;
constexpr size_t kMessageBytesMax = 1 << 20;

Status Dropped(std::string what) { return Status(pb::Status::INVALID_ARGUMENT, std::move(what)); }

}  // namespace

Result<std::unique_ptr<CheckpointCertifier>> CheckpointCertifier::Open(
    const Chain& chain, const crypto::PrivateKey& key, std::vector<std::string> validators,
    const std::string& dir) {
  std::unique_ptr<CheckpointCertifier> certifier(
      new CheckpointCertifier(chain, key, std::move(validators), dir + "/checkpoints"));
  std::error_code ec;
  std::filesystem::create_directories(certifier->dir_, ec);
  if (ec) return Status(pb::Status::IO, "cannot create " + certifier->dir_ + ": " + ec.message());
  for (size_t i = 0; i < certifier->validators_.size(); ++i) {
    if (certifier->validators_[i] == key.public_key()) certifier->self_ = static_cast<uint32_t>(i);
  }
  // The latest stored certificate; a torn write (empty or undecodable file) is skipped.
  uint64_t latest = 0;
  for (const auto& entry : std::filesystem::directory_iterator(certifier->dir_, ec)) {
    std::string name = entry.path().filename().string();
    uint64_t height = 0;
    auto [end, err] = std::from_chars(name.data(), name.data() + name.size(), height);
    if (err != std::errc() || end != name.data() + name.size() || height <= latest) continue;
    if (height > chain.store().height()) continue;  // the ledger lost it: certify it again
    Result<std::string> bytes = ReadFile(entry.path().string(), kCertificateBytesMax);
    if (!bytes.ok() || !certifier->Certifies(height, *bytes)) continue;
    latest = height;
    certifier->latest_ = CertifiedCheckpoint{height, std::move(*bytes)};
  }
  return certifier;
}

bool CheckpointCertifier::Certifies(uint64_t height, std::string_view certificate) const {
  auto bytes = chain_.store().GetBlock(height);
  pb::Block block;
  if (!bytes.ok() || !bytes->has_value() || !block.ParseFromString(**bytes)) return false;
  pb::ValidatorSet set;
  for (const std::string& key : validators_) set.add_public_keys(key);
  return ledger::VerifySignatureListCertificate(chain_.suite(), set, block.header(), "",
                                                certificate)
      .ok();
}

// Not synced: a certificate lost in a crash only means an older one is served until the next
// block is certified, and Open checks every file it picks; the driver thread is not held up by
// an fsync per block.
Status CheckpointCertifier::WriteUnsynced(const std::string& path, std::string_view bytes) {
  const std::string temp = path + ".tmp";
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) return Status(pb::Status::IO, "cannot write " + temp);
  }
  std::error_code ec;
  std::filesystem::rename(temp, path, ec);
  if (ec) return Status(pb::Status::IO, "cannot write " + path + ": " + ec.message());
  return Status::Ok();
}

std::string CheckpointCertifier::PathOf(uint64_t height) const {
  return dir_ + "/" + std::to_string(height);
}

Result<std::string> CheckpointCertifier::OnExecuted(uint64_t height) {
  auto bytes = chain_.store().GetBlock(height);
  if (!bytes.ok()) return bytes.status();
  pb::Block block;
  if (!bytes->has_value() || !block.ParseFromString(**bytes)) {
    return Status(pb::Status::IO, "committed block " + std::to_string(height) + " is unreadable");
  }
  pb::Checkpoint message;
  message.set_header(block.header());
  pb::CertificateSignatures one;
  pb::KeyedSignature* signature = one.add_signatures();
  signature->set_public_key(key_.public_key());
  signature->set_signature(key_.Sign(block.header()));
  message.set_certificate(one.SerializeAsString());
  {
    std::lock_guard lock(mu_);
    if (height > latest_.height) {
      Pending& pending = pending_[height];
      pending.header = block.header();
      pending.signed_headers[self_] = {block.header(), signature->signature()};
      // Signatures that arrived first over another header are a peer's fault: drop them.
      std::erase_if(pending.signed_headers,
                    [&](const auto& entry) { return entry.second.first != pending.header; });
      if (Status st = MaybeCertify(height, pending); !st.ok()) return st;
    }
  }
  return message.SerializeAsString();
}

Status CheckpointCertifier::OnMessage(uint32_t peer, std::string_view payload) {
  if (peer >= validators_.size()) return Dropped("a checkpoint signature from an unknown peer");
  if (payload.size() > kMessageBytesMax) return Dropped("a checkpoint signature is too large");
  pb::Checkpoint message;
  pb::CertificateSignatures one;
  pb::BlockHeader header;
  if (!message.ParseFromArray(payload.data(), static_cast<int>(payload.size())) ||
      !one.ParseFromString(message.certificate()) || one.signatures_size() != 1 ||
      !header.ParseFromString(message.header())) {
    return Dropped("a checkpoint signature does not decode");
  }
  const pb::KeyedSignature& signature = one.signatures(0);
  if (signature.public_key() != validators_[peer]) {
    return Dropped("a checkpoint signature names another key than its sender's");
  }
  if (header.chain_id() != chain_.genesis().chain_id()) {
    return Dropped("a checkpoint signature is for another chain");
  }
  if (!chain_.suite().Verify(signature.public_key(), message.header(), signature.signature())) {
    return Dropped("a checkpoint signature does not verify");
  }
  std::lock_guard lock(mu_);
  uint64_t height = header.height();
  if (height <= latest_.height) return Status::Ok();  // certified already
  if (height > chain_.store().height() + kCheckpointLookahead) {
    return Dropped("a checkpoint signature is too far ahead");
  }
  Pending& pending = pending_[height];
  if (!pending.header.empty() && pending.header != message.header()) {
    return Dropped("validator " + std::to_string(peer) + " signed another header at height " +
                   std::to_string(height));
  }
  pending.signed_headers[peer] = {message.header(), signature.signature()};
  return MaybeCertify(height, pending);
}

// mu_ held.
Status CheckpointCertifier::MaybeCertify(uint64_t height, Pending& pending) {
  if (pending.header.empty() || pending.signed_headers.size() < quorum()) return Status::Ok();
  pb::CertificateSignatures certificate;
  for (const auto& [signer, entry] : pending.signed_headers) {
    pb::KeyedSignature* signature = certificate.add_signatures();
    signature->set_public_key(validators_[signer]);
    signature->set_signature(entry.second);
  }
  std::string bytes = certificate.SerializeAsString();
  if (Status st = WriteUnsynced(PathOf(height), bytes); !st.ok()) return st;
  latest_ = CertifiedCheckpoint{height, std::move(bytes)};
  pending_.erase(pending_.begin(), pending_.upper_bound(height));
  spdlog::debug("checkpoint {} certified", height);
  return Status::Ok();
}

CertifiedCheckpoint CheckpointCertifier::Latest() const {
  std::lock_guard lock(mu_);
  return latest_;
}

std::optional<std::string> CheckpointCertifier::CertificateOf(uint64_t height) const {
  Result<std::string> bytes = ReadFile(PathOf(height), kCertificateBytesMax);
  if (!bytes.ok() || bytes->empty()) return std::nullopt;
  return std::move(*bytes);
}

}  // namespace onechain::node
