// Proves the governance contract: genesis admins, account registration by org admins only, roles
// that fit the organization, revocation, key rotation, self-registration, and nonce accounting.
#include <gtest/gtest.h>

#include "contracts/executor.h"
#include "contracts/test_harness.h"

namespace onechain::contracts {
namespace {

std::string Key(char tag) { return std::string(crypto::kEd25519PublicKeyBytes, tag); }

class GovernanceTest : public ::testing::Test {
 protected:
  GovernanceTest() : h_(MakeGenesis()) {}

  static pb::Genesis MakeGenesis() {
    pb::Genesis genesis;
    genesis.set_chain_id("test");
    genesis.set_suite(pb::SUITE_INTL);
    auto* court = genesis.add_orgs();
    court->set_id("court");
    court->set_kind(pb::ORG_KIND_COURT);
    court->set_admin_public_key(Key('C'));
    auto* tax = genesis.add_orgs();
    tax->set_id("tax");
    tax->set_kind(pb::ORG_KIND_TAX_BUREAU);
    tax->set_admin_public_key(Key('T'));
    return genesis;
  }

  pb::TxBody Body(const std::string& signer) { return h_.Body(signer); }
  pb::Receipt Run(const pb::TxBody& body) { return h_.Run(body); }

  pb::Receipt Register(const std::string& admin, const std::string& key, pb::Role role) {
    pb::TxBody body = Body(admin);
    auto* action = body.mutable_register_account();
    action->set_public_key(key);
    action->add_roles(role);
    action->set_display_name("member");
    return Run(body);
  }

  std::string IdOf(const std::string& key) { return AccountIdForKey(h_.executor().suite(), key); }

  testing::Harness h_;
  const Executor& executor_ = h_.executor();
  const testing::MemoryState& base_ = h_.state();
};

TEST_F(GovernanceTest, GenesisCreatesOrgsAndAdmins) {
  auto admin = executor_.LoadAccountByKey(base_, Key('C'));
  ASSERT_TRUE(admin.has_value());
  EXPECT_EQ(admin->org_id(), "court");
  EXPECT_EQ(admin->roles(0), pb::ROLE_ORG_ADMIN);
  EXPECT_TRUE(executor_.LoadOrg(base_, "tax").has_value());
}

TEST_F(GovernanceTest, AdminRegistersFittingRolesOnly) {
  pb::Receipt ok = Register(Key('C'), Key('j'), pb::ROLE_JUDGE);
  EXPECT_EQ(ok.code(), pb::Status::OK) << ok.message();
  EXPECT_EQ(ok.record_id(), IdOf(Key('j')));
  auto judge = executor_.LoadAccount(base_, IdOf(Key('j')));
  ASSERT_TRUE(judge.has_value());
  EXPECT_EQ(judge->org_id(), "court");

  pb::Receipt wrong_role = Register(Key('T'), Key('x'), pb::ROLE_JUDGE);
  EXPECT_EQ(wrong_role.code(), pb::Status::INVALID_ARGUMENT);
  EXPECT_FALSE(executor_.LoadAccount(base_, IdOf(Key('x'))).has_value());
  // The failed action still consumed the tax admin's nonce.
  EXPECT_EQ(executor_.LoadAccountByKey(base_, Key('T'))->nonce(), 1u);
}

TEST_F(GovernanceTest, NonAdminCannotRegister) {
  ASSERT_EQ(Register(Key('C'), Key('j'), pb::ROLE_JUDGE).code(), pb::Status::OK);
  pb::Receipt receipt = Register(Key('j'), Key('k'), pb::ROLE_CLERK);
  EXPECT_EQ(receipt.code(), pb::Status::UNAUTHORIZED);
  EXPECT_FALSE(executor_.LoadAccount(base_, IdOf(Key('k'))).has_value());
}

TEST_F(GovernanceTest, DuplicateKeyIsRefused) {
  ASSERT_EQ(Register(Key('C'), Key('j'), pb::ROLE_JUDGE).code(), pb::Status::OK);
  EXPECT_EQ(Register(Key('C'), Key('j'), pb::ROLE_CLERK).code(), pb::Status::ALREADY_EXISTS);
  EXPECT_EQ(Register(Key('C'), Key('T'), pb::ROLE_CLERK).code(), pb::Status::ALREADY_EXISTS);
}

TEST_F(GovernanceTest, RevokedAccountCannotSign) {
  ASSERT_EQ(Register(Key('C'), Key('j'), pb::ROLE_JUDGE).code(), pb::Status::OK);
  pb::TxBody revoke = Body(Key('C'));
  revoke.mutable_revoke_account()->set_account_id(IdOf(Key('j')));
  ASSERT_EQ(Run(revoke).code(), pb::Status::OK);
  auto judge = executor_.LoadAccount(base_, IdOf(Key('j')));
  EXPECT_EQ(judge->status(), pb::ACCOUNT_STATUS_REVOKED);
  pb::TxBody rotate = Body(Key('j'));
  rotate.mutable_rotate_key()->set_account_id(IdOf(Key('j')));
  rotate.mutable_rotate_key()->set_new_public_key(Key('J'));
  EXPECT_EQ(Run(rotate).code(), pb::Status::REVOKED_SIGNER);
}

TEST_F(GovernanceTest, AdminCannotManageAnotherOrgsAccount) {
  ASSERT_EQ(Register(Key('C'), Key('j'), pb::ROLE_JUDGE).code(), pb::Status::OK);
  pb::TxBody revoke = Body(Key('T'));
  revoke.mutable_revoke_account()->set_account_id(IdOf(Key('j')));
  EXPECT_EQ(Run(revoke).code(), pb::Status::UNAUTHORIZED);
  EXPECT_EQ(executor_.LoadAccount(base_, IdOf(Key('j')))->status(), pb::ACCOUNT_STATUS_ACTIVE);
}

TEST_F(GovernanceTest, RotatedKeyIsRefusedAndNewKeySigns) {
  ASSERT_EQ(Register(Key('C'), Key('j'), pb::ROLE_JUDGE).code(), pb::Status::OK);
  pb::TxBody rotate = Body(Key('j'));
  rotate.mutable_rotate_key()->set_account_id(IdOf(Key('j')));
  rotate.mutable_rotate_key()->set_new_public_key(Key('J'));
  ASSERT_EQ(Run(rotate).code(), pb::Status::OK);
  auto judge = executor_.LoadAccount(base_, IdOf(Key('j')));
  EXPECT_EQ(judge->public_key(), Key('J'));
  EXPECT_EQ(judge->nonce(), 1u);

  pb::TxBody old_key = Body(Key('j'));
  old_key.set_nonce(2);
  old_key.mutable_rotate_key()->set_account_id(IdOf(Key('j')));
  old_key.mutable_rotate_key()->set_new_public_key(Key('q'));
  EXPECT_EQ(Run(old_key).code(), pb::Status::REVOKED_SIGNER);

  pb::TxBody new_key = Body(Key('J'));
  EXPECT_EQ(new_key.nonce(), 2u);
  new_key.mutable_rotate_key()->set_account_id(IdOf(Key('j')));
  new_key.mutable_rotate_key()->set_new_public_key(Key('q'));
  EXPECT_EQ(Run(new_key).code(), pb::Status::OK);
}

TEST_F(GovernanceTest, SelfRegisterMakesCreditorOnce) {
  pb::TxBody body = Body(Key('p'));
  body.mutable_self_register()->set_display_name("Zhang San");
  body.mutable_self_register()->set_party_kind(pb::PARTY_KIND_PERSON);
  pb::Receipt receipt = Run(body);
  ASSERT_EQ(receipt.code(), pb::Status::OK) << receipt.message();
  auto creditor = executor_.LoadAccount(base_, IdOf(Key('p')));
  ASSERT_TRUE(creditor.has_value());
  EXPECT_EQ(creditor->roles(0), pb::ROLE_CREDITOR);
  EXPECT_EQ(creditor->org_id(), "");
  EXPECT_EQ(creditor->nonce(), 1u);

  pb::TxBody again = Body(Key('p'));
  again.mutable_self_register()->set_display_name("Zhang San");
  again.mutable_self_register()->set_party_kind(pb::PARTY_KIND_PERSON);
  EXPECT_EQ(Run(again).code(), pb::Status::ALREADY_EXISTS);
}

TEST_F(GovernanceTest, UnknownSignerOnlySelfRegisters) {
  pb::Receipt receipt = Register(Key('z'), Key('y'), pb::ROLE_CLERK);
  EXPECT_EQ(receipt.code(), pb::Status::UNKNOWN_SIGNER);
  EXPECT_FALSE(executor_.LoadAccount(base_, IdOf(Key('y'))).has_value());
}

TEST_F(GovernanceTest, NonceMustFollowExactly) {
  pb::TxBody replay = Body(Key('C'));
  replay.set_nonce(0);
  replay.mutable_revoke_account()->set_account_id(IdOf(Key('T')));
  EXPECT_EQ(Run(replay).code(), pb::Status::NONCE_REPLAYED);
  pb::TxBody skip = Body(Key('C'));
  skip.set_nonce(5);
  skip.mutable_revoke_account()->set_account_id(IdOf(Key('T')));
  EXPECT_EQ(Run(skip).code(), pb::Status::NONCE_SKIPPED);
  EXPECT_EQ(executor_.LoadAccountByKey(base_, Key('C'))->nonce(), 0u);
}

TEST_F(GovernanceTest, ExpiredTransactionOnlyConsumesNonce) {
  pb::TxBody body = Body(Key('C'));
  body.mutable_register_account()->set_public_key(Key('j'));
  body.mutable_register_account()->add_roles(pb::ROLE_JUDGE);
  body.mutable_register_account()->set_display_name("judge");
  h_.SkipBlocks(200);  // past valid_until_height
  pb::Receipt receipt = Run(body);
  EXPECT_EQ(receipt.code(), pb::Status::EXPIRED);
  EXPECT_FALSE(executor_.LoadAccount(base_, IdOf(Key('j'))).has_value());
  EXPECT_EQ(executor_.LoadAccountByKey(base_, Key('C'))->nonce(), 1u);
}

TEST_F(GovernanceTest, OversizedNameIsRefused) {
  pb::TxBody body = Body(Key('C'));
  auto* action = body.mutable_register_account();
  action->set_public_key(Key('j'));
  action->add_roles(pb::ROLE_JUDGE);
  action->set_display_name(std::string(kDisplayNameBytesMax + 1, 'a'));
  EXPECT_EQ(Run(body).code(), pb::Status::TOO_LARGE);
}

TEST_F(GovernanceTest, ExecutionIsDeterministic) {
  pb::TxBody body = Body(Key('C'));
  body.mutable_register_account()->set_public_key(Key('j'));
  body.mutable_register_account()->add_roles(pb::ROLE_CLERK);
  body.mutable_register_account()->set_display_name("clerk");
  Overlay first(h_.state());
  Overlay second(h_.state());
  executor_.Execute({1, 5}, body, "h", first);
  executor_.Execute({1, 5}, body, "h", second);
  EXPECT_EQ(first.writes(), second.writes());
}

}  // namespace
}  // namespace onechain::contracts
