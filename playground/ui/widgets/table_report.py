"""What the sidebar says about a table once it is read: how it was read, cells that look
like formulas, a preview of the first rows, the class balance, and the table as a CSV
(formula-looking cells neutralised)."""
from __future__ import annotations

import streamlit as st

from playground.data import tables
from playground.figures.table_balance import class_balance_figure
from playground.ui.widgets.charts import chart
from playground.ui.widgets.safe import md_escape
from playground.ui.widgets.tables import table as show_table

PREVIEW_ROWS = 8


def table_report(table: tables.Table, config) -> None:
    for note in table.notes:
        if "spreadsheet formula" in note:
            st.warning(md_escape(note, 600), icon=":material/warning:")
        else:
            st.caption(md_escape(note, 600))
    with st.popover("Preview the table", icon=":material/table:"):
        head = table.frame.head(PREVIEW_ROWS).copy()
        head.insert(0, "row", range(1, len(head) + 1))
        st.caption(f"First {len(head)} of {len(table):,} rows.")
        show_table(head, key="tbl_preview", width=min(120 + 110 * head.shape[1], 900))
        st.download_button("The table as read (CSV)", lambda: tables.safe_csv(table.frame),
                           file_name="table.csv", mime="text/csv", on_click="ignore",
                           key="tbl_download", icon=":material/download:",
                           help="Cells that start like a spreadsheet formula are written "
                           "with a ' in front, so a spreadsheet shows them as text.")
    try:
        prepared = tables.prepared(config)
    except tables.TableProblem:
        return          # its message is in the slot of the control to fix
    for note in prepared.notes:
        if note not in table.notes:
            st.caption(md_escape(note, 600))
    if prepared.balance:
        chart(class_balance_figure(prepared.balance, prepared.label), "chart_table_balance")
