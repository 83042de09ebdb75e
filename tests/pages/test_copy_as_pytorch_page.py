"""Copy as PyTorch in AppTest: on Train (the sidebar's setup, an upload becomes a file the
script reads) and per run on Compare; nothing is generated until it is opened."""
from __future__ import annotations

from streamlit.testing.v1 import AppTest

from playground.codegen import build_script
from playground.config import RunConfig
from playground.data import names as names_data
from playground.ui import runtime, state
from playground.ui.pages.compare.code import OPEN_KEY as COMPARE_CODE_OPEN
from playground.ui.pages.train.code import KEY_PREFIX as TRAIN_CODE
from playground.ui.widgets.code_export import open_key


def _train():
    from playground.ui import shell

    shell.main(default="train")


def _compare():
    from playground.ui import shell

    shell.main(default="compare")


def app(page, config: RunConfig | None = None) -> AppTest:
    at = AppTest.from_function(page, default_timeout=60)
    if config is not None:
        at.session_state[state.CONFIG] = config
    return at


def download_labels(at) -> list[str]:
    return [b.label for b in at.get("download_button")]


def test_nothing_is_generated_until_copy_as_pytorch_is_opened(clean_streamlit):
    at = app(_train).run()
    assert "Copy as PyTorch" in [e.label for e in at.expander]
    assert not at.code and "Script (.py)" not in download_labels(at)
    at.number_input(key="cfg_lr").set_value(0.05).run()
    at.session_state[open_key(TRAIN_CODE)] = True       # the click that opens it
    at.run()
    assert not at.exception
    script = at.code[0].value
    config = at.session_state[state.CONFIG]
    assert config.lr == 0.05 and "LR = 0.05" in script
    after_link = script.split("# Open this setup")[1].split("\n", 1)[1]
    assert after_link == build_script(config).split("# Open this setup")[1].split(
        "\n", 1)[1].rstrip("\n")                       # the same program
    assert {"Script (.py)", "Notebook (.ipynb)"} <= set(download_labels(at))


def test_an_invalid_setup_is_explained_instead_of_exported(clean_streamlit):
    at = app(_train).run()
    at.number_input(key="cfg_lr").set_value(-1.0).run()
    at.session_state[open_key(TRAIN_CODE)] = True
    at.run()
    assert not at.exception and not at.code
    assert any("Fix the settings" in i.value for i in at.info)


def test_a_run_on_an_uploaded_file_exports_a_script_that_reads_that_file(clean_streamlit):
    config = RunConfig(dataset="names", optimizer="sgd", lr=0.1, length=50)
    task = names_data.build_task(["anna", "bob", "carla", "dave", "eve", "fred"] * 20,
                                 config, source="../my pets.txt")
    at = app(_train)
    at.session_state[state.handoff_key("train")] = state.ToTrain(config=config, task=task)
    at.run()
    at.session_state[open_key(TRAIN_CODE)] = True
    at.run()
    assert not at.exception
    script = at.code[0].value
    assert 'DATA_FILE = Path("my pets.txt")' in script and "names_package" not in script
    assert any("my pets.txt" in i.value for i in at.info)


def test_each_compare_run_exports_its_own_setup(clean_streamlit):
    small = RunConfig(dataset="gauss", n_samples=300, hidden_layers=1, width=8, length=30)
    at = app(_compare, small).run()
    at.button(key="cmp_start").click().run()
    group = runtime.registry().group(at.session_state[state.COMPARE_GROUP], poll=False)
    runtime.registry().join(group.run_ids[0], 30)
    assert not at.code
    at.session_state[COMPARE_CODE_OPEN] = True
    at.run()
    assert not at.exception
    picker = at.selectbox(key=f"cmp_code_run_{group.group_id}")
    assert picker.options == list(group.labels)
    scripts = []
    for index, member in enumerate(group.members):
        picker.set_value(index).run()
        scripts.append(at.code[0].value)
        assert f"torch.optim.{'SGD' if member.config.optimizer == 'sgd' else 'Adam'}(" in (
            scripts[-1])
        assert f"LR = {member.config.lr:g}" in scripts[-1]
    assert scripts[0] != scripts[1]
