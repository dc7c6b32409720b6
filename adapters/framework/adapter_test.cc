// The framework's durable state and its view of committed claims.
#include "framework/adapter.h"
#include "framework/event_listener.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

namespace onechain::adapters {
namespace {

class StateDirTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/onechain-adapter-test-XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string dir_;
};

TEST_F(StateDirTest, CursorStartsAtZeroAndSurvivesARewrite) {
  EXPECT_EQ(*LoadCursor(dir_), 0u);
  ASSERT_TRUE(SaveCursor(dir_, 41).ok());
  EXPECT_EQ(*LoadCursor(dir_), 41u);
  ASSERT_TRUE(SaveCursor(dir_, 18'446'744'073'709'551'615ULL).ok());
  EXPECT_EQ(*LoadCursor(dir_), 18'446'744'073'709'551'615ULL);
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/cursor.tmp"));
}

TEST_F(StateDirTest, AGarbledCursorIsAnErrorNotZero) {
  std::ofstream(dir_ + "/cursor") << "not a height\n";
  Result<uint64_t> cursor = LoadCursor(dir_);
  ASSERT_FALSE(cursor.ok());
  EXPECT_EQ(cursor.status().code(), pb::Status::MALFORMED);
}

TEST_F(StateDirTest, AtomicWriteToAMissingDirectoryFails) {
  Status st = WriteFileAtomically(dir_ + "/missing/file", "x");
  EXPECT_EQ(st.code(), pb::Status::IO);
}

TEST(ChainView, ALiveClaimIsOneNotWithdrawn) {
  ChainView view;
  pb::Claim* withdrawn = view.my_claims.add_claims();
  withdrawn->set_id("c1");
  withdrawn->set_creditor_id("e1");
  withdrawn->set_status(pb::CLAIM_STATUS_WITHDRAWN);
  view.my_claims.add_creditors()->set_id("e1");
  EXPECT_EQ(view.LiveClaimOf("e1"), nullptr);
  pb::Claim* live = view.my_claims.add_claims();
  live->set_id("c2");
  live->set_creditor_id("e1");
  live->set_status(pb::CLAIM_STATUS_REVIEWED);
  ASSERT_NE(view.LiveClaimOf("e1"), nullptr);
  EXPECT_EQ(view.LiveClaimOf("e1")->id(), "c2");
  EXPECT_EQ(view.LiveClaimOf("e2"), nullptr);
  EXPECT_NE(view.Entry("e1"), nullptr);
  EXPECT_EQ(view.Entry("e2"), nullptr);
}


// The event stream's frames, split across chunks anywhere; heartbeats and junk skipped.
TEST(EventFramesTest, SplitsFramesAcrossChunks) {
  std::string buffer;
  const std::string stream =
      "retry: 2000\n: open at height 4\n\n"
      "id: 5.0\nevent: case.accepted\ndata: {\"id\":\"5.0\",\"type\":\"case.accepted\"}\n\n"
      ": heartbeat\n\n"
      "id: 6.1\nevent: notice.sent\ndata: not json\n\n"
      "id: 7.2\nevent: notice.sent\ndata: {\"id\":\"7.2\",\"type\":\"notice.sent\","
      "\"caseId\":\"ab\"}\n\n";
  std::vector<pb::Event> events;
  for (size_t i = 0; i < stream.size(); i += 7) {
    for (pb::Event& e : TakeEventFrames(buffer, stream.substr(i, 7))) events.push_back(e);
  }
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].id(), "5.0");
  EXPECT_EQ(events[0].type(), "case.accepted");
  EXPECT_EQ(events[1].id(), "7.2");
  EXPECT_EQ(events[1].case_id(), "ab");
  EXPECT_TRUE(buffer.empty());
  // A frame whose id and data disagree is not taken.
  EXPECT_TRUE(TakeEventFrames(buffer, "id: 8.0\ndata: {\"id\":\"9.0\"}\n\n").empty());
}

}  // namespace
}  // namespace onechain::adapters
