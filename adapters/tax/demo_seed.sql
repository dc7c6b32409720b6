-- The demo tax database of run.sh: the demo case's debtor owes VAT with surcharges and a fine,
-- and corporate income tax with special-adjustment interest. Idempotent.
INSERT INTO taxpayers VALUES ('91440300MA5F8XGL06', 'Shenzhen Example Manufacturing Co., Ltd.')
  ON CONFLICT DO NOTHING;
INSERT INTO arrears (credit_code, tax_name, period, principal, surcharges, due_date, fine,
                     special_interest)
  SELECT '91440300MA5F8XGL06', 'VAT', '2025-09', 3000000, 360000, '2025-10-15', 150000, 0
  WHERE NOT EXISTS (SELECT 1 FROM arrears WHERE credit_code = '91440300MA5F8XGL06');
INSERT INTO arrears (credit_code, tax_name, period, principal, surcharges, due_date, fine,
                     special_interest)
  SELECT '91440300MA5F8XGL06', 'corporate income tax', '2024', 8000000, 0, '2025-05-31', 0, 420000
  WHERE (SELECT count(*) FROM arrears WHERE credit_code = '91440300MA5F8XGL06') = 1;
