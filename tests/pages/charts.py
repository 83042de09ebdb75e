"""The charts a page drew, as AppTest sees them: {chart key: figure dict}.

Every chart goes through the app's own component (playground/ui/widgets/charts.py); its
figure travels as JSON in the component's data. Every chart a page test looks at is
also held to the projector rules (tests/projector.py), so a chart that a page really
draws cannot break them unnoticed.
"""
from __future__ import annotations

import json

from tests.projector import problems


def charts(at) -> dict[str, dict]:
    out = {}
    for element in at.get("bidi_component"):
        proto = element.proto
        if proto.component_name != "playground_plot":
            continue
        key = proto.id.rsplit("-", 1)[-1]
        out[key] = json.loads(json.loads(proto.json)["figure"])
        found = problems(out[key])
        assert not found, f"chart {key!r} breaks the projector rules: {found}"
    return out
