"""Every session key the pages share, declared once, with what it holds.

Pages and the shell read and write ``st.session_state`` only under these names, so a
reader can see in one place what a browser session remembers (TF Playground's
``state.ts`` habit). Widget keys that only one page's own widgets use live with that
page; anything another module reads is declared here.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

CONFIG = "run_config"               # RunConfig: the shared setup the sidebar edits
SESSION_ID = "session_id"           # str: this browser session's random id (owner of runs)
CONFIG_CHANGED = "_config_changed_elsewhere"   # bool: copy CONFIG into the widgets

TRAIN_RUN = "train_run_id"          # str | None: the run the Train page shows
TRAIN_APPLIED_LR = "train_applied_lr"   # float: the LR last sent to that run
TRAIN_PACE = "train_pace"           # "slow" | "watch" | "max": the Speed control
TRAIN_PACES = {"slow": 30.0, "watch": 150.0, "max": None}   # ... as steps/s caps
TRAIN_HANDED_TASK = "train_handed_task"   # (data cache key, TaskData) of an upload
TRAIN_BOUNDARY = "train_boundary"   # {"run", "key", "time", "wire", "height"}: the last model view
TRAIN_INSIDE = "train_inside"       # {"run", "key", "time", "figs"}: the last network panel (wire texts)
DRAW_UNDO = "draw_undo"             # list[str]: earlier `points` texts of the drawing (Undo)
COMPARE_GROUP = "cmp_group"         # str | None: id of the group the Compare page shows
COMPARE_ROWS = "cmp_rows"           # list[dict]: the run table's rows (blank = inherit)
COMPARE_TABLE_VERSION = "cmp_table_version"   # int: bumped to reset the table's editor
COMPARE_NOTE = "cmp_note"           # str: what a hand-off's runs differ in beyond the table
SWEEP_JOB = "sweep_job"             # {"id", "mode", "settings", "config", "label", "live"}
SWEEP_NOTICE = "sw_notice"          # (level, text) to say once: "Sweep cancelled."
SWEEP_USED = "sweep_used_lr"        # the "Set learning rate …" note after Use this LR
SEARCH_JOB = "search_job"           # {"id", "settings", "config", "live", "group"}: running
SEARCH_RESULT = "search_result"     # {"settings", "config", "records", "importance", ...}
SEARCH_NOTICE = "search_notice"     # (level, text) to say once: "Search cancelled."
TABLE_UPLOADS = "table_uploads"     # {content key: file name}: tables this session uploaded
TABLE_UPLOAD_ERROR = "table_upload_error"   # str | None: why the last upload was not kept

TRAIN_GHOST = "train_ghost"         # str | None: the stored run drawn behind the Train charts
COMPARE_REFERENCE = "cmp_reference"  # str | None: the stored run drawn behind a comparison
RUNS_TEACHER = "runs_teacher"       # bool: this session may see every session's runs
RUNS_CONFIRM_DELETE = "runs_confirm_delete"   # tuple[str, ...]: runs a Delete click named
RUNS_NOTICE = "runs_notice"         # (level, text) to say once after an action

URL_LOADED = "_url_loaded"          # bool: the link was read (once per session)
URL_ERRORS = "_url_errors"          # list[ConfigError]: what the link got wrong
SETUP_PROBLEMS = "_setup_problems"  # [(field, reason)]: the sidebar's last check
SETUP_OPEN = "_setup_open"          # {section: open?}: the sidebar sections as last left
CHART_MEMO = "_chart_memo"          # {chart key: its last drawing} (widgets/chart_memo.py)
LINK_IDS = "_link_ids"              # {"run": id, "group": id}: named by the link
CLASSROOM = "_classroom"            # {"hide": frozenset[str], "lock": bool}


def sweep_result(mode: str) -> str:
    """The last finished sweep of a mode ("range", "short"): {"id", "mode", "items", ...}."""
    return f"sweep_result_{mode}"


def lesson_job(lesson: str) -> str:
    """The job id of a lesson's evidence (one per lesson card)."""
    return f"lesson_job_{lesson}"


def runs_table(version: str) -> str:
    """The Runs page's table (its row selection); a new key whenever the listed runs
    change, so a selection never silently moves to other runs."""
    return f"runs_table_{version}"


def handoff_key(page: str) -> str:
    """Where one page leaves work for another ("train", "sweep", "compare", "surface")."""
    return f"handoff_{page}"


# ------------------------------------------------------------ page-to-page hand-offs
# What one page hands another (Lessons → Train "load this preset and start", Compare →
# Loss surface "draw these runs"): left by the sender, taken once by the receiver.
@dataclass(frozen=True)
class ToTrain:
    config: Any                          # RunConfig
    start: bool = False
    task: Any = None                     # TaskData of an upload (cannot travel in a URL)


@dataclass(frozen=True)
class ToSweep:
    config: Any = None                   # RunConfig, or None to keep the setup
    preset: str | None = None            # a range-test preset ("makemore")
    start: bool = False


@dataclass(frozen=True)
class ToCompare:
    configs: tuple = ()                  # RunConfigs, one per run
    labels: tuple = ()
    start: bool = False


@dataclass(frozen=True)
class ToSurface:
    run_ids: tuple = field(default_factory=tuple)


HANDOFFS = {"train": ToTrain, "sweep": ToSweep, "compare": ToCompare, "surface": ToSurface}


def pace_key(pace: float | None) -> str:
    """The Train page's Speed choice for a run's pace."""
    return next((k for k, v in TRAIN_PACES.items() if v == pace), "watch")
