// Blocks: a stored or served pb::Block (header bytes, envelopes, proposer signature) and the
// relayed transaction batches a proposal carries, decoded the way the node decodes them.
#include "fuzz/fixtures.h"
#include "ledger/merkle.h"
#include "node/envelope.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace onechain;
  const fuzz::Fixture& f = fuzz::GetFixture();
  const crypto::Suite& suite = *f.params.suite;
  pb::Block block;
  if (!block.ParseFromArray(data, static_cast<int>(size))) return 0;
  pb::BlockHeader header;
  if (block.header().empty()) {
    // A relayed batch: envelopes only.
    for (const std::string& envelope : block.txs()) (void)node::DecodeEnvelope(envelope);
    return 0;
  }
  if (!header.ParseFromString(block.header())) return 0;
  (void)suite.Verify(header.proposer(), block.header(), block.proposer_signature());
  std::vector<std::string> hashes;
  for (const std::string& envelope : block.txs()) {
    Result<node::DecodedTx> tx = node::DecodeEnvelope(envelope);
    if (tx.ok()) hashes.push_back(node::TxHash(suite, tx->envelope));
  }
  (void)ledger::MerkleRoot(suite, {block.txs().begin(), block.txs().end()});
  return 0;
}
