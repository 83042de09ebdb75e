"""A lesson's evidence: measured in the background, then its verdict, figures and numbers."""
from __future__ import annotations

import json

import streamlit as st

from playground.figures.lessons import lesson_figures
from playground.lessons import Lesson
from playground.lessons.base import DEVIATION, SOURCE, Finding
from playground.runs.status import JobStatus
from playground.store import trials
from playground.ui import runtime, state
from playground.ui.pages.lessons.extras import names_playground, news_playground
from playground.ui.widgets.charts import chart
from playground.ui.widgets.safe import md_escape

POLL_S = 0.5
ROLE_LABELS = {SOURCE: "Source", DEVIATION: "Deviation"}
TEXT_LIMIT = 2000     # findings are a few hundred characters; md_escape cuts at this


def start_evidence(lesson: Lesson, source) -> None:
    reg = runtime.registry()
    reg.cancel_job(st.session_state.get(state.lesson_job(lesson.key)))
    store, owner = runtime.store(), runtime.session_id()

    def job(progress, _lesson=lesson, _source=source):
        # Loading a dataset can take a moment; say so rather than show a bare "running".
        progress.update(0.0, "preparing the data and the model")
        evidence = _lesson.evidence(progress, _source)
        store.add_runs(trials.from_evidence(_lesson, evidence, owner))   # kept, hidden
        return evidence

    st.session_state[state.lesson_job(lesson.key)] = reg.start_job(
        job, owner=runtime.session_id(), label=f"Lesson evidence: {lesson.title}")


def evidence_panel(lesson: Lesson) -> None:
    reg = runtime.registry()
    job_id = st.session_state.get(state.lesson_job(lesson.key))
    snap = reg.job_snapshot(job_id)
    if snap is None:
        return

    @st.fragment(run_every=POLL_S if snap.active else None)
    def panel() -> None:
        now = reg.job_snapshot(job_id)
        if now is None:
            return
        if now.active:
            where = (f"waiting for a free compute slot (position {now.queue_position})"
                     if now.status == JobStatus.QUEUED else now.message or "running")
            left, right = st.columns([5, 1])
            left.progress(now.fraction, text=f"{where} — {now.elapsed_s:.1f} s")
            if right.button("Cancel", key=f"cancel_{lesson.key}", icon=":material/stop:",
                            help="Stop this measurement; nothing else is affected."):
                reg.cancel_job(job_id)
                st.rerun(scope="app")
            return
        if snap.active:  # it just finished: redraw the page once so polling stops
            st.rerun(scope="app")
        _show_result(lesson, now)

    panel()


def _show_result(lesson: Lesson, snap) -> None:
    if snap.status == JobStatus.CANCELLED:
        st.info("Cancelled. Press **Show evidence** to measure again.")
        return
    if snap.status == JobStatus.FAILED:
        st.error(f"The measurement failed: {snap.error}")
        return
    ev = snap.result
    for finding in ev.findings:
        _show_finding(lesson, finding)
    figures = lesson_figures(lesson.key, ev.series)
    # Two figures a row, each row its own columns, so the figures of a row start level.
    for row in range(0, len(figures), 2):
        pair = figures[row:row + 2]
        cols = st.columns(2) if len(figures) > 1 else [st.container()]
        for i, (col, fig) in enumerate(zip(cols, pair), start=row):
            with col:
                chart(fig, f"fig_{lesson.key}_{i}")
    if lesson.key == "news":
        news_playground(ev)
    elif lesson.key == "names":
        names_playground(ev)
    with st.expander("Measured numbers"):
        st.dataframe({"quantity": list(ev.numbers), "value": [f"{v:.6g}" for v in
                                                              ev.numbers.values()]},
                     hide_index=True)
    st.download_button("Download evidence (JSON)", json.dumps(ev.to_json(), indent=1),
                       file_name=f"lesson_{lesson.key}.json", mime="application/json",
                       key=f"download_{lesson.key}", icon=":material/download:",
                       help="Every measured number and curve behind this verdict.")


def finding_markdown(lesson: Lesson, finding: Finding) -> str:
    """A finding as one alert: its role and title, the measured text (escaped: an uploaded
    file's name can be in it) and, for a deviation, the reason the app deviates."""
    label = ROLE_LABELS.get(finding.role, "Also measured")
    why = next((d.why for d in lesson.deviations if d.title == finding.title), "")
    return (f"**{label} — {md_escape(finding.title)}.** {md_escape(finding.text, TEXT_LIMIT)}"
            + (f"\n\n*Why the app deviates:* {md_escape(why, TEXT_LIMIT)}"
               if finding.role == DEVIATION and why else ""))


def _show_finding(lesson: Lesson, finding: Finding) -> None:
    (st.success if finding.observed else st.warning)(
        finding_markdown(lesson, finding),
        icon=":material/check_circle:" if finding.observed else ":material/help:")
