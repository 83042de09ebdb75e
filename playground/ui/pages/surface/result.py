"""Drawing a computed network surface: map, replay, fidelity and downloads."""
from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from playground.figures.fidelity import FidelitySeries, fidelity_figure
from playground.figures.surface import PathTrace, contour_figure, surface3d_figure
from playground.figures.theme import colors_for
from playground.surface.network import PLANES, SurfaceResult
from playground.ui.widgets.charts import chart
from playground.ui.widgets.tables import table

# Above these, say plainly that the picture misrepresents the path.
OFF_PLANE_WARN = 0.5
LOSS_GAP_WARN = 0.25


def _label(p) -> str:
    return f"{p.label} ({p.run_id})"


def grid_csv(result: SurfaceResult) -> str:
    aa, bb = np.meshgrid(result.alphas, result.betas)
    return pd.DataFrame({"alpha": aa.ravel(), "beta": bb.ravel(),
                         "loss": result.loss.ravel()}).to_csv(index=False)


def paths_csv(result: SurfaceResult) -> str:
    frames = [pd.DataFrame({"run_id": p.run_id, "run": p.label, "step": p.steps,
                            "alpha": p.coords[:, 0], "beta": p.coords[:, 1],
                            "true_loss": p.true_loss, "surface_loss": p.plane_loss,
                            "distance_off_plane": p.off_plane,
                            "distance_from_origin": p.from_origin}) for p in result.paths]
    return pd.concat(frames).to_csv(index=False)


def show_result(result: SurfaceResult) -> None:
    colors = colors_for([p.optimizer for p in result.paths])
    spec = result.spec
    traces = [PathTrace(_label(p), c, p.coords[:, 0], p.coords[:, 1], p.steps, p.plane_loss)
              for p, c in zip(result.paths, colors)]
    m = st.columns(4)
    m[0].metric("Grid", f"{spec.resolution}×{spec.resolution}",
                help="Points per side of the grid the loss was evaluated on.")
    m[1].metric("Examples", f"{result.eval_n:,}",
                help=f"The loss is the mean {result.loss_words[0]} over this many {spec.split} "
                "examples.")
    m[2].metric("Computed in", f"{result.elapsed_s:.2f} s",
                help="Fast path: the first layer is computed once for the whole grid."
                if result.fast else "Exact per-point evaluation (no fast path for this model).")
    if result.explained is not None:
        m[3].metric("Path variance in plane", f"{sum(result.explained):.0%}",
                    help="Share of the path's squared distance from the origin that the two "
                         "PCA directions capture. The rest is off the picture.")
    else:
        m[3].metric("Plane", "random", help=PLANES["random"])
    plane = "PCA plane of the path" + ("s" if len(result.paths) > 1 else "") \
        if spec.plane == "pca" else "random filter-normalized plane"
    title = f"Loss around the {result.origin_label}: {plane}"
    three_d = st.toggle("3D surface", key="net_3d",
                        help="Show the landscape as a 3-D surface (drag to rotate) instead "
                             "of the animated contour map.")
    common = dict(title=title, x_title=result.x_title, y_title=result.y_title,
                  z_title=f"{spec.split} loss")
    if three_d:
        chart(surface3d_figure(result.alphas, result.betas, result.loss, traces, **common),
              "net_chart3d")
    else:
        chart(contour_figure(result.alphas, result.betas, result.loss, traces,
                             step_label="training step", **common), "net_chart")
        st.caption("The origin (0, 0) is the " + result.origin_label + ". Press ▶ Play to "
                   "replay training; big dots mark where each run is at the chosen step.")
    for note in result.notes:
        st.warning(note)
    _fidelity(result, colors)
    d1, d2 = st.columns(2)
    d1.download_button("Download grid (CSV)", grid_csv(result), file_name="surface_grid.csv",
                       mime="text/csv", key="net_dl_grid", icon=":material/download:",
                       help="alpha, beta, loss for every grid point.")
    d2.download_button("Download paths and fidelity (CSV)", paths_csv(result),
                       file_name="surface_paths.csv", mime="text/csv", key="net_dl_paths",
                       icon=":material/download:",
                       help="Each checkpoint's plane coordinates, true loss, surface loss "
                            "and distance off the plane.")


def _fidelity(result: SurfaceResult, colors: list[str]) -> None:
    st.subheader("Fidelity: can you trust this picture?")
    series = [FidelitySeries(_label(p), c, p.steps, p.true_loss, p.plane_loss, p.off_plane,
                             p.from_origin) for p, c in zip(result.paths, colors)]
    name, unit = result.loss_words
    chart(fidelity_figure(series, f"{result.spec.split} loss ({name}, nats)" if unit == "nats"
                          else f"{result.spec.split} loss ({unit})"),
          "net_fidelity")
    rows = []
    for p in result.paths:
        gap = p.max_loss_gap
        rel_gap = gap / max(float(np.max(p.true_loss)), 1e-12)
        rows.append({"run": _label(p), "largest |true − surface| loss": gap,
                     "largest distance off the plane (share of reach)": p.max_off_ratio})
        if p.max_off_ratio > OFF_PLANE_WARN or rel_gap > LOSS_GAP_WARN:
            st.warning(
                f"**{_label(p)}**: the picture misleads here. Checkpoints sit up to "
                f"{p.max_off_ratio:.0%} of the path's reach off the plane, and the surface "
                f"misreads their loss by up to {gap:.3g} {unit}. The real path runs through "
                "dimensions this slice cannot show." +
                (" Try the PCA plane, which hugs the path." if result.spec.plane == "random"
                 else ""))
    table(pd.DataFrame(rows), formats={
        "largest |true − surface| loss": "{:.4f}",
        "largest distance off the plane (share of reach)": "{:.1%}"})
    st.caption("Solid: the loss of the real weights at each recorded checkpoint. Dashed: the "
               "loss the surface shows where that checkpoint lands on the plane. They agree "
               "only if the checkpoint lies in the plane (bottom chart: distance off the plane "
               "near zero).")
