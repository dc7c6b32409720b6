#include "api/proof_reads.h"

#include <chrono>
#include <thread>

#include "ledger/log_tree.h"
#include "ledger/merkle.h"
#include "ledger/proof_bundle.h"
#include "ledger/proof_nodes.h"
#include "tx.pb.h"
#include "util/bytes.h"

namespace onechain::api {

namespace {

Status NoBlockYet() { return Status(pb::Status::NOT_FOUND, "no block is committed yet"); }

Result<pb::Block> ReadBlock(const node::Chain& chain, uint64_t height) {
  auto bytes = chain.store().GetBlock(height);
  if (!bytes.ok()) return bytes.status();
  if (!bytes->has_value()) return Status(pb::Status::NOT_FOUND, "no such block");
  pb::Block block;
  if (!block.ParseFromString(**bytes)) return Status(pb::Status::IO, "a stored block is corrupt");
  return block;
}

Result<pb::ProofBundleView> View(Result<pb::ProofBundle> bundle, uint64_t height) {
  if (!bundle.ok()) return bundle.status();
  pb::ProofBundleView view;
  view.set_armored(ledger::ArmorProofBundle(*bundle));
  view.set_height(height);
  view.set_leaf_index(bundle->inclusion().leaf_index());
  view.set_present(bundle->has_state() && bundle->state().has_value());
  *view.mutable_bundle() = std::move(*bundle);
  return view;
}

}  // namespace

Result<pb::CheckpointView> CheckpointOf(const node::Chain& chain, uint64_t height,
                                        const CertificateSource& certificates) {
  if (height == 0) return NoBlockYet();
  Result<pb::Block> block = ReadBlock(chain, height);
  if (!block.ok()) return block.status();
  pb::BlockHeader header;
  if (!header.ParseFromString(block->header())) {
    return Status(pb::Status::IO, "a stored block header is corrupt");
  }
  std::string certificate_bytes;
  if (certificates) {
    std::optional<std::string> stored = certificates(height);
    if (!stored.has_value()) {
      return Status(pb::Status::UNAVAILABLE,
                    "block " + std::to_string(height) + " is not certified yet; retry shortly");
    }
    certificate_bytes = std::move(*stored);
  } else {
    pb::CertificateSignatures certificate;
    pb::KeyedSignature* signature = certificate.add_signatures();
    signature->set_public_key(header.proposer());
    signature->set_signature(block->proposer_signature());
    certificate_bytes = certificate.SerializeAsString();
  }
  pb::CheckpointView view;
  view.set_height(height);
  view.set_block_hash(ToHex(chain.suite().Hash(block->header())));
  view.set_log_size(header.log_size());
  view.set_log_root(header.log_root());
  view.set_state_root(header.state_root());
  view.mutable_checkpoint()->set_header(block->header());
  view.mutable_checkpoint()->set_certificate(std::move(certificate_bytes));
  return view;
}

Result<pb::ProofBundleView> TxProof(const node::Chain& chain, std::string_view tx_hash,
                                    uint64_t head, std::string_view caller_public_key,
                                    const CertificateSource& certificates) {
  auto location = chain.store().GetTxLocation(tx_hash);
  if (!location.ok()) return location.status();
  if (!location->has_value() || ((*location)->height > head && !certificates)) {
    return Status(pb::Status::NOT_FOUND, "no committed transaction has this hash");
  }
  if ((*location)->height > head) {
    return Status(pb::Status::UNAVAILABLE, "the transaction's block " +
                                               std::to_string((*location)->height) +
                                               " is not certified yet; retry shortly");
  }
  Result<pb::Block> block = ReadBlock(chain, (*location)->height);
  if (!block.ok()) return block.status();
  pb::BlockHeader header;
  uint32_t index = (*location)->index;
  if (!header.ParseFromString(block->header()) || index >= header.tx_count() ||
      index >= static_cast<uint32_t>(block->txs_size())) {
    return Status(pb::Status::IO, "a stored block does not hold its transaction");
  }
  Result<pb::CheckpointView> checkpoint = CheckpointOf(chain, head, certificates);
  if (!checkpoint.ok()) return checkpoint.status();
  uint64_t leaf = header.log_size() - header.tx_count() + index;
  const std::string& record = block->txs(static_cast<int>(index));
  pb::SignedTx envelope;
  pb::TxBody body;
  bool own = !caller_public_key.empty() && envelope.ParseFromString(record) &&
             body.ParseFromString(envelope.body()) && body.signer() == caller_public_key;
  ledger::StoreNodes nodes(chain.store());
  Result<pb::ProofBundle> bundle =
      ledger::BuildRecordBundle(chain.suite(), nodes, leaf, own ? record : std::string(),
                                std::move(*checkpoint->mutable_checkpoint()));
  if (bundle.ok() && !own) bundle->set_leaf_hash(ledger::MerkleLeafHash(chain.suite(), record));
  return View(std::move(bundle), head);
}

Result<pb::ConsistencyProofView> ConsistencyProof(const node::Chain& chain, uint64_t from,
                                                  uint64_t to, uint64_t head) {
  Result<pb::CheckpointView> latest = CheckpointOf(chain, head);
  if (!latest.ok()) return latest.status();
  if (from == 0 || from > to || to > latest->log_size()) {
    return Status(pb::Status::INVALID_ARGUMENT,
                  "from and to are log sizes with 0 < from <= to <= " +
                      std::to_string(latest->log_size()) + ", the latest checkpoint's");
  }
  ledger::StoreNodes nodes(chain.store());
  const crypto::Suite& suite = chain.suite();
  auto path = ledger::LogConsistencyProof(suite, nodes, from, to);
  if (!path.ok()) return path.status();
  auto from_root = ledger::LogRootAt(suite, nodes, from);
  if (!from_root.ok()) return from_root.status();
  auto to_root = ledger::LogRootAt(suite, nodes, to);
  if (!to_root.ok()) return to_root.status();
  pb::ConsistencyProofView view;
  view.set_from_size(from);
  view.set_to_size(to);
  view.set_from_root(*from_root);
  view.set_to_root(*to_root);
  for (std::string& hash : *path) view.add_path(std::move(hash));
  return view;
}

Result<pb::ProofBundleView> StateKeyProof(const node::Chain& chain, std::string_view key,
                                          const CertificateSource& certificates) {
  // The value and the tree version of one height: a snapshot of state names its height.
  auto snapshot = chain.store().SnapshotState();
  if (!snapshot.ok()) return snapshot.status();
  uint64_t height = (*snapshot)->height();
  Result<pb::CheckpointView> checkpoint = CheckpointOf(chain, height, certificates);
  // Under BFT the snapshot's height is certified once 2f+1 validators executed it.
  for (int64_t waited_ms = 0; waited_ms < kCertificateWaitMs && !checkpoint.ok() &&
                             checkpoint.status().code() == pb::Status::UNAVAILABLE;
       waited_ms += 10) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    checkpoint = CheckpointOf(chain, height, certificates);
  }
  if (!checkpoint.ok()) return checkpoint.status();
  auto value = (*snapshot)->Get(key);
  if (!value.ok()) return value.status();
  ledger::StoreNodes nodes(chain.store());
  return View(ledger::BuildStateBundle(chain.suite(), nodes, std::string(key), std::move(*value),
                                       std::move(*checkpoint->mutable_checkpoint())),
              height);
}

}  // namespace onechain::api
