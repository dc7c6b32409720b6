// The proofs the API serves (issue 5; formats in docs/proof-bundle.md and docs/state-tree.md):
// bundles over the committed ledger accumulator and state tree, the latest checkpoint, and log
// consistency proofs. Everything is read from committed blocks and the `proofs` family, whose
// nodes never change once written, so the reads need no lock against the block producer.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "node/chain.h"
#include "proof.pb.h"

namespace onechain::api {

// Where a checkpoint's certificate comes from. Empty (one validator): a CertificateSignatures
// with the proposer's signature over the header bytes, the quorum of a one-validator network.
// Under BFT: the stored certificate of 2f+1 validators' signatures over the executed header
// (node/checkpoint_certifier.h), nullopt while the height is not certified.
using CertificateSource = std::function<std::optional<std::string>(uint64_t height)>;

// The checkpoint of block `height` (1 .. committed height): its header bytes and certificate;
// UNAVAILABLE when `certificates` has none for it yet.
Result<pb::CheckpointView> CheckpointOf(const node::Chain& chain, uint64_t height,
                                        const CertificateSource& certificates = {});

// Inclusion of committed transaction `tx_hash` in the log of the checkpoint at `head`. The
// bundle carries the record itself (the SignedTx bytes) only for its own signer
// (`caller_public_key`); anyone else gets its leaf hash, which reveals nothing of it, and checks
// a record they hold against it. Under BFT a transaction of a block above `head` (committed, not
// yet certified) is UNAVAILABLE.
Result<pb::ProofBundleView> TxProof(const node::Chain& chain, std::string_view tx_hash,
                                    uint64_t head, std::string_view caller_public_key,
                                    const CertificateSource& certificates = {});

// Consistency of the log of `from` leaves with the log of `to` leaves (0 < from <= to <= the
// log size at `head`).
Result<pb::ConsistencyProofView> ConsistencyProof(const node::Chain& chain, uint64_t from,
                                                  uint64_t to, uint64_t head);

// The value or absence of state `key` at the latest committed height, with that checkpoint
// (under BFT: waits up to kCertificateWaitMs for that height's certificate, else UNAVAILABLE).
// Whether the caller may read the key is the caller's business (api/server.cc asks
// node/read_policy.h through the node's reads before calling this).
inline constexpr int64_t kCertificateWaitMs = 3000;
Result<pb::ProofBundleView> StateKeyProof(const node::Chain& chain, std::string_view key,
                                          const CertificateSource& certificates = {});

}  // namespace onechain::api
