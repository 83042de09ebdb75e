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
