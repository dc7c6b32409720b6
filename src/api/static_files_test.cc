#include "api/static_files.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace onechain::api {
namespace {

namespace fs = std::filesystem;

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = fs::temp_directory_path() /
            ("static_files_test_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
             "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(base_);
    root_ = base_ / "dist";
    fs::create_directories(root_ / "assets");
    Write(root_ / "index.html", "<!doctype html>index");
    Write(root_ / "assets" / "index-abc.js", "console.log(1)");
    Write(root_ / "assets" / "style.css", "body{}");
    Write(root_ / ".env", "secret");
    Write(base_ / "outside.txt", "outside");
  }
  void TearDown() override { fs::remove_all(base_); }

  static void Write(const fs::path& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
  }
  Result<StaticFile> Get(std::string_view path) { return ReadStaticFile(root_.string(), path); }

  fs::path base_, root_;
};

TEST_F(StaticFilesTest, ServesFilesWithTheirContentTypes) {
  Result<StaticFile> index = Get("/");
  ASSERT_TRUE(index.ok()) << index.status().ToString();
  EXPECT_EQ(index->body, "<!doctype html>index");
  EXPECT_EQ(index->content_type, "text/html; charset=utf-8");
  EXPECT_FALSE(index->immutable);

  Result<StaticFile> script = Get("/assets/index-abc.js");
  ASSERT_TRUE(script.ok());
  EXPECT_EQ(script->body, "console.log(1)");
  EXPECT_EQ(script->content_type, "text/javascript; charset=utf-8");
  EXPECT_TRUE(script->immutable);
  EXPECT_EQ(Get("/assets/style.css")->content_type, "text/css; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("a.bin"), "application/octet-stream");
  EXPECT_EQ(ContentTypeFor(".js"), "application/octet-stream");
}

TEST_F(StaticFilesTest, ClientRoutesGetIndexMissingFilesDoNot) {
  for (std::string_view route : {"/portal", "/cases/0123456789abcdef0123456789abcdef", "/court/"}) {
    Result<StaticFile> page = Get(route);
    ASSERT_TRUE(page.ok()) << route;
    EXPECT_EQ(page->body, "<!doctype html>index") << route;
  }
  // A directory is not a file either; without an extension it is a client route.
  EXPECT_EQ(Get("/assets")->body, "<!doctype html>index");
  EXPECT_EQ(Get("/assets/missing.js").status().code(), pb::Status::NOT_FOUND);
  EXPECT_EQ(Get("/favicon.ico").status().code(), pb::Status::NOT_FOUND);
}

TEST_F(StaticFilesTest, RefusesUnsafePaths) {
  for (std::string_view path :
       {"", "assets/index-abc.js", "/../outside.txt", "/assets/../../outside.txt", "/./index.html",
        "/.env", "/assets//style.css", "/assets\\..\\..\\outside.txt"}) {
    Result<StaticFile> file = Get(path);
    EXPECT_EQ(file.status().code(), pb::Status::INVALID_ARGUMENT) << path;
  }
  EXPECT_EQ(Get(std::string("/index.html\0x", 13)).status().code(), pb::Status::INVALID_ARGUMENT);
  EXPECT_EQ(Get("/" + std::string(kStaticPathBytesMax, 'a')).status().code(),
            pb::Status::INVALID_ARGUMENT);
}

TEST_F(StaticFilesTest, SymlinksOutOfTheRootAreNotServed) {
  fs::create_symlink(base_ / "outside.txt", root_ / "leak.txt");
  EXPECT_EQ(Get("/leak.txt").status().code(), pb::Status::NOT_FOUND);
  fs::create_symlink(root_ / "assets" / "style.css", root_ / "inside.css");
  EXPECT_EQ(Get("/inside.css")->body, "body{}");
}

TEST_F(StaticFilesTest, RefusesFilesOverTheBound) {
  fs::resize_file(root_ / "assets" / "style.css", kStaticFileBytesMax + 1);
  EXPECT_EQ(Get("/assets/style.css").status().code(), pb::Status::TOO_LARGE);
  fs::resize_file(root_ / "assets" / "style.css", kStaticFileBytesMax);
  EXPECT_TRUE(Get("/assets/style.css").ok());
}

}  // namespace
}  // namespace onechain::api
