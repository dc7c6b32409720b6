#include "api/server.h"

#include <google/protobuf/util/json_util.h>
#include <httplib.h>

#include <algorithm>
#include <cassert>
#include <charconv>
#include <set>
#include <chrono>

#include "api/document_check.h"
#include "api/event_routes.h"
#include "api/proof_reads.h"
#include "node/checkpoint_certifier.h"
#include "ledger/proof_bundle.h"
#include "api/request_auth.h"
#include "api/request_bodies.h"
#include "api/static_files.h"
#include "util/bytes.h"

namespace onechain::api {

namespace {

std::string ToJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.always_print_primitive_fields = true;
  std::string out;
  (void)google::protobuf::util::MessageToJsonString(message, &out, options);
  return out;
}

void Reply(httplib::Response& res, const google::protobuf::Message& message, int status = 200) {
  res.status = status;
  res.set_content(ToJson(message), "application/json");
}

bool WantsBinary(const httplib::Request& req) {
  return req.get_header_value("Accept").find("application/x-protobuf") != std::string::npos;
}

bool IsJson(const httplib::Request& req) {
  return req.get_header_value("Content-Type").rfind("application/json", 0) == 0;
}

void ReplyError(httplib::Response& res, const Status& status) {
  pb::ErrorBody body;
  body.set_code(status.code());
  body.set_message(status.message());
  Reply(res, body, HttpStatusFor(status.code()));
}

template <typename T>
void ReplyResult(httplib::Response& res, const Result<T>& result) {
  if (result.ok()) {
    Reply(res, *result);
  } else {
    ReplyError(res, result.status());
  }
}

std::optional<int64_t> ParseInt(std::string_view text) {
  int64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < 0) return std::nullopt;
  return value;
}

// The optional wait_ms parameter: milliseconds to wait for a commit, 0 when absent.
Result<int64_t> WaitMs(const httplib::Request& req) {
  if (!req.has_param("wait_ms")) return int64_t{0};
  std::optional<int64_t> parsed = ParseInt(req.get_param_value("wait_ms"));
  if (!parsed) {
    return Status(pb::Status::INVALID_ARGUMENT, "wait_ms must be a count of milliseconds");
  }
  if (*parsed > node::kCommitWaitMsMax) {
    return Status(pb::Status::INVALID_ARGUMENT,
                  "wait_ms must be at most " + std::to_string(node::kCommitWaitMsMax));
  }
  return *parsed;
}

// The envelope bytes of a POST /v1/tx body: binary protobuf, or JSON of SignedTx whose `body`
// field carries the exact signed bytes in base64.
Result<std::string> EnvelopeFromRequest(const httplib::Request& req) {
  return EnvelopeFromBody(req.body, IsJson(req));
}

// The body of POST /v1/txs: SubmitBatchRequest as binary protobuf or JSON, bounded in entries.
Result<pb::SubmitBatchRequest> BatchFromRequest(const httplib::Request& req) {
  return BatchFromBody(req.body, IsJson(req));
}

// GET /v1/cases parameters: q, credit_code, court, procedure, status, accepted_from,
// accepted_to, page_size, page_token. Unknown parameters are refused, not ignored.
Result<node::CaseQuery> CaseQueryFromRequest(const httplib::Request& req) {
  static const std::set<std::string> kKnown = {"q",           "credit_code",   "court",
                                               "procedure",   "status",        "accepted_from",
                                               "accepted_to", "page_size",     "page_token"};
  for (const auto& [name, value] : req.params) {
    if (!kKnown.contains(name)) {
      return Status(pb::Status::INVALID_ARGUMENT,
                    "unknown parameter '" + name.substr(0, 40) +
                        "'; use q, credit_code, court, procedure, status, accepted_from, "
                        "accepted_to, page_size, page_token");
    }
  }
  node::CaseQuery query;
  query.text = req.get_param_value("q");
  query.credit_code = req.get_param_value("credit_code");
  query.court_org_id = req.get_param_value("court");
  query.accepted_from = req.get_param_value("accepted_from");
  query.accepted_to = req.get_param_value("accepted_to");
  query.page_token = req.get_param_value("page_token");
  if (req.has_param("procedure")) {
    std::string name = "PROCEDURE_" + req.get_param_value("procedure");
    for (char& c : name) c = static_cast<char>(toupper(c));
    if (!pb::Procedure_Parse(name, &query.procedure) ||
        query.procedure == pb::PROCEDURE_UNSPECIFIED) {
      return Status(pb::Status::INVALID_ARGUMENT,
                    "procedure is liquidation, reorganization or compromise");
    }
  }
  if (req.has_param("status")) {
    std::string name = "CASE_STATUS_" + req.get_param_value("status");
    for (char& c : name) c = static_cast<char>(toupper(c));
    if (!pb::CaseStatus_Parse(name, &query.status) ||
        query.status == pb::CASE_STATUS_UNSPECIFIED) {
      return Status(pb::Status::INVALID_ARGUMENT, "status is accepted or terminated");
    }
  }
  if (req.has_param("page_size")) {
    std::optional<int64_t> size = ParseInt(req.get_param_value("page_size"));
    if (!size || *size < 1 || *size > static_cast<int64_t>(node::kSearchPageSizeMax)) {
      return Status(pb::Status::INVALID_ARGUMENT,
                    "page_size is 1 to " + std::to_string(node::kSearchPageSizeMax));
    }
    query.page_size = static_cast<size_t>(*size);
  }
  return query;
}

// Refuses parameters a route does not take, naming them, rather than ignoring them.
Status CheckParams(const httplib::Request& req, const std::set<std::string>& known) {
  for (const auto& [name, value] : req.params) {
    if (!known.contains(name)) {
      std::string names;
      for (const std::string& k : known) names += (names.empty() ? "" : ", ") + k;
      return Status(pb::Status::INVALID_ARGUMENT,
                    "unknown parameter '" + name.substr(0, 40) + "'; use " +
                        (names.empty() ? std::string("none") : names));
    }
  }
  return Status::Ok();
}

// page_size (1 to contracts::kPageSizeMax, default 100) and page_token (the previous reply's
// nextOffset) of the workflow's list routes.
Result<uint32_t> PageSizeFromRequest(const httplib::Request& req) {
  if (!req.has_param("page_size")) return contracts::Page().limit;
  std::optional<int64_t> size = ParseInt(req.get_param_value("page_size"));
  if (!size || *size < 1 || *size > static_cast<int64_t>(contracts::kPageSizeMax)) {
    return Status(pb::Status::INVALID_ARGUMENT,
                  "page_size is 1 to " + std::to_string(contracts::kPageSizeMax));
  }
  return static_cast<uint32_t>(*size);
}

Result<contracts::Page> PageFromRequest(const httplib::Request& req) {
  contracts::Page page;
  Result<uint32_t> size = PageSizeFromRequest(req);
  if (!size.ok()) return size.status();
  page.limit = *size;
  if (req.has_param("page_token")) {
    std::optional<int64_t> offset = ParseInt(req.get_param_value("page_token"));
    if (!offset) {
      return Status(pb::Status::INVALID_ARGUMENT,
                    "page_token is the previous reply's nextOffset");
    }
    page.offset = static_cast<uint64_t>(*offset);
  }
  return page;
}

// GET /v1/cases/{id}/distribution-preview parameters: general_estate (fen), final (true/false),
// collateral=ID:FEN and expense=ID:FEN:DESCRIPTION, each repeatable.
Result<pb::ProposeDistribution> PreviewFromRequest(const httplib::Request& req,
                                                   const std::string& case_id) {
  pb::ProposeDistribution input;
  input.set_case_id(case_id);
  input.set_title("preview");
  auto amount = [](const std::string& field, std::string_view text) -> Result<int64_t> {
    std::optional<int64_t> value = ParseInt(text);
    if (!value) return Status(pb::Status::INVALID_ARGUMENT, field + " must be a count of fen");
    return *value;
  };
  if (req.has_param("general_estate")) {
    Result<int64_t> estate = amount("general_estate", req.get_param_value("general_estate"));
    if (!estate.ok()) return estate.status();
    input.set_general_estate(*estate);
  }
  if (req.has_param("final")) {
    std::string final = req.get_param_value("final");
    if (final != "true" && final != "false") {
      return Status(pb::Status::INVALID_ARGUMENT, "final is true or false");
    }
    input.set_final(final == "true");
  }
  for (size_t i = 0; i < req.get_param_value_count("collateral"); ++i) {
    std::string value = req.get_param_value("collateral", i);
    size_t colon = value.rfind(':');
    if (colon == std::string::npos || colon == 0) {
      return Status(pb::Status::INVALID_ARGUMENT, "collateral is ID:FEN");
    }
    Result<int64_t> realized = amount("collateral", std::string_view(value).substr(colon + 1));
    if (!realized.ok()) return realized.status();
    pb::CollateralValue* collateral = input.add_collaterals();
    collateral->set_collateral_id(value.substr(0, colon));
    collateral->set_realized_value(*realized);
  }
  for (size_t i = 0; i < req.get_param_value_count("expense"); ++i) {
    std::string value = req.get_param_value("expense", i);
    size_t first = value.find(':');
    size_t second = first == std::string::npos ? first : value.find(':', first + 1);
    if (first == std::string::npos || first == 0 || second == std::string::npos) {
      return Status(pb::Status::INVALID_ARGUMENT, "expense is ID:FEN:DESCRIPTION");
    }
    Result<int64_t> fen =
        amount("expense", std::string_view(value).substr(first + 1, second - first - 1));
    if (!fen.ok()) return fen.status();
    pb::ExpenseItem* expense = input.add_expenses();
    expense->set_id(value.substr(0, first));
    expense->set_amount(*fen);
    expense->set_description(value.substr(second + 1));
  }
  return input;
}

}  // namespace

int HttpStatusFor(Code code) {
  switch (code) {
    case pb::Status::OK:
      return 200;
    case pb::Status::TOO_LARGE:
      return 413;
    case pb::Status::UNAUTHENTICATED:
      return 401;
    case pb::Status::UNKNOWN_SIGNER:
    case pb::Status::REVOKED_SIGNER:
    case pb::Status::UNAUTHORIZED:
      return 403;
    case pb::Status::NOT_FOUND:
      return 404;
    case pb::Status::NONCE_REPLAYED:
    case pb::Status::NONCE_SKIPPED:
    case pb::Status::DUPLICATE:
    case pb::Status::ALREADY_EXISTS:
    case pb::Status::FAILED_PRECONDITION:
      return 409;
    case pb::Status::MEMPOOL_FULL:
      return 429;
    case pb::Status::UNAVAILABLE:
      return 503;
    case pb::Status::INTERNAL:
    case pb::Status::IO:
      return 500;
    default:
      return 400;
  }
}

struct Server::Impl {
  node::Node& node;
  httplib::Server http;
  RequestVerifier verifier;
  std::vector<std::string> routes;  // "GET /v1/tx/{hash}", ...
  std::unique_ptr<EventRoutes> events;  // api/event_routes.h

  explicit Impl(node::Node& n) : node(n), verifier(n.chain().suite()) {
    http.new_task_queue = [] { return new httplib::ThreadPool(kServerThreads); };
    // The largest body any route takes; each route bounds its own further.
    http.set_payload_max_length(
        std::max<size_t>(kBatchBodyBytesMax * 4 / 3, ledger::kBlobBytesMaxDefault) + 1024);
    http.set_keep_alive_max_count(100'000);
    // Replies go out as two writes (headers, body); without TCP_NODELAY Nagle's algorithm and the
    // client's delayed ACK hold every later reply on a keep-alive connection for ~40 ms.
    http.set_tcp_nodelay(true);
    // cpp-httplib's default adds SO_REUSEPORT, which would let a second node share the port.
    http.set_socket_options([](socket_t sock) {
      int yes = 1;
      setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
    });
    http.set_error_handler([](const httplib::Request&, httplib::Response& res) {
      if (!res.body.empty()) return;
      Code code = res.status == 413   ? pb::Status::TOO_LARGE
                  : res.status == 404 ? pb::Status::NOT_FOUND
                                      : pb::Status::MALFORMED;
      int http_status = res.status;
      ReplyError(res, Status(code, res.status == 404   ? "no such route"
                                   : res.status == 413 ? "the request body is too large"
                                                       : "the request is malformed"));
      res.status = http_status;
    });
    Routes();
  }

  // Serves `pattern` (a regex) for `method` and records the route as OpenAPI names it
  // (api/openapi.yaml), so that a test can hold the two to each other.
  void Route(const std::string& method, const std::string& documented_path, const char* pattern,
             httplib::Server::Handler handler) {
    routes.push_back(method + " " + documented_path);
    if (method == "GET") {
      http.Get(pattern, std::move(handler));
    } else if (method == "PUT") {
      http.Put(pattern, std::move(handler));
    } else {
      assert(method == "POST");
      http.Post(pattern, std::move(handler));
    }
  }

  void Routes() {
    Route("POST", "/v1/tx", "/v1/tx", [this](const httplib::Request& req, httplib::Response& res) {
      // Every parameter is checked before the transaction is admitted.
      Result<int64_t> wait_ms = WaitMs(req);
      if (!wait_ms.ok()) return ReplyError(res, wait_ms.status());
      Result<std::string> envelope = EnvelopeFromRequest(req);
      if (!envelope.ok()) {
        node.CountSubmission(envelope.status());
        return ReplyError(res, envelope.status());
      }
      Result<std::string> hash = node.Submit(*envelope);
      node.CountSubmission(hash.status());
      if (!hash.ok()) return ReplyError(res, hash.status());
      if (req.has_param("wait_ms"))
        return ReplyResult(res, node.GetTxStatus(ToHex(*hash), *wait_ms));
      pb::SubmitTxResponse body;
      body.set_hash(ToHex(*hash));
      body.set_state(pb::TxStatus::PENDING);
      Reply(res, body, 202);
    });
    Route("POST", "/v1/txs", "/v1/txs",
          [this](const httplib::Request& req, httplib::Response& res) {
            Result<pb::SubmitBatchRequest> batch = BatchFromRequest(req);
            if (!batch.ok()) return ReplyError(res, batch.status());
            std::vector<std::string_view> envelopes(batch->txs().begin(), batch->txs().end());
            std::vector<Result<std::string>> admitted = node.SubmitBatch(envelopes);
            pb::SubmitBatchResponse body;
            uint32_t count = 0;
            for (const Result<std::string>& result : admitted) {
              node.CountSubmission(result.status());
              pb::SubmitResult* out = body.add_results();
              if (result.ok()) {
                out->set_hash(ToHex(*result));
                out->set_code(pb::Status::OK);
                ++count;
              } else {
                out->set_code(result.status().code());
                out->set_message(result.status().message());
              }
            }
            body.set_admitted(count);
            if (WantsBinary(req)) {
              res.status = 200;
              res.set_content(body.SerializeAsString(), "application/x-protobuf");
            } else {
              Reply(res, body);
            }
          });
    Route("GET", "/metrics", "/metrics", [this](const httplib::Request&, httplib::Response& res) {
      res.set_content(node.RenderMetrics(), "text/plain; version=0.0.4; charset=utf-8");
    });
    Route("GET", "/v1/tx/{hash}", "/v1/tx/([0-9a-fA-F]+)",
          [this](const httplib::Request& req, httplib::Response& res) {
            ReplyTxStatus(req, res, req.matches[1]);
          });
    Route("GET", "/v1/blocks/latest", "/v1/blocks/latest",
          [this](const httplib::Request&, httplib::Response& res) {
            uint64_t height = node.height();
            if (height == 0) return ReplyError(res, Status(pb::Status::NOT_FOUND, "no block yet"));
            ReplyResult(res, node.GetBlock(height));
          });
    Route("GET", "/v1/blocks/{height}", "/v1/blocks/([0-9]+)",
          [this](const httplib::Request& req, httplib::Response& res) {
            std::optional<int64_t> height = ParseInt(req.matches[1].str());
            if (!height) return ReplyError(res, Status(pb::Status::INVALID_ARGUMENT, "bad height"));
            ReplyResult(res, node.GetBlock(static_cast<uint64_t>(*height)));
          });
    Route("GET", "/v1/accounts/{id}", "/v1/accounts/([0-9a-f]{40})",
          [this](const httplib::Request& req, httplib::Response& res) {
            ReplyResult(res, node.GetAccount(req.matches[1].str()));
          });
    Route("GET", "/v1/keys/{public_key}", "/v1/keys/([0-9a-fA-F]+)",
          [this](const httplib::Request& req, httplib::Response& res) {
            std::optional<std::string> key = FromHex(req.matches[1].str());
            if (!key) return ReplyError(res, Status(pb::Status::INVALID_ARGUMENT, "bad key hex"));
            ReplyResult(res, node.GetAccountByKey(*key));
          });
    Route("GET", "/v1/orgs", "/v1/orgs", [this](const httplib::Request&, httplib::Response& res) {
      ReplyResult(res, node.ListOrgs());
    });
    Route("GET", "/v1/cases/{id}", "/v1/cases/([0-9a-f]{32})",
          [this](const httplib::Request& req, httplib::Response& res) {
            ReplyResult(res, node.GetCase(req.matches[1].str()));
          });
    Route("GET", "/v1/cases", "/v1/cases",
          [this](const httplib::Request& req, httplib::Response& res) {
            Result<node::CaseQuery> query = CaseQueryFromRequest(req);
            if (!query.ok()) return ReplyError(res, query.status());
            ReplyResult(res, node.SearchCases(*query));
          });
    Route("GET", "/v1/health", "/v1/health",
          [this](const httplib::Request&, httplib::Response& res) { Reply(res, node.Health()); });
    Route("GET", "/v1/consensus", "/v1/consensus",
          [this](const httplib::Request&, httplib::Response& res) {
            ReplyResult(res, node.GetConsensus());
          });
    Route("GET", "/v1/me", "/v1/me", [this](const httplib::Request& req, httplib::Response& res) {
      Result<std::optional<pb::Account>> caller = Authenticate(req);
      if (!caller.ok()) return ReplyError(res, caller.status());
      if (!caller->has_value()) {
        return ReplyError(res,
                          Status(pb::Status::UNAUTHENTICATED,
                                 "sign the request with your account key to see your account"));
      }
      Reply(res, **caller);
    });
    WorkflowRoutes();
    ProofRoutes();
    events = std::make_unique<EventRoutes>(RouteContext{
        node,
        [this](const std::string& method, const std::string& path, const char* pattern,
               httplib::Server::Handler handler) { Route(method, path, pattern, handler); },
        [this](const httplib::Request& req) { return Authenticate(req); }});
    PrivacyRoutes();
  }

  // A read whose answer depends on who signed it (node/read_policy.h): `read` gets the caller,
  // null when unsigned; its result is the reply. Parameters outside `known` are refused.
  template <typename Read>
  void CallerRead(const httplib::Request& req, httplib::Response& res,
                  const std::set<std::string>& known, const Read& read) {
    if (Status st = CheckParams(req, known); !st.ok()) return ReplyError(res, st);
    Result<std::optional<pb::Account>> caller = Authenticate(req);
    if (!caller.ok()) return ReplyError(res, caller.status());
    ReplyResult(res, read(caller->has_value() ? &**caller : nullptr));
  }

  // A paged read of a case's records by a caller.
  template <typename Read>
  void CasePageRead(const httplib::Request& req, httplib::Response& res, const Read& read) {
    CallerRead(req, res, {"page_size", "page_token"}, [&](const pb::Account* caller) {
      Result<contracts::Page> page = PageFromRequest(req);
      using Reply = decltype(read(caller, req.matches[1].str(), *page));
      if (!page.ok()) return Reply(page.status());
      return read(caller, req.matches[1].str(), *page);
    });
  }

  // The bankruptcy workflow's reads; each names its privacy class (DOMAIN.md).
  void WorkflowRoutes() {
    using httplib::Request;
    using httplib::Response;
    // case
    Route("GET", "/v1/cases/{id}/claims", "/v1/cases/([0-9a-f]{32})/claims",
          [this](const Request& req, Response& res) {
            CasePageRead(req, res, [this](const pb::Account* caller, const std::string& id,
                                          contracts::Page page) {
              return node.GetClaimForm(caller, id, page);
            });
          });
    Route("GET", "/v1/cases/{id}/creditors", "/v1/cases/([0-9a-f]{32})/creditors",
          [this](const Request& req, Response& res) {
            CasePageRead(req, res, [this](const pb::Account* caller, const std::string& id,
                                          contracts::Page page) {
              return node.ListCaseCreditors(caller, id, page);
            });
          });
    Route("GET", "/v1/cases/{id}/plans", "/v1/cases/([0-9a-f]{32})/plans",
          [this](const Request& req, Response& res) {
            CasePageRead(req, res, [this](const pb::Account* caller, const std::string& id,
                                          contracts::Page page) {
              return node.ListCasePlans(caller, id, page);
            });
          });
    Route("GET", "/v1/plans/{id}", "/v1/plans/([0-9a-f]{32})",
          [this](const Request& req, Response& res) {
            CallerRead(req, res, {}, [&](const pb::Account* caller) {
              return node.GetPlan(caller, req.matches[1].str());
            });
          });
    Route("GET", "/v1/cases/{id}/distribution-preview",
          "/v1/cases/([0-9a-f]{32})/distribution-preview",
          [this](const Request& req, Response& res) {
            CallerRead(req, res, {"general_estate", "final", "collateral", "expense"},
                       [&](const pb::Account* caller) -> Result<pb::DistributionDetail> {
                         Result<pb::ProposeDistribution> input =
                             PreviewFromRequest(req, req.matches[1].str());
                         if (!input.ok()) return input.status();
                         return node.PreviewDistribution(caller, *input);
                       });
          });
    // party
    Route("GET", "/v1/claims/{id}", "/v1/claims/([0-9a-f]{32})",
          [this](const Request& req, Response& res) {
            CallerRead(req, res, {}, [&](const pb::Account* caller) {
              return node.GetClaim(caller, req.matches[1].str());
            });
          });
    Route("GET", "/v1/claims/{id}/history", "/v1/claims/([0-9a-f]{32})/history",
          [this](const Request& req, Response& res) {
            CallerRead(req, res, {}, [&](const pb::Account* caller) {
              return node.GetClaimHistory(caller, req.matches[1].str());
            });
          });
    // own
    Route("GET", "/v1/me/notices", "/v1/me/notices", [this](const Request& req, Response& res) {
      CallerRead(req, res, {}, [&](const pb::Account* caller) { return node.GetMyNotices(caller); });
    });
    Route("GET", "/v1/me/claims", "/v1/me/claims", [this](const Request& req, Response& res) {
      CallerRead(req, res, {}, [&](const pb::Account* caller) { return node.GetMyClaims(caller); });
    });
    // public
    Route("GET", "/v1/cases/{id}/meetings", "/v1/cases/([0-9a-f]{32})/meetings",
          [this](const Request& req, Response& res) {
            CasePageRead(req, res, [this](const pb::Account*, const std::string& id,
                                          contracts::Page page) {
              return node.ListCaseMeetings(id, page);
            });
          });
    Route("GET", "/v1/cases/{id}/recruitments", "/v1/cases/([0-9a-f]{32})/recruitments",
          [this](const Request& req, Response& res) {
            CasePageRead(req, res, [this](const pb::Account*, const std::string& id,
                                          contracts::Page page) {
              return node.ListCaseRecruitments(id, page);
            });
          });
    Route("GET", "/v1/recruitments", "/v1/recruitments",
          [this](const Request& req, Response& res) {
            if (Status st = CheckParams(req, {"page_size", "page_token"}); !st.ok()) {
              return ReplyError(res, st);
            }
            Result<uint32_t> size = PageSizeFromRequest(req);
            if (!size.ok()) return ReplyError(res, size.status());
            std::string token = req.get_param_value("page_token");
            if (!token.empty() && (token.size() != 32 || token.find_first_not_of(
                                                             "0123456789abcdef") !=
                                                             std::string::npos)) {
              return ReplyError(res, Status(pb::Status::INVALID_ARGUMENT,
                                            "page_token is the previous reply's nextPageToken"));
            }
            ReplyResult(res, node.ListRecruitments(token, *size));
          });
  }

  // Proofs anyone checks offline (issue 5, api/proof_reads.h). A bundle is JSON with its armored
  // file, or the binary ProofBundle for Accept: application/x-protobuf.
  void ProofRoutes() {
    using httplib::Request;
    using httplib::Response;
    Route("GET", "/v1/checkpoints/latest", "/v1/checkpoints/latest",
          [this](const Request& req, Response& res) {
            if (Status st = CheckParams(req, {}); !st.ok()) return ReplyError(res, st);
            ReplyResult(res, CheckpointOf(node.chain(), ProofHead(), Certificates()));
          });
    // The network's genesis (public): the trust root a browser verifies proof bundles against.
    Route("GET", "/v1/genesis", "/v1/genesis", [this](const Request& req, Response& res) {
      if (Status st = CheckParams(req, {}); !st.ok()) return ReplyError(res, st);
      Reply(res, node.chain().genesis());
    });
    Route("GET", "/v1/proofs/tx/{hash}", "/v1/proofs/tx/([0-9a-fA-F]{64})",
          [this](const Request& req, Response& res) {
            if (Status st = CheckParams(req, {}); !st.ok()) return ReplyError(res, st);
            Result<std::optional<pb::Account>> caller = Authenticate(req);
            if (!caller.ok()) return ReplyError(res, caller.status());
            std::string caller_key = caller->has_value() ? (*caller)->public_key() : "";
            ReplyBundle(req, res, TxProof(node.chain(), *FromHex(req.matches[1].str()),
                                          ProofHead(), caller_key, Certificates()));
          });
    Route("GET", "/v1/proofs/consistency", "/v1/proofs/consistency",
          [this](const Request& req, Response& res) {
            if (Status st = CheckParams(req, {"from", "to"}); !st.ok()) return ReplyError(res, st);
            std::optional<int64_t> from = ParseInt(req.get_param_value("from"));
            std::optional<int64_t> to = ParseInt(req.get_param_value("to"));
            if (!from || !to) {
              return ReplyError(res, Status(pb::Status::INVALID_ARGUMENT,
                                            "from and to are log sizes (counts of transactions)"));
            }
            ReplyResult(res, ConsistencyProof(node.chain(), static_cast<uint64_t>(*from),
                                              static_cast<uint64_t>(*to), ProofHead()));
          });
    Route("GET", "/v1/proofs/state/{key}", "/v1/proofs/state/(.+)",
          [this](const Request& req, Response& res) {
            if (Status st = CheckParams(req, {}); !st.ok()) return ReplyError(res, st);
            std::string key = req.matches[1].str();
            if (key.size() > kStateKeyBytesMax) {
              return ReplyError(res, Status(pb::Status::INVALID_ARGUMENT, "the key is too long"));
            }
            Result<std::optional<pb::Account>> caller = Authenticate(req);
            if (!caller.ok()) return ReplyError(res, caller.status());
            if (Status st = MayProveStateKey(caller->has_value() ? &**caller : nullptr, key);
                !st.ok()) {
              return ReplyError(res, st);
            }
            ReplyBundle(req, res, StateKeyProof(node.chain(), key, Certificates()));
          });
    // Whether a record the caller may read references a file, by the file's hash (hex of 32
    // bytes), with a proof of that record (api/document_check.h).
    Route("GET", "/v1/documents/{hash}", "/v1/documents/([0-9a-fA-F]{64})",
          [this](const Request& req, Response& res) {
            if (Status st = CheckParams(req, {}); !st.ok()) return ReplyError(res, st);
            Result<std::optional<pb::Account>> caller = Authenticate(req);
            if (!caller.ok()) return ReplyError(res, caller.status());
            ReplyBundle(req, res,
                        DocumentProof(node, caller->has_value() ? &**caller : nullptr,
                                      *FromHex(req.matches[1].str()), Certificates()));
          });
  }

  static constexpr size_t kStateKeyBytesMax = 1024;

  // The height proofs are served at: the committed head, or under BFT the latest block that
  // 2f+1 validators certified after executing it (node/checkpoint_certifier.h).
  uint64_t ProofHead() const {
    const node::CheckpointCertifier* certifier = node.checkpoint_certifier();
    return certifier != nullptr ? certifier->Latest().height : node.height();
  }
  CertificateSource Certificates() const {
    const node::CheckpointCertifier* certifier = node.checkpoint_certifier();
    if (certifier == nullptr) return {};
    return [certifier](uint64_t height) { return certifier->CertificateOf(height); };
  }

  // Encrypted materials and data grants (docs/privacy.md). Blobs are ciphertext only; both blob
  // routes need a signed request, and a blob the caller may not read is the same 404 as none.
  void PrivacyRoutes() {
    using httplib::Request;
    using httplib::Response;
    Route("PUT", "/v1/blobs/{hash}", "/v1/blobs/([0-9a-fA-F]{64})",
          [this](const Request& req, Response& res) {
            if (Status st = CheckParams(req, {}); !st.ok()) return ReplyError(res, st);
            Result<std::optional<pb::Account>> caller = Authenticate(req);
            if (!caller.ok()) return ReplyError(res, caller.status());
            if (!caller->has_value()) {
              return ReplyError(res, Status(pb::Status::UNAUTHENTICATED,
                                            "sign the upload with your account key"));
            }
            Result<pb::BlobPutResponse> stored = node.PutBlob(req.matches[1].str(), req.body);
            if (!stored.ok()) return ReplyError(res, stored.status());
            Reply(res, *stored, 201);
          });
    Route("GET", "/v1/blobs/{hash}", "/v1/blobs/([0-9a-fA-F]{64})",
          [this](const Request& req, Response& res) {
            if (Status st = CheckParams(req, {}); !st.ok()) return ReplyError(res, st);
            Result<std::optional<pb::Account>> caller = Authenticate(req);
            if (!caller.ok()) return ReplyError(res, caller.status());
            int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                 std::chrono::system_clock::now().time_since_epoch())
                                 .count();
            Result<std::string> bytes = node.GetBlob(
                caller->has_value() ? &**caller : nullptr, req.matches[1].str(), now_ms);
            if (!bytes.ok()) return ReplyError(res, bytes.status());
            res.status = 200;
            res.set_header("Cache-Control", "private, no-store");
            res.set_content(std::move(*bytes), "application/octet-stream");
          });
    // public: what each department answers
    Route("GET", "/v1/orgs/{id}/record-types", "/v1/orgs/([0-9A-Za-z_.-]{1,64})/record-types",
          [this](const Request& req, Response& res) {
            if (Status st = CheckParams(req, {}); !st.ok()) return ReplyError(res, st);
            ReplyResult(res, node.GetRecordTypes(req.matches[1].str()));
          });
    // grant
    Route("GET", "/v1/grants/{id}", "/v1/grants/([0-9a-f]{32})",
          [this](const Request& req, Response& res) {
            CallerRead(req, res, {}, [&](const pb::Account* caller) {
              return node.GetGrant(caller, req.matches[1].str());
            });
          });
    Route("GET", "/v1/grants/{id}/accesses", "/v1/grants/([0-9a-f]{32})/accesses",
          [this](const Request& req, Response& res) {
            CasePageRead(req, res, [this](const pb::Account* caller, const std::string& id,
                                          contracts::Page page) {
              return node.ListGrantAccess(caller, id, page);
            });
          });
    // own
    Route("GET", "/v1/me/grants", "/v1/me/grants", [this](const Request& req, Response& res) {
      CallerRead(req, res, {}, [&](const pb::Account* caller) { return node.GetMyGrants(caller); });
    });
  }

  // Whether `caller` may have a proof of state `key`, which shows its value or its absence
  // (node/read_policy.h): public records (cases, meetings, recruitment notices, organizations,
  // accounts, the validator set) to anyone; a claim or a plan to whom the node's read of it
  // answers, else the same NotFound as a missing one; every other key (creditor entries,
  // notices, ballots, payments, list indexes) to no one yet, with the same NotFound.
  Status MayProveStateKey(const pb::Account* caller, std::string_view key) {
    static const char* const kPublicPrefixes[] = {"case/",  "meeting/", "recruit/", "org/",
                                                  "acct/",  "pk/",      "roster/",  "cbc/"};
    for (const char* prefix : kPublicPrefixes) {
      if (key.starts_with(prefix)) return Status::Ok();
    }
    if (key == ledger::kValidatorSetStateKey) return Status::Ok();
    if (key.starts_with("claim/")) return node.GetClaim(caller, key.substr(6)).status();
    if (key.starts_with("plan/")) return node.GetPlan(caller, key.substr(5)).status();
    return node::NotFound("state key");
  }

  void ReplyBundle(const httplib::Request& req, httplib::Response& res,
                   const Result<pb::ProofBundleView>& view) {
    if (view.ok() && WantsBinary(req)) {
      res.status = 200;
      res.set_content(view->bundle().SerializeAsString(), "application/x-protobuf");
      return;
    }
    ReplyResult(res, view);
  }

  // The account that signed `req` (api/request_auth.h); nullopt for an unsigned request. A
  // signature that fails, or a key that is not an account's current key, is an error, never a
  // silent fall-back to anonymous.
  Result<std::optional<pb::Account>> Authenticate(const httplib::Request& req) {
    SignatureHeaders headers{req.get_header_value("Content-Digest"),
                             req.get_header_value("Signature-Input"),
                             req.get_header_value("Signature")};
    if (headers.empty()) return std::optional<pb::Account>();
    std::string_view target = req.target;
    size_t question = target.find('?');
    RequestParts parts{
        req.method, target.substr(0, question),
        question == std::string_view::npos ? std::string_view() : target.substr(question + 1),
        req.body};
    int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
    Result<std::string> key = verifier.Verify(parts, headers, now);
    if (!key.ok()) return key.status();
    Result<pb::Account> account = node.GetAccountByKey(*key);
    if (!account.ok()) {
      return Status(pb::Status::UNAUTHENTICATED, "no account holds the request's signing key");
    }
    if (account->status() != pb::ACCOUNT_STATUS_ACTIVE || account->public_key() != *key) {
      return Status(pb::Status::REVOKED_SIGNER,
                    "the request's signing key is revoked or rotated out of its account");
    }
    return std::optional<pb::Account>(std::move(*account));
  }

  void ReplyTxStatus(const httplib::Request& req, httplib::Response& res, const std::string& hash) {
    Result<int64_t> wait_ms = WaitMs(req);
    if (!wait_ms.ok()) return ReplyError(res, wait_ms.status());
    ReplyResult(res, node.GetTxStatus(hash, *wait_ms));
  }
};

Server::Server(node::Node& node) : impl_(std::make_unique<Impl>(node)) {}
Server::~Server() { Stop(); }

Status Server::Listen(const std::string& host, int port) {
  if (!impl_->http.bind_to_port(host.c_str(), port)) {
    return Status(pb::Status::IO, "cannot listen on " + host + ":" + std::to_string(port));
  }
  if (!impl_->http.listen_after_bind()) {
    return Status(pb::Status::IO, "the HTTP server stopped with an error");
  }
  return Status::Ok();
}

void Server::ServeStatic(const std::string& dir) {
  impl_->http.Get(".*", [dir](const httplib::Request& req, httplib::Response& res) {
    if (req.path == "/v1" || req.path.starts_with("/v1/")) {
      return ReplyError(res, Status(pb::Status::NOT_FOUND, "no such route"));
    }
    Result<StaticFile> file = ReadStaticFile(dir, req.path);
    if (!file.ok()) return ReplyError(res, file.status());
    res.set_header("X-Content-Type-Options", "nosniff");
    res.set_header("Cache-Control", file->immutable ? "public, max-age=31536000, immutable"
                                                    : "no-cache");
    res.set_content(std::move(file->body), file->content_type);
  });
}

void Server::Stop() {
  impl_->events->Stop();
  impl_->http.stop();
}

Status Server::EnableWebhooks(const std::string& dir) { return impl_->events->EnableWebhooks(dir); }
const std::vector<std::string>& Server::routes() const { return impl_->routes; }
bool Server::running() const { return impl_->http.is_running(); }

}  // namespace onechain::api
