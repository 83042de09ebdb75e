"""Lessons page: the course's claims, each with a preset and measured evidence.

One card per lesson. "Open" hands the preset to the page that demonstrates it (Train,
LR sweep, Compare) and switches there; "Show evidence" runs the lesson's short
measurement as a background job (progress bar, Cancel) and then shows its figures
and a verdict that says whether the claim was observed this time.
"""
from __future__ import annotations

import json

import streamlit as st

from playground.figures.lessons import lesson_figures
from playground.lessons import LESSONS, Lesson
from playground.data import names as names_data
from playground.data import text as news_text
from playground.ui import nav, runtime
from playground.ui.lesson_extras import news_playground, names_playground, upload_box

CHART_CONFIG = {"displaylogo": False, "toImageButtonOptions": {"scale": 2}}
POLL_S = 0.5


def _job_key(lesson: Lesson) -> str:
    return f"lesson_job_{lesson.key}"


def render() -> None:
    st.title("Lessons")
    st.caption("Each card states one claim from the course. **Open** loads its preset into "
               "the page that demonstrates it; **Show evidence** runs a few seconds of real "
               "training here and reports what was measured — including when the claim "
               "did *not* show up this time.")
    runtime.registry().touch(runtime.session_id())
    for lesson in LESSONS:
        _card(lesson)


def _card(lesson: Lesson) -> None:
    with st.container(border=True, key=f"lesson_{lesson.key}"):
        st.subheader(lesson.title)
        st.markdown(lesson.claim)
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
        if cols[len(lesson.presets)].button("Show evidence", key=f"evidence_{lesson.key}", type="primary",
                           icon=":material/science:",
                           help=f"Run the measurement behind this claim (about "
                           f"{lesson.seconds:g} s of training on the server) and show it here."):
            _start(lesson, source)
        _evidence_panel(lesson)


def _open(preset, source=None, kind: str | None = None) -> None:
    payload = dict(preset.payload)
    if source is not None and "config" in payload:
        # The Train page trains on the uploaded file (it cannot travel in the URL).
        data, file_name = source
        build = news_text.build_task if kind == "news_csv" else names_data.build_task
        payload["task"] = build(data, payload["config"], source=file_name)
    runtime.hand_off(preset.page, **payload)
    nav.switch_to(preset.page)


def _start(lesson: Lesson, source) -> None:
    reg = runtime.registry()
    old = reg.job(st.session_state.get(_job_key(lesson)))
    if old is not None and old.status in ("queued", "running"):
        old.cancel()

    def job(progress, _lesson=lesson, _source=source):
        # Loading a dataset can take a moment; say so rather than show a bare "running".
        progress.update(0.0, "preparing the data and the model")
        return _lesson.evidence(progress, _source)

    st.session_state[_job_key(lesson)] = reg.start_job(
        job, owner=runtime.session_id(), label=f"Lesson evidence: {lesson.title}")


def _evidence_panel(lesson: Lesson) -> None:
    reg = runtime.registry()
    job_id = st.session_state.get(_job_key(lesson))
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
                     if now.status == "queued" else now.message or "running")
            left, right = st.columns([5, 1])
            left.progress(now.fraction, text=f"{where} — {now.elapsed_s:.1f} s")
            if right.button("Cancel", key=f"cancel_{lesson.key}", icon=":material/stop:",
                            help="Stop this measurement; nothing else is affected."):
                job = reg.job(job_id)
                if job is not None:
                    job.cancel()
                st.rerun(scope="app")
            return
        if snap.active:  # it just finished: redraw the page once so polling stops
            st.rerun(scope="app")
        _show_result(lesson, now)

    panel()


def _show_result(lesson: Lesson, snap) -> None:
    if snap.status == "cancelled":
        st.info("Cancelled. Press **Show evidence** to measure again.")
        return
    if snap.status == "failed":
        st.error(f"The measurement failed: {snap.error}")
        return
    ev = snap.result
    (st.success if ev.observed else st.warning)(ev.verdict,
                                                icon=":material/check_circle:" if ev.observed
                                                else ":material/help:")
    figures = lesson_figures(lesson.key, ev.series)
    cols = st.columns(2) if len(figures) > 1 else [st.container()]
    for i, fig in enumerate(figures):
        with cols[i % len(cols)]:
            st.plotly_chart(fig, theme="streamlit", config=CHART_CONFIG,
                            key=f"fig_{lesson.key}_{i}")
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
