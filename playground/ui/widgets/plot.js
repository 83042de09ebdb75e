// The app's chart: one Plotly div that stays mounted and is updated in place.
//
// Why not st.plotly_chart: in Streamlit 1.67 a plotly_chart's element id includes its
// figure, so every live refresh mounts a NEW element: the chart blinks out (4 of 60
// samples) or shows twice while the old one goes. Here the element is keyed by the page,
// and each refresh only calls Plotly.react on the same div.
//
// Colours come from the page's theme (CSS custom properties --st-*), at full strength:
// a projector washes out pale grey tick labels. Clicks anywhere on the plot area (not
// only on points) are sent back as data coordinates when the page asks for them.

function loadPlotly() {
  // plotly.js from the installed plotly package, served by the app's static folder;
  // loaded once per page. Streamlit's own copy (if loaded) keeps window.Plotly.
  if (!window.__playgroundPlotly) {
    window.__playgroundPlotly = new Promise((resolve, reject) => {
      const previous = window.Plotly;
      const script = document.createElement("script");
      script.src = new URL("app/static/plotly.min.js", document.baseURI).href;
      script.onload = () => {
        const ours = window.Plotly;
        if (previous) window.Plotly = previous;
        resolve(ours);
      };
      script.onerror = () => reject(new Error("could not load plotly.min.js"));
      document.head.appendChild(script);
    });
  }
  return window.__playgroundPlotly;
}

function themed(layout, host) {
  const css = getComputedStyle(host);
  const ink = (css.getPropertyValue("--st-text-color") || "").trim() || "#262730";
  const grid = (css.getPropertyValue("--st-border-color") || "").trim() || "rgba(128,128,128,0.35)";
  const font = (css.getPropertyValue("--st-font") || "").trim();
  const out = Object.assign({}, layout);
  out.paper_bgcolor = "rgba(0,0,0,0)";
  out.plot_bgcolor = "rgba(0,0,0,0)";
  out.font = Object.assign({}, layout.font, { color: ink }, font ? { family: font } : {});
  const inked = (source) => {
    const axis = Object.assign({}, source);
    axis.color = axis.color || ink;
    axis.tickfont = Object.assign({ color: ink }, axis.tickfont);
    if (axis.showgrid !== false) axis.gridcolor = axis.gridcolor || grid;
    axis.linecolor = axis.linecolor || grid;
    axis.zerolinecolor = axis.zerolinecolor || grid;
    return axis;
  };
  for (const name of Object.keys(out)) {
    if (/^[xy]axis\d*$/.test(name)) out[name] = inked(out[name]);
  }
  if (out.scene) {
    out.scene = Object.assign({}, out.scene);
    for (const name of ["xaxis", "yaxis", "zaxis"]) out.scene[name] = inked(out.scene[name] || {});
  }
  if (out.legend) out.legend = Object.assign({}, out.legend, { font: Object.assign({ color: ink }, out.legend.font) });
  return out;
}

function dataPoint(gd, event) {
  // Pixel under the mouse -> data coordinates on the first axes (for clicks on empty space).
  const full = gd._fullLayout;
  if (!full || !full.xaxis || !full.yaxis) return null;
  const box = gd.getBoundingClientRect();
  const px = event.clientX - box.left - full.xaxis._offset;
  const py = event.clientY - box.top - full.yaxis._offset;
  if (px < 0 || py < 0 || px > full.xaxis._length || py > full.yaxis._length) return null;
  return { x: full.xaxis.p2d(px), y: full.yaxis.p2d(py) };
}

async function draw(gd, Plotly, data) {
  const figure = JSON.parse(data.figure);
  const layout = themed(figure.layout || {}, gd);
  layout.width = gd.clientWidth || undefined;
  layout.height = data.height;
  const spec = { data: figure.data || [], layout, frames: figure.frames || [],
                 config: data.config || {} };
  try {
    await Plotly.react(gd, spec);
  } catch (error) {
    // A div left half-drawn by an earlier failure: start it afresh once.
    Plotly.purge(gd);
    await Plotly.newPlot(gd, spec);
  }
  gd.dataset.updates = String(Number(gd.dataset.updates || 0) + 1);
}

export default async function (component) {
  const { data, parentElement, setTriggerValue } = component;
  const gd = parentElement.querySelector(".playground-plot");
  gd.__clickable = Boolean(data.clickable);
  gd.__send = setTriggerValue;
  // One draw at a time per div, always the newest figure. Two Plotly.react calls on the
  // same div at once corrupt its state (seen on a first visit: live refreshes arrive
  // while plotly.js is still loading, then all of them drew together and the chart
  // stayed empty). Figures that arrive during a draw replace each other; only the last
  // is drawn.
  gd.__pending = data;
  if (gd.__drawing) return () => {};
  gd.__drawing = true;
  try {
    const Plotly = await loadPlotly();
    while (gd.__pending) {
      const next = gd.__pending;
      gd.__pending = null;
      await draw(gd, Plotly, next);
    }
    if (!gd.__resizer) {
      gd.__resizer = new ResizeObserver(() => {
        if (!gd.__drawing && gd._fullLayout && gd.clientWidth &&
            gd.clientWidth !== gd._fullLayout.width) {
          Plotly.relayout(gd, { width: gd.clientWidth });
        }
      });
      gd.__resizer.observe(gd);
    }
  } finally {
    gd.__drawing = false;
  }
  if (!gd.__clicks) {
    gd.__clicks = true;
    gd.addEventListener("click", (event) => {
      if (!gd.__clickable) return;
      const point = dataPoint(gd, event);
      // shift: the drawing canvas's second gesture (remove the nearest point).
      if (point) gd.__send("click", Object.assign(point, { shift: event.shiftKey }));
    });
  }
  return () => {};
}
