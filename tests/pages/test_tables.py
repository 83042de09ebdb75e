"""Tables show a dash, never "None", where a value is missing; numbers stay numbers."""
import math

import pandas as pd

from playground.ui.widgets.tables import DASH, styled


def test_missing_values_read_as_a_dash_and_formats_apply():
    frame = pd.DataFrame([{"run": "SGD", "diverged at step": None, "loss": 0.123456, "n": 1000},
                          {"run": None, "diverged at step": 12, "loss": math.nan, "n": 2}])
    text = styled(frame, {"loss": "{:.3f}"}).to_string()
    assert "None" not in text and "nan" not in text.lower()
    rows = [line.split() for line in text.splitlines()[1:]]
    assert rows[0][1:] == ["SGD", DASH, "0.123", "1,000"]
    assert rows[1][1:] == [DASH, "12", DASH, "2"]
    assert frame["loss"].dtype.kind == "f"        # the data itself is untouched (sorting)
