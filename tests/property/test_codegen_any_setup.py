"""Any valid setup exports: the script and every notebook cell are valid Python that
imports nothing from the app, whatever the dataset, model, optimizer, schedule or
numbers (Hypothesis over the whole RunConfig)."""
from __future__ import annotations

import ast
import json

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from playground.codegen import build_notebook, build_script, source_for
from playground.config import ACTIVATIONS, INITS, OPTIMIZERS, SCHEDULERS, RunConfig
from playground.data import DATASETS
from playground.models.features import FEATURES, canonical

unit = st.floats(0.0, 0.999, allow_nan=False)
positive = st.floats(1e-6, 50.0, allow_nan=False)
setups = st.builds(
    RunConfig,
    dataset=st.sampled_from(sorted(DATASETS)), n_samples=st.integers(50, 2000),
    noise=st.floats(0.0, 1.0), classes=st.integers(2, 5),
    val_fraction=st.floats(0.05, 0.4), test_fraction=st.floats(0.0, 0.4),
    hidden_layers=st.integers(0, 4), width=st.integers(1, 64),
    activation=st.sampled_from(ACTIVATIONS), dropout=unit, init=st.sampled_from(sorted(INITS)),
    init_std=positive, embed_dim=st.integers(1, 16), context=st.integers(1, 8),
    optimizer=st.sampled_from(sorted(OPTIMIZERS)), lr=positive, momentum=unit, beta1=unit,
    beta2=unit, alpha=unit, eps=st.floats(1e-12, 0.5), weight_decay=st.floats(0.0, 1.0),
    batch_size=st.integers(0, 40), length_unit=st.sampled_from(["steps", "epochs"]),
    length=st.integers(1, 10**7), scheduler=st.sampled_from(sorted(SCHEDULERS)),
    step_size=st.integers(1, 100), gamma=st.floats(1e-3, 1.0), clip=st.floats(0.0, 10.0),
    seed=st.integers(0, 2**31 - 1), eval_every=st.integers(1, 10**6),
    features=st.lists(st.sampled_from(list(FEATURES)), min_size=1, max_size=7,
                      unique=True).map(canonical))


def imported_modules(code: str) -> set[str]:
    nodes = [n for n in ast.walk(ast.parse(code)) if isinstance(n, (ast.Import, ast.ImportFrom))]
    return {(n.module if isinstance(n, ast.ImportFrom) else a.name).split(".")[0]
            for n in nodes for a in n.names}


@settings(max_examples=120, deadline=None)
@given(setups, st.sampled_from([None, "my data.csv", "../../etc/passwd", 'x"); import os #',
                                "C:\\Users\\me\\names.txt", "é.txt", "", "..."]))
def test_any_valid_setup_exports_valid_python_that_stands_alone(config, upload):
    assume(not config.validate())
    source = source_for(config, upload)
    script = build_script(config, source)
    assert "playground" not in imported_modules(script)
    compile(script, "script.py", "exec")
    cells = json.loads(build_notebook(config, source))["cells"]
    code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    assert "playground" not in imported_modules(code)
    assert f"LR = {config.lr!r}" in script or f"LR = {config.lr:g}" in script
    if source.from_file:
        assert not set(source.file_name) & set("/\\'\"")   # safe inside "..." and a shell
