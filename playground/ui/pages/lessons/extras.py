"""Interactive extras of two lesson cards: uploads, the headline box, name sampling."""
from __future__ import annotations

import streamlit as st

from playground.ui.widgets.charts import chart

from playground.data.names import NamesFileError, parse_names
from playground.data.news_csv import CsvFormatError, read_news_csv
from playground.figures.lessons import topic_probabilities_figure
from playground.lessons.news import topic_probabilities
from playground.models.window import sample_names

UPLOADS = {
    "news_csv": (["csv"], "AG_NEWS-format CSV: no header; columns class (1–4 = World, Sports, "
                 "Business, Sci/Tech), title, description; quoted fields.",
                 read_news_csv, CsvFormatError, "rows"),
    "names_txt": (["txt"], "Plain text, one name per line, letters a–z only.",
                  parse_names, NamesFileError, "names"),
}


def upload_box(lesson) -> tuple | None:
    """The user's parsed file as ``(data, file name)`` for the evidence, or None."""
    types, help_text, parse, error, noun = UPLOADS[lesson.upload]
    with st.expander("Use your own data"):
        file = st.file_uploader(f"Your file ({', '.join(types)})", type=types,
                                key=f"upload_{lesson.key}", help=help_text)
        if file is None:
            st.caption("Without a file, the evidence uses the built-in data.")
            return None
        cache_key = f"_parsed_{lesson.key}"
        cached = st.session_state.get(cache_key)
        if not cached or cached[0] != file.file_id:
            # Uploaded data stays in this session (never in the URL); parse it once.
            try:
                cached = (file.file_id, (parse(file.getvalue()), file.name), None)
            except error as exc:
                cached = (file.file_id, None, str(exc))
            st.session_state[cache_key] = cached
        _, source, problem = cached
        if problem:
            st.error(f"{file.name}: {problem}", icon=":material/error:")
            return None
        st.success(f"{file.name}: {len(source[0]):,} {noun}. **Show evidence** now trains on "
                   "your file.", icon=":material/upload_file:")
        return source


def news_playground(ev) -> None:
    model, vocab, classes = (ev.artifacts.get(k) for k in ("model", "vocab", "class_names"))
    if model is None:
        return
    headline = st.text_input("Type a headline", value="NASA launches a new satellite",
                             key="news_headline", max_chars=300,
                             help="The trained model reads the words (order ignored) and "
                             "gives a probability for each topic.")
    if not headline.strip():
        st.caption("Type a few words to see the topic probabilities.")
        return
    probs, known, total = topic_probabilities(model, vocab, headline)
    if known == 0:
        st.warning("None of these words is in the model's vocabulary, so every word maps to "
                   "<unk> and the prediction says nothing about your headline.")
    else:
        st.caption(f"{known} of {total} words are in the vocabulary; unknown words map to <unk>.")
    chart(topic_probabilities_figure(probs, classes), "news_probs")


def names_playground(ev) -> None:
    model = ev.artifacts.get("model")
    if model is None:
        return
    left, mid, right = st.columns([3, 2, 1])
    temperature = left.slider("Temperature", 0.1, 3.0, 1.0, 0.1, key="names_temperature",
                              help="Divides the logits before sampling: below 1 plays safe "
                              "(common names), above 1 gets inventive (and garbled).")
    count = mid.slider("How many names", 5, 50, 20, 5, key="names_count",
                       help="Number of names to sample.")
    seed = st.session_state.setdefault("names_seed", 0)
    if right.button("New names", key="names_resample", icon=":material/casino:",
                    help="Draw a fresh set with a new random seed."):
        seed = st.session_state["names_seed"] = seed + 1
    samples = sample_names(model, count, ev.artifacts["context"], temperature, seed=seed)
    known = ev.artifacts.get("known", set())
    shown = [f"**{s}**" if s in known else s for s in samples]
    st.markdown("Sampled names: " + ", ".join(shown))
    st.caption("Bold = the name exists in the training data; the rest are inventions.")
