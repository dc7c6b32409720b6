// The printable review-result notice: a PDF (pdf-lib) whose text is derived from two committed
// transactions of the administrator — the review (ReviewClaim) and the notice (SendReviewNotice)
// — and which carries both proof bundles: the notice's armored bundle in a QR code (npm qrcode)
// and, in the document information dictionary, both bundles for a verifier reading the file.
//
// Verification (verifyNoticePdf) needs nothing but the file and the genesis trust root: both
// bundles verify (bundle.ts), the notice names the reviewed claim, and the text printed on the
// page equals the text derived from the two proved transactions, line for line. One changed byte
// in the printed text or in a bundle therefore fails.
//
// The PDF uses the standard Helvetica font (no font embedding), so characters outside ASCII are
// printed as \uXXXX escapes; the console's notice page shows the same notice in zh-CN or en.
import {
  PDFContentStream,
  PDFDict,
  PDFDocument,
  PDFName,
  PDFRawStream,
  PDFString,
  StandardFonts,
  beginText,
  decodePDFRawStream,
  endText,
  moveText,
  popGraphicsState,
  pushGraphicsState,
  setFontAndSize,
  showText,
  type PDFArray,
  type PDFRef,
} from "pdf-lib";
import QRCode from "qrcode";
import { fromBase64, fromHex, toBase64, toHex } from "../chain/bytes";
import { readProto } from "../chain/protoRead";
import { RANKINGS } from "../chain/tx";
import { verify } from "../chain/suite";
import { BundleError, dearmor, verifyRecordBundle, type TrustRoot, type VerifiedRecord } from "./bundle";

const FIELD_REVIEW_CLAIM = 46;
const FIELD_SEND_REVIEW_NOTICE = 47;
const INFO_NOTICE_PROOF = "OneChainNoticeProof";
const INFO_REVIEW_PROOF = "OneChainReviewProof";

export interface ComponentResult {
  index: number;
  confirmedFen: bigint;
  ranking: string;
  reason: string;
}

export interface NoticeFacts {
  claimId: string;
  objectionDeadlineMs: bigint; // 0 after a re-review
  components: ComponentResult[];
  reasons: string;
  reviewTxHash: string;
  noticeTxHash: string;
  signerHex: string;
}

// A committed transaction of a bundle: its body's fields and that its signature is its signer's.
function decodeSignedTx(root: TrustRoot, verified: VerifiedRecord) {
  const envelope = readProto(verified.record);
  const body = envelope.bytes(1) ?? new Uint8Array();
  const signature = envelope.bytes(2) ?? new Uint8Array();
  const fields = readProto(body);
  const signer = fields.bytes(3) ?? new Uint8Array();
  if (!verify(root.suite, signer, body, signature)) {
    throw new BundleError("SIGNATURE", "the transaction's signature does not verify");
  }
  return { fields, signer, body };
}

export function factsOf(
  root: TrustRoot,
  review: VerifiedRecord,
  notice: VerifiedRecord,
  txHash: (body: Uint8Array) => Uint8Array,
): NoticeFacts {
  const r = decodeSignedTx(root, review);
  const n = decodeSignedTx(root, notice);
  const reviewClaim = r.fields.message(FIELD_REVIEW_CLAIM);
  const sendNotice = n.fields.message(FIELD_SEND_REVIEW_NOTICE);
  if (!reviewClaim) throw new BundleError("NOT_A_REVIEW", "the review bundle does not prove a claim review");
  if (!sendNotice) throw new BundleError("NOT_A_NOTICE", "the notice bundle does not prove a review-result notice");
  const claimId = sendNotice.string(1);
  if (reviewClaim.string(1) !== claimId) {
    throw new BundleError("MISMATCH", "the notice and the review are of different claims");
  }
  if (toHex(r.signer) !== toHex(n.signer)) {
    throw new BundleError("MISMATCH", "the notice and the review were signed by different accounts");
  }
  return {
    claimId,
    objectionDeadlineMs: sendNotice.uint(2),
    components: reviewClaim.repeatedBytes(2).map((c) => {
      const f = readProto(c);
      return {
        index: Number(f.uint(1)),
        confirmedFen: f.uint(2),
        ranking: RANKINGS[Number(f.uint(3)) - 1] ?? `ranking ${f.uint(3)}`,
        reason: f.string(4),
      };
    }),
    reasons: reviewClaim.string(4),
    reviewTxHash: toHex(txHash(r.body)),
    noticeTxHash: toHex(txHash(n.body)),
    signerHex: toHex(n.signer),
  };
}

// Printable in Helvetica (WinAnsi): ASCII as is, anything else as \uXXXX.
export function ascii(text: string): string {
  return Array.from(text)
    .map((ch) => {
      const code = ch.codePointAt(0) ?? 0;
      if (code >= 0x20 && code < 0x7f) return ch;
      if (code <= 0xffff) return `\\u${code.toString(16).padStart(4, "0")}`;
      return `\\u{${code.toString(16)}}`;
    })
    .join("");
}

export function yuan(fen: bigint): string {
  const negative = fen < 0n;
  const abs = negative ? -fen : fen;
  const whole = (abs / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${negative ? "-" : ""}${whole}.${(abs % 100n).toString().padStart(2, "0")}`;
}

function utcDate(ms: bigint): string {
  return new Date(Number(ms)).toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC");
}

// The printed text, a pure function of the proved facts.
export function noticeLines(f: NoticeFacts): string[] {
  const lines = [
    "OneChain - Notice of the review of a declared claim",
    `Claim: ${f.claimId}`,
    "Result of the administrator's review:",
  ];
  let total = 0n;
  for (const c of f.components) {
    total += c.confirmedFen;
    lines.push(
      `  Component ${c.index + 1}: confirmed CNY ${yuan(c.confirmedFen)}, ranking ${c.ranking}` +
        (c.reason ? `, reason: ${ascii(c.reason)}` : ""),
    );
  }
  lines.push(`Total confirmed: CNY ${yuan(total)}`);
  if (f.reasons) lines.push(`Reasons: ${ascii(f.reasons)}`);
  lines.push(
    f.objectionDeadlineMs > 0n
      ? `Objections may be raised until ${utcDate(f.objectionDeadlineMs)}.`
      : "This is the result of a re-review.",
  );
  lines.push(`Review transaction: ${f.reviewTxHash}`);
  lines.push(`Notice transaction: ${f.noticeTxHash}`);
  lines.push(`Signed by account key: ${f.signerHex.slice(0, 32)}...`);
  lines.push("Verify: scan the QR code, or open the portal's 'Verify a document' with this file.");
  return lines;
}

const FONT_SIZE = 10;
const LINE_HEIGHT = 14;
const MARGIN = 50;

// Long lines wrap at a fixed width so that the printed lines are a function of the text alone.
function wrap(lines: string[], width = 95): string[] {
  const out: string[] = [];
  for (const line of lines) {
    for (let at = 0; at < line.length || at === 0; at += width) out.push(line.slice(at, at + width));
  }
  return out;
}

// The document information dictionary (the trailer's /Info).
function infoDict(doc: PDFDocument): PDFDict {
  const info = doc.context.lookup(doc.context.trailerInfo.Info);
  if (!(info instanceof PDFDict)) throw new BundleError("NO_BUNDLE", "the PDF has no document information");
  return info;
}

export interface NoticeBundles {
  notice: string; // armored
  review: string; // armored
}

export async function noticeQrDataUrl(armoredNotice: string): Promise<string> {
  return QRCode.toDataURL(armoredNotice, { errorCorrectionLevel: "L", margin: 2, scale: 3 });
}

export async function makeNoticePdf(facts: NoticeFacts, bundles: NoticeBundles): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(`Review-result notice ${facts.claimId}`);
  doc.setProducer("OneChain web console");
  const page = doc.addPage([595, 842]); // A4
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const fontKey = page.node.newFontDictionary(font.name, font.ref);
  // The text goes in an uncompressed content stream: what is printed is what is read back.
  const operators = [pushGraphicsState(), beginText(), setFontAndSize(fontKey, FONT_SIZE), moveText(MARGIN, 842 - MARGIN)];
  wrap(noticeLines(facts)).forEach((line, i) => {
    if (i > 0) operators.push(moveText(0, -LINE_HEIGHT));
    operators.push(showText(font.encodeText(line)));
  });
  operators.push(endText(), popGraphicsState());
  const stream = PDFContentStream.of(doc.context.obj({}), operators, false);
  page.node.addContentStream(doc.context.register(stream));
  const qr = await doc.embedPng(await noticeQrDataUrl(bundles.notice));
  const side = 260;
  page.drawImage(qr, { x: MARGIN, y: MARGIN, width: side, height: side });
  const info = infoDict(doc);
  info.set(PDFName.of(INFO_NOTICE_PROOF), PDFString.of(toBase64(dearmor(bundles.notice))));
  info.set(PDFName.of(INFO_REVIEW_PROOF), PDFString.of(toBase64(dearmor(bundles.review))));
  return doc.save({ useObjectStreams: false });
}

// The strings shown by Tj in the page's content streams, in order (pdf-lib writes hex strings).
function printedLines(doc: PDFDocument): string[] {
  const page = doc.getPage(0);
  const contents = page.node.Contents();
  const refs: PDFRef[] = [];
  if (!contents) return [];
  if ("asArray" in contents) for (const r of (contents as PDFArray).asArray()) refs.push(r as PDFRef);
  const streams = refs.length > 0 ? refs.map((r) => doc.context.lookup(r)) : [contents];
  const lines: string[] = [];
  for (const s of streams) {
    if (!(s instanceof PDFRawStream)) continue;
    const text = new TextDecoder("latin1").decode(decodePDFRawStream(s).decode());
    for (const m of text.matchAll(/<([0-9A-Fa-f]*)>\s*Tj/g)) {
      lines.push(new TextDecoder("latin1").decode(fromHex(m[1])));
    }
  }
  return lines;
}

function infoBase64(doc: PDFDocument, key: string): Uint8Array {
  const value = infoDict(doc).get(PDFName.of(key));
  if (!(value instanceof PDFString)) throw new BundleError("NO_BUNDLE", `the PDF carries no ${key}`);
  try {
    return fromBase64(value.asString());
  } catch {
    throw new BundleError("MALFORMED", `the PDF's ${key} is not base64`);
  }
}

export interface NoticeVerdict {
  facts: NoticeFacts;
  notice: VerifiedRecord;
  lines: string[];
}

export async function verifyNoticePdf(
  pdf: Uint8Array,
  root: TrustRoot,
  txHash: (body: Uint8Array) => Uint8Array,
): Promise<NoticeVerdict> {
  let doc: PDFDocument;
  try {
    doc = await PDFDocument.load(pdf, { updateMetadata: false });
  } catch {
    throw new BundleError("NOT_A_PDF", "the file is not a PDF this portal can read");
  }
  const notice = verifyRecordBundle(infoBase64(doc, INFO_NOTICE_PROOF), root);
  const review = verifyRecordBundle(infoBase64(doc, INFO_REVIEW_PROOF), root);
  const facts = factsOf(root, review, notice, txHash);
  const expected = wrap(noticeLines(facts));
  let printed: string[];
  try {
    printed = printedLines(doc);
  } catch {
    throw new BundleError("TEXT", "the notice text in the PDF cannot be read");
  }
  if (printed.length !== expected.length || printed.some((line, i) => line !== expected[i])) {
    const i = expected.findIndex((line, k) => printed[k] !== line);
    throw new BundleError(
      "TEXT",
      `the printed notice differs from what the ledger proves (line ${i + 1}: expected "${expected[i] ?? ""}")`,
    );
  }
  return { facts, notice, lines: expected };
}

// A pasted QR payload: the notice's armored bundle alone.
export function verifyNoticePayload(armored: string, root: TrustRoot) {
  const notice = verifyRecordBundle(dearmor(armored), root);
  const envelope = readProto(notice.record);
  const body = readProto(envelope.bytes(1) ?? new Uint8Array());
  const signer = body.bytes(3) ?? new Uint8Array();
  if (!verify(root.suite, signer, envelope.bytes(1) ?? new Uint8Array(), envelope.bytes(2) ?? new Uint8Array())) {
    throw new BundleError("SIGNATURE", "the transaction's signature does not verify");
  }
  const sendNotice = body.message(FIELD_SEND_REVIEW_NOTICE);
  if (!sendNotice) throw new BundleError("NOT_A_NOTICE", "the bundle does not prove a review-result notice");
  return { notice, claimId: sendNotice.string(1), objectionDeadlineMs: sendNotice.uint(2), signerHex: toHex(signer) };
}
