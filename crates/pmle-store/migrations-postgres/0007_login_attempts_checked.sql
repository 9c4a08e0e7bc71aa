-- A log-in attempt whose password is still being checked (issue 19). Attempts are written
-- before the password is checked, so that parallel guesses at one account count at once;
-- but then a class of learners behind one network address who all log in at the same
-- moment looked like that many failures from the address and were refused. `checked` tells
-- an attempt in flight (false) from a decided one: the e-mail's limit counts both, the
-- address's limit counts only decided failures. Rows written before this migration were
-- decided.
ALTER TABLE login_attempts ADD COLUMN checked boolean NOT NULL DEFAULT true;
