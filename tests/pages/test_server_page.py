import re
import time

from streamlit.testing.v1 import AppTest

from playground.config import RunConfig
from playground.ui import runtime


def test_server_page_lists_live_runs_without_error(clean_streamlit):
    reg = runtime.registry()
    run = reg.start(RunConfig(length=10_000_000), owner="abc123", start_paused=True)
    at = AppTest.from_function(_server_page, default_timeout=60).run()
    assert not at.exception
    frame = at.dataframe[0].value
    assert run in frame["run"].tolist() and "abc123" in frame["session"].tolist()
    labels = {m.label for m in at.metric}
    assert {"Computing", "Queued", "Live runs", "Threads", "Memory"} <= labels
    assert next(m.value for m in at.metric if m.label == "Live runs") == "1"


def _server_page():
    from playground.ui import shell
    shell.main(default="server")


def test_server_page_shows_the_lanes_share_of_the_cores(clean_streamlit, monkeypatch):
    """With runs on lanes, the teacher sees the training processes, the cores they use,
    the headroom, and per run its pace asked and reached, CPU share and step cost."""
    from tests.waiting import wait_until

    monkeypatch.setenv("PLAYGROUND_LANES", "1")
    reg = runtime.registry()
    run = reg.start(RunConfig(length=10_000_000), owner="abc123", pace=50)
    assert wait_until(lambda: (reg.snapshot(run).step_cost_s is not None
                               and reg.snapshot(run).cpu_share is not None), 30)
    at = AppTest.from_function(_server_page, default_timeout=60).run()
    time.sleep(0.6)
    at.run()                     # the second look measures this process's share too
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Training processes"] == "1"
    assert float(metrics["Cores training"]) >= 0
    assert re.fullmatch(r"\d+\.\d\d of \d+", metrics["Headroom"]), metrics["Headroom"]
    frame = at.dataframe[0].value
    row = frame[frame["run"] == run].iloc[0]
    assert row["pace"] == 50 and row["step_ms"] > 0 and row["cpu"] >= 0
