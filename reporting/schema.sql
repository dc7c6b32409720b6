-- The reporting database of onechain-report (reporting/README.md). Every table mirrors committed
-- chain data; the reporter writes each block's rows and report_cursor in one transaction.
-- Amounts are fen (bigint), times are block times in Unix milliseconds (bigint).

-- The last block applied, exactly one row.
CREATE TABLE IF NOT EXISTS report_cursor (
  id integer PRIMARY KEY CHECK (id = 1),
  height bigint NOT NULL,
  block_hash text NOT NULL,
  block_time_ms bigint NOT NULL
);
INSERT INTO report_cursor VALUES (1, 0, '', 0) ON CONFLICT (id) DO NOTHING;

CREATE TABLE IF NOT EXISTS blocks (
  height bigint PRIMARY KEY,
  hash text NOT NULL,
  time_ms bigint NOT NULL,
  tx_count integer NOT NULL
);

-- Every committed transaction, successful or not: its action and its receipt.
CREATE TABLE IF NOT EXISTS transactions (
  tx_hash text PRIMARY KEY,
  height bigint NOT NULL REFERENCES blocks (height),
  idx integer NOT NULL,
  action text NOT NULL,            -- the TxBody oneof field, e.g. declare_claim
  signer text NOT NULL,            -- hex of the signer's public key
  code text NOT NULL,              -- receipt code, e.g. OK, PERMISSION_DENIED
  message text NOT NULL,
  record_id text NOT NULL,         -- the record the action created or changed
  UNIQUE (height, idx)
);

CREATE TABLE IF NOT EXISTS cases (
  case_id text PRIMARY KEY,
  case_number text NOT NULL,
  debtor_name text NOT NULL,
  debtor_credit_code text NOT NULL,
  procedure text NOT NULL,
  acceptance_date date NOT NULL,
  accepted_height bigint NOT NULL,
  accepted_time_ms bigint NOT NULL,
  administrator_firm text,         -- the firm appointed now
  claim_period_end_ms bigint,
  first_meeting_ms bigint,
  terminated_time_ms bigint,
  termination_reason text
);

CREATE TABLE IF NOT EXISTS creditors (
  creditor_id text PRIMARY KEY,
  case_id text NOT NULL,
  kind text NOT NULL,              -- CREDITOR_KIND_FIRM, _PERSON, _DEPARTMENT, _EMPLOYEE
  name text NOT NULL,
  id_number text NOT NULL,
  org_id text NOT NULL,            -- departments: the organization acting for it
  added_height bigint NOT NULL,
  added_time_ms bigint NOT NULL
);

-- Claim-declaration notices and their delivery receipts.
CREATE TABLE IF NOT EXISTS notices (
  notice_id text PRIMARY KEY,
  case_id text NOT NULL,
  creditor_id text NOT NULL,
  kind text NOT NULL,
  sent_height bigint NOT NULL,
  sent_time_ms bigint NOT NULL,
  acknowledged_height bigint,
  acknowledged_time_ms bigint
);

-- Claims as the chain holds them after the last block that acted on them (status, totals).
CREATE TABLE IF NOT EXISTS claims (
  claim_id text PRIMARY KEY,
  case_id text NOT NULL,
  creditor_id text NOT NULL,
  origin text NOT NULL,
  status text NOT NULL,            -- CLAIM_STATUS_DECLARED … CLAIM_STATUS_CONFIRMED, _WITHDRAWN
  late boolean NOT NULL,
  version integer NOT NULL,
  declared_total bigint NOT NULL,
  confirmed_total bigint,          -- NULL until reviewed
  paid_total bigint NOT NULL,
  declared_height bigint NOT NULL,
  declared_time_ms bigint NOT NULL,
  updated_height bigint NOT NULL
);

-- A claim's amount by component (tax items expanded), with the review's confirmation and ranking.
CREATE TABLE IF NOT EXISTS claim_components (
  claim_id text NOT NULL REFERENCES claims (claim_id),
  idx integer NOT NULL,
  kind text NOT NULL,              -- COMPONENT_KIND_PRINCIPAL, _TAX, _TAX_LATE_FEE …
  tax_name text NOT NULL,
  declared bigint NOT NULL,
  confirmed bigint,                -- NULL until reviewed
  ranking text,                    -- RANKING_ORDINARY, … NULL until reviewed
  PRIMARY KEY (claim_id, idx)
);

-- Each review (or re-review) act and each review-result notice.
CREATE TABLE IF NOT EXISTS reviews (
  tx_hash text PRIMARY KEY,
  claim_id text NOT NULL,
  act text NOT NULL,               -- review_claim or send_review_notice
  height bigint NOT NULL,
  time_ms bigint NOT NULL
);

CREATE TABLE IF NOT EXISTS meetings (
  meeting_id text PRIMARY KEY,
  case_id text NOT NULL,
  kind text NOT NULL,
  start_ms bigint NOT NULL,
  vote_end_ms bigint NOT NULL,
  place text NOT NULL,
  convened_time_ms bigint NOT NULL
);

CREATE TABLE IF NOT EXISTS motions (
  motion_id text PRIMARY KEY,
  meeting_id text NOT NULL,
  kind text NOT NULL,
  title text NOT NULL,
  plan_id text NOT NULL,
  added_time_ms bigint NOT NULL,
  closed_time_ms bigint
);

CREATE TABLE IF NOT EXISTS ballots (
  tx_hash text PRIMARY KEY,
  motion_id text NOT NULL,
  creditor_id text NOT NULL,
  choice text NOT NULL,            -- BALLOT_CHOICE_YES, _NO, _ABSTAIN
  height bigint NOT NULL,
  time_ms bigint NOT NULL
);

-- Distribution plans (and reorganization or compromise plans) and payments under them.
CREATE TABLE IF NOT EXISTS plans (
  plan_id text PRIMARY KEY,
  case_id text NOT NULL,
  kind text NOT NULL,
  title text NOT NULL,
  general_estate bigint,
  final boolean,
  proposed_time_ms bigint NOT NULL,
  approved_time_ms bigint
);

CREATE TABLE IF NOT EXISTS payments (
  tx_hash text PRIMARY KEY,
  plan_id text NOT NULL,
  payee_id text NOT NULL,
  amount bigint NOT NULL,
  reference text NOT NULL,
  height bigint NOT NULL,
  time_ms bigint NOT NULL
);

-- Response times of claim-declaration notices: sent -> acknowledged -> the creditor's first
-- declaration in the case, in block time. Departments are the creditors' org_id.
CREATE OR REPLACE VIEW response_times AS
SELECT n.notice_id, n.case_id, n.creditor_id, c.kind AS creditor_kind, c.org_id, c.name,
       n.sent_time_ms, n.acknowledged_time_ms, d.first_declared_time_ms,
       n.acknowledged_time_ms - n.sent_time_ms AS ack_ms,
       d.first_declared_time_ms - n.sent_time_ms AS declare_ms
FROM notices n
JOIN creditors c ON c.creditor_id = n.creditor_id
LEFT JOIN (SELECT creditor_id, min(declared_time_ms) AS first_declared_time_ms
           FROM claims GROUP BY creditor_id) d ON d.creditor_id = n.creditor_id;
