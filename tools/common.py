"""What the instructor tools share: finding the notebooks, their titles, running them, widgets."""

import base64
import html
import re
from pathlib import Path

import nbformat
from nbconvert.preprocessors import Preprocessor

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = REPO / "notebooks"
BUILD = REPO / "build"
TEMPLATES = Path(__file__).resolve().parent / "templates"

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"

_NBVAL_MARKER = re.compile(r"^[ \t]*#[ \t]*NBVAL_[A-Z_]+[ \t]*$")


def course_notebooks(folder=NOTEBOOKS):
    """The course notebooks in `folder`, in teaching order (by file name: 00_..., 01_...).

    Parameters
    ----------
    folder : Path or str   where the ``.ipynb`` files are

    Returns
    -------
    list of Path
    """
    return sorted(p for p in Path(folder).glob("*.ipynb") if not p.name.startswith("."))


def select_notebooks(paths):
    """The notebooks named on a command line, or every course notebook when none is named."""
    if not paths:
        found = course_notebooks()
        if not found:
            raise SystemExit(f"no notebooks found in {NOTEBOOKS}")
        return found
    missing = [p for p in paths if not Path(p).is_file()]
    if missing:
        raise SystemExit(f"no such notebook: {', '.join(map(str, missing))}")
    return [Path(p) for p in paths]


def read(path):
    """Read a notebook as nbformat v4."""
    return nbformat.read(str(path), as_version=4)


def notebook_title(nb, fallback=""):
    """The text of the notebook's first ``# `` heading (markdown emphasis and code marks removed).

    Parameters
    ----------
    nb       : NotebookNode
    fallback : str           returned when there is no level-1 heading (e.g. the file stem)
    """
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for line in cell.source.splitlines():
            match = re.match(r"^#\s+(.+?)\s*#*\s*$", line)
            if match:
                return re.sub(r"[*_`]", "", match.group(1)).strip()
    return fallback


def has_outputs(nb):
    """True when at least one code cell of `nb` was executed (has an execution count)."""
    code = [c for c in nb.cells if c.cell_type == "code"]
    return not code or any(c.get("execution_count") for c in code)


def execute(nb, cwd, timeout=600):
    """Run `nb` in place from a fresh kernel, with `cwd` as the working folder.

    Widget state is stored (nbclient's default; turning it off crashes nbclient 0.11 on
    ``interact``), so the widget snapshot below can show what each widget displayed.
    """
    from nbclient import NotebookClient

    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name=nb.metadata.get("kernelspec", {}).get("name", "python3"),
        resources={"metadata": {"path": str(cwd)}},
    )
    client.execute()
    return nb


def _model_refs(value):
    """Model ids referred to in a widget state value (``"IPY_MODEL_<id>"`` strings)."""
    if isinstance(value, str) and value.startswith("IPY_MODEL_"):
        return [value[len("IPY_MODEL_") :]]
    if isinstance(value, list):
        return [ref for item in value for ref in _model_refs(item)]
    return []


def _control_text(state):
    """``description = value`` for a control that has both, else None."""
    description = str(state.get("description", "")).strip()
    if not description:
        return None
    labels = state.get("_options_labels")
    if labels is not None and isinstance(state.get("index"), int):
        value = labels[state["index"]] if 0 <= state["index"] < len(labels) else None
    elif "value" in state:
        value = state["value"]
    else:
        return None
    if isinstance(value, float):
        value = f"{value:g}"
    return f"{description.rstrip(':').strip()} = {value}"


class WidgetSnapshotPreprocessor(Preprocessor):
    """Replace each live widget with what it showed when the notebook was run.

    A widget needs a kernel: in a static page or a slide it would be blank, or need a widget
    manager from a CDN. Instead, this writes one line naming the controls and their values
    ("Interactive in JupyterLab; shown here with scale = 1, depth = 5") and then what the widget
    showed: the outputs its Output areas held (for ``interact``: the figure), and for a lab made
    by ``figures.live_figure`` its HTML readout and its Image (a PNG whose alt is the image's
    tooltip), taken from the widget state that nbclient and JupyterLab store in
    ``metadata.widgets``. The state is then dropped.
    """

    def preprocess(self, nb, resources):
        state = nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            outputs = []
            for output in cell.get("outputs", []):
                view = output.get("data", {}).get(WIDGET_VIEW)
                if view is None:
                    outputs.append(output)
                else:
                    outputs.extend(self.snapshot(view.get("model_id", ""), state))
            cell.outputs = outputs
        nb.metadata.pop("widgets", None)
        return nb, resources

    def snapshot(self, model_id, state):
        """The note and the captured outputs standing in for the widget `model_id`."""
        controls, captured, seen = [], [], set()
        stack = [model_id]
        while stack:
            current = stack.pop(0)
            if current in seen or current not in state:
                continue
            seen.add(current)
            model = state[current]
            model_state = model.get("state", {})
            if model.get("model_name") == "OutputModel":
                captured.extend(model_state.get("outputs", []))
            elif model.get("model_name") in ("HTMLModel", "ImageModel"):
                captured.extend(_shown_by(model))
            text = _control_text(model_state)
            if text:
                controls.append(text)
            stack.extend(_model_refs(model_state.get("children", [])))
        shown = f"; shown here with {', '.join(controls)}" if controls else ""
        plain = f"[Interactive in JupyterLab{shown}.]"
        note = nbformat.v4.new_output(
            "display_data",
            data={
                "text/plain": plain,
                "text/html": '<p class="widget-snapshot"><em>'
                f"Interactive in JupyterLab{html.escape(shown)}.</em></p>",
            },
        )
        return [note] + [nbformat.from_dict(o) for o in captured]


def _shown_by(model):
    """The output standing in for an HTML widget (its HTML: a lab's readout) or an Image widget
    (its PNG, with its tooltip, the figure's description, as the alt text): `[]` if empty."""
    state = model.get("state", {})
    if model.get("model_name") == "HTMLModel":
        value = state.get("value") or ""
        if not value.strip():
            return []
        plain = html.unescape(re.sub(r"<[^>]*>", "", value))
        data = {"text/html": value, "text/plain": plain}
        return [nbformat.v4.new_output("display_data", data=data)]
    if state.get("format") != "png":
        return []
    png = next((b for b in model.get("buffers", []) if b.get("path") == ["value"]), None)
    if png is None or not png.get("data"):
        return []
    data = png["data"]  # the widget-state format stores buffers as base64 or hex
    if png.get("encoding") == "hex":
        data = base64.b64encode(bytes.fromhex(data)).decode("ascii")
    description = state.get("tooltip") or ""
    bundle = {"image/png": data}
    metadata = {}
    if description:
        bundle["text/plain"] = description
        metadata = {"image/png": {"alt": description}}
    return [nbformat.v4.new_output("display_data", data=bundle, metadata=metadata)]


class DropTestMarkersPreprocessor(Preprocessor):
    """Remove the ``# NBVAL_...`` comment lines, which are for the tests, not for readers."""

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "code" and "NBVAL_" in cell.source:
            lines = cell.source.split("\n")
            cell.source = "\n".join(line for line in lines if not _NBVAL_MARKER.match(line))
        return cell, resources


def human_size(n_bytes):
    """``1.2 MB`` style size."""
    for unit in ("B", "KB", "MB", "GB"):
        if n_bytes < 1024 or unit == "GB":
            return f"{n_bytes:.0f} {unit}" if unit == "B" else f"{n_bytes:.1f} {unit}"
        n_bytes /= 1024
    return ""


def folder_summary(folder):
    """``(file count, total bytes)`` of everything under `folder`."""
    files = [p for p in Path(folder).rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)
