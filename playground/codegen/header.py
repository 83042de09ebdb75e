"""What an exported program says about itself: its name, its promise, the link back to
the app, the setup as a comment block and as the constants the code reads."""
from __future__ import annotations

from urllib.parse import urlencode, urlparse

from playground import data as datasets
from playground.config import RunConfig
from playground.data import is_regression, toy2d

from .model import n_classes
from .sections import Section, fill, literal
from .source import DataSource

DEFAULT_APP_URL = "http://localhost:8501/"
TOLERANCE = "1e-5 relative"   # what tests/unit/codegen checks on the first 50 losses


def base_name(config: RunConfig) -> str:
    """``train_<dataset>_<optimizer>``: the script, notebook, history and weights files."""
    return f"train_{config.dataset}_{config.optimizer}"


def app_link(config: RunConfig, app_url: str = "") -> str:
    """The app's address with this setup in the query (the page's own Share link)."""
    base = (app_url or DEFAULT_APP_URL).split("?")[0]
    if not urlparse(base).path:
        base += "/"
    return f"{base}?{urlencode(config.to_query())}"


def title(config: RunConfig) -> str:
    return f"{datasets.DATASETS[config.dataset].label} with {config.optimizer_label}"


def promise(config: RunConfig, source: DataSource) -> str:
    """The guarantee, in the words both the script and the notebook open with."""
    data = ("your file, read as the app read it" if source.from_file
            else "the same data")
    text = (f"This program reproduces the Training Playground's run of this setup: {data}, "
            "the same train/validation/test split, the same initial weights, the same "
            "minibatches in the same order, the same optimizer and learning-rate schedule. "
            f"Its training losses match the app's (within {TOLERANCE}; tested on the first "
            "50 steps).")
    if config.dropout > 0 and config.hidden_layers > 0:
        text += (" With dropout, the masks come from torch's global generator, which the "
                 "app does not seed: the initial weights match the app's run, and the losses "
                 "match the app's Trainer built right after `torch.manual_seed(SEED)`.")
    return text


def config_block(config: RunConfig) -> str:
    """Every RunConfig field as a comment: what the app would be told to reproduce this."""
    values = config.to_dict()
    if len(values["points"]) > 60:      # the drawn points themselves are POINTS, below
        values["points"] = f"{values['points'][:20]}… ({len(values['points']):,} characters)"
    width = max(len(k) for k in values)
    rows = [f"#   {k:<{width}} = {v!r}" for k, v in values.items()]
    return "# The setup, as the app's RunConfig:\n" + "\n".join(rows) + "\n"


def _uses(config: RunConfig, kind: str) -> list[tuple[str, str, str]]:
    """(constant, value, comment) for every setting the code reads."""
    c = config
    rows = [("SEED", literal(c.seed), "same seed = same data, initial weights and batches")]
    if kind == "points2d" and c.dataset == "draw":
        rows += [("CLASSES", literal(n_classes(c)), "the classes you drew (at least 2)")]
    elif kind in ("points2d", "points1d"):
        rows += [("N_SAMPLES", literal(c.n_samples), "points drawn before the split"),
                 ("NOISE", literal(c.noise), "how much each point is jittered")]
        if not is_regression(c):
            classes = n_classes(c) if c.dataset in toy2d.MULTICLASS else 2
            rows += [("CLASSES", literal(classes), "")]
    if kind == "points2d" and c.label_noise:
        rows += [("LABEL_NOISE", literal(c.label_noise), "share of training labels flipped")]
    rows += [("VAL_FRACTION", literal(c.val_fraction), "held out to watch generalization"),
             ("TEST_FRACTION", literal(c.test_fraction), "held out until the end")]
    if kind == "chars":
        rows += [("CONTEXT", literal(c.context), "previous symbols the model sees")]
    if kind in ("chars", "tokens"):
        rows += [("EMBED_DIM", literal(c.embed_dim), "size of each embedding vector")]
    rows += [("LR", literal(c.lr), "learning rate η")]
    if c.batch_size:
        rows += [("BATCH_SIZE", literal(c.batch_size), "examples per step")]
    if c.length_unit == "steps":
        rows += [("STEPS", literal(c.length), "optimizer steps in the run")]
    else:
        rows += [("EPOCHS", literal(c.length), "passes over the training set")]
    if c.scheduler == "step":
        rows += [("STEP_SIZE", literal(c.step_size), "epochs between LR cuts"),
                 ("GAMMA", literal(c.gamma), "LR factor at each cut")]
    elif c.scheduler == "exponential":
        rows += [("GAMMA", literal(c.gamma), "LR factor per epoch")]
    if c.clip > 0:
        rows += [("CLIP", literal(c.clip), "largest gradient norm")]
    rows += [("EVAL_EVERY", literal(c.eval_every), "steps between validation measurements"),
             ("SMOOTHING", "0.8", "the Train page's default loss smoothing"),
             ("STOP_AFTER", "None", "a number stops early (the schedule still plans the "
                                    "whole run)")]
    return rows


def setup_section(config: RunConfig, kind: str) -> Section:
    rows = _uses(config, kind)
    width = max(len(f"{name} = {value}") for name, value, _ in rows)
    lines = [(f"{name} = {value}".ljust(width) + f"   # {note}").rstrip(" #")
             if note else f"{name} = {value}" for name, value, note in rows]
    base = base_name(config)
    code = (config_block(config) + "\n" + "\n".join(lines) + "\n"
            + f'HISTORY_FILE = "{base}_history.csv"\nWEIGHTS_FILE = "{base}.pt"\n\n'
            + "# As the app: one thread per run (more threads may add a sum in another order).\n"
            + "torch.set_num_threads(1)\n")
    return Section("The setup", "Every setting the code below reads, from the app's "
                   "setup. Change one and run again to see what it does.", code,
                   ("import torch",))


def command_line_section() -> Section:
    return Section(
        "The command line", "`--steps N` stops after N steps, to try the beginning quickly.",
        fill('''
            parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
            parser.add_argument("--steps", type=int, default=STOP_AFTER,
                                help="stop after this many steps (the schedule still plans "
                                     "the whole run)")
            STOP_AFTER = parser.parse_args().steps
            '''),
        ("import argparse",), script_only=True)


def run_lines(config: RunConfig, source: DataSource) -> str:
    """How to run the script, for its docstring."""
    name = base_name(config)
    unit = "steps" if config.length_unit == "steps" else "epochs"
    needs = " ".join(source.packages)
    lines = [f"Needs:  pip install {needs}"]
    if source.from_file:
        lines.append(f"Data:   your file {source.file_name}, next to this script")
    lines += [f"Run:    python {name}.py              (all {config.length:,} {unit})",
              f"        python {name}.py --steps 50   (only the first 50 steps)",
              f"Writes: {name}_history.csv (one row per step)",
              f"        {name}.pt (the final weights, a state_dict)"]
    return "\n".join(lines)
