-- validation_results of the months validated before the checks against history: every row was the
-- contract's.
update validation_results set check_name = extract || '_contract' where check_name is null
