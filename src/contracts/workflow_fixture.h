// Test support for the workflow contracts: a network with a court, a second court, the tax bureau,
// a social insurance department, an administrator firm on the roster, and a liquidation case with
// its administrator appointed and its claim period set; helpers that act as each party and check
// that a refused action names its field and changes nothing but the signer's nonce.
#pragma once

#include <gtest/gtest.h>

#include <functional>

#include "contracts/queries.h"
#include "contracts/test_harness.h"
#include "contracts/workflow.h"

namespace onechain::contracts::testing {

inline std::string Key(char tag) { return std::string(crypto::kEd25519PublicKeyBytes, tag); }

// A valid unified social credit code built from 17 characters.
inline std::string CreditCode(std::string_view first17) {
  return std::string(first17) + CreditCodeCheckCharacter(first17);
}

inline pb::Attachment File(char tag) {
  pb::Attachment file;
  file.set_hash(std::string(32, tag));
  file.set_size(1024);
  file.set_media_type("application/pdf");
  return file;
}

// Courts "court" and "court2", the tax bureau "tax", the social insurance department "social".
inline pb::Genesis WorkflowGenesis() {
  pb::Genesis genesis;
  genesis.set_chain_id("workflow");
  genesis.set_suite(pb::SUITE_INTL);
  genesis.mutable_params()->set_claim_period_min_days(30);
  genesis.mutable_params()->set_claim_period_max_days(90);
  genesis.mutable_params()->set_first_meeting_max_days_after_period(15);
  for (auto [id, kind, key] : {std::tuple{"court", pb::ORG_KIND_COURT, 'C'},
                               {"court2", pb::ORG_KIND_COURT, 'D'},
                               {"tax", pb::ORG_KIND_TAX_BUREAU, 'T'},
                               {"social", pb::ORG_KIND_DEPARTMENT, 'S'}}) {
    auto* org = genesis.add_orgs();
    org->set_id(id);
    org->set_kind(kind);
    org->set_admin_public_key(Key(key));
  }
  return genesis;
}

// Keys: C court admin, D second court admin, T tax admin, S social insurance admin, j judge,
// k judge of the second court, t tax officer, s social insurance officer, z firm admin, m firm
// member, w second firm admin, a/b/e/f creditors (self-registered), x a stranger (self-registered,
// bound to nothing).
class WorkflowTest : public ::testing::Test {
 protected:
  static constexpr int64_t kDay = kMsPerDay;
  static constexpr int64_t kHour = 3'600'000;

  WorkflowTest() : h_(WorkflowGenesis()) {}

  void SetUp() override {
    Register('C', 'j', pb::ROLE_JUDGE);
    Register('D', 'k', pb::ROLE_JUDGE);
    Register('T', 't', pb::ROLE_DEPARTMENT_OFFICER);
    Register('S', 's', pb::ROLE_DEPARTMENT_OFFICER);
    AddFirm("zhonglun", 'z');
    AddFirm("kingwood", 'w');
    Register('z', 'm', pb::ROLE_ADMINISTRATOR_MEMBER);
    SelfRegister('a', "Shenzhen Supply Co.", pb::PARTY_KIND_FIRM, kSupplierCode);
    SelfRegister('b', "Li Lei", pb::PARTY_KIND_PERSON, "440301199001010011");
    SelfRegister('e', "Wang Fang", pb::PARTY_KIND_PERSON, "440301198505050022");
    SelfRegister('f', "Bank of Example", pb::PARTY_KIND_FIRM, kBankCode);
    SelfRegister('x', "Stranger Ltd.", pb::PARTY_KIND_FIRM, "91440300STRANGER0");
    case_id_ = AcceptCase(pb::PROCEDURE_LIQUIDATION, "(2026)粤03破1号");
  }

  pb::Receipt Act(char signer, const std::function<void(pb::TxBody&)>& fill) {
    pb::TxBody body = h_.Body(Key(signer));
    fill(body);
    return h_.Run(body);
  }

  std::string Ok(char signer, const std::function<void(pb::TxBody&)>& fill) {
    pb::Receipt receipt = Act(signer, fill);
    EXPECT_EQ(receipt.code(), pb::Status::OK) << receipt.message();
    return receipt.record_id();
  }

  // The action is refused with `code`, its message names `field`, and the state is unchanged
  // except the signer's nonce.
  void Refused(char signer, pb::Status::Code code, const std::string& field,
               const std::function<void(pb::TxBody&)>& fill) {
    ledger::StateWrites before = h_.state().values;
    pb::Receipt receipt = Act(signer, fill);
    EXPECT_EQ(receipt.code(), code) << receipt.message();
    EXPECT_NE(receipt.message().find(field), std::string::npos)
        << "'" << receipt.message() << "' does not name " << field;
    ledger::StateWrites after = h_.state().values;
    std::string signer_key = AccountKey(AccountId(signer));
    before.erase(signer_key);
    after.erase(signer_key);
    EXPECT_TRUE(before == after) << "a refused action changed state";
  }

  std::string AccountId(char key) const { return AccountIdForKey(h_.executor().suite(), Key(key)); }

  void Register(char admin, char key, pb::Role role) {
    Ok(admin, [&](pb::TxBody& b) {
      b.mutable_register_account()->set_public_key(Key(key));
      b.mutable_register_account()->add_roles(role);
      b.mutable_register_account()->set_display_name("member");
    });
  }

  void SelfRegister(char key, const std::string& name, pb::PartyKind kind, const std::string& id) {
    Ok(key, [&](pb::TxBody& b) {
      b.mutable_self_register()->set_display_name(name);
      b.mutable_self_register()->set_party_kind(kind);
      b.mutable_self_register()->set_id_number(id);
    });
  }

  void AddFirm(const std::string& firm, char admin_key) {
    Ok('j', [&](pb::TxBody& b) {
      auto* a = b.mutable_add_roster_firm();
      a->set_firm_org_id(firm);
      a->set_firm_name(firm + " LLP");
      a->set_admin_public_key(Key(admin_key));
      a->set_admin_name("Partner");
    });
  }

  // Accepts a case, appoints zhonglun, sets the claim period to 30 days and the first meeting 10
  // days after it.
  std::string AcceptCase(pb::Procedure procedure, const std::string& number) {
    std::string id = Ok('j', [&](pb::TxBody& b) {
      auto* a = b.mutable_accept_case();
      a->set_case_number(number);
      a->set_debtor_name("Shenzhen Example Manufacturing Co., Ltd.");
      a->set_debtor_credit_code(CreditCode("91440300MA5F00000"));
      a->set_procedure(procedure);
      a->set_acceptance_date("2026-11-20");
    });
    Ok('j', [&](pb::TxBody& b) {
      b.mutable_appoint_administrator()->set_case_id(id);
      b.mutable_appoint_administrator()->set_firm_org_id("zhonglun");
    });
    int64_t accepted = LoadCase(h_.state(), id)->accepted_time_ms();
    Ok('j', [&](pb::TxBody& b) {
      b.mutable_set_claim_period()->set_case_id(id);
      b.mutable_set_claim_period()->set_claim_period_end_ms(accepted + 30 * kDay);
      b.mutable_set_claim_period()->set_first_meeting_ms(accepted + 40 * kDay);
    });
    return id;
  }

  pb::Case CurrentCase() const { return *LoadCase(h_.state(), case_id_); }

  std::string AddCreditor(pb::CreditorKind kind, const std::string& name, const std::string& id,
                          const std::string& org = "") {
    return Ok('m', [&](pb::TxBody& b) {
      auto* a = b.mutable_add_known_creditor();
      a->set_case_id(case_id_);
      a->set_kind(kind);
      a->set_name(name);
      a->set_id_number(id);
      a->set_org_id(org);
      a->set_service_address("Futian District, Shenzhen");
      a->set_basis("the debtor's books");
    });
  }

  void Bind(const std::string& creditor_id, char account_key) {
    Ok('m', [&](pb::TxBody& b) {
      b.mutable_bind_creditor_account()->set_creditor_id(creditor_id);
      b.mutable_bind_creditor_account()->set_account_id(AccountId(account_key));
    });
  }

  // A creditor entry bound to the account of `key`.
  std::string BoundCreditor(char key, const std::string& name, const std::string& id) {
    std::string creditor = AddCreditor(pb::CREDITOR_KIND_FIRM, name, id);
    Bind(creditor, key);
    return creditor;
  }

  static pb::Declaration Declaration(const std::string& id_number, int64_t principal,
                                     int64_t interest) {
    pb::Declaration d;
    d.set_creditor_name("creditor");
    d.set_creditor_id_number(id_number);
    d.set_service_address("Nanshan District, Shenzhen");
    d.set_electronic_service_consent(true);
    d.set_payment_account("6222 0000 0000 0001");
    d.set_nature("unpaid price of goods");
    d.set_facts("contract of 2025-03-01, delivered, not paid");
    auto* p = d.add_components();
    p->set_kind(pb::COMPONENT_KIND_PRINCIPAL);
    p->set_amount(principal);
    p->set_calculation("invoice total");
    if (interest > 0) {
      auto* i = d.add_components();
      i->set_kind(pb::COMPONENT_KIND_INTEREST);
      i->set_amount(interest);
      i->set_calculation("LPR to the acceptance date");
    }
    *d.add_attachments() = File('c');
    return d;
  }

  std::string Declare(char signer, const std::string& creditor_id, const pb::Declaration& d) {
    return Ok(signer, [&](pb::TxBody& b) {
      b.mutable_declare_claim()->set_creditor_id(creditor_id);
      *b.mutable_declare_claim()->mutable_declaration() = d;
    });
  }

  // Reviews every component: confirmed[i] with ranking[i].
  pb::Receipt Review(const std::string& claim_id, const std::vector<int64_t>& confirmed,
                     const std::vector<pb::Ranking>& rankings, const std::string& reasons = "",
                     const std::string& collateral = "") {
    return Act('m', [&](pb::TxBody& b) {
      auto* a = b.mutable_review_claim();
      a->set_claim_id(claim_id);
      for (size_t i = 0; i < confirmed.size(); ++i) {
        auto* c = a->add_components();
        c->set_index(static_cast<uint32_t>(i));
        c->set_confirmed(confirmed[i]);
        c->set_ranking(rankings[i]);
        c->set_reason(reasons);
      }
      a->set_reasons(reasons);
      a->set_collateral_id(collateral);
    });
  }

  void Notify(const std::string& claim_id, int64_t deadline_ms) {
    Ok('m', [&](pb::TxBody& b) {
      b.mutable_send_review_notice()->set_claim_id(claim_id);
      b.mutable_send_review_notice()->set_objection_deadline_ms(deadline_ms);
    });
  }

  // Declared, reviewed in full as `ranking`, notified with a 15-day window.
  std::string ReviewedClaim(char signer, const std::string& creditor, const std::string& id_number,
                            int64_t principal, pb::Ranking ranking = pb::RANKING_ORDINARY) {
    std::string claim = Declare(signer, creditor, Declaration(id_number, principal, 0));
    EXPECT_EQ(Review(claim, {principal}, {ranking}).code(), pb::Status::OK);
    Notify(claim, h_.time_ms() + 15 * kDay);
    return claim;
  }

  // At the first meeting at the earliest (EBL 58).
  void ConfirmByCourt(const std::vector<std::string>& claims) {
    int64_t first_meeting = CurrentCase().first_meeting_ms();
    if (h_.time_ms() < first_meeting) h_.AdvanceTime(first_meeting - h_.time_ms());
    Ok('j', [&](pb::TxBody& b) {
      b.mutable_confirm_claims()->set_case_id(case_id_);
      for (const std::string& id : claims) b.mutable_confirm_claims()->add_claim_ids(id);
    });
  }

  // A later meeting convened by `signer`: voting opens in an hour and runs for `hours`.
  std::string Convene(char signer = 'm', int64_t hours = 24) {
    return Ok(signer, [&](pb::TxBody& b) {
      auto* a = b.mutable_convene_meeting();
      a->set_case_id(case_id_);
      a->set_kind(pb::MEETING_KIND_SUBSEQUENT);
      a->set_start_ms(h_.time_ms() + kHour);
      a->set_vote_end_ms(h_.time_ms() + (1 + hours) * kHour);
      a->set_place("online, remote voting (JI III 11)");
    });
  }

  static std::function<void(pb::TxBody&)> Motion(const std::string& meeting, pb::MotionKind kind,
                                          const std::string& plan = "") {
    return [=](pb::TxBody& b) {
      auto* a = b.mutable_add_motion();
      a->set_meeting_id(meeting);
      a->set_kind(kind);
      a->set_title("motion");
      a->set_plan_id(plan);
    };
  }

  static std::function<void(pb::TxBody&)> Ballot(const std::string& motion, const std::string& creditor,
                                          pb::BallotChoice choice) {
    return [=](pb::TxBody& b) {
      b.mutable_cast_ballot()->set_motion_id(motion);
      b.mutable_cast_ballot()->set_creditor_id(creditor);
      b.mutable_cast_ballot()->set_choice(choice);
    };
  }

  static std::function<void(pb::TxBody&)> Close(const std::string& motion) {
    return [=](pb::TxBody& b) { b.mutable_close_motion()->set_motion_id(motion); };
  }

  pb::Claim ClaimNow(const std::string& id) const { return *LoadClaim(h_.state(), id); }

  static constexpr const char* kSupplierCode = "914403000000000001";
  static constexpr const char* kBankCode = "914403000000000002";
  static constexpr const char* kTaxCode = "11440300000000000T";

  Harness h_;
  std::string case_id_;
};

}  // namespace onechain::contracts::testing
