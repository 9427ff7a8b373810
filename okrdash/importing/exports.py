"""Other OKR tools' exports, recognised by their headers and turned into okrs rows.

- **Hierarchy exports** (Appfire's OKR for Jira): one row per item with ``Type`` (Objective /
  Key result), ``Order`` (``1``, ``1.2``, ``1.2.1``: a key result's parent is its order less the
  last part) and ``Summary`` (the title). Each key result row takes its objective's title, team,
  cycle and owner from the parent row; objective rows themselves are not key results.
- **Item rows** (Ally.io / Viva Goals, Betterworks): one row per item with a type column (``Object
  Type`` / ``Type``: Objective / Key Result, or Betterworks' goal / milestone) and a title column
  (``Title`` / ``Name``). A key result row belongs to the objective its ``Parent`` names: the
  objective's ``Row ID`` (Ally's import template), else its title; without a ``Parent`` column, to
  the objective row above it (Betterworks lists a goal's milestones under it). It takes the
  objective's team and cycle when it has none of its own; an objective's own parent becomes
  ``parent_objective``. Other items (projects, initiatives) are skipped and counted.
- **Numbered column groups** (Culture Amp): one row per goal (``name``, ``email``) with
  ``key_result_1_title``, ``key_result_1_completion``, ``key_result_2_title`` ...; each group becomes
  a row, and a completion (0.0 to 1.0) is the key result's current value on a scale of 0 to 1.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import duckdb

from okrdash.importing.headers import normalise_header

_GROUP = re.compile(r"key_?results?_?([0-9]+)_(title|name|completion|progress|owner)")
_GROUP_FIELDS = {"title": "key_result", "name": "key_result", "completion": "current", "progress": "current",
                 "owner": "owner"}


@dataclass
class Export:
    """A recognised export: its name, and header index -> scratch column for its special columns."""

    tool: str
    special: dict[int, str] = field(default_factory=dict)
    groups: dict[int, dict[str, str]] = field(default_factory=dict)  # group number -> field -> scratch column


# The type and title headers of an item-rows export, and the words its type cells say.
_ITEM_TYPES = ("object_type", "item_type", "type")
_ITEM_TITLES = ("title", "name")
OBJECTIVE_ITEMS = ("objective", "goal")
KEY_RESULT_ITEMS = ("key result", "key_result", "kr", "milestone")


def recognise(raw_headers: list[str]) -> Export | None:
    names = [normalise_header(h) for h in raw_headers]
    if {"type", "summary"} <= set(names) and "order" in names:
        return Export("hierarchy", {names.index("type"): "_row_type", names.index("order"): "_order",
                                    names.index("summary"): "_summary"})
    kind_type = next((n for n in _ITEM_TYPES if n in names), None)
    title = next((n for n in _ITEM_TITLES if n in names), None)
    if kind_type and title and not {"objective", "key_result", "kpi"} & set(names):
        special = {names.index(kind_type): "_row_type", names.index(title): "_summary"}
        if "parent" in names:
            special[names.index("parent")] = "_parent"
        if "row_id" in names:
            special[names.index("row_id")] = "_row_id"
        return Export("items", special)
    export = Export("column_groups")
    for index, name in enumerate(names):
        found = _GROUP.fullmatch(name)
        if found:
            column = f"_kr_{found[1]}_{_GROUP_FIELDS[found[2]]}"
            export.special[index] = column
            export.groups.setdefault(int(found[1]), {})[_GROUP_FIELDS[found[2]]] = column
        elif name in ("name", "email") and "key_result_1_title" in names:
            export.special[index] = {"name": "objective", "email": "objective_owner"}[name]
    return export if any("key_result" in g for g in export.groups.values()) else None


def provided_columns(export: Export) -> set[str]:
    """The canonical columns the export's rows will have once rebuilt."""
    if export.tool == "hierarchy":
        return {"objective", "key_result", "parent_objective", "objective_owner"}
    if export.tool == "items":
        return {"objective", "key_result", "parent_objective"}
    return {"key_result", "baseline", "target", *(f for g in export.groups.values() for f in g)}


def rebuild(con: duckdb.DuckDBPyConnection, table: str, export: Export, columns: list[str]) -> dict[str, int]:
    """Rewrite the scratch table as one okrs row per key result; counts for the reading note."""
    if export.tool == "hierarchy":
        return _rebuild_hierarchy(con, table, columns)
    if export.tool == "items":
        return _rebuild_items(con, table, export, columns)
    return _rebuild_groups(con, table, export)


def _rebuild_items(con: duckdb.DuckDBPyConnection, table: str, export: Export, columns: list[str]) -> dict[str, int]:
    """One okrs row per key result item, under the objective its parent link (a row id, else a
    title) or, without one, its place below an objective row names."""
    specials = set(export.special.values())
    inherited = [c for c in ("team", "cycle", "start_date", "end_date") if c in columns]
    keep = [c for c in columns if c not in ("objective", "key_result", "parent_objective", *inherited)
            and not c.startswith("_")]
    inherit = "".join(f', coalesce(nullif(trim(k."{c}"), \'\'), o."{c}") AS "{c}"' for c in inherited)
    owner = ', o.owner AS objective_owner' if "owner" in columns else ""
    objectives = ", ".join(f"'{w}'" for w in OBJECTIVE_ITEMS)
    key_results = ", ".join(f"'{w}'" for w in KEY_RESULT_ITEMS)
    if "_parent" in specials:  # linked by the parent's row id, else by its title
        key = "_row_id" if "_row_id" in specials else "_summary"
        link = f"trim(o.{key}) = trim(k._parent)"
        parent = f"LEFT JOIN items g ON g._kind = 'o' AND trim(g.{key}) = trim(o._parent) AND g.line <> o.line"
        parent_title = ", g._summary AS parent_objective"
    else:
        link, parent, parent_title = "o.line = k._above", "", ""
    counts = con.execute(f"""
        SELECT count(*) FILTER (WHERE lower(trim(_row_type)) IN ({objectives})),
               count(*) FILTER (WHERE lower(trim(_row_type)) IN ({key_results})),
               count(*) FILTER (WHERE lower(trim(_row_type)) NOT IN ({objectives}, {key_results}))
        FROM "{table}" """).fetchall()[0]
    con.execute(f"""CREATE OR REPLACE TABLE "{table}" AS
        WITH typed AS (SELECT *, CASE WHEN lower(trim(_row_type)) IN ({objectives}) THEN 'o'
                                      WHEN lower(trim(_row_type)) IN ({key_results}) THEN 'k' END AS _kind
                       FROM "{table}"),
             items AS (SELECT *, last_value(CASE WHEN _kind = 'o' THEN line END IGNORE NULLS)
                                     OVER (ORDER BY line ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS _above
                       FROM typed)
        SELECT k.line, {", ".join(f'k."{c}"' for c in keep) + ", " if keep else ""}
               o._summary AS objective, k._summary AS key_result {parent_title} {inherit} {owner}
        FROM items k
        LEFT JOIN items o ON o._kind = 'o' AND {link}
        {parent}
        WHERE k._kind = 'k' ORDER BY k.line""")
    return {"objectives": counts[0], "key_results": counts[1], "other_items": counts[2]}


def _rebuild_hierarchy(con: duckdb.DuckDBPyConnection, table: str, columns: list[str]) -> dict[str, int]:
    inherited = [c for c in ("team", "cycle") if c in columns]
    keep = [c for c in columns if c not in ("objective", "key_result", "parent_objective", "objective_owner",
                                             *inherited) and not c.startswith("_")]
    inherit = "".join(f', coalesce(nullif(trim(o."{c}"), \'\'), k."{c}") AS "{c}"' for c in inherited)
    owner = ', o.owner AS objective_owner' if "owner" in columns else ""
    counts = con.execute(f"""
        SELECT count(*) FILTER (WHERE lower(trim(_row_type)) = 'objective'),
               count(*) FILTER (WHERE lower(trim(_row_type)) IN ('key result', 'key_result', 'kr')),
               count(*) FILTER (WHERE lower(trim(_row_type)) NOT IN ('objective', 'key result', 'key_result', 'kr'))
        FROM "{table}" """).fetchall()[0]
    con.execute(f"""CREATE OR REPLACE TABLE "{table}" AS
        WITH items AS (SELECT *, trim(_order) AS _key,
                              regexp_replace(trim(_order), '\\.[^.]*$', '') AS _parent_key FROM "{table}")
        SELECT k.line, {", ".join(f'k."{c}"' for c in keep) + ", " if keep else ""}
               o._summary AS objective, k._summary AS key_result, g._summary AS parent_objective
               {inherit} {owner}
        FROM items k
        LEFT JOIN items o ON o._key = k._parent_key AND lower(trim(o._row_type)) = 'objective'
        LEFT JOIN items g ON g._key = o._parent_key AND g._key <> o._key AND lower(trim(g._row_type)) = 'objective'
        WHERE lower(trim(k._row_type)) IN ('key result', 'key_result', 'kr')""")
    return {"objectives": counts[0], "key_results": counts[1], "other_items": counts[2]}


def _rebuild_groups(con: duckdb.DuckDBPyConnection, table: str, export: Export) -> dict[str, int]:
    """UNPIVOT the numbered groups into rows; fields not in every group are left out."""
    fields = sorted(set.intersection(*(set(g) for g in export.groups.values())))
    extra = [c for g in export.groups.values() for f, c in g.items() if f not in fields]
    source = f'(SELECT * EXCLUDE ({", ".join(chr(34) + c + chr(34) for c in extra)}) FROM "{table}")' if extra \
        else f'"{table}"'
    on = ", ".join(f'({", ".join(chr(34) + export.groups[n][f] + chr(34) for f in fields)}) AS "{n}"'
                   for n in sorted(export.groups))
    goals = con.execute(f'SELECT count(*) FROM "{table}"').fetchall()[0][0]
    con.execute(f"""CREATE OR REPLACE TABLE "{table}" AS
        SELECT * EXCLUDE (_group), '0' AS baseline, '1' AS target
        FROM (UNPIVOT {source} ON {on} INTO NAME _group VALUE {", ".join(f'"{f}"' for f in fields)})
        WHERE NOT okr_blank(key_result)
        ORDER BY line, _group::INTEGER""")
    return {"goals": goals, "key_results": con.execute(f'SELECT count(*) FROM "{table}"').fetchall()[0][0]}
