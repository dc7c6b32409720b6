// Proves encrypted materials at the contract level (docs/materials.md): accounts publish their
// encryption keys; a declaration's files carry their data key wrapped only for the claim's
// readers (holder, administrator members, judges and clerks of the court), each of whom can open
// it; anyone else is refused by name, and nothing changes.
#include "contracts/workflow_fixture.h"
#include "crypto/seal.h"

namespace onechain::contracts {
namespace {

class MaterialsTest : public testing::WorkflowTest {
 protected:
  void SetUp() override {
    WorkflowTest::SetUp();
    supplier_ = BoundCreditor('a', "Shenzhen Supply Co.", kSupplierCode);
    for (char who : {'a', 'm', 'j', 'x', 'k'}) {
      keys_[who] = *crypto::GenerateDecryptionKey(pb::SUITE_INTL);
      PublishKey(who, keys_[who]->public_key());
    }
  }

  void PublishKey(char who, const std::string& public_key) {
    Ok(who, [&](pb::TxBody& b) { b.mutable_set_encryption_key()->set_public_key(public_key); });
  }

  pb::Account AccountOf(char who) {
    return *h_.executor().LoadAccount(h_.state(), AccountId(who));
  }

  // The declaration's file with its data key wrapped for `readers`.
  pb::Declaration WrappedFor(std::initializer_list<char> readers) {
    pb::Declaration d = Declaration(kSupplierCode, 1'000'000, 0);
    for (char who : readers) {
      pb::WrappedKey* key = d.mutable_attachments(0)->add_keys();
      key->set_reader_account_id(AccountId(who));
      const std::string public_key = AccountOf(who).encryption_key();
      key->set_wrapped(public_key.empty()
                           ? std::string(80, 'w')
                           : *crypto::WrapDataKey(pb::SUITE_INTL, public_key, data_key_));
    }
    return d;
  }

  std::function<void(pb::TxBody&)> DeclareWith(const pb::Declaration& d) {
    return [=, this](pb::TxBody& b) {
      b.mutable_declare_claim()->set_creditor_id(supplier_);
      *b.mutable_declare_claim()->mutable_declaration() = d;
    };
  }

  std::string supplier_;
  std::string data_key_ = crypto::NewDataKey();
  std::map<char, std::unique_ptr<crypto::DecryptionKey>> keys_;
};

TEST_F(MaterialsTest, AnAccountPublishesAndReplacesItsOwnEncryptionKey) {
  EXPECT_EQ(AccountOf('a').encryption_key(), keys_['a']->public_key());
  auto replacement = *crypto::GenerateDecryptionKey(pb::SUITE_INTL);
  PublishKey('a', replacement->public_key());
  EXPECT_EQ(AccountOf('a').encryption_key(), replacement->public_key());
  EXPECT_TRUE(AccountOf('b').encryption_key().empty());
}

TEST_F(MaterialsTest, AnUnusableEncryptionKeyIsRefused) {
  auto set = [](std::string key) {
    return [key](pb::TxBody& b) { b.mutable_set_encryption_key()->set_public_key(key); };
  };
  Refused('b', pb::Status::INVALID_ARGUMENT, "public_key", set(std::string(32, '\0')));  // order 1
  Refused('b', pb::Status::INVALID_ARGUMENT, "public_key", set(std::string(31, 'k')));
  Refused('b', pb::Status::INVALID_ARGUMENT, "public_key", set(""));
  pb::Receipt unknown = h_.Run([&] {
    pb::TxBody body = h_.Body(testing::Key('q'));  // a key no account holds
    body.mutable_set_encryption_key()->set_public_key(keys_['a']->public_key());
    return body;
  }());
  EXPECT_EQ(unknown.code(), pb::Status::UNKNOWN_SIGNER);
}

TEST_F(MaterialsTest, EveryReaderOfTheClaimOpensTheFile) {
  const std::string content = "loan agreement of 2024-03-01, page 1 of 12";
  const std::string sealed = *crypto::SealData(pb::SUITE_INTL, data_key_, content, "claim file");
  pb::Declaration d = WrappedFor({'a', 'm', 'j'});
  d.mutable_attachments(0)->set_hash(h_.executor().suite().Hash(sealed));
  d.mutable_attachments(0)->set_size(sealed.size());
  const std::string id = Declare('a', supplier_, d);

  const pb::Claim claim = ClaimNow(id);
  const pb::Attachment& stored = claim.declaration().attachments(0);
  ASSERT_EQ(stored.keys_size(), 3);
  for (const pb::WrappedKey& key : stored.keys()) {
    char who = key.reader_account_id() == AccountId('a')   ? 'a'
               : key.reader_account_id() == AccountId('m') ? 'm'
                                                           : 'j';
    Result<std::string> opened_key = keys_[who]->UnwrapDataKey(key.wrapped());
    ASSERT_TRUE(opened_key.ok()) << who << ": " << opened_key.status().ToString();
    EXPECT_EQ(*crypto::OpenData(pb::SUITE_INTL, *opened_key, sealed, "claim file"), content);
    EXPECT_FALSE(keys_['x']->UnwrapDataKey(key.wrapped()).ok());
  }
}

TEST_F(MaterialsTest, KeysForAnyoneElseAreRefusedByName) {
  const std::string reader = "declaration.attachments[0].keys[1].reader_account_id";
  Refused('a', pb::Status::INVALID_ARGUMENT, reader, DeclareWith(WrappedFor({'a', 'x'})));
  // A judge of another court.
  Refused('a', pb::Status::INVALID_ARGUMENT, reader, DeclareWith(WrappedFor({'a', 'k'})));
  // A creditor of the case who has published no encryption key.
  Refused('a', pb::Status::INVALID_ARGUMENT, "has set no encryption key",
          DeclareWith(WrappedFor({'a', 'b'})));
  Refused('a', pb::Status::INVALID_ARGUMENT, reader, DeclareWith(WrappedFor({'a', 'a'})));

  pb::Declaration d = WrappedFor({'a'});
  d.mutable_attachments(0)->mutable_keys(0)->set_wrapped(
      std::string(crypto::kWrappedKeyBytesMax + 1, 'w'));
  Refused('a', pb::Status::INVALID_ARGUMENT, "declaration.attachments[0].keys[0].wrapped",
          DeclareWith(d));
  d = WrappedFor({'a'});
  for (int i = 0; i < kMaterialReadersMax; ++i) *d.mutable_attachments(0)->add_keys() = d.attachments(0).keys(0);
  Refused('a', pb::Status::INVALID_ARGUMENT, "declaration.attachments[0].keys", DeclareWith(d));
  d = Declaration(kSupplierCode, 1000, 0);
  d.mutable_attachments(0)->set_size(kAttachmentBytesMax + 1);
  Refused('a', pb::Status::INVALID_ARGUMENT, "declaration.attachments[0].size", DeclareWith(d));
}

TEST_F(MaterialsTest, AnAmendmentIsHeldToTheSameReaders) {
  const std::string id = Declare('a', supplier_, WrappedFor({'a'}));
  Refused('a', pb::Status::INVALID_ARGUMENT, "reader_account_id", [&](pb::TxBody& b) {
    b.mutable_amend_claim()->set_claim_id(id);
    *b.mutable_amend_claim()->mutable_declaration() = WrappedFor({'x'});
  });
  Ok('a', [&](pb::TxBody& b) {
    b.mutable_amend_claim()->set_claim_id(id);
    *b.mutable_amend_claim()->mutable_declaration() = WrappedFor({'a', 'm'});
  });
  EXPECT_EQ(ClaimNow(id).declaration().attachments(0).keys_size(), 2);
}

}  // namespace
}  // namespace onechain::contracts
