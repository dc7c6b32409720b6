// Snapshot files as `onechain snapshot import` reads them: parsed, then verified against the
// fixed genesis (certificate, QC, state entries and tree records, log frontier).
#include "fuzz/fixtures.h"
#include "node/snapshot.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace onechain;
  Result<node::Snapshot> snapshot = node::ParseSnapshot(fuzz::AsView(data, size));
  if (!snapshot.ok()) return 0;
  (void)node::VerifySnapshot(fuzz::GetFixture().genesis, *snapshot);
  return 0;
}
