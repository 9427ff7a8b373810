"""Who may change what: the roles file, Access, the editor passphrase, and team limits in the importer."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from okrdash.access import (
    LOCAL_ACCESS,
    Access,
    Role,
    RolesFile,
    check_passphrase,
    failure_delay,
    hash_passphrase,
    load_roles,
)
from okrdash.cli import main as cli_main
from okrdash.importing import Upload, import_files
from okrdash.problems import ImportFailed

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 22)

ROLES = """
default = "viewer"

# A domain rule listed before the exact addresses: the exact address still wins.
[[rule]]
match = "@contoh.co.id"
role = "viewer"

[[rule]]
match = "Rina@Contoh.co.id"
role = "editor"
teams = ["Sales", "Marketing"]

# A second rule for the same address: the first one wins.
[[rule]]
match = "rina@contoh.co.id"
role = "admin"

[[rule]]
match = "it-admin@contoh.co.id"
role = "admin"
teams = ["Sales"]

[[rule]]
match = "dewi@contoh.co.id"
role = "editor"

[[rule]]
match = "@partner.example"
role = "editor"
teams = ["Customer Success"]

[[rule]]
match = "@partner.example"
role = "admin"
"""


@pytest.fixture
def roles(tmp_path) -> RolesFile:
    path = tmp_path / "roles.toml"
    path.write_text(ROLES)
    return load_roles(path)


# -- the roles file ----------------------------------------------------------------------------------


def test_exact_address_beats_a_domain_rule_listed_before_it(roles):
    access = roles.access_for("rina@contoh.co.id")
    assert (access.role, access.teams, access.who, access.mode) == (
        Role.EDITOR, frozenset({"Sales", "Marketing"}), "rina@contoh.co.id", "oidc")


def test_first_matching_rule_wins(roles):
    assert roles.access_for("rina@contoh.co.id").role is Role.EDITOR  # not the later admin rule
    partner = roles.access_for("ops@partner.example")
    assert (partner.role, partner.teams) == (Role.EDITOR, frozenset({"Customer Success"}))


def test_addresses_match_whatever_their_case_and_spaces(roles):
    access = roles.access_for("  RINA@contoh.CO.ID ")
    assert (access.role, access.who) == (Role.EDITOR, "rina@contoh.co.id")


@pytest.mark.parametrize("email, role", [
    ("budi@contoh.co.id", Role.VIEWER),          # domain rule
    ("it-admin@contoh.co.id", Role.ADMIN),       # exact rule
    ("dewi@contoh.co.id", Role.EDITOR),          # editor of every team
    ("someone@elsewhere.com", Role.VIEWER),      # default
    ("x@sub.contoh.co.id", Role.VIEWER),         # a subdomain is another domain: default
    ("x@contoh.co.id.evil.example", Role.VIEWER),  # a longer domain is another domain: default
    ("contoh.co.id", Role.VIEWER),               # not an address
    ("@partner.example", Role.EDITOR),           # the bare domain is the domain rule
    ("", Role.VIEWER),
    (None, Role.VIEWER),
])
def test_role_for_each_kind_of_address(roles, email, role):
    assert roles.access_for(email).role is role


def test_default_role_and_missing_file(tmp_path):
    path = tmp_path / "roles.toml"
    path.write_text('default = "editor"\n[[rule]]\nmatch = "boss@contoh.co.id"\nrole = "admin"\n')
    roles = load_roles(path)
    assert roles.access_for("anyone@contoh.co.id").role is Role.EDITOR
    assert roles.access_for("anyone@contoh.co.id").teams is None
    assert roles.access_for(None).who is None
    missing = load_roles(tmp_path / "no-such-roles.toml")
    assert missing.rules == ()
    assert missing.access_for("boss@contoh.co.id").role is Role.VIEWER
    assert not missing.access_for("boss@contoh.co.id").can_edit


# -- Access ------------------------------------------------------------------------------------------


def test_viewer_may_change_nothing(roles):
    viewer = roles.access_for("budi@contoh.co.id")
    assert not viewer.can_edit
    assert not viewer.may_edit_team("Sales")
    assert not viewer.may_edit_team("Engineering")


def test_viewer_allowed_teams_is_no_team():
    """allowed_teams is "teams this person may write" and None means every team; a viewer may
    write none. Handing a viewer's allowed_teams to the importer must not allow every team."""
    viewer = Access(role=Role.VIEWER, who="budi@contoh.co.id", mode="oidc")
    assert viewer.allowed_teams == frozenset()


def test_editor_of_named_teams(roles):
    editor = roles.access_for("rina@contoh.co.id")
    assert editor.can_edit
    assert editor.allowed_teams == frozenset({"Sales", "Marketing"})
    assert editor.may_edit_team("Sales") and editor.may_edit_team("Marketing")
    assert not editor.may_edit_team("Engineering")
    # Compared as the importer compares names (okrdash/names.py): "Sales " and "sales" are team Sales.
    assert editor.may_edit_team("Sales ") and editor.may_edit_team("sales")
    assert not editor.may_edit_team("Sales Ops")


def test_editor_without_a_team_list_and_admins_may_edit_every_team(roles):
    editor = roles.access_for("dewi@contoh.co.id")
    assert editor.can_edit and editor.allowed_teams is None and editor.may_edit_team("Engineering")
    admin = roles.access_for("it-admin@contoh.co.id")  # its rule lists teams: admins ignore them
    assert admin.can_edit and admin.allowed_teams is None and admin.may_edit_team("Engineering")
    assert LOCAL_ACCESS.role is Role.ADMIN and LOCAL_ACCESS.mode == "local" and LOCAL_ACCESS.can_edit
    assert LOCAL_ACCESS.allowed_teams is None


# -- the editor passphrase ---------------------------------------------------------------------------


def test_passphrase_hash_round_trip():
    stored = hash_passphrase("kopi susu gula aren")
    assert re.fullmatch(r"scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+", stored)
    assert check_passphrase("kopi susu gula aren", stored)
    assert not check_passphrase("kopi susu gula aren ", stored)
    assert not check_passphrase("Kopi susu gula aren", stored)
    assert not check_passphrase("", stored)
    again = hash_passphrase("kopi susu gula aren")
    assert again != stored  # a new salt each time
    assert check_passphrase("kopi susu gula aren", again)
    salt = b"0123456789abcdef"
    assert hash_passphrase("x" * 12, salt=salt) == hash_passphrase("x" * 12, salt=salt)


def test_unicode_passphrase():
    stored = hash_passphrase("rahasia-ñ-日本-🔑")
    assert check_passphrase("rahasia-ñ-日本-🔑", stored)
    assert not check_passphrase("rahasia-n-日本-🔑", stored)


@pytest.mark.parametrize("stored", [
    "", "scrypt", "scrypt$", "scrypt$$", "scrypt$abc", "scrypt$a$b$c",
    "bcrypt$c2FsdA==$ZGlnZXN0",                 # another scheme
    "scrypt$!!!$@@@", "scrypt$é$é", "scrypt$c2FsdA=$ZGln",  # bad base64
    "plain-text-passphrase",
])
def test_malformed_stored_hash_is_false(stored):
    assert check_passphrase("plain-text-passphrase", stored) is False


def test_a_valid_hash_cut_short_or_changed_is_false():
    stored = hash_passphrase("kopi susu gula aren")
    *head, salt, digest = stored.split("$")
    costs = "$".join(head)
    assert not check_passphrase("kopi susu gula aren", f"{costs}${salt}${digest[:-8]}")
    assert not check_passphrase("kopi susu gula aren", f"{costs}${salt[::-1]}${digest}")
    assert not check_passphrase("kopi susu gula aren", f"{costs}${salt}$")


def test_failure_delay_grows_and_caps():
    assert failure_delay(0) == 0 and failure_delay(-3) == 0
    assert [failure_delay(n) for n in range(1, 7)] == [1, 2, 4, 8, 16, 30]
    delays = [failure_delay(n) for n in range(0, 2000)]
    assert all(a <= b for a, b in zip(delays, delays[1:])), "the delay never shrinks"
    assert max(delays) == 30


def test_cli_hash_passphrase_reads_stdin_and_prints_a_usable_hash(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "okrdash", "hash-passphrase"], input="kopi susu gula aren\n", cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "kopi" not in result.stdout  # the passphrase itself is never printed
    assert result.stdout.splitlines()[0] == "[okrdash]"
    match = re.search(r'^editor_passphrase = "(scrypt\$[^"]+)"$', result.stdout, re.M)
    assert match, result.stdout
    assert check_passphrase("kopi susu gula aren", match[1])
    assert not check_passphrase("kopi susu gula", match[1])


def test_cli_hash_passphrase_refuses_a_short_one(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.StringIO("short\n"))
    assert cli_main(["hash-passphrase"]) == 2
    captured = capsys.readouterr()
    assert "8 characters" in captured.err and "scrypt" not in captured.out


# -- team limits in the importer -----------------------------------------------------------------------

SEED_OKRS = """cycle,team,objective,key_result,baseline,target
2026-Q4,Sales,Grow revenue,Sign 10 new customers,0,10
2026-Q4,Engineering,Ship faster,Cut build time to 5 minutes,20,5
"""
MIXED_KPIS = """team,kpi,date,value,target
Sales,Monthly sales growth,2026-10-31,3.8,5
Engineering,Uptime,2026-10-31,99.5,99.9
Sales,Monthly sales growth,2026-11-30,4.1,5
ENGINEERING,Build minutes,2026-10-31,14,10
Engineering ,Uptime,2026-11-30,99.7,99.9
"""
MIXED_OKRS = """cycle,team,objective,key_result,baseline,target,current,date
2026-Q4,Sales,Grow revenue,Win 3 enterprise deals,0,3,1,2026-11-10
2026-Q4,Engineering,Ship faster,Release every week,0,12,4,2026-11-10
"""
MIXED_CHECKINS = """team,key_result,date,value
Sales,Sign 10 new customers,2026-11-10,4
Engineering,Cut build time to 5 minutes,2026-11-10,15
"""
RINA = Access(role=Role.EDITOR, who="rina@contoh.co.id", teams=frozenset({"Sales"}), mode="oidc")
ADMIN = Access(role=Role.ADMIN, who="it-admin@contoh.co.id", teams=frozenset({"Sales"}), mode="oidc")


@pytest.fixture
def seeded(store):
    import_files(store, [Upload("seed.csv", SEED_OKRS.encode())], today=TODAY)
    return store


def _refused(store, files: dict[str, str], access: Access):
    before = store.table_counts()
    with pytest.raises(ImportFailed) as caught:
        import_files(store, [Upload(n, t.encode()) for n, t in files.items()], imported_by=access.who,
                     today=TODAY, allowed_teams=access.allowed_teams)
    assert store.table_counts() == before, "a refused upload changed the store"
    return caught.value.problems


def test_editor_of_sales_uploading_engineering_rows_is_refused_whole(seeded):
    problems = _refused(seeded, {"kpis.csv": MIXED_KPIS}, RINA)
    assert [(p.code, p.line, p.column, p.value.strip()) for p in problems] == [
        ("team_not_allowed", 3, "team", "Engineering"),
        ("team_not_allowed", 5, "team", "ENGINEERING"),
        ("team_not_allowed", 6, "team", "Engineering"),
    ]
    for problem in problems:
        assert "Sales" in problem.message("en") and "Sales" in problem.message("id")


@pytest.mark.parametrize("name, text, line", [("okrs.csv", MIXED_OKRS, 3), ("checkins.csv", MIXED_CHECKINS, 3)])
def test_team_limits_hold_for_okr_and_checkin_files(seeded, name, text, line):
    problems = _refused(seeded, {name: text}, RINA)
    assert [(p.code, p.line) for p in problems] == [("team_not_allowed", line)]


def test_one_file_of_another_team_refuses_the_whole_upload(seeded):
    sales_only = "team,kpi,date,value\nSales,Leads,2026-10-31,40\n"
    engineering_only = "team,kpi,date,value\nEngineering,Uptime,2026-10-31,99.5\n"
    problems = _refused(seeded, {"sales.csv": sales_only, "engineering.csv": engineering_only}, RINA)
    assert {(p.file_name, p.code) for p in problems} == {("engineering.csv", "team_not_allowed")}


def test_editor_of_sales_imports_sales_rows_and_is_recorded(seeded):
    text = "team,kpi,date,value\nSales,Leads,2026-10-31,40\nSales,Leads,2026-11-30,44\n"
    result = import_files(seeded, [Upload("sales.csv", text.encode())], imported_by=RINA.who, today=TODAY,
                          allowed_teams=RINA.allowed_teams)
    assert result.inserted == 3
    assert seeded.batches()[0].imported_by == "rina@contoh.co.id"


def test_admin_imports_every_team_and_is_recorded(seeded):
    assert ADMIN.allowed_teams is None
    before = seeded.table_counts()
    result = import_files(seeded, [Upload("kpis.csv", MIXED_KPIS.encode()), Upload("okrs.csv", MIXED_OKRS.encode())],
                          imported_by=ADMIN.who, today=TODAY, allowed_teams=ADMIN.allowed_teams)
    assert len(result.written) == 2
    after = seeded.table_counts()
    assert after["kpi_measurements"] == before["kpi_measurements"] + 5
    assert after["kpis"] == before["kpis"] + 3
    assert {b.imported_by for b in seeded.batches()[:2]} == {"it-admin@contoh.co.id"}
    assert seeded.batches()[-1].imported_by is None  # the seed was imported by nobody in particular


# -- the stored hash carries its parameters; the throttle is process-wide --------------------------------


def test_a_new_hash_carries_its_scrypt_parameters():
    stored = hash_passphrase("kopi susu gula aren", salt=b"0123456789abcdef")
    scheme, n, r, p, salt, digest = stored.split("$")
    assert (scheme, n, r, p, salt) == ("scrypt", "16384", "8", "1", "MDEyMzQ1Njc4OWFiY2RlZg==")
    assert check_passphrase("kopi susu gula aren", stored)


def test_hashes_of_other_costs_and_of_the_first_format_are_accepted():
    import base64
    import hashlib

    salt = b"garam-laut-16byt"
    cheap = hashlib.scrypt(b"kopi susu gula aren", salt=salt, n=2**10, r=4, p=2, dklen=32)
    b64 = base64.b64encode
    assert check_passphrase("kopi susu gula aren", f"scrypt$1024$4$2${b64(salt).decode()}${b64(cheap).decode()}")
    first = hashlib.scrypt(b"kopi susu gula aren", salt=salt, n=2**14, r=8, p=1, dklen=32)
    assert check_passphrase("kopi susu gula aren", f"scrypt${b64(salt).decode()}${b64(first).decode()}")
    assert not check_passphrase("kopi susu gula", f"scrypt${b64(salt).decode()}${b64(first).decode()}")


def test_a_hash_asking_for_too_much_memory_is_refused_without_computing():
    assert not check_passphrase("x", "scrypt$1048576$64$1$c2FsdA==$ZGlnZXN0ZGlnZXN0")


class _Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


RIGHT = "kopi susu gula aren"


@pytest.fixture
def counted_checks(monkeypatch) -> list[str]:
    """The passphrases the throttle let through to the scrypt check, in order."""
    import okrdash.access as access

    real, checked = access.check_passphrase, []

    def counting(passphrase: str, stored: str) -> bool:
        checked.append(passphrase)
        return real(passphrase, stored)

    monkeypatch.setattr(access, "check_passphrase", counting)
    return checked


def test_wrong_tries_make_their_own_address_wait_longer_and_nobody_else(counted_checks):
    from okrdash.access import PassphraseThrottle

    clock = _Clock()
    throttle = PassphraseThrottle(clock=clock)
    stored = hash_passphrase(RIGHT)
    first = throttle.check("guess", stored, client="10.0.0.7")
    assert (first.accepted, first.checked, first.wait) == (False, True, 1.0)
    too_soon = throttle.check(RIGHT, stored, client="10.0.0.7")  # even the right one: not checked yet
    assert (too_soon.accepted, too_soon.checked, too_soon.wait) == (False, False, 1.0)
    waits = []
    for _ in range(3):  # three sessions (reloads) of the same address, each after its wait
        clock.now += throttle.wait("10.0.0.7")
        waits.append(throttle.check("guess", stored, client="10.0.0.7").wait)
    assert waits == [2.0, 4.0, 8.0]
    assert counted_checks == ["guess"] * 4  # the try made too soon never reached the check
    assert throttle.wait("10.0.0.8") == 0.0
    assert throttle.check(RIGHT, stored, client="10.0.0.8").accepted  # another address: at once
    other = throttle.check("typo", stored, client="10.0.0.8")
    assert other.wait == 1.0  # its own first wrong try, not the guesser's eighth
    clock.now += 8
    assert throttle.check(RIGHT, stored, client="10.0.0.7").accepted
    assert throttle.wait("10.0.0.7") == 0.0
    clock.now += 600  # a whole quiet window: the count starts again
    assert throttle.check("typo", stored, client="10.0.0.8").wait == 1.0


def test_guesses_from_one_address_never_hold_up_another_addresss_try(monkeypatch):
    """Issue 22, finding 4: 20 wrong tries in parallel from one address made the right passphrase
    from another address wait 1,170 s (the throttle slept holding its one lock). Here the guess
    being checked is held inside the check until the other address's try has been answered."""
    import threading

    import okrdash.access as access
    from okrdash.access import PassphraseThrottle

    stored = hash_passphrase(RIGHT)
    real = access.check_passphrase
    checking_a_guess, release = threading.Event(), threading.Event()
    checked: list[str] = []

    def slow_for_guesses(passphrase: str, stored_hash: str) -> bool:
        checked.append(passphrase)
        if passphrase != RIGHT:
            checking_a_guess.set()
            release.wait(timeout=300)
        return real(passphrase, stored_hash)

    monkeypatch.setattr(access, "check_passphrase", slow_for_guesses)
    throttle = PassphraseThrottle()
    guesses: list[access.PassphraseTry] = []
    guessers = [threading.Thread(target=lambda: guesses.append(throttle.check("guess", stored, client="10.0.0.66")),
                                 daemon=True) for _ in range(20)]
    editor: list[access.PassphraseTry] = []
    try:
        for guesser in guessers:
            guesser.start()
        assert checking_a_guess.wait(timeout=300)
        # A deadlock guard, not a time limit: the try either is answered or waits on the guesser for good.
        answered = threading.Thread(target=lambda: editor.append(throttle.check(RIGHT, stored, client="10.0.0.7")),
                                    daemon=True)
        answered.start()
        answered.join(timeout=120)
        assert editor and editor[0].accepted, "the editor's try waited on the guessing address"
        assert not release.is_set() and "guess" in checked  # ... while a guess was still being checked
    finally:
        release.set()
    for guesser in guessers:
        guesser.join(timeout=300)
    # One guess of the address at a time: the other 19 were refused unchecked, with the wait shown.
    assert checked.count("guess") == 1 and len(guesses) == 20
    assert sum(1 for g in guesses if g.checked) == 1
    assert all(g.wait > 0 and not g.accepted for g in guesses)
    # The guessing address still slows down; the editor's address is not slowed at all.
    again = throttle.check("guess", stored, client="10.0.0.66")
    assert not again.checked and again.wait > 0 and checked.count("guess") == 1
    assert throttle.wait("10.0.0.7") == 0.0


def test_many_guessing_addresses_slow_each_other_but_not_a_new_one():
    from okrdash.access import PassphraseThrottle

    clock = _Clock()
    throttle = PassphraseThrottle(clock=clock, global_step=10)
    stored = hash_passphrase(RIGHT)
    for address in range(20):
        throttle.check("guess", stored, client=f"10.0.1.{address}")
    # An address that guessed waits for the crowd: 20 recent wrong tries anywhere, 2 ** (20 // 10 - 1) s.
    assert throttle.wait("10.0.1.0") == 2.0
    assert throttle.wait("10.9.9.9") == 0.0  # one that made no wrong try is never slowed
    assert throttle.check(RIGHT, stored, client="10.9.9.9").accepted
    clock.now += 601  # outside the window they no longer count
    assert throttle.wait("10.0.1.0") == 0.0


def test_the_throttle_remembers_a_bounded_number_of_addresses():
    from okrdash.access import PassphraseThrottle

    clock = _Clock()
    throttle = PassphraseThrottle(clock=clock, max_addresses=3)
    stored = hash_passphrase(RIGHT)
    for address in range(10):
        throttle.check("guess", stored, client=f"10.0.2.{address}")
        assert len(throttle) <= 3
    assert throttle.wait("10.0.2.9") == 1.0  # the latest are kept, the least recently tried forgotten
    assert throttle.wait("10.0.2.0") == 0.0


def test_an_ipv6_machine_cannot_take_a_fresh_address_per_try():
    from okrdash.access import PassphraseThrottle, throttle_key

    clock = _Clock()
    throttle = PassphraseThrottle(clock=clock)
    stored = hash_passphrase(RIGHT)
    throttle.check("guess", stored, client="2001:db8:0:1::5")
    refused = throttle.check("guess", stored, client="2001:db8:0:1:abcd::9")  # the same /64
    assert not refused.checked and refused.wait == 1.0
    assert throttle.wait("2001:db8:0:2::5") == 0.0  # another /64
    assert throttle_key("::ffff:10.0.0.7") == "10.0.0.7" and throttle_key("localhost") == "localhost"


def test_app_throttle_lives_outside_the_session():
    from okrdash.access import PassphraseThrottle
    from okrdash.ui import auth

    assert isinstance(auth.PASSPHRASE_THROTTLE, PassphraseThrottle)
