-- trimmed(value, whitespace): the value without the surrounding characters of `whitespace` (the
-- contract's Unicode whitespace, sop.intake.contract.WHITESPACE), and null when nothing else is left.
-- Values that start and end with a printable ASCII character, nearly all of them, skip the trim of
-- a character set, which costs several times more.
create or replace temp macro trimmed(value, whitespace) as
    case
        when unicode(value) between 33 and 126 and unicode(right(value, 1)) between 33 and 126 then value
        else nullif(trim(value, whitespace), '')
    end;
