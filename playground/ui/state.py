"""Every session key the pages share, declared once, with what it holds.

Pages and the shell read and write ``st.session_state`` only under these names, so a
reader can see in one place what a browser session remembers (TF Playground's
``state.ts`` habit). Widget keys that only one page's own widgets use live with that
page; anything another module reads is declared here.
"""
from __future__ import annotations

CONFIG = "run_config"               # RunConfig: the shared setup the sidebar edits
SESSION_ID = "session_id"           # str: this browser session's random id (owner of runs)
CONFIG_CHANGED = "_config_changed_elsewhere"   # bool: copy CONFIG into the widgets

TRAIN_RUN = "train_run_id"          # str | None: the run the Train page shows
TRAIN_APPLIED_LR = "train_applied_lr"   # float: the LR last sent to that run
TRAIN_PACE = "train_pace"           # "slow" | "watch" | "max": the Speed control
COMPARE_GROUP = "cmp_group"         # str | None: id of the group the Compare page shows

URL_LOADED = "_url_loaded"          # bool: the link was read (once per session)
URL_ERRORS = "_url_errors"          # list[ConfigError]: what the link got wrong
LINK_IDS = "_link_ids"              # {"run": id, "group": id}: named by the link
CLASSROOM = "_classroom"            # {"hide": frozenset[str], "lock": bool}


def handoff_key(page: str) -> str:
    """Where one page leaves work for another ("train", "sweep", "compare", "surface")."""
    return f"handoff_{page}"
