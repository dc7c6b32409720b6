// Proves a transaction's overlay reads through the block's overlay and holds only its own writes.
#include "contracts/state.h"

#include <gtest/gtest.h>

#include "contracts/test_harness.h"

namespace onechain::contracts {
namespace {

TEST(Overlay, NestedOverlayReadsThroughAndHoldsOnlyItsOwnWrites) {
  testing::MemoryState base;
  base.values["a"] = "base";
  Overlay block(base);
  block.Put("b", "block");
  const StateReader& block_view = block;
  Overlay tx(block_view);
  EXPECT_EQ(tx.Get("a"), "base");
  EXPECT_EQ(tx.Get("b"), "block");
  tx.Put("c", "tx");
  tx.Delete("a");
  EXPECT_EQ(tx.writes().size(), 2u);  // not the block's writes too
  EXPECT_FALSE(tx.Get("a").has_value());
  EXPECT_EQ(block.Get("a"), "base");  // untouched until merged
  tx.MergeInto(block);
  EXPECT_TRUE(tx.writes().empty());
  EXPECT_EQ(block.writes().size(), 3u);
  EXPECT_FALSE(block.Get("a").has_value());
}

}  // namespace
}  // namespace onechain::contracts
