#include "fuzz/fixtures.h"

#include <cassert>

#include "node/genesis.h"

namespace onechain::fuzz {

std::unique_ptr<crypto::PrivateKey> FixedKey(uint8_t seed) {
  // PKCS#8 of an Ed25519 key (RFC 8410 section 7): a fixed prefix, then the 32-byte seed.
  static constexpr uint8_t kPrefix[] = {0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06,
                                        0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20};
  std::string der(reinterpret_cast<const char*>(kPrefix), sizeof(kPrefix));
  der.append(32, static_cast<char>(seed));
  std::string pem = "-----BEGIN PRIVATE KEY-----\n" + ledger::EncodeBase64(der) +
                    "\n-----END PRIVATE KEY-----\n";
  auto key = crypto::PrivateKeyFromPem(pem, "");
  assert(key.ok());
  return std::move(key).value();
}

namespace {

Fixture Build() {
  Fixture f;
  const crypto::Suite& suite = *crypto::GetSuite(pb::SUITE_INTL);
  for (size_t i = 0; i < kValidators; ++i) f.keys.push_back(FixedKey(static_cast<uint8_t>(i + 1)));
  f.client = FixedKey(0x40);

  f.genesis.set_chain_id("fuzz-chain");
  f.genesis.set_suite(pb::SUITE_INTL);
  f.genesis.set_genesis_time_ms(1'700'000'000'000);
  for (size_t i = 0; i < kValidators; ++i) {
    pb::GenesisOrg& org = *f.genesis.add_orgs();
    org.set_id("org" + std::to_string(i));
    org.set_name("Organization " + std::to_string(i));
    if (i == 0) org.set_kind(pb::ORG_KIND_COURT);
    org.set_admin_public_key(i == 0 ? f.client->public_key() : f.keys[i]->public_key());
    org.set_admin_name("admin" + std::to_string(i));
    pb::GenesisValidator& v = *f.genesis.add_validators();
    v.set_org_id(org.id());
    v.set_public_key(f.keys[i]->public_key());
    v.set_address("127.0.0.1:" + std::to_string(7000 + i));
  }
  Status valid = node::ValidateGenesis(f.genesis);
  assert(valid.ok());
  (void)valid;
  f.genesis_hash = suite.Hash(node::GenesisBytes(f.genesis));

  f.params.chain_id = f.genesis.chain_id();
  f.params.suite = &suite;
  for (const auto& key : f.keys) f.params.validator_keys.push_back(key->public_key());
  // As the BFT driver derives it: the ordering roots start from the genesis hash.
  f.params.genesis = consensus::GenesisInfo(suite, f.genesis_hash, f.genesis.genesis_time_ms(),
                                            f.genesis_hash);

  f.trust.suite = &suite;
  f.trust.chain_id = f.genesis.chain_id();
  for (const auto& key : f.keys) f.trust.validators.add_public_keys(key->public_key());
  return f;
}

}  // namespace

const Fixture& GetFixture() {
  static const Fixture fixture = Build();
  return fixture;
}

}  // namespace onechain::fuzz
