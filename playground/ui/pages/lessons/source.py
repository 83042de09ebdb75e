"""A lesson card's source: what it reports, its exact setup, and where the app deviates."""
from __future__ import annotations

import streamlit as st

from playground.lessons import Lesson


def source_note(lesson: Lesson) -> None:
    src = lesson.source
    st.markdown(f"**Source:** {src.name}. **It reports:** {src.reports}")
    with st.expander("The source's setup, and where the app deviates"):
        st.markdown(f"**Setup** (the first preset and the evidence start here): {src.setup}")
        if src.here:
            st.markdown(f"**On this app:** {src.here}")
        if lesson.deviations:
            st.markdown("**Deviations**, each measured beside the source's setup:\n\n"
                        + "\n".join(f"- **{d.title}.** {d.why}" for d in lesson.deviations))
        else:
            st.markdown("**Deviations:** none — the preset is the source's setup.")
