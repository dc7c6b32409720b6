// The proofs the API serves (issue 5; formats in docs/proof-bundle.md and docs/state-tree.md):
// bundles over the committed ledger accumulator and state tree, the latest checkpoint, and log
// consistency proofs. Everything is read from committed blocks and the `proofs` family, whose
// nodes never change once written, so the reads need no lock against the block producer.
#pragma once

#include <cstdint>
#include <string_view>

#include "node/chain.h"
#include "proof.pb.h"

namespace onechain::api {

// The checkpoint of block `height` (1 .. committed height): its header bytes and, until the
// consensus provides quorum certificates, the interim certificate: a CertificateSignatures with
// the proposer's signature over the header bytes (the quorum of a one-validator network).
Result<pb::CheckpointView> CheckpointOf(const node::Chain& chain, uint64_t height);

// Inclusion of committed transaction `tx_hash` in the log of the checkpoint at `head`. The
// bundle carries the record itself (the SignedTx bytes) only for its own signer
// (`caller_public_key`); anyone else gets its leaf hash, which reveals nothing of it, and checks
// a record they hold against it.
Result<pb::ProofBundleView> TxProof(const node::Chain& chain, std::string_view tx_hash,
                                    uint64_t head, std::string_view caller_public_key);

// Consistency of the log of `from` leaves with the log of `to` leaves (0 < from <= to <= the
// log size at `head`).
Result<pb::ConsistencyProofView> ConsistencyProof(const node::Chain& chain, uint64_t from,
                                                  uint64_t to, uint64_t head);

// The value or absence of state `key` at the latest committed height, with that checkpoint.
// Whether the caller may read the key is the caller's business (api/server.cc asks
// node/read_policy.h through the node's reads before calling this).
Result<pb::ProofBundleView> StateKeyProof(const node::Chain& chain, std::string_view key);

}  // namespace onechain::api
