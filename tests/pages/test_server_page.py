from streamlit.testing.v1 import AppTest

from playground.config import RunConfig
from playground.ui import runtime
from tests.waiting import wait_until


def test_server_page_lists_live_runs_without_error(clean_streamlit):
    reg = runtime.registry()
    run = reg.start(RunConfig(length=10_000_000), owner="abc123", start_paused=True)
    at = AppTest.from_function(_server_page, default_timeout=60).run()
    assert not at.exception
    frame = at.dataframe[0].value
    assert run in frame["run"].tolist() and "abc123" in frame["session"].tolist()
    labels = {m.label for m in at.metric}
    assert {"CPU used", "Headroom", "Computing", "Queued", "Live runs", "Threads",
            "Memory"} <= labels
    assert next(m.value for m in at.metric if m.label == "Live runs") == "1"


def test_server_page_shows_each_runs_cpu_share_and_pace_asked_against_achieved(
        clean_streamlit):
    reg = runtime.registry()
    run = reg.start(RunConfig(length=10_000_000), owner="abc123", pace=150.0)
    assert wait_until(lambda: reg.snapshot(run).steps_per_sec > 0 and any(
        r.step_cost_ms for r in reg.compute().rows), timeout=30)
    at = AppTest.from_function(_server_page, default_timeout=60).run()
    assert not at.exception
    row = at.dataframe[0].value.set_index("run").loc[run]
    assert row["pace_asked"] == 150.0 and 0 < row["pace_achieved"] <= 200
    assert 0 < row["cpu_share"] < 1 and 0 < row["step_cost_ms"] < 50
    headroom = next(m.value for m in at.metric if m.label == "Headroom")
    assert headroom.endswith("cores") and float(headroom.split()[0]) > 0
    assert any("paced run reserves its pace" in c.value for c in at.caption)


def _server_page():
    from playground.ui import shell
    shell.main(default="server")
