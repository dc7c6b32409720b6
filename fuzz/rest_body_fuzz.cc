// REST request bodies and the request-signature headers, through the functions the handlers
// call (no HTTP). The first input byte picks the route and form:
//   0 POST /v1/tx JSON   1 POST /v1/tx binary   2 POST /v1/txs JSON   3 POST /v1/txs binary
//   4 POST /v1/me/webhook JSON   5 a signed read: "content-digest\nsignature-input\nsignature\nbody"
// Envelopes a body yields go on through DecodeEnvelope, as the node admits them.
#include <google/protobuf/util/json_util.h>

#include "api/request_auth.h"
#include "api/request_bodies.h"
#include "events.pb.h"
#include "fuzz/fixtures.h"
#include "node/envelope.h"

namespace {

using namespace onechain;

std::string_view NextLine(std::string_view& rest) {
  const size_t end = rest.find('\n');
  std::string_view line = rest.substr(0, end);
  rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
  return line;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const fuzz::Fixture& f = fuzz::GetFixture();
  const std::string_view body = fuzz::AsView(data + 1, size - 1);
  switch (data[0]) {
    case 0:
    case 1: {
      Result<std::string> envelope = api::EnvelopeFromBody(body, data[0] == 0);
      if (envelope.ok()) (void)node::DecodeEnvelope(*envelope);
      break;
    }
    case 2:
    case 3: {
      Result<pb::SubmitBatchRequest> batch = api::BatchFromBody(body, data[0] == 2);
      if (batch.ok()) {
        for (const std::string& envelope : batch->txs()) (void)node::DecodeEnvelope(envelope);
      }
      break;
    }
    case 4: {
      pb::WebhookRequest request;
      (void)google::protobuf::util::JsonStringToMessage(
          google::protobuf::StringPiece(body.data(), body.size()), &request);
      break;
    }
    case 5: {
      static api::RequestVerifier verifier(*f.params.suite);
      std::string_view rest = body;
      api::SignatureHeaders headers;
      headers.content_digest = NextLine(rest);
      headers.signature_input = NextLine(rest);
      headers.signature = NextLine(rest);
      const api::RequestParts request{
          .method = "GET", .path = "/v1/me", .query = "", .body = rest};
      // The seeds are signed at this time; replays of one are refused, as on a live node.
      (void)verifier.Verify(request, headers, 1'700'000'000);
      break;
    }
    default:
      break;
  }
  return 0;
}
