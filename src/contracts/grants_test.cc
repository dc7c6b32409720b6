// Proves data grants at the contract level (contracts/grants.h): a department declares its record
// types; the case's administrator asks about its own debtor; the department answers with records
// wrapped for the administrator and the court only; reads leave access records; the grant ends
// at its date (block time), at revocation and at the case's termination. Every refusal names its
// field and changes nothing.
#include "contracts/grants.h"
#include "contracts/index.h"
#include "contracts/workflow_fixture.h"
#include "crypto/seal.h"

namespace onechain::contracts {
namespace {

class GrantsTest : public testing::WorkflowTest {
 protected:
  void SetUp() override {
    WorkflowTest::SetUp();
    Register('w', 'n', pb::ROLE_ADMINISTRATOR_MEMBER);  // member of another firm
    for (char who : {'m', 'j', 'n', 'a', 't'}) {
      auto key = *crypto::GenerateDecryptionKey(pb::SUITE_INTL);
      Ok(who, [&](pb::TxBody& b) {
        b.mutable_set_encryption_key()->set_public_key(key->public_key());
      });
    }
    Ok('t', [](pb::TxBody& b) {
      auto* type = b.mutable_declare_record_types()->add_types();
      type->set_name("tax-arrears");
      type->add_fields("tax_item");
      type->add_fields("period");
      type->add_fields("amount_fen");
    });
  }

  std::function<void(pb::TxBody&)> Request(const std::string& case_id, int64_t expires_ms = 0,
                                           const std::string& code = "") {
    return [=, this](pb::TxBody& b) {
      auto* a = b.mutable_request_records();
      a->set_case_id(case_id);
      a->set_department_org_id("tax");
      a->set_record_type("tax-arrears");
      a->set_debtor_credit_code(code.empty() ? LoadCase(h_.state(), case_id)->debtor_credit_code()
                                             : code);
      a->set_expires_ms(expires_ms);
    };
  }

  static pb::Attachment Record(char tag, std::initializer_list<std::string> readers) {
    pb::Attachment file = testing::File(tag);
    file.set_media_type("application/json");
    for (const std::string& reader : readers) {
      pb::WrappedKey* key = file.add_keys();
      key->set_reader_account_id(reader);
      key->set_wrapped(std::string(80, 'w'));
    }
    return file;
  }

  std::function<void(pb::TxBody&)> Answer(const std::string& grant, const pb::Attachment& file) {
    return [=](pb::TxBody& b) {
      b.mutable_answer_records()->set_grant_id(grant);
      *b.mutable_answer_records()->add_records() = file;
    };
  }

  std::function<void(pb::TxBody&)> Access(const std::string& grant, char tag) {
    return [=](pb::TxBody& b) {
      b.mutable_record_access()->set_grant_id(grant);
      b.mutable_record_access()->set_blob_hash(std::string(32, tag));
    };
  }

  // A grant on the case, answered with record 'r' for member m and judge j.
  std::string AnsweredGrant(int64_t expires_ms = 0) {
    std::string grant = Ok('m', Request(case_id_, expires_ms));
    Ok('t', Answer(grant, Record('r', {AccountId('m'), AccountId('j')})));
    return grant;
  }

  pb::Grant GrantOf(const std::string& id) { return *LoadGrant(h_.state(), id); }
};

TEST_F(GrantsTest, TheAdministratorAsksTheDepartmentAnswersAndEveryReadIsRecorded) {
  std::optional<pb::RecordTypeList> types = LoadRecordTypes(h_.state(), "tax");
  ASSERT_TRUE(types.has_value());
  EXPECT_EQ(types->types(0).fields_size(), 3);
  std::string grant = Ok('m', Request(case_id_));
  EXPECT_EQ(GrantOf(grant).status(), pb::GRANT_STATUS_REQUESTED);
  EXPECT_EQ(ListRead(h_.state(), OrgGrantsList("tax"), 0, 10).at(0), grant);
  Ok('t', Answer(grant, Record('r', {AccountId('m'), AccountId('j')})));
  pb::Grant answered = GrantOf(grant);
  EXPECT_EQ(answered.status(), pb::GRANT_STATUS_ANSWERED);
  ASSERT_EQ(answered.records_size(), 1);
  std::optional<pb::BlobRefs> refs = LoadBlobRefs(h_.state(), std::string(32, 'r'));
  ASSERT_TRUE(refs.has_value());
  EXPECT_EQ(refs->refs(0).grant_id(), grant);
  EXPECT_EQ(refs->refs(0).submitter_account_id(), AccountId('t'));

  Ok('m', Access(grant, 'r'));
  h_.AdvanceTime(kHour);
  Ok('j', Access(grant, 'r'));
  std::vector<std::string> accesses = ListRead(h_.state(), GrantAccessList(grant), 0, 10);
  ASSERT_EQ(accesses.size(), 2u);
  pb::AccessRecord first;
  ASSERT_TRUE(first.ParseFromString(accesses[0]));
  EXPECT_EQ(first.account_id(), AccountId('m'));
  EXPECT_EQ(first.blob_hash(), std::string(32, 'r'));
  EXPECT_EQ(GrantOf(grant).access_count(), 2u);
  EXPECT_EQ(LastAccess(h_.state(), grant, AccountId('j'), std::string(32, 'r')), h_.time_ms());
}

TEST_F(GrantsTest, OnlyTheRightRolesActOnAGrant) {
  // A department officer, a creditor, another firm's member, a judge cannot request.
  for (char who : {'t', 'a', 'n', 'j'}) {
    Refused(who, pb::Status::UNAUTHORIZED, "administrator", Request(case_id_));
  }
  // Only a department declares record types.
  Refused('m', pb::Status::UNAUTHORIZED, "department", [](pb::TxBody& b) {
    b.mutable_declare_record_types()->add_types()->set_name("x");
    b.mutable_declare_record_types()->mutable_types(0)->add_fields("y");
  });
  std::string grant = Ok('m', Request(case_id_));
  // Another department and the administrator cannot answer.
  for (char who : {'s', 'm'}) {
    Refused(who, pb::Status::UNAUTHORIZED, "department",
            Answer(grant, Record('r', {AccountId('m')})));
  }
  Ok('t', Answer(grant, Record('r', {AccountId('m')})));
  // Neither a creditor, another firm's member nor the department reads it.
  for (char who : {'a', 'n', 't'}) {
    Refused(who, pb::Status::UNAUTHORIZED, "administrator", Access(grant, 'r'));
  }
  Refused('m', pb::Status::NOT_FOUND, "record", Access(grant, 'q'));  // not a record of it
  Refused('s', pb::Status::UNAUTHORIZED, "department", [&](pb::TxBody& b) {
    b.mutable_revoke_grant()->set_grant_id(grant);
  });
}

TEST_F(GrantsTest, ARequestForAnotherCasesDebtorOrAnUndeclaredTypeIsRefused) {
  Refused('m', pb::Status::INVALID_ARGUMENT, "debtor_credit_code",
          Request(case_id_, 0, testing::CreditCode("91440300MA5F11111")));
  Refused('m', pb::Status::INVALID_ARGUMENT, "record_type", [&](pb::TxBody& b) {
    Request(case_id_)(b);
    b.mutable_request_records()->set_record_type("land-registry");
  });
  Refused('m', pb::Status::NOT_FOUND, "department", [&](pb::TxBody& b) {
    Request(case_id_)(b);
    b.mutable_request_records()->set_department_org_id("court");
  });
  Refused('m', pb::Status::INVALID_ARGUMENT, "expires_ms", Request(case_id_, h_.time_ms() - 1));
}

TEST_F(GrantsTest, RecordsAreWrappedOnlyForTheAdministratorAndTheCourt) {
  std::string grant = Ok('m', Request(case_id_));
  for (char who : {'a', 'n', 't'}) {  // a creditor, another firm's member, the department
    Refused('t', pb::Status::INVALID_ARGUMENT, "keys[1].reader_account_id",
            Answer(grant, Record('r', {AccountId('m'), AccountId(who)})));
  }
  Refused('t', pb::Status::INVALID_ARGUMENT, "keys", Answer(grant, Record('r', {})));
  pb::Attachment huge = Record('r', {AccountId('m')});
  huge.set_size(uint64_t{64} << 20);
  Refused('t', pb::Status::INVALID_ARGUMENT, "records[0].size", Answer(grant, huge));
  pb::Attachment untyped = Record('r', {AccountId('m')});
  untyped.set_media_type("pdf");
  Refused('t', pb::Status::INVALID_ARGUMENT, "media_type", Answer(grant, untyped));
}

TEST_F(GrantsTest, AGrantEndsAtItsDateJudgedByBlockTime) {
  std::string grant = AnsweredGrant(h_.time_ms() + 2 * kDay);
  h_.AdvanceTime(kDay);
  Ok('m', Access(grant, 'r'));
  h_.AdvanceTime(kDay);
  Refused('m', pb::Status::EXPIRED, "expired", Access(grant, 'r'));
  Refused('t', pb::Status::EXPIRED, "expired", Answer(grant, Record('s', {AccountId('m')})));
  EXPECT_EQ(EffectiveStatus(GrantOf(grant), CurrentCase(), h_.time_ms()),
            pb::GRANT_STATUS_EXPIRED);
}

TEST_F(GrantsTest, ARevokedGrantIsNoLongerRead) {
  std::string grant = AnsweredGrant();
  Ok('t', [&](pb::TxBody& b) {
    b.mutable_revoke_grant()->set_grant_id(grant);
    b.mutable_revoke_grant()->set_reason("answered in error");
  });
  Refused('m', pb::Status::FAILED_PRECONDITION, "revoked", Access(grant, 'r'));
  Refused('j', pb::Status::FAILED_PRECONDITION, "revoked", Access(grant, 'r'));
  Refused('t', pb::Status::FAILED_PRECONDITION, "revoked", [&](pb::TxBody& b) {
    b.mutable_revoke_grant()->set_grant_id(grant);
  });
}

TEST_F(GrantsTest, AGrantEndsWithItsCase) {
  std::string grant = AnsweredGrant();
  Ok('j', [&](pb::TxBody& b) {
    b.mutable_terminate_case()->set_case_id(case_id_);
    b.mutable_terminate_case()->set_reason("no assets");
  });
  Refused('m', pb::Status::FAILED_PRECONDITION, "termination", Access(grant, 'r'));
  Refused('j', pb::Status::FAILED_PRECONDITION, "termination", Access(grant, 'r'));
  Refused('m', pb::Status::FAILED_PRECONDITION, "terminated", Request(case_id_));
  EXPECT_EQ(EffectiveStatus(GrantOf(grant), CurrentCase(), h_.time_ms()),
            pb::GRANT_STATUS_CASE_CLOSED);
}

TEST_F(GrantsTest, AReplacedAdministratorLosesTheGrant) {
  std::string grant = AnsweredGrant();
  pb::Case record = CurrentCase();
  pb::Account member = *h_.executor().LoadAccount(h_.state(), AccountId('m'));
  EXPECT_TRUE(MayReadGrant(member, GrantOf(grant), record));
  record.set_administrator_org_id("kingwood");
  EXPECT_FALSE(MayReadGrant(member, GrantOf(grant), record));
  pb::Account other = *h_.executor().LoadAccount(h_.state(), AccountId('n'));
  EXPECT_FALSE(MayReadGrant(other, GrantOf(grant), record));  // made to zhonglun, not kingwood
}

TEST_F(GrantsTest, BadRecordTypeDeclarationsAreRefused) {
  Refused('t', pb::Status::INVALID_ARGUMENT, "types", [](pb::TxBody& b) {
    b.mutable_declare_record_types();
  });
  Refused('t', pb::Status::INVALID_ARGUMENT, "types[0].fields", [](pb::TxBody& b) {
    b.mutable_declare_record_types()->add_types()->set_name("x");
  });
  Refused('t', pb::Status::INVALID_ARGUMENT, "types[1].name", [](pb::TxBody& b) {
    for (int i = 0; i < 2; ++i) {
      auto* type = b.mutable_declare_record_types()->add_types();
      type->set_name("same");
      type->add_fields("f");
    }
  });
}

}  // namespace
}  // namespace onechain::contracts
