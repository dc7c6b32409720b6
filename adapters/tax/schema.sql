-- The tax bureau's own records that the adapter reads (a demo subset of a collection system).
-- Amounts are integer fen.
CREATE TABLE IF NOT EXISTS taxpayers (
  credit_code  char(18) PRIMARY KEY,          -- unified social credit code
  name         text NOT NULL
);

CREATE TABLE IF NOT EXISTS arrears (
  id               bigserial PRIMARY KEY,
  credit_code      char(18) NOT NULL REFERENCES taxpayers(credit_code),
  tax_name         text NOT NULL,               -- e.g. 'VAT'
  period           text NOT NULL,               -- e.g. '2025-09'
  principal        bigint NOT NULL CHECK (principal >= 0),         -- the tax, bears late fees
  surcharges       bigint NOT NULL DEFAULT 0 CHECK (surcharges >= 0),
  due_date         date NOT NULL,               -- last day to pay
  fine             bigint NOT NULL DEFAULT 0 CHECK (fine >= 0),
  special_interest bigint NOT NULL DEFAULT 0 CHECK (special_interest >= 0),
  paid             boolean NOT NULL DEFAULT false
);
CREATE INDEX IF NOT EXISTS arrears_by_taxpayer ON arrears (credit_code);
