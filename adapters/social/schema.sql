-- The social insurance fund's own records that its adapter reads (a demo subset). Amounts are
-- integer fen. `account` says where a contribution goes: 'personal' is withheld for employees'
-- personal accounts, 'pooled' is the employer's share to the pooled fund.
CREATE TABLE IF NOT EXISTS employers (
  credit_code  char(18) PRIMARY KEY,          -- unified social credit code
  name         text NOT NULL
);

CREATE TABLE IF NOT EXISTS contributions (
  id           bigserial PRIMARY KEY,
  credit_code  char(18) NOT NULL REFERENCES employers(credit_code),
  insurance    text NOT NULL CHECK (insurance IN
                 ('pension', 'medical', 'unemployment', 'work_injury', 'maternity')),
  account      text NOT NULL CHECK (account IN ('personal', 'pooled')),
  period       text NOT NULL,                 -- e.g. '2026-08'
  amount       bigint NOT NULL CHECK (amount >= 0),
  due_date     date NOT NULL,                 -- last day to pay
  paid         boolean NOT NULL DEFAULT false
);
CREATE INDEX IF NOT EXISTS contributions_by_employer ON contributions (credit_code);
