"""The sections of an exported program, in reading order, for any setup.

setup → (command line) → data → model → initial weights → optimizer → (schedule) →
evaluation → training → results → (plot, notebook only). The script and the notebook
both render this one list.
"""
from __future__ import annotations

from playground import data as datasets
from playground.config import RunConfig

from .data_dense import digits_data, toy_data
from .data_drawn import drawn_data, with_label_noise
from .data_names import names_data
from .data_table import table_data
from .data_regression import regression_data
from .data_text import news_data
from .header import command_line_section, setup_section
from .loop import evaluate_section, loop_section, results_section
from .model import init_section, model_section
from .optimizer import optimizer_section, schedule_section
from .plot import plot_section
from .sections import DataCode, Section
from .source import DataSource


def data_code(config: RunConfig, source: DataSource) -> DataCode:
    if source.kind in ("points2d", "points1d") and datasets.is_regression(config):
        return regression_data(config)
    if source.kind == "points2d":
        code = drawn_data(config) if config.dataset == "draw" else toy_data(config)
        return with_label_noise(code, config)
    if source.kind == "image":
        return digits_data(config)
    if source.kind == "tokens":
        return news_data(config, source)
    if source.kind == "chars":
        return names_data(config, source)
    if source.kind == "table":
        return table_data(config, source)
    raise ValueError(f"no exporter for {source.kind!r} data")


def sections(config: RunConfig, source: DataSource) -> list[Section]:
    config = config.checked()     # an invalid setup has no run to reproduce
    data = data_code(config, source)
    parts = [setup_section(config, source.kind), command_line_section(), *data.sections,
             model_section(config, source.kind), init_section(config),
             optimizer_section(config), schedule_section(config),
             evaluate_section(data, config), loop_section(config, data),
             results_section(data.n_classes == "1"), plot_section(data.n_classes == "1")]
    return [p for p in parts if p is not None]
