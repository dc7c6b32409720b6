#include "cli/client.h"

#include <google/protobuf/util/json_util.h>
#include <httplib.h>

#include <chrono>

#include "api.pb.h"
#include "api/request_auth.h"

namespace onechain::cli {

struct ApiClient::Impl {
  explicit Impl(const std::string& url) : http(url) {
    http.set_connection_timeout(5);
    http.set_read_timeout(60);
    http.set_keep_alive(true);
    http.set_tcp_nodelay(true);
  }
  httplib::Client http;
  std::string base_url;
};

ApiClient::ApiClient(const std::string& base_url) : impl_(std::make_unique<Impl>(base_url)) {
  impl_->base_url = base_url;
}
ApiClient::~ApiClient() = default;

static Result<HttpReply> ToReply(const httplib::Result& result, const std::string& base_url) {
  if (!result) {
    return Status(pb::Status::UNAVAILABLE,
                  "cannot reach the node at " + base_url + " (" + httplib::to_string(result.error()) +
                      ")");
  }
  return HttpReply{result->status, result->body};
}

Result<HttpReply> ApiClient::Get(const std::string& path) {
  if (signing_key_ == nullptr) return ToReply(impl_->http.Get(path), impl_->base_url);
  size_t question = path.find('?');
  std::string_view target = path;
  api::RequestParts parts{"GET", target.substr(0, question),
                          question == std::string::npos ? std::string_view()
                                                        : target.substr(question + 1),
                          ""};
  int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count();
  api::SignatureHeaders signed_headers =
      api::SignRequest(*signing_key_, parts, now, api::RandomNonce());
  httplib::Headers headers = {{"Content-Digest", signed_headers.content_digest},
                              {"Signature-Input", signed_headers.signature_input},
                              {"Signature", signed_headers.signature}};
  return ToReply(impl_->http.Get(path, headers), impl_->base_url);
}

Result<HttpReply> ApiClient::PutSigned(const std::string& path, const std::string& body) {
  if (signing_key_ == nullptr) {
    return Status(pb::Status::UNAUTHENTICATED, "an upload must be signed: give a key");
  }
  int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count();
  api::SignatureHeaders h =
      api::SignRequest(*signing_key_, {"PUT", path, "", body}, now, api::RandomNonce());
  httplib::Headers headers = {{"Content-Digest", h.content_digest},
                              {"Signature-Input", h.signature_input},
                              {"Signature", h.signature}};
  return ToReply(impl_->http.Put(path, headers, body, "application/octet-stream"),
                 impl_->base_url);
}

Result<HttpReply> ApiClient::PostBinary(const std::string& path, const std::string& body) {
  return ToReply(impl_->http.Post(path, body, "application/x-protobuf"), impl_->base_url);
}

Result<std::string> ApiClient::GetJson(const std::string& path) {
  Result<HttpReply> reply = Get(path);
  if (!reply.ok()) return reply.status();
  if (reply->status != 200) return StatusFromErrorBody(*reply);
  return std::move(reply->body);
}

Status StatusFromErrorBody(const HttpReply& reply) {
  pb::ErrorBody error;
  if (!google::protobuf::util::JsonStringToMessage(reply.body, &error).ok() ||
      error.code() == pb::Status::OK) {
    return Status(pb::Status::INTERNAL,
                  "HTTP " + std::to_string(reply.status) + ": " + reply.body.substr(0, 200));
  }
  return Status(error.code(), error.message());
}

}  // namespace onechain::cli
