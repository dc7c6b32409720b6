// Proof bundles as `onechain verify` reads them from a file: binary protobuf or the armored text
// form (ONECHAIN_FUZZ_ARMOR picks which the input is fed as), decoded and then verified against
// the fixed trust root.
#include "fuzz/fixtures.h"
#include "ledger/proof_bundle.h"

#ifndef ONECHAIN_FUZZ_ARMOR
#error "ONECHAIN_FUZZ_ARMOR must be 0 (binary) or 1 (text)"
#endif

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace onechain;
  const fuzz::Fixture& f = fuzz::GetFixture();
  std::string_view input = fuzz::AsView(data, size);
  // Each target keeps to its form, so the text target's mutations stay text.
  const bool armored = input.starts_with(ledger::kProofBundleArmor);
  if (armored != static_cast<bool>(ONECHAIN_FUZZ_ARMOR)) return 0;
  Result<pb::ProofBundle> bundle = ledger::DecodeProofBundle(input);
  if (!bundle.ok()) return 0;
  (void)ledger::VerifyProofBundle(f.trust, *bundle, ledger::VerifySignatureListCertificate);
  return 0;
}
