-- The last TOTP time step an account's second factor was accepted at: a code is accepted
-- once, so a code seen over a shoulder or in a log cannot be replayed within its window.
ALTER TABLE accounts ADD COLUMN totp_last_step INTEGER;
