-- Cell parsers: one per cell type, used by every path (files, forms, the bridge).
--
-- Numbers. A cell is split into sign, currency, digits, scale word and brackets, then its digits
-- are read in the number format decided for its column (importing/number_format.py):
-- decimal_comma = true reads "1.234,5" (Indonesian), false reads "1,234.5". Accounting spellings:
-- "(Rp 125.000.000)" and "-Rp 40.000.000" are negative, "Rp -" is zero; "Rp 2,5 M" (miliar),
-- "1,5 jt" (juta), "20 rb" (ribu) carry a scale. Rupiah amounts written "Rp150.000" use dots for
-- thousands in either format.
CREATE OR REPLACE MACRO okr_number_split(t) AS regexp_extract(
    upper(regexp_replace(t, '[\s\xa0]', '', 'g')),
    '^(\(?)([+-]?)(RP\.?|IDR|\$|USD)?([+-]?)([0-9.,]*)(%|JT|JUTA|RB|RIBU|MILIAR|MILYAR|M|TRILIUN|T)?(\)?)$',
    ['open', 'sign', 'currency', 'sign_after_currency', 'body', 'suffix', 'close']);
CREATE OR REPLACE MACRO okr_number_is_rupiah(p) AS p.currency IN ('RP', 'RP.', 'IDR');
CREATE OR REPLACE MACRO okr_number_well_formed(p) AS (
    (p.open = '(') = (p.close = ')')
    AND NOT (p.open = '(' AND (p.sign <> '' OR p.sign_after_currency <> ''))
    AND NOT (p.sign <> '' AND p.sign_after_currency <> '')
    -- "M" and "T" are miliar and triliun only after Rp ("2.5M" in English means million).
    AND (p.suffix NOT IN ('M', 'T') OR okr_number_is_rupiah(p))
    AND NOT (p.suffix = '%' AND p.currency <> ''));
CREATE OR REPLACE MACRO okr_number_scale(p) AS (
    CASE p.suffix WHEN 'RB' THEN 1e3 WHEN 'RIBU' THEN 1e3 WHEN 'JT' THEN 1e6 WHEN 'JUTA' THEN 1e6
                  WHEN 'M' THEN 1e9 WHEN 'MILIAR' THEN 1e9 WHEN 'MILYAR' THEN 1e9
                  WHEN 'T' THEN 1e12 WHEN 'TRILIUN' THEN 1e12 ELSE 1 END);
CREATE OR REPLACE MACRO okr_number_digits(p, decimal_comma) AS (
    CASE
        WHEN okr_number_is_rupiah(p) AND regexp_full_match(p.body, '[0-9]{1,3}(\.[0-9]{3})+(,[0-9]+)?')
            THEN TRY_CAST(replace(replace(p.body, '.', ''), ',', '.') AS DOUBLE)
        WHEN decimal_comma THEN
            CASE WHEN regexp_full_match(p.body, '([0-9]+|[0-9]{1,3}(\.[0-9]{3})+)(,[0-9]+)?|,[0-9]+')
                 THEN TRY_CAST(replace(replace(p.body, '.', ''), ',', '.') AS DOUBLE) END
        ELSE
            CASE WHEN regexp_full_match(p.body, '([0-9]+|[0-9]{1,3}(,[0-9]{3})+)(\.[0-9]+)?|\.[0-9]+')
                 THEN TRY_CAST(replace(p.body, ',', '') AS DOUBLE) END
    END);
CREATE OR REPLACE MACRO okr_number_from_parts(p, decimal_comma) AS (
    CASE
        WHEN NOT okr_number_well_formed(p) THEN NULL
        -- Accounting zero: "Rp -".
        WHEN p.body = '' THEN CASE WHEN p.currency <> '' AND p.open = '' AND p.suffix = ''
                                        AND (p.sign = '-' OR p.sign_after_currency = '-') THEN 0.0 END
        WHEN p.open = '(' OR p.sign = '-' OR p.sign_after_currency = '-'
            THEN -(okr_number_digits(p, decimal_comma) * okr_number_scale(p))
        ELSE okr_number_digits(p, decimal_comma) * okr_number_scale(p)
    END);
-- The split is bound once through a one-element list: a macro argument is pasted into every place
-- it is used, and the regexes of a dozen copies made spelled cells a hundred times slower.
CREATE OR REPLACE MACRO okr_number_spelled(t, decimal_comma) AS (
    CASE WHEN t IS NULL OR trim(t) = '' THEN NULL
         ELSE list_transform([okr_number_split(t)], lambda p: okr_number_from_parts(p, decimal_comma))[1] END);
-- An ambiguous cell ("1.500", "12,500", "1,234", "0,256"): 'round_dot' / 'round_comma' when its three
-- digits end in 0 (a decimal written so only by a format of fixed decimals, which whole numbers in the
-- same column rule out: see importing/number_format.py), else 'ambiguous'. "0,250" is never round:
-- the whole numbers beside it say nothing about a group of thousands that starts with 0.
CREATE OR REPLACE MACRO okr_number_ambiguity(t) AS (
    CASE WHEN NOT ends_with(t, '0') OR regexp_matches(t, '^[+-]?0[.,]') THEN 'ambiguous'
         WHEN contains(t, '.') THEN 'round_dot' ELSE 'round_comma' END);
-- What a cell says about its column's number format: 'id' (only "1.234,5" reads it: a decimal
-- comma, dot groups before a comma, two dot groups, Rupiah dot groups), 'en' (only "1,234.5"
-- reads it), 'ambiguous', 'round_dot' or 'round_comma' (both read it, differently: "1.234", "1,500",
-- "-1.234"; see okr_number_ambiguity), NULL (both read it the same, or neither does).
CREATE OR REPLACE MACRO okr_number_evidence_of(p) AS (
    CASE
        WHEN NOT okr_number_well_formed(p) OR NOT contains(p.body, '.') AND NOT contains(p.body, ',') THEN NULL
        WHEN okr_number_is_rupiah(p) AND regexp_full_match(p.body, '[0-9]{1,3}(\.[0-9]{3})+(,[0-9]+)?') THEN 'id'
        WHEN regexp_full_match(p.body, '(0|[1-9][0-9]{0,2})[.,][0-9]{3}') THEN okr_number_ambiguity(p.body)
        WHEN okr_number_digits(p, true) IS NOT NULL AND okr_number_digits(p, false) IS NULL THEN 'id'
        WHEN okr_number_digits(p, false) IS NOT NULL AND okr_number_digits(p, true) IS NULL THEN 'en'
    END);
CREATE OR REPLACE MACRO okr_number_evidence(t) AS (
    CASE
        WHEN t IS NULL OR NOT contains(t, '.') AND NOT contains(t, ',') THEN NULL
        -- Most separators in a large export are plain decimals ("75.6"), which decide alone.
        WHEN regexp_full_match(t, '[+-]?[0-9]*\.([0-9]{1,2}|[0-9]{4,})') THEN 'en'
        WHEN regexp_full_match(t, '[+-]?[0-9]*,([0-9]{1,2}|[0-9]{4,})') THEN 'id'
        WHEN regexp_full_match(t, '[+-]?(0|[1-9][0-9]{0,2})[.,][0-9]{3}') THEN okr_number_ambiguity(t)
        ELSE list_transform([okr_number_split(t)], lambda p: okr_number_evidence_of(p))[1]
    END);
-- A whole number written without a separator ("800", "Rp 950", "45%"): a column holding one has no
-- format of fixed decimals.
CREATE OR REPLACE MACRO okr_whole_number(t) AS
    regexp_full_match(upper(replace(t, ' ', '')), '\(?[+-]?(RP\.?|IDR|\$)?[+-]?[0-9]+%?\)?');
CREATE OR REPLACE MACRO okr_number_unit(t) AS (
    CASE
        WHEN regexp_matches(trim(t), '%\)?$') THEN '%'
        WHEN regexp_matches(upper(trim(t)), '^\(?[+-]?\s*(RP|IDR)') THEN 'Rp'
        WHEN regexp_matches(upper(trim(t)), '^\(?[+-]?\s*(\$|USD)') THEN '$'
    END);
-- Dates. A numeric date's day and month are read in the order decided for its column
-- (importing/date_order.py): 'dmy', 'mdy' or 'ymd' (two-digit year first, "26/10/01"). A date that
-- starts with a four-digit year is year-month-day in every order; month names ("1 Mei 2026",
-- "Jumat, 02 Oktober 2026", "Oct 9, 2026") and ISO timestamps ("2026-11-28T00:00:00+07:00", the
-- date as written) need no order; a five-digit number is an Excel serial day (1899-12-30 + n).
-- Month names (okr_month, okr_month_is_indonesian) come from okrdash/vocabulary.py (cells.py creates them).
CREATE OR REPLACE MACRO okr_ymd(y, m, d) AS TRY_CAST(printf('%04d-%02d-%02d', y, m, d) AS DATE);
CREATE OR REPLACE MACRO okr_date_numeric(t) AS regexp_extract(trim(t),
    '^([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{4}|[0-9]{2})(?:[ T][0-9]{1,2}[:.][0-9]{2}(?:[:.][0-9]{2})?)?$',
    ['a', 'b', 'y']);
CREATE OR REPLACE MACRO okr_date_named(t) AS regexp_extract(
    regexp_replace(trim(t), '^[A-Za-z]+,\s*', ''),
    '^([0-9]{1,2})[\s-]+([A-Za-z]+)\.?[\s-]+([0-9]{4})(?:,?\s+[0-9]{1,2}[:.][0-9]{2}(?::[0-9]{2})?\s*(?:[AaPp][Mm])?)?$',
    ['d', 'month', 'y']);
CREATE OR REPLACE MACRO okr_date_named_month_first(t) AS regexp_extract(
    regexp_replace(trim(t), '^[A-Za-z]+,\s*', ''),
    '^([A-Za-z]+)\.?\s+([0-9]{1,2}),?\s+([0-9]{4})(?:,?\s+[0-9]{1,2}[:.][0-9]{2}(?::[0-9]{2})?\s*(?:[AaPp][Mm])?)?$',
    ['month', 'd', 'y']);
CREATE OR REPLACE MACRO okr_two_digit_year(y) AS CASE WHEN length(y) = 2 THEN 2000 + TRY_CAST(y AS INTEGER) ELSE TRY_CAST(y AS INTEGER) END;
CREATE OR REPLACE MACRO okr_date_from_numbers(n, date_order) AS (
    CASE date_order
        WHEN 'dmy' THEN okr_ymd(okr_two_digit_year(n.y), TRY_CAST(n.b AS INTEGER), TRY_CAST(n.a AS INTEGER))
        WHEN 'mdy' THEN okr_ymd(okr_two_digit_year(n.y), TRY_CAST(n.a AS INTEGER), TRY_CAST(n.b AS INTEGER))
        WHEN 'ymd' THEN CASE WHEN length(n.y) = 2
            THEN okr_ymd(2000 + TRY_CAST(n.a AS INTEGER), TRY_CAST(n.b AS INTEGER), TRY_CAST(n.y AS INTEGER)) END
    END);
-- Each split is bound once through a one-element list (see okr_number_spelled).
CREATE OR REPLACE MACRO okr_date_spelled(t, date_order) AS (
    CASE
        WHEN t IS NULL THEN NULL
        WHEN regexp_full_match(trim(t), '[0-9]{4}[/.-][0-9]{1,2}[/.-][0-9]{1,2}([ T][0-9]{1,2}:[0-9]{2}(:[0-9]{2})?)?')
            THEN TRY_STRPTIME(regexp_replace(regexp_extract(trim(t), '^[0-9/.-]+'), '[/.]', '-', 'g'), '%Y-%m-%d')::DATE
        WHEN regexp_full_match(trim(t),
                '[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)?')
            THEN TRY_CAST(left(trim(t), 10) AS DATE)
        WHEN regexp_matches(trim(t), '^[0-9]{1,2}[/.-][0-9]{1,2}[/.-][0-9]')
            THEN list_transform([okr_date_numeric(t)], lambda n: okr_date_from_numbers(n, date_order))[1]
        WHEN regexp_matches(trim(t), '^([A-Za-z]+,\s*)?[0-9]{1,2}[\s-]+[A-Za-z]')
            THEN list_transform([okr_date_named(t)], lambda n: okr_ymd(TRY_CAST(n.y AS INTEGER), okr_month(n.month),
                                                                    TRY_CAST(n.d AS INTEGER)))[1]
        WHEN regexp_matches(trim(t), '^([A-Za-z]+,\s*)?[A-Za-z]+\.?\s+[0-9]')
            THEN list_transform([okr_date_named_month_first(t)],
                                lambda n: okr_ymd(TRY_CAST(n.y AS INTEGER), okr_month(n.month), TRY_CAST(n.d AS INTEGER)))[1]
        WHEN regexp_full_match(trim(t), '[0-9]{5}(\.[0-9]+)?') AND TRY_CAST(trim(t) AS DOUBLE) BETWEEN 20000 AND 80000
            THEN DATE '1899-12-30' + floor(TRY_CAST(trim(t) AS DOUBLE))::INTEGER
    END);
-- A period written in a cell that dates a value ("Juli 2026", "Sep 2026", "Q3 2026", "Triwulan III
-- 2026", "2026-Q3"): its last day, as a month or quarter header dates its column (importing/periods.py).
CREATE OR REPLACE MACRO okr_quarter_number(q) AS (
    CASE upper(q) WHEN 'I' THEN 1 WHEN 'II' THEN 2 WHEN 'III' THEN 3 WHEN 'IV' THEN 4 ELSE TRY_CAST(q AS INTEGER) END);
CREATE OR REPLACE MACRO okr_period_end(t) AS (
    CASE
        WHEN t IS NULL THEN NULL
        WHEN regexp_full_match(trim(t), '[A-Za-z]+\.?[\s\-/]+[0-9]{4}')
            THEN list_transform([regexp_extract(trim(t), '^([A-Za-z]+)\.?[\s\-/]+([0-9]{4})$', ['m', 'y'])],
                                lambda p: last_day(okr_ymd(TRY_CAST(p.y AS INTEGER), okr_month(p.m), 1)))[1]
        WHEN regexp_full_match(upper(trim(t)), '(Q|TW|TRIWULAN|KUARTAL|QUARTER)\s*-?\s*([1-4]|IV|III|II|I)[\s\-/]*[0-9]{4}')
            THEN list_transform([regexp_extract(upper(trim(t)),
                    '^(?:Q|TW|TRIWULAN|KUARTAL|QUARTER)\s*-?\s*([1-4]|IV|III|II|I)[\s\-/]*([0-9]{4})$', ['q', 'y'])],
                    lambda p: last_day(okr_ymd(TRY_CAST(p.y AS INTEGER), 3 * okr_quarter_number(p.q), 1)))[1]
        WHEN regexp_full_match(upper(trim(t)), '[0-9]{4}\s*-?\s*Q[1-4]')
            THEN list_transform([regexp_extract(upper(trim(t)), '^([0-9]{4})\s*-?\s*Q([1-4])$', ['y', 'q'])],
                    lambda p: last_day(okr_ymd(TRY_CAST(p.y AS INTEGER), 3 * TRY_CAST(p.q AS INTEGER), 1)))[1]
    END);
-- What a date cell says about its column's order: 'dmy' (its first number is above 12), 'mdy'
-- (its second is), 'ambiguous' (both are 12 or less and differ), 'indonesian' (an Indonesian month
-- name: the file writes day first), NULL (nothing).
CREATE OR REPLACE MACRO okr_date_evidence_of(n) AS (
    CASE
        WHEN n.a = '' THEN NULL
        WHEN TRY_CAST(n.a AS INTEGER) > 12 AND TRY_CAST(n.b AS INTEGER) BETWEEN 1 AND 12 THEN 'dmy'
        WHEN TRY_CAST(n.b AS INTEGER) > 12 AND TRY_CAST(n.a AS INTEGER) BETWEEN 1 AND 12 THEN 'mdy'
        WHEN TRY_CAST(n.a AS INTEGER) <> TRY_CAST(n.b AS INTEGER) AND TRY_CAST(n.a AS INTEGER) BETWEEN 1 AND 12
             AND TRY_CAST(n.b AS INTEGER) BETWEEN 1 AND 12 THEN 'ambiguous'
    END);
CREATE OR REPLACE MACRO okr_date_evidence(t) AS (
    CASE
        WHEN t IS NULL OR t LIKE '____-__-__' THEN NULL
        WHEN regexp_matches(trim(t), '^[0-9]{1,2}[/.-][0-9]{1,2}[/.-][0-9]')
            THEN list_transform([okr_date_numeric(t)], lambda n: okr_date_evidence_of(n))[1]
        WHEN list_transform([okr_date_named(t)], lambda n: n.d <> '' AND okr_month_is_indonesian(n.month))[1]
            THEN 'indonesian'
    END);
-- Plain digits and ISO dates, nearly every cell of a large export, skip the parsers above: this
-- fast path is what lets a file of millions of measurements import in seconds. Same answers.
CREATE OR REPLACE MACRO okr_number(t, decimal_comma) AS (
    CASE
        WHEN t IS NULL THEN NULL
        WHEN regexp_full_match(t, '[+-]?[0-9]{1,15}') THEN CAST(t AS DOUBLE)
        WHEN NOT decimal_comma AND regexp_full_match(t, '[+-]?[0-9]{0,15}\.[0-9]{1,15}') THEN CAST(t AS DOUBLE)
        ELSE okr_number_spelled(t, decimal_comma)
    END);
CREATE OR REPLACE MACRO okr_date(t, date_order) AS (
    CASE
        WHEN t IS NULL THEN NULL
        WHEN regexp_full_match(t, '[0-9]{4}-[0-9]{2}-[0-9]{2}') THEN TRY_CAST(t AS DATE)
        ELSE okr_date_spelled(t, date_order)
    END);
-- A confidence on 0-10: a word of okrdash/vocabulary.py (okr_confidence_word), or a number on the
-- column's scale (importing/confidence.py): 0-10 as written, or 1-5 mapped linearly (1 -> 0, 5 -> 10).
CREATE OR REPLACE MACRO okr_confidence(t, scale) AS (
    coalesce(okr_confidence_word(t), list_transform([TRY_CAST(replace(trim(t), ',', '.') AS DOUBLE)], lambda v:
        CASE WHEN scale = 5 THEN CASE WHEN v BETWEEN 1 AND 5 THEN (v - 1) * 2.5 END
             WHEN v BETWEEN 0 AND 10 THEN v END)[1]));
-- A spreadsheet formula that failed ("#DIV/0!", "#N/A", "#VALUE!") is reported as what it is.
CREATE OR REPLACE MACRO okr_formula_error(t) AS
    regexp_full_match(upper(trim(t)), '#(DIV/0!|N/A|VALUE!|REF!|NAME\?|NUM!|NULL!|SPILL!|CALC!|GETTING_DATA)');
-- Why a cell is not a usable number: NaN, infinities and exponent forms are out of range.
CREATE OR REPLACE MACRO okr_number_problem(t) AS (
    CASE WHEN okr_formula_error(t) THEN 'formula_error'
         WHEN regexp_matches(t, '^\s*(<|>|≤|≥|=<|=>)') THEN 'number_with_bound'
         WHEN regexp_full_match(lower(trim(t)), '[+-]?(nan|inf|infinity|[0-9]*[.,]?[0-9]+e[+-]?[0-9]+)')
         THEN 'number_out_of_range' ELSE 'not_a_number' END);
CREATE OR REPLACE MACRO okr_date_problem(t) AS CASE WHEN okr_formula_error(t) THEN 'formula_error' ELSE 'not_a_date' END;
-- Blank: no text, or only the spaces trim() removes (Unicode's space separators, Zs: U+0020, U+00A0,
-- and from U+1680 up). Most cells start with another character and are answered from it alone:
-- trimming every cell of the checked columns cost a 1.8 M-row file ~0.15 CPU s a column. (A CASE:
-- DuckDB evaluates it well in filters, projections and aggregate FILTERs alike, where an OR of the
-- same tests cost 2.7x the plain trim in an aggregate's FILTER. tests/test_reading.py holds it to trim.)
CREATE OR REPLACE MACRO okr_blank(t) AS (
    CASE WHEN t IS NULL OR t = '' THEN true
         WHEN ord(t) = 32 OR ord(t) = 160 OR ord(t) >= 5760 THEN trim(t) = ''
         ELSE false END);
-- Trimming is as costly as reading a file, so cells are tested first (most need nothing), and
-- the cheap test serves files where only spaces can pad a cell (see padding_trim).
CREATE OR REPLACE MACRO okr_trim(t) AS (
    CASE WHEN regexp_matches(t, '^[\s\xa0]|[\s\xa0]$') THEN trim(t, ' ' || chr(9) || chr(10) || chr(13) || chr(160))
         ELSE t END);
-- Spaces may sit next to other whitespace (" \n1"), so a cell found padded is trimmed of all of it.
CREATE OR REPLACE MACRO okr_trim_spaces(t) AS (
    CASE WHEN t LIKE ' %' OR t LIKE '% ' THEN trim(t, ' ' || chr(9) || chr(10) || chr(13) || chr(160)) ELSE t END);
-- A bound written in a target cell ("<= 24", "≥ 80%", "=< 3"): the kind it gives ('at_most',
-- 'at_least'). ("< 24" says the bound itself is not allowed, which no kind says: not a number.)
CREATE OR REPLACE MACRO okr_bound(t) AS (
    CASE WHEN regexp_matches(t, '^\s*(<=|=<|≤)') THEN 'at_most'
         WHEN regexp_matches(t, '^\s*(>=|=>|≥)') THEN 'at_least' END);
CREATE OR REPLACE MACRO okr_unbound(t) AS regexp_replace(t, '^\s*(<=|=<|≤|>=|=>|≥)\s*', '');
-- A name as an export decorates it: a Notion page's URL in brackets after it (a relation cell) or
-- after a space (a title), or its 32-digit page id; a whole cell that is a Markdown link
-- [Title](url) or a spreadsheet's =HYPERLINK("url", "Title"). The name alone. (Other URLs in a
-- name are the name's own text.)
CREATE OR REPLACE MACRO okr_undecorated(t) AS trim(regexp_replace(regexp_replace(regexp_replace(regexp_replace(
    regexp_replace(t, '^\[([^\]]+)\]\(https?://[^)\s]*\)$', '\1'),
    '^=HYPERLINK\("[^"]*"\s*[,;]\s*"(.*)"\)$', '\1', 'i'),
    '\s+\(https?://(www\.)?notion\.(so|site)/[^)\s]*\)', '', 'g'),
    '\s+https?://(www\.)?notion\.(so|site)/\S*$', ''),
    '\s+[0-9a-f]{32}$', ''));
-- okrdash's CSV downloads write a text cell that starts like a formula with an apostrophe before it
-- (export.neutralise); read back, the cell is what was stored ("'=1+1" -> "=1+1").
CREATE OR REPLACE MACRO okr_unprotect(t) AS (
    CASE WHEN starts_with(t, '''') AND regexp_matches(t, '^''[=+@-]') THEN substr(t, 2) ELSE t END);
-- A milestone's value may be a word ("done", "selesai", "tercapai"): okr_milestone_value, from okrdash/vocabulary.py.
