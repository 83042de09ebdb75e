"""Hostile text in the run store (Hypothesis): any name, tag, note or search a student
types is stored as typed (after the documented cleaning), found literally by search,
and never changes the SQL (bound parameters only: the tables survive every value)."""
from __future__ import annotations

import tempfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from playground.store import NewRun, RunFilter, RunStore
from playground.store.rows import clean_label, clean_tags
from playground.ui.widgets.safe import html_escape, md_escape

# Any unicode a browser can send, with SQL, LIKE and markup metacharacters favoured.
nasty = st.text(st.sampled_from(list("'\";%_\\|*[]()<>`$:#-/ \n")) | st.characters(
    blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=80)

_DIR = tempfile.mkdtemp(prefix="store-hostile-")
STORE = RunStore(f"sqlite:///{_DIR}/runs.db", flush_s=0.05)
_COUNTER = iter(range(10**9))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(label=nasty, tags=st.lists(nasty, max_size=4), notes=nasty)
def test_hostile_names_tags_and_notes_round_trip_and_search_is_literal(label, tags, notes):
    owner = f"hostile-{next(_COUNTER)}"
    STORE.add_runs([NewRun("h" + owner, owner, "train", "placeholder", {"dataset": "spiral"})])
    assert STORE.flush()
    run_id = "h" + owner
    if clean_label(label):
        assert STORE.rename(run_id, label, owner=owner)
    assert STORE.set_tags(run_id, tags, owner=owner)
    assert STORE.set_notes(run_id, notes, owner=owner)
    run = STORE.get_run(run_id)
    assert run.label == (clean_label(label) or "placeholder")
    assert run.tags == clean_tags(tags) and run.notes == notes
    # search is a literal substring, whatever the text (%, _ and \\ included)
    probe = run.label[:10].strip()
    if probe:
        found = [r.id for r in STORE.list_runs(RunFilter(owner=owner, search=probe))]
        assert found == [run_id]
    for tag in run.tags:
        assert [r.id for r in STORE.list_runs(RunFilter(owner=owner, tag=tag))] == [run_id]
    # shown escaped: no live markup survives the page's escaping
    assert "<" not in html_escape(run.label) and "<" not in md_escape(run.notes).replace(
        "\\<", "")
    assert STORE.counts()[0] >= 1                      # the tables are still there


def teardown_module() -> None:
    import shutil

    STORE.close()
    shutil.rmtree(_DIR, ignore_errors=True)
