-- Cell parsers: one per cell type, used by every path (files, forms, the bridge).
-- Numbers: strip currency prefixes and %, then read the separators according to the file's
-- decimal style (decimal comma: "1.234,5"; decimal dot: "1,234.5"). Rupiah amounts written
-- "Rp150.000" use dots for thousands in either style.
CREATE OR REPLACE MACRO okr_clean_number(t) AS
    regexp_replace(regexp_replace(upper(trim(t)), '^(RP\.?|IDR|\$|USD)\s*|\s*%$|\s', '', 'g'), '\s', '', 'g');
CREATE OR REPLACE MACRO okr_number_spelled(t, decimal_comma) AS (
    CASE
        WHEN t IS NULL OR trim(t) = '' THEN NULL
        WHEN NOT regexp_full_match(okr_clean_number(t), '[+-]?[0-9.,]*[0-9][0-9.,]*') THEN NULL
        WHEN regexp_matches(upper(trim(t)), '^(RP|IDR)')
             AND regexp_full_match(okr_clean_number(t), '[+-]?[0-9]{1,3}(\.[0-9]{3})+(,[0-9]+)?')
            THEN TRY_CAST(replace(replace(okr_clean_number(t), '.', ''), ',', '.') AS DOUBLE)
        WHEN decimal_comma THEN
            CASE WHEN regexp_full_match(okr_clean_number(t), '[+-]?([0-9]+|[0-9]{1,3}(\.[0-9]{3})+)(,[0-9]+)?')
                 THEN TRY_CAST(replace(replace(okr_clean_number(t), '.', ''), ',', '.') AS DOUBLE) END
        ELSE
            CASE WHEN regexp_full_match(okr_clean_number(t), '[+-]?([0-9]+|[0-9]{1,3}(,[0-9]{3})+)(\.[0-9]+)?|[+-]?\.[0-9]+')
                 THEN TRY_CAST(replace(okr_clean_number(t), ',', '') AS DOUBLE) END
    END);
CREATE OR REPLACE MACRO okr_number_unit(t) AS (
    CASE
        WHEN regexp_matches(trim(t), '%$') THEN '%'
        WHEN regexp_matches(upper(trim(t)), '^(RP|IDR)') THEN 'Rp'
        WHEN regexp_matches(upper(trim(t)), '^(\$|USD)') THEN '$'
    END);
CREATE OR REPLACE MACRO okr_date_spelled(t) AS (
    CASE
        WHEN regexp_full_match(trim(t), '[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}')
            THEN TRY_STRPTIME(trim(t), '%Y-%m-%d')::DATE
        WHEN regexp_full_match(trim(t), '[0-9]{1,2}[/.-][0-9]{1,2}[/.-][0-9]{4}')
            THEN TRY_STRPTIME(regexp_replace(trim(t), '[/.]', '-', 'g'), '%d-%m-%Y')::DATE
    END);
-- Plain digits and ISO dates, nearly every cell of a large export, skip the regexes above: this
-- fast path is what lets a file of millions of measurements import in seconds. Same answers.
CREATE OR REPLACE MACRO okr_number(t, decimal_comma) AS (
    CASE
        WHEN t IS NULL THEN NULL
        WHEN regexp_full_match(t, '[+-]?[0-9]{1,15}') THEN CAST(t AS DOUBLE)
        WHEN NOT decimal_comma AND regexp_full_match(t, '[+-]?[0-9]{0,15}\.[0-9]{1,15}') THEN CAST(t AS DOUBLE)
        ELSE okr_number_spelled(t, decimal_comma)
    END);
CREATE OR REPLACE MACRO okr_date(t) AS (
    CASE
        WHEN t IS NULL THEN NULL
        WHEN regexp_full_match(t, '[0-9]{4}-[0-9]{2}-[0-9]{2}') THEN TRY_CAST(t AS DATE)
        ELSE okr_date_spelled(t)
    END);
CREATE OR REPLACE MACRO okr_confidence(t) AS (
    CASE lower(trim(t))
        WHEN 'low' THEN 2 WHEN 'rendah' THEN 2 WHEN 'red' THEN 2 WHEN 'merah' THEN 2
        WHEN 'medium' THEN 5 WHEN 'sedang' THEN 5 WHEN 'yellow' THEN 5 WHEN 'kuning' THEN 5
        WHEN 'amber' THEN 5
        WHEN 'high' THEN 8 WHEN 'tinggi' THEN 8 WHEN 'green' THEN 8 WHEN 'hijau' THEN 8
        ELSE CASE WHEN TRY_CAST(replace(trim(t), ',', '.') AS DOUBLE) BETWEEN 0 AND 10
                  THEN TRY_CAST(replace(trim(t), ',', '.') AS DOUBLE) END
    END);
-- Why a cell is not a usable number: NaN, infinities and exponent forms are out of range.
CREATE OR REPLACE MACRO okr_number_problem(t) AS (
    CASE WHEN regexp_full_match(lower(trim(t)), '[+-]?(nan|inf|infinity|[0-9]*[.,]?[0-9]+e[+-]?[0-9]+)')
         THEN 'number_out_of_range' ELSE 'not_a_number' END);
CREATE OR REPLACE MACRO okr_blank(t) AS (t IS NULL OR trim(t) = '');
-- Trimming is as costly as reading a file, so cells are tested first (most need nothing), and
-- the cheap test serves files where only spaces can pad a cell (see padding_trim).
CREATE OR REPLACE MACRO okr_trim(t) AS (
    CASE WHEN regexp_matches(t, '^[\s\xa0]|[\s\xa0]$') THEN trim(t, ' ' || chr(9) || chr(10) || chr(13) || chr(160))
         ELSE t END);
-- Spaces may sit next to other whitespace (" \n1"), so a cell found padded is trimmed of all of it.
CREATE OR REPLACE MACRO okr_trim_spaces(t) AS (
    CASE WHEN t LIKE ' %' OR t LIKE '% ' THEN trim(t, ' ' || chr(9) || chr(10) || chr(13) || chr(160)) ELSE t END);
-- A milestone's value may be a word ("done", "selesai").
CREATE OR REPLACE MACRO okr_milestone_value(t) AS (
    CASE lower(trim(t))
        WHEN 'done' THEN 1 WHEN 'yes' THEN 1 WHEN 'ya' THEN 1 WHEN 'selesai' THEN 1 WHEN 'sudah' THEN 1
        WHEN 'true' THEN 1 WHEN 'not done' THEN 0 WHEN 'no' THEN 0 WHEN 'tidak' THEN 0
        WHEN 'belum' THEN 0 WHEN 'false' THEN 0
    END);
