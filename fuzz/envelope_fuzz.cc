// Transaction envelopes (SignedTx) as a client or a peer sends them: decode, hash, and check the
// signature of what decoded.
#include "fuzz/fixtures.h"
#include "node/envelope.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace onechain;
  const fuzz::Fixture& f = fuzz::GetFixture();
  Result<node::DecodedTx> tx = node::DecodeEnvelope(fuzz::AsView(data, size));
  if (!tx.ok()) return 0;
  if (node::TxHash(*f.params.suite, tx->envelope).size() != crypto::kHashBytes) __builtin_trap();
  (void)f.params.suite->Verify(tx->body.signer(), tx->envelope.body(), tx->envelope.signature());
  return 0;
}
