"""Journey: take a run home. From "/", make a setup, train it, open "Copy as PyTorch",
download the script and run it: its first 50 losses are the app's (the app's history
download holds them to 6 significant digits)."""
from __future__ import annotations

import csv
import json
import os
import subprocess
import sys

from tests.browser.conftest import choose, wait_idle
from tests.browser.journey import arrived, no_exception, type_into

STEPS = 50
RTOL = 1e-5 + 5e-6      # the promise, plus the rounding of the app's CSV (%.6g)


def download(page, key: str):
    with page.expect_download() as started:
        page.locator(f".st-key-{key} button").first.click()
    return started.value


def losses(path) -> list[float]:
    with open(path, newline="") as f:
        return [float(row["loss"]) for row in csv.DictReader(f) if row["loss"]]


def test_the_downloaded_script_reproduces_the_run_just_watched(app_url, page, tmp_path):
    page.goto(app_url + "/")
    arrived(page, "train")
    choose(page, "cfg_dataset", "Two moons")
    choose(page, "cfg_optimizer", "SGD + momentum")
    type_into(page, "cfg_lr", "0.05")
    type_into(page, "cfg_length", "80")
    page.locator(".st-key-btn_start button").first.click()
    page.get_by_text("Finished 80 steps").first.wait_for(timeout=60_000)
    wait_idle(page)
    app_losses = losses(download(page, "dl_csv").path())
    assert len(app_losses) == 80

    page.get_by_text("Copy as PyTorch").first.click()       # built now, on this click
    code = page.locator(".st-key-train_code_open [data-testid=stCode]").first
    code.wait_for(timeout=30_000)
    wait_idle(page)
    no_exception(page)
    shown = code.inner_text()
    assert "LR = 0.05" in shown and "torch.optim.SGD(" in shown and "momentum=0.9" in shown
    script = download(page, "train_code_py")
    assert script.suggested_filename == "train_moons_momentum.py"
    script.save_as(tmp_path / script.suggested_filename)
    notebook = download(page, "train_code_ipynb")
    assert notebook.suggested_filename == "train_moons_momentum.ipynb"
    cells = json.loads(open(notebook.path(), encoding="utf-8").read())["cells"]
    assert cells[0]["cell_type"] == "markdown" and "plt.show()" in "".join(cells[-1]["source"])

    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}   # no app package
    done = subprocess.run([sys.executable, script.suggested_filename, "--steps", str(STEPS)],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert f"step {STEPS:>7,}" in done.stdout
    ours = losses(tmp_path / "train_moons_momentum_history.csv")
    assert len(ours) == STEPS
    bad = [(i + 1, a, b) for i, (a, b) in enumerate(zip(app_losses, ours))
           if abs(a - b) > RTOL * abs(b)]
    assert not bad, f"(step, app, script) that differ: {bad[:5]}"
