"""The Upload page's files across reruns: the picker, one dry run per set of files and reading choices,
the import of what it validated, large files checked and imported by the background worker, and
Streamlit's copy of imported files let go. What the page shows of each step is its view model's
(okrdash/views/upload.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from okrdash import importing
from okrdash.access import Access, Role
from okrdash.importing import ReadingChoices, worker
from okrdash.importing.mapping import NO_MAPPING, Mapping
from okrdash.markdown import plain
from okrdash.problems import ImportFailed
from okrdash.store import StoreError
from okrdash.ui import context, widgets
from okrdash.ui.context import Context

_CHECKED = "_upload_checked"    # (check key, Prepared | None, problems | None) of the last dry run
_RESULT = "_upload_result"      # (signature | None, written | None, problems | message | None) of the last import
_JOB = "_upload_job"            # ("check" | "import", signature, check key, worker.Job) in the background
_GENERATION = "_upload_generation"  # bumped after an import: a new picker, holding none of the imported files
_FORGOTTEN = ()  # the signature of a background import's result: its files were let go, the picker is empty
TYPES = ["csv", "txt", "tsv", "xlsx", "xlsm", "xls", "ods"]


@dataclass(frozen=True)
class Step:
    """Where the upload stands in this run: one of a job to wait for, an import's outcome, a check."""

    signature: tuple                                       # Streamlit's id, name and size of each file chosen
    waiting: worker.Job | None = None
    outcome: tuple | None = None                           # (signature, written | None, problems | message | None)
    checked: tuple | None = None                           # (check key, Prepared | None, problems | None)


def picker(ctx: Context, access: Access, max_mb: int) -> list[Any]:
    """The files chosen. The right to import is checked before any file is read: a viewer gets no
    file picker at all (what a forged client uploads anyway is bounded per session by okrdash
    serve, ui/server.py)."""
    if access.can_edit:
        generation = st.session_state.get(_GENERATION)
        files = widgets.file_uploader(ctx, ctx.t("upload.choose"), TYPES, accept_multiple_files=True,
                                      key=f"upload_files_{generation}" if generation else "upload_files",
                                      help=ctx.t("upload.choose_help"), max_mb=max_mb)
    else:
        files = []
        st.info(ctx.t("upload.picker_for_editors"), icon="🔒")
    if not files:  # nothing chosen (or the files were removed): forget the last check and its previews
        st.session_state.pop(_CHECKED, None)
    return files or []


def step(ctx: Context, access: Access, files: list[Any], choices: ReadingChoices,
         mapping: Mapping = NO_MAPPING) -> Step:
    """The step this run shows: a job's progress, an import's outcome, or a check of the files (done
    once per files, reading choices and answers of the mapping step; a large upload's in the background)."""
    # Each upload is known by Streamlit's id of it: nothing is hashed on a rerun (the importer hashes
    # each file once, for its batch).
    signature = tuple((f.file_id, f.name, f.size) for f in files)
    running = st.session_state.get(_JOB)
    if running is not None and running[3].done():  # a background check or import ended: pick up its result
        what, _, check_key, job = running
        try:
            job_outcome = job.result()
        except (ImportFailed, StoreError, OSError) as error:
            job_outcome = error
        if what == "import":
            _imported(ctx, job_outcome, _FORGOTTEN)  # its files were let go at the click
            st.rerun()  # drawn again with the new, empty picker
        st.session_state.pop(_JOB, None)
        st.session_state[_CHECKED] = (check_key, None, job_outcome.problems) if isinstance(
            job_outcome, ImportFailed) else (check_key, job_outcome, None)
        running = None
    if running is not None and running[0] == "check" and running[1] != signature:
        st.session_state.pop(_JOB, None)  # the files changed while they were checked: that check is not wanted
        running = None
    outcome = st.session_state.get(_RESULT)
    if not files and outcome is not None and outcome[1] is None and outcome[0] != _FORGOTTEN:
        st.session_state.pop(_RESULT, None)  # a failed import's report goes with its files
        outcome = None
    if running is not None:
        return Step(signature, waiting=running[3])
    if outcome is not None and (outcome[0] == signature or (outcome[1] is not None and not files)):
        return Step(signature, outcome=outcome)
    if not files:
        return Step(signature)
    st.session_state.pop(_RESULT, None)
    # A dry run writes nothing; it is redone when the files or the reading choices change. Import
    # writes what it found, unless the store changed since (then it validates again first).
    check_key = (signature, choices, mapping, access.allowed_teams, access.role)
    checked = st.session_state.get(_CHECKED)
    if checked is not None and checked[0] == check_key:
        return Step(signature, checked=checked)
    st.session_state.pop(_CHECKED, None)  # the earlier files' rows are not needed any more
    uploads = [importing.Upload(f.name, f.getvalue()) for f in files]
    if sum(f.size for f in files) > worker.BACKGROUND_BYTES:
        store, allowed_teams, today = ctx.store, access.allowed_teams, dt.date.today()
        job = worker.WORKER.submit("check", lambda progress: importing.prepare(
            store, uploads, today=today, allowed_teams=allowed_teams, choices=choices, progress=progress,
            mapping=mapping, people_allowed=access.role is Role.ADMIN),
            files=[f.name for f in files])
        st.session_state[_JOB] = ("check", signature, check_key, job)
        return Step(signature, waiting=job)
    with st.spinner(ctx.t("upload.checking")):
        checked = (check_key, *_check(ctx, access, uploads, choices, mapping))
    st.session_state[_CHECKED] = checked
    return Step(signature, checked=checked)


def forgotten(outcome: tuple) -> bool:
    """Whether an import's files were let go before it ended (they are to be chosen again)."""
    return outcome[1] is None and outcome[0] == _FORGOTTEN


def _check(ctx: Context, access: Access, uploads: list[importing.Upload], choices: ReadingChoices,
           mapping: Mapping):
    """Validate once: a Prepared (what Import writes) or the problems found."""
    try:
        return importing.prepare(ctx.store, uploads, today=dt.date.today(), allowed_teams=access.allowed_teams,
                                 choices=choices, mapping=mapping, people_allowed=access.role is Role.ADMIN), None
    except ImportFailed as failed:
        return None, failed.problems


@st.fragment(run_every=1.0)
def wait_for(ctx: Context, job: worker.Job) -> None:
    """The running job's stage, redrawn every second; the whole page reruns once it is done."""
    if job.done():
        st.rerun(scope="app")
    st.info(ctx.t(f"upload.stage_{job.stage}", files=", ".join(plain(name) for name in job.files)), icon="⏳")
    st.caption(ctx.t("upload.working_help"))


def import_checked(ctx: Context, access: Access, signature: tuple) -> None:
    """The Import button: write what was validated (validated again only if the store changed since)."""
    checked = st.session_state.get(_CHECKED)
    if checked is None or checked[1] is None:
        return
    prepared: importing.Prepared = checked[1]
    if sum(len(u.data) for u in prepared.uploads if isinstance(u, importing.Upload)) > worker.BACKGROUND_BYTES:
        store, today = ctx.store, dt.date.today()
        job = worker.WORKER.submit(
            "import", lambda progress: importing.commit(store, prepared, access, today=today, progress=progress),
            files=[u.name for u in prepared.uploads])
        st.session_state[_JOB] = ("import", signature, None, job)
        # From here only ``prepared`` holds the uploaded bytes, and commit lets them go before the
        # store's upsert, the import's peak: Streamlit's copy is freed now rather than after the
        # write (127 MB of a yearly KPI file). Should the import fail, the files are chosen again.
        _forget_uploaded(signature)
        return
    try:
        outcome = importing.commit(ctx.store, prepared, access, today=dt.date.today())
    except (ImportFailed, StoreError, OSError) as error:
        outcome = error
    _imported(ctx, outcome, signature)


def _forget_uploaded(signature: tuple) -> None:
    """Free the uploaded bytes Streamlit keeps for this session (until it ends, otherwise) and give
    the picker a new key, so it no longer names them: a 127 MB KPI file is not held after its import."""
    run = get_script_run_ctx()
    if run is not None:
        for file_id, _, _ in signature:
            run.uploaded_file_mgr.remove_file(run.session_id, file_id)
    st.session_state[_GENERATION] = st.session_state.get(_GENERATION, 0) + 1


def _imported(ctx: Context, outcome: importing.ImportResult | ImportFailed | Exception, signature: tuple) -> None:
    """What an import ended with, kept for the page to show; after a success nothing of the files is held."""
    st.session_state.pop(_JOB, None)
    if isinstance(outcome, ImportFailed):  # validated again (someone wrote meanwhile) and no longer passes
        st.session_state.pop(_CHECKED, None)
        st.session_state[_RESULT] = (signature, None, outcome.problems)
    elif isinstance(outcome, (StoreError, OSError)):  # refused, or a full disk: nothing was written
        st.session_state.pop(_CHECKED, None)
        message = outcome.message(ctx.lang) if isinstance(outcome, StoreError) else ctx.t(
            "upload.write_failed", detail=plain(outcome.strerror or outcome))
        st.session_state[_RESULT] = (signature, None, message)
    elif isinstance(outcome, Exception):
        raise outcome
    else:
        context.data_changed()
        st.session_state.pop(_CHECKED, None)  # the validated rows and previews are written: let them go
        st.session_state[_RESULT] = (None, outcome.written, None)
        _forget_uploaded(signature)
