// Proves validator-set governance (docs/consensus.md §14.1): a change applies when two thirds of
// the member organizations approved it, writes the next epoch and the key set the proof bundles
// read, and every refusal (non-member, unknown organization, duplicate or retired key, fewer than
// 4 validators, double approval, withdrawn proposal) leaves the set unchanged.
#include <gtest/gtest.h>

#include "contracts/executor.h"
#include "contracts/test_harness.h"
#include "contracts/validator_set.h"
#include "proof.pb.h"

namespace onechain::contracts {
namespace {

std::string Key(char tag) { return std::string(crypto::kEd25519PublicKeyBytes, tag); }

class ValidatorSetTest : public ::testing::Test {
 protected:
  ValidatorSetTest() : h_(MakeGenesis()) {}

  // Four member organizations, each with one validator, and a firm without a validator.
  static pb::Genesis MakeGenesis() {
    pb::Genesis genesis;
    genesis.set_chain_id("test");
    genesis.set_suite(pb::SUITE_INTL);
    const std::pair<const char*, pb::OrgKind> orgs[] = {
        {"court", pb::ORG_KIND_COURT},
        {"tax", pb::ORG_KIND_TAX_BUREAU},
        {"market", pb::ORG_KIND_MARKET_REGULATOR},
        {"assoc", pb::ORG_KIND_ADMINISTRATORS_ASSOCIATION},
        {"firm", pb::ORG_KIND_ADMINISTRATOR_FIRM}};
    char admin = 'A';
    char validator = '1';
    for (const auto& [id, kind] : orgs) {
      auto* org = genesis.add_orgs();
      org->set_id(id);
      org->set_name(id);
      org->set_kind(kind);
      org->set_admin_public_key(Key(admin++));
      if (std::string(id) == "firm") continue;
      auto* v = genesis.add_validators();
      v->set_org_id(id);
      v->set_public_key(Key(validator++));
      v->set_address(std::string(id) + ":7000");
    }
    return genesis;
  }
  // Admin keys: court A, tax B, market C, assoc D, firm E. Validator keys: '1' to '4'.

  pb::Receipt Propose(const std::string& admin, const pb::ValidatorChange& change) {
    pb::TxBody body = h_.Body(admin);
    *body.mutable_propose_validator_change()->mutable_change() = change;
    return h_.Run(body);
  }
  pb::Receipt Approve(const std::string& admin, uint64_t id) {
    pb::TxBody body = h_.Body(admin);
    body.mutable_approve_validator_change()->set_proposal_id(id);
    return h_.Run(body);
  }
  pb::Receipt Withdraw(const std::string& admin, uint64_t id) {
    pb::TxBody body = h_.Body(admin);
    body.mutable_withdraw_validator_change()->set_proposal_id(id);
    return h_.Run(body);
  }

  static pb::ValidatorChange Add(const std::string& org_id, char admin, char validator) {
    pb::ValidatorChange change;
    pb::AddValidatorOrg* add = change.mutable_add();
    add->mutable_org()->set_id(org_id);
    add->mutable_org()->set_name(org_id + " bureau");
    add->mutable_org()->set_kind(pb::ORG_KIND_DEPARTMENT);
    add->mutable_org()->set_admin_public_key(Key(admin));
    add->set_validator_public_key(Key(validator));
    add->set_address(org_id + ":7000");
    return change;
  }
  static pb::ValidatorChange Remove(const std::string& org_id) {
    pb::ValidatorChange change;
    change.mutable_remove()->set_org_id(org_id);
    return change;
  }
  static pb::ValidatorChange Rotate(const std::string& org_id, char old_key, char new_key) {
    pb::ValidatorChange change;
    change.mutable_rotate()->set_org_id(org_id);
    change.mutable_rotate()->set_old_public_key(Key(old_key));
    change.mutable_rotate()->set_new_public_key(Key(new_key));
    return change;
  }

  pb::ConsensusEpoch Epoch() const { return LoadEpoch(h_.state(), h_.executor().genesis()); }
  std::vector<std::string> Keys() const {
    std::vector<std::string> keys;
    const pb::ConsensusEpoch epoch = Epoch();
    for (const auto& v : epoch.validators()) keys.push_back(v.public_key());
    return keys;
  }
  // Proposes `change` from court and approves it by tax and market: 3 of 4 members.
  uint64_t ApplyByThreeOfFour(const pb::ValidatorChange& change) {
    pb::Receipt proposed = Propose(Key('A'), change);
    EXPECT_EQ(proposed.code(), pb::Status::OK) << proposed.message();
    const uint64_t id = std::stoull(proposed.record_id());
    EXPECT_EQ(Approve(Key('B'), id).code(), pb::Status::OK);
    EXPECT_EQ(Approve(Key('C'), id).code(), pb::Status::OK);
    return id;
  }

  testing::Harness h_;
};

TEST_F(ValidatorSetTest, AddAppliesAtTwoThirdsAndStartsTheNextEpoch) {
  EXPECT_EQ(Epoch().epoch(), 0u);
  EXPECT_EQ(Keys().size(), 4u);
  pb::Receipt proposed = Propose(Key('A'), Add("bank", 'F', '5'));
  ASSERT_EQ(proposed.code(), pb::Status::OK) << proposed.message();
  const uint64_t id = std::stoull(proposed.record_id());
  // Two of four members: not yet.
  ASSERT_EQ(Approve(Key('B'), id).code(), pb::Status::OK);
  EXPECT_EQ(Keys().size(), 4u);
  EXPECT_FALSE(h_.state().Get(kEpochStateKey).has_value());
  // The third member's approval applies it, in its own block.
  pb::Receipt third = Approve(Key('C'), id);
  ASSERT_EQ(third.code(), pb::Status::OK) << third.message();
  const pb::ConsensusEpoch epoch = Epoch();
  EXPECT_EQ(epoch.epoch(), 1u);
  EXPECT_EQ(epoch.start_height(), third.height() + 1);
  ASSERT_EQ(epoch.validators_size(), 5);
  EXPECT_EQ(epoch.validators(4).org_id(), "bank");
  EXPECT_EQ(epoch.validators(4).public_key(), Key('5'));
  EXPECT_EQ(epoch.validators(4).address(), "bank:7000");
  // The key set the proof bundles read (docs/proof-bundle.md).
  pb::ValidatorSet keys;
  ASSERT_TRUE(keys.ParseFromString(*h_.state().Get(kValidatorKeysStateKey)));
  ASSERT_EQ(keys.public_keys_size(), 5);
  EXPECT_EQ(keys.public_keys(4), Key('5'));
  // The new organization exists with its admin, who now votes: 5 members need 4 approvals.
  auto admin = h_.executor().LoadAccountByKey(h_.state(), Key('F'));
  ASSERT_TRUE(admin.has_value());
  EXPECT_EQ(admin->org_id(), "bank");
  ASSERT_TRUE(h_.executor().LoadOrg(h_.state(), "bank").has_value());
  EXPECT_EQ(MemberOrgs(Epoch()).size(), 5u);
  pb::Receipt next = Propose(Key('F'), Rotate("bank", '5', '6'));
  ASSERT_EQ(next.code(), pb::Status::OK) << next.message();
  const uint64_t next_id = std::stoull(next.record_id());
  ASSERT_EQ(Approve(Key('A'), next_id).code(), pb::Status::OK);
  ASSERT_EQ(Approve(Key('B'), next_id).code(), pb::Status::OK);
  EXPECT_EQ(Epoch().epoch(), 1u);  // 3 of 5
  ASSERT_EQ(Approve(Key('C'), next_id).code(), pb::Status::OK);
  EXPECT_EQ(Epoch().epoch(), 2u);  // 4 of 5
  EXPECT_EQ(Keys()[4], Key('6'));
}

TEST_F(ValidatorSetTest, RefusalsChangeNothing) {
  const auto before = h_.state().Get(kEpochStateKey);
  // A firm holds no validator: no vote.
  EXPECT_EQ(Propose(Key('E'), Add("bank", 'F', '5')).code(), pb::Status::UNAUTHORIZED);
  // Unknown organization.
  EXPECT_EQ(Propose(Key('A'), Remove("nobody")).code(), pb::Status::NOT_FOUND);
  EXPECT_EQ(Propose(Key('A'), Rotate("nobody", '1', '9')).code(), pb::Status::NOT_FOUND);
  EXPECT_EQ(Propose(Key('A'), Rotate("tax", '1', '9')).code(), pb::Status::NOT_FOUND);
  // Four validators: none may go.
  pb::Receipt below = Propose(Key('A'), Remove("tax"));
  EXPECT_EQ(below.code(), pb::Status::FAILED_PRECONDITION);
  EXPECT_NE(below.message().find("at least 4"), std::string::npos) << below.message();
  // Duplicate keys and organization.
  EXPECT_EQ(Propose(Key('A'), Add("bank", 'F', '2')).code(), pb::Status::ALREADY_EXISTS);
  EXPECT_EQ(Propose(Key('A'), Add("tax", 'F', '5')).code(), pb::Status::ALREADY_EXISTS);
  EXPECT_EQ(Propose(Key('A'), Add("bank", 'B', '5')).code(), pb::Status::ALREADY_EXISTS);
  EXPECT_EQ(Propose(Key('A'), Rotate("tax", '2', '3')).code(), pb::Status::ALREADY_EXISTS);
  // Malformed fields.
  pb::ValidatorChange bad_address = Add("bank", 'F', '5');
  bad_address.mutable_add()->set_address("");
  EXPECT_EQ(Propose(Key('A'), bad_address).code(), pb::Status::INVALID_ARGUMENT);
  pb::ValidatorChange short_key = Add("bank", 'F', '5');
  short_key.mutable_add()->set_validator_public_key("short");
  EXPECT_EQ(Propose(Key('A'), short_key).code(), pb::Status::INVALID_ARGUMENT);
  EXPECT_EQ(Propose(Key('A'), pb::ValidatorChange()).code(), pb::Status::INVALID_ARGUMENT);
  EXPECT_EQ(Approve(Key('A'), 77).code(), pb::Status::NOT_FOUND);
  EXPECT_EQ(h_.state().Get(kEpochStateKey), before);
  EXPECT_FALSE(h_.state().Get(ValidatorProposalKey(1)).has_value());

  // One vote per organization; only the proposer withdraws; a withdrawn proposal is closed.
  pb::Receipt proposed = Propose(Key('A'), Add("bank", 'F', '5'));
  const uint64_t id = std::stoull(proposed.record_id());
  EXPECT_EQ(Approve(Key('A'), id).code(), pb::Status::ALREADY_EXISTS);
  EXPECT_EQ(Approve(Key('E'), id).code(), pb::Status::UNAUTHORIZED);
  EXPECT_EQ(Withdraw(Key('B'), id).code(), pb::Status::UNAUTHORIZED);
  EXPECT_EQ(Withdraw(Key('A'), id).code(), pb::Status::OK);
  EXPECT_EQ(Approve(Key('B'), id).code(), pb::Status::FAILED_PRECONDITION);
  EXPECT_EQ(Approve(Key('C'), id).code(), pb::Status::FAILED_PRECONDITION);
  EXPECT_EQ(Keys().size(), 4u);
  EXPECT_EQ(h_.state().Get(kEpochStateKey), before);
}

TEST_F(ValidatorSetTest, RotationRetiresTheOldKeyForGood) {
  ApplyByThreeOfFour(Rotate("tax", '2', '7'));
  EXPECT_EQ(Epoch().epoch(), 1u);
  EXPECT_EQ(Keys()[1], Key('7'));
  // The retired key can come back neither as a new validator nor by rotation.
  EXPECT_EQ(Propose(Key('A'), Add("bank", 'F', '2')).code(), pb::Status::ALREADY_EXISTS);
  EXPECT_EQ(Propose(Key('A'), Rotate("court", '1', '2')).code(), pb::Status::ALREADY_EXISTS);
}

TEST_F(ValidatorSetTest, ChangesAreCheckedAgainWhenApplied) {
  ApplyByThreeOfFour(Add("bank", 'F', '5'));
  ASSERT_EQ(Keys().size(), 5u);
  // Two removals, each valid alone against five validators; 4 of 5 members approve each.
  const uint64_t first = std::stoull(Propose(Key('A'), Remove("tax")).record_id());
  const uint64_t second = std::stoull(Propose(Key('A'), Remove("market")).record_id());
  for (char admin : {'C', 'D'}) ASSERT_EQ(Approve(Key(admin), second).code(), pb::Status::OK);
  for (char admin : {'B', 'C', 'D'}) ASSERT_EQ(Approve(Key(admin), first).code(), pb::Status::OK);
  EXPECT_EQ(Keys().size(), 4u);
  EXPECT_EQ(Epoch().epoch(), 2u);
  // The removed organization no longer votes, and the second removal would leave 3.
  EXPECT_EQ(Approve(Key('B'), second).code(), pb::Status::UNAUTHORIZED);
  pb::Receipt refused = Approve(Key('F'), second);
  EXPECT_EQ(refused.code(), pb::Status::FAILED_PRECONDITION) << refused.message();
  EXPECT_EQ(Keys().size(), 4u);
  pb::ValidatorProposal open;
  ASSERT_TRUE(open.ParseFromString(*h_.state().Get(ValidatorProposalKey(second))));
  EXPECT_EQ(open.status(), pb::VALIDATOR_PROPOSAL_OPEN);
}

}  // namespace
}  // namespace onechain::contracts
