"""Lessons page: the course's claims, each with its source, presets and measured evidence.

One card per lesson: the claim, the source it comes from (what that source reports,
and — one click away — its exact setup and every place the app deviates from it).
"Open" hands a preset to the page that demonstrates it (Train, LR sweep, Compare) and
switches there; "Show evidence" runs the lesson's short measurement as a background
job (progress bar, Cancel) and then shows one finding per claim — the source's setup
reproduced first, then each deviation beside it — with the figures.
"""
from __future__ import annotations

import streamlit as st

from playground.data import names as names_data
from playground.data import text as news_text
from playground.lessons import LESSONS, Lesson
from playground.ui import nav, runtime
from playground.ui.pages.lessons.evidence import evidence_panel, start_evidence
from playground.ui.pages.lessons.extras import upload_box
from playground.ui.pages.lessons.source import source_note


@nav.page("lessons")
def render() -> None:
    st.title("Lessons")
    st.caption("Each card states one claim from the course and the source it comes from. "
               "**Open** loads a preset into the page that demonstrates it; **Show evidence** "
               "runs a few seconds of real training here: first the source's own setup, then "
               "each place the app deviates from it, side by side — and says when a claim "
               "did *not* show up this time.")
    runtime.registry().touch(runtime.session_id())
    for lesson in LESSONS:
        _card(lesson)


def _card(lesson: Lesson) -> None:
    with st.container(border=True, key=f"lesson_{lesson.key}"):
        st.subheader(lesson.title)
        st.markdown(lesson.claim)
        source_note(lesson)
        source = upload_box(lesson) if lesson.upload else None
        # Buttons side by side on the left; the spacer keeps them from spreading out.
        cols = st.columns([1] * (len(lesson.presets) + 1) + [max(1, 4 - len(lesson.presets))])
        for col, (i, preset) in zip(cols, enumerate(lesson.presets)):
            page = nav.title(preset.page)
            uses_upload = bool(source) and preset.page == "train"
            if col.button(preset.label, key=f"open_{lesson.key}_{i}",
                          help=f"Load this lesson's preset into the {page} page and start it."
                          + ((" It trains on your file." if uses_upload else
                              " (Uses the built-in data, not your upload.)") if source else ""),
                          icon=":material/open_in_new:"):
                _open(preset, source if uses_upload else None, lesson.upload)
        if cols[len(lesson.presets)].button(
                "Show evidence", key=f"evidence_{lesson.key}", type="primary",
                icon=":material/science:",
                           help=f"Run the measurement behind this claim (about "
                           f"{lesson.seconds:g} s of training on the server) and show it here."):
            start_evidence(lesson, source)
        evidence_panel(lesson)


def _open(preset, source=None, kind: str | None = None) -> None:
    payload = dict(preset.payload)
    if source is not None and "config" in payload:
        # The Train page trains on the uploaded file (it cannot travel in the URL).
        data, file_name = source
        build = news_text.build_task if kind == "news_csv" else names_data.build_task
        payload["task"] = build(data, payload["config"], source=file_name)
    runtime.hand_off(preset.page, **payload)
    nav.switch_to(preset.page)
