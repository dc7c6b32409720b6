-- The demo social insurance database: the demo case's debtor left three months of contributions
-- unpaid. Idempotent.
INSERT INTO employers VALUES ('91440300MA5F8XGL06', 'Shenzhen Example Manufacturing Co., Ltd.')
  ON CONFLICT DO NOTHING;
INSERT INTO contributions (credit_code, insurance, account, period, amount, due_date)
  SELECT '91440300MA5F8XGL06', i, a, p, amt, d::date FROM (VALUES
    ('pension', 'personal', '2026-08', 1600000, '2026-09-15'),
    ('medical', 'personal', '2026-08', 400000, '2026-09-15'),
    ('pension', 'pooled', '2026-08', 3200000, '2026-09-15'),
    ('unemployment', 'pooled', '2026-08', 100000, '2026-09-15')) AS v(i, a, p, amt, d)
  WHERE NOT EXISTS (SELECT 1 FROM contributions WHERE credit_code = '91440300MA5F8XGL06');
