// The reporter's pure parts: which claims a block touched, and the statements that mirror a block
// (no node, no database).
#include <gtest/gtest.h>

#include "reporter.h"

namespace onechain::reporting {
namespace {

CommittedTx Tx(const std::string& hash, uint32_t index, pb::Status::Code code,
               const std::string& record, const std::function<void(pb::TxBody&)>& fill) {
  CommittedTx tx;
  tx.hash = hash;
  tx.status.set_state(pb::TxStatus::COMMITTED);
  tx.status.set_index(index);
  tx.status.set_code(code);
  tx.status.set_record_id(record);
  tx.status.mutable_body()->set_signer(std::string(32, '\x01'));
  fill(*tx.status.mutable_body());
  return tx;
}

// The statements whose SQL starts with `prefix`.
std::vector<Statement> Starting(const std::vector<Statement>& all, const std::string& prefix) {
  std::vector<Statement> out;
  for (const Statement& s : all) {
    if (s.sql.starts_with(prefix)) out.push_back(s);
  }
  return out;
}

TEST(ClaimsTouched, SuccessfulClaimActsOnlyAndWholeCasesForConfirmationsAndPayments) {
  std::vector<std::string> asked;
  auto case_claims = [&](const std::string& id) -> Result<std::vector<std::string>> {
    asked.push_back(id);
    return std::vector<std::string>{"c-of-" + id};
  };
  std::vector<CommittedTx> txs = {
      Tx("h1", 0, pb::Status::OK, "claim-x",
         [](pb::TxBody& b) { b.mutable_declare_claim()->set_creditor_id("cr"); }),
      Tx("h2", 1, pb::Status::OK, "case",
         [](pb::TxBody& b) { b.mutable_review_claim()->set_claim_id("claim-y"); }),
      Tx("h3", 2, pb::Status::FAILED_PRECONDITION, "",
         [](pb::TxBody& b) { b.mutable_withdraw_claim()->set_claim_id("claim-z"); }),
      Tx("h4", 3, pb::Status::OK, "plan",
         [](pb::TxBody& b) { b.mutable_record_payment()->set_plan_id("plan-1"); }),
      Tx("h5", 4, pb::Status::OK, "case-1",
         [](pb::TxBody& b) { b.mutable_confirm_claims()->set_case_id("case-1"); }),
      Tx("h6", 5, pb::Status::OK, "case-2", [](pb::TxBody& b) {
        b.mutable_confirm_claims()->set_case_id("case-2");
        b.mutable_confirm_claims()->add_claim_ids("claim-w");
      }),
  };
  auto touched = ClaimsTouched(txs, case_claims);
  ASSERT_TRUE(touched.ok());
  EXPECT_EQ(*touched, (std::vector<std::string>{"c-of-case-1", "c-of-plan-1", "claim-w",
                                                "claim-x", "claim-y"}));
  EXPECT_EQ(asked, (std::vector<std::string>{"plan-1", "case-1"}));
}

TEST(BlockStatements, RowsOfSuccessfulActionsAndEveryTransaction) {
  pb::BlockView block;
  block.set_hash("bh");
  block.mutable_header()->set_height(7);
  block.mutable_header()->set_time_ms(1'700'000'000'000);
  std::vector<CommittedTx> txs = {
      Tx("h1", 0, pb::Status::OK, "case-1",
         [](pb::TxBody& b) {
           auto* a = b.mutable_accept_case();
           a->set_case_number("(2026)粤03破1号");
           a->set_debtor_name("Debtor");
           a->set_debtor_credit_code("91440300MA5F8XGL06");
           a->set_procedure(pb::PROCEDURE_LIQUIDATION);
           a->set_acceptance_date("2026-11-20");
         }),
      Tx("h2", 1, pb::Status::UNAUTHORIZED, "",
         [](pb::TxBody& b) { b.mutable_accept_case()->set_case_number("refused"); }),
      Tx("h3", 2, pb::Status::OK, "motion-1",
         [](pb::TxBody& b) {
           b.mutable_cast_ballot()->set_motion_id("motion-1");
           b.mutable_cast_ballot()->set_creditor_id("cr-1");
           b.mutable_cast_ballot()->set_choice(pb::BALLOT_CHOICE_NO);
         }),
  };
  pb::Claim claim;
  claim.set_id("claim-1");
  claim.set_case_id("case-1");
  claim.set_creditor_id("cr-1");
  claim.set_status(pb::CLAIM_STATUS_DECLARED);
  claim.set_declared_total(1'100);
  auto* item = claim.mutable_declaration()->add_tax_items();
  item->set_tax_name("VAT");
  item->set_tax(1'000);
  item->set_fine(100);  // no late fee, no special interest: two components
  auto statements = BlockStatements(block, txs, {claim});

  auto blocks = Starting(statements, "INSERT INTO blocks");
  ASSERT_EQ(blocks.size(), 1u);
  EXPECT_EQ(blocks[0].params[0], "7");
  EXPECT_EQ(blocks[0].params[2], "1700000000000");
  auto logged = Starting(statements, "INSERT INTO transactions");
  ASSERT_EQ(logged.size(), 3u);
  EXPECT_EQ(logged[1].params[3], "accept_case");
  EXPECT_EQ(logged[1].params[5], "UNAUTHORIZED");
  std::string signer_hex;
  for (int i = 0; i < 32; ++i) signer_hex += "01";
  EXPECT_EQ(logged[1].params[4], signer_hex);
  auto cases = Starting(statements, "INSERT INTO cases");
  ASSERT_EQ(cases.size(), 1u);  // the refused acceptance writes no case
  EXPECT_EQ(cases[0].params[0], "case-1");
  EXPECT_EQ(cases[0].params[4], "PROCEDURE_LIQUIDATION");
  auto ballots = Starting(statements, "INSERT INTO ballots");
  ASSERT_EQ(ballots.size(), 1u);
  EXPECT_EQ(ballots[0].params[0], "h3");
  EXPECT_EQ(ballots[0].params[3], "BALLOT_CHOICE_NO");
  auto claims = Starting(statements, "INSERT INTO claims");
  ASSERT_EQ(claims.size(), 1u);
  EXPECT_EQ(claims[0].params[4], "CLAIM_STATUS_DECLARED");
  EXPECT_EQ(claims[0].params[8], std::nullopt);  // not reviewed: no confirmed total
  auto parts = Starting(statements, "INSERT INTO claim_components");
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0].params[2], "COMPONENT_KIND_TAX");
  EXPECT_EQ(parts[0].params[4], "1000");
  EXPECT_EQ(parts[1].params[2], "COMPONENT_KIND_TAX_FINE");
  EXPECT_EQ(parts[1].params[6], std::nullopt);
  // The claim's rows come after the rows of the acts (its creditor must exist first).
  EXPECT_TRUE(statements.back().sql.starts_with("INSERT INTO claim_components"));
}

}  // namespace
}  // namespace onechain::reporting
