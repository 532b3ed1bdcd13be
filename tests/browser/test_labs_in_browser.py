"""The interactive labs, used the way a learner uses them: in JupyterLab, in a real Chromium.

Each notebook is opened from a fresh copy, its stored outputs are cleared, and it is run with
Run > Run All Cells. Then every slider is moved with the keyboard (focus the handle, arrow keys,
End, Home) and every button is clicked. The tests read what the lab prints inside its Output
widget and check that it changes the way the physics says, that the figure was redrawn (the
image changed), and that the page logged no JavaScript error. The expected numbers come from the
formulas themselves (the sigmoid neuron, central differences), not from the page.

The tests of one notebook do not depend on their order: those of notebook 01 work from whatever
state the stepper is in, those of notebook 06 put the defaults back at their end (typing values
into the readouts of the number sliders, as a learner can; the sliders with round stops, whose
readouts cannot be typed into, are stepped with the arrow keys) and check that the default
readout comes back.
"""

from __future__ import annotations

import math
import os
import re
import time

import pytest

from .driver import browser_missing_reason, skip_message

# Without a browser, say so once for the whole module (pytest -rs lists it). With
# REQUIRE_BROWSER=1 the fixtures in conftest.py turn the same reason into a failure.
_MISSING = browser_missing_reason()
if _MISSING is not None and os.environ.get("REQUIRE_BROWSER") != "1":
    pytest.skip(skip_message(_MISSING), allow_module_level=True)

# --------------------------------------------------------------------------------------------
# The harness itself, on a scratch notebook

SMOKE_CELLS = [
    "import ipywidgets as widgets\n"
    "import matplotlib.pyplot as plt\n"
    "from IPython.display import display",
    "amount = widgets.IntSlider(value=3, min=0, max=10, description='amount')\n"
    "out = widgets.Output()\n"
    "\n"
    "def show(value):\n"
    "    with out:\n"
    "        out.clear_output(wait=True)\n"
    "        print(f'amount = {value}, square = {value ** 2}')\n"
    "        fig, ax = plt.subplots(figsize=(2, 1.5))\n"
    "        ax.bar([0], [value])\n"
    "        ax.set_ylim(0, 10)\n"
    "        plt.show()\n"
    "\n"
    "amount.observe(lambda change: show(change['new']), names='value')\n"
    "show(amount.value)\n"
    "display(amount, out)",
]


@pytest.fixture(scope="class")
def smoke(lab, lab_server):
    """A scratch notebook with one slider and an Output widget, run in JupyterLab."""
    notebook = lab.open(lab_server.write_notebook("smoke_slider.ipynb", SMOKE_CELLS))
    try:
        notebook.run_all()
        yield notebook
    finally:
        notebook.close()


class TestHarness:
    """The server, the browser and the widget helpers, on a scratch notebook."""

    def test_harness_moves_a_slider_and_sees_the_output_change(self, smoke):
        slider = smoke.slider("amount")
        cell = smoke.cell_of(slider)
        start = smoke.wait_ready(cell)
        assert start.text.strip() == "amount = 3, square = 9"
        assert len(start.figures) == 1

        smoke.press(slider, "ArrowRight", 2)
        now = smoke.wait_update(cell, start, expect="amount = 5")
        assert now.text.strip() == "amount = 5, square = 25"
        assert smoke.slider_value(slider) == "5"
        assert now.figures != start.figures, "the figure was not redrawn"

        smoke.press(slider, "End")
        now = smoke.wait_update(cell, now, expect="amount = 10")
        assert now.text.strip() == "amount = 10, square = 100"

        smoke.press(slider, "Home")
        now = smoke.wait_update(cell, now, expect="amount = 0")
        assert now.text.strip() == "amount = 0, square = 0"

        smoke.type_value(slider, "3")
        now = smoke.wait_update(cell, now, expect="amount = 3")
        assert now == start, "typing the first value back should show the first view again"
        smoke.errors.assert_none()

    def test_harness_sees_javascript_errors(self, smoke):
        """The check for JavaScript errors is live: an uncaught exception and a console error
        raised on purpose are both recorded (and then dropped, being this test's own)."""
        errors = smoke.lab.errors
        smoke.page.evaluate(
            """() => {
                console.error('harness probe: console');
                setTimeout(() => { throw new Error('harness probe: uncaught'); });
            }"""
        )
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and sum("harness probe" in e for e in errors) < 2:
            smoke.page.wait_for_timeout(50)
        probes = [e for e in errors if "harness probe" in e]
        errors[:] = [e for e in errors if "harness probe" not in e]
        assert any(e.startswith("console.error: harness probe: console") for e in probes), probes
        assert any(e.startswith("uncaught: ") and "probe: uncaught" in e for e in probes), probes
        smoke.errors.assert_none()


# --------------------------------------------------------------------------------------------
# Notebook 01: the backward stepper

NB01 = "01_computational_graph.ipynb"
STEP = "backward step"
INPUTS = ["w0 (weight)", "w1 (weight)", "w2 (bias)", "x0 (input)", "x1 (input)"]
N_STEPS = 8  # gates of the fine-grained sigmoid neuron


def neuron(w, x):
    """f = 1 / (1 + exp(-(w0*x0 + w1*x1 + w2)))."""
    return 1.0 / (1.0 + math.exp(-(w[0] * x[0] + w[1] * x[1] + w[2])))


def neuron_gradients_by_nudging(w, x, h=1e-6):
    """df/dw and df/dx by central differences: an answer that owes nothing to backprop."""
    params = [*w, *x]
    grads = []
    for i in range(5):
        up, down = list(params), list(params)
        up[i] += h
        down[i] -= h
        grads.append((neuron(up[:3], up[3:]) - neuron(down[:3], down[3:])) / (2 * h))
    return grads[:3], grads[3:]


NUMBER = r"(-?\d+\.\d+)"
INPUTS_LINE = re.compile(
    rf"^w = \({NUMBER}, {NUMBER}, {NUMBER}\)\s+x = \({NUMBER}, {NUMBER}\)\s+f = .* = {NUMBER}$",
    re.MULTILINE,
)
STEP_LINE = re.compile(r"^step (\d+) of (\d+):", re.MULTILINE)
UPSTREAM_LINE = re.compile(rf"^\s+upstream gradient df/d(\w+) = {NUMBER}$", re.MULTILINE)
ROW = re.compile(rf"^\s+(\w+)\s+{NUMBER} x\s+{NUMBER} =\s+{NUMBER}\s", re.MULTILINE)
DONE_LINE = re.compile(
    rf"^done: df/dw = \({NUMBER}, {NUMBER}, {NUMBER}\)\s+df/dx = \({NUMBER}, {NUMBER}\)$",
    re.MULTILINE,
)


def inputs_pattern(values):
    """A pattern for the readout's first line with these w0, w1, w2, x0, x1."""
    w = ", ".join(f"{v:.2f}" for v in values[:3])
    x = ", ".join(f"{v:.2f}" for v in values[3:])
    return rf"^w = \({re.escape(w)}\)\s+x = \({re.escape(x)}\)"


def parse_stepper(text):
    """The stepper's readout as numbers: inputs, f, the step, its upstream and its rows."""
    inputs = INPUTS_LINE.search(text)
    step = STEP_LINE.search(text)
    assert inputs and step, f"unexpected stepper readout:\n{text}"
    values = [float(v) for v in inputs.groups()]
    upstream = UPSTREAM_LINE.search(text)
    done = DONE_LINE.search(text)
    return {
        "w": values[:3],
        "x": values[3:5],
        "f": values[5],
        "step": int(step.group(1)),
        "n_steps": int(step.group(2)),
        "upstream": (upstream.group(1), float(upstream.group(2))) if upstream else None,
        "rows": [(name, float(u), float(loc), float(d)) for name, u, loc, d in ROW.findall(text)],
        "done": [float(v) for v in done.groups()] if done else None,
    }


def check_stepper_arithmetic(view):
    """Each row of the step reads upstream x local = downstream (to the 4 decimals shown), and
    f is the neuron's output for the inputs shown."""
    assert view["f"] == pytest.approx(neuron(view["w"], view["x"]), abs=6e-5)
    if view["step"] == 0:
        assert not view["rows"]
        return
    assert view["rows"], "a backward step shows at least one row"
    for name, upstream, local, downstream in view["rows"]:
        assert upstream == view["upstream"][1], f"row {name} uses another upstream gradient"
        tolerance = 1e-4 * (1 + abs(upstream) + abs(local))
        assert upstream * local == pytest.approx(downstream, abs=tolerance), (
            f"{name}: {upstream} x {local} != {downstream}"
        )


def check_final_gradients(view):
    """At the last step the readout lists every gradient; they match central differences."""
    assert view["done"] is not None, "the last step lists df/dw and df/dx"
    dw, dx = neuron_gradients_by_nudging(view["w"], view["x"])
    assert view["done"] == pytest.approx([*dw, *dx], abs=6e-5)


@pytest.fixture(scope="class")
def nb01(lab, lab_server):
    notebook = lab.open(lab_server.copy_notebook(NB01))
    try:
        notebook.run_all()
        stepper = notebook.slider(STEP)
        notebook.stepper = stepper
        notebook.stepper_cell = notebook.cell_of(stepper)
        notebook.first_view = notebook.wait_ready(notebook.stepper_cell)
        yield notebook
    finally:
        notebook.close()


class TestBackwardStepper:
    """Notebook 01, section 7: the backward stepper of the sigmoid neuron."""

    def test_stepper_starts_at_the_first_backward_step(self, nb01):
        view = parse_stepper(nb01.first_view.text)
        assert view["w"] == [2.0, -3.0, -3.0] and view["x"] == [-1.0, -2.0]
        assert (view["step"], view["n_steps"]) == (1, N_STEPS)
        assert nb01.slider_value(nb01.stepper) == "1"
        # The first step is the 1/x gate: upstream df/df = 1, local -1/d^2 with d = 1 + e^-1.
        assert view["upstream"] == ("f", 1.0)
        [(name, upstream, local, _)] = view["rows"]
        d = 1 + math.exp(-1.0)
        assert (name, upstream) == ("d", 1.0)
        assert local == pytest.approx(-1 / d**2, abs=6e-5)
        check_stepper_arithmetic(view)
        nb01.errors.assert_none()

    def test_step_slider_walks_the_backward_pass(self, nb01):
        cell, slider = nb01.stepper_cell, nb01.stepper
        state = nb01.state(cell)
        start = parse_stepper(state.text)
        downstream = {name: d for name, _, _, d in start["rows"]}

        # One step on (from step 1, the usual start, to step 2): if the new gate is one the last
        # step sent a gradient down to, that gradient is its upstream gradient.
        key, nxt = (
            ("ArrowRight", start["step"] + 1) if start["step"] < N_STEPS else ("ArrowLeft", 7)
        )
        nb01.press(slider, key)
        moved = nb01.wait_update(cell, state, expect=rf"^step {nxt} of {N_STEPS}:")
        view = parse_stepper(moved.text)
        check_stepper_arithmetic(view)
        assert moved.figures != state.figures, "the highlighted step was not redrawn"
        name, value = view["upstream"]
        if key == "ArrowRight" and (start["step"] == 1 or name in downstream):
            assert downstream.get(name) == value, (
                f"step {nxt} starts from df/d{name} = {value}, but step {start['step']} sent "
                f"{downstream} downstream"
            )

        # The last step: every gradient of the neuron is known, and they match the nudges.
        nb01.press(slider, "End")
        last = nb01.wait_update(cell, moved, expect=rf"^step {N_STEPS} of {N_STEPS}:")
        view = parse_stepper(last.text)
        check_stepper_arithmetic(view)
        check_final_gradients(view)
        assert last.figures != moved.figures

        # Step 0: the forward pass only; the backward pass starts from df/df = 1.
        nb01.press(slider, "Home")
        first = nb01.wait_update(cell, last, expect=r"^step 0 of")
        assert "df/df = 1.0000" in first.text
        check_stepper_arithmetic(parse_stepper(first.text))
        assert first.figures != last.figures

        nb01.type_value(slider, str(start["step"]))
        back = nb01.wait_update(cell, first, expect=rf"^step {start['step']} of")
        assert back == state, "the same step should show the same view again"
        nb01.errors.assert_none()

    def test_input_sliders_recompute_every_gradient(self, nb01):
        cell = nb01.stepper_cell
        state = nb01.state(cell)
        initial_step = parse_stepper(state.text)["step"]
        if initial_step != N_STEPS:  # at the last step the readout lists every gradient
            nb01.press(nb01.stepper, "End")
            state = nb01.wait_update(cell, state, expect=rf"^step {N_STEPS} of")
        for index, description in enumerate(INPUTS):
            slider = nb01.slider(description)
            before = parse_stepper(state.text)
            values = before["w"] + before["x"]
            key, delta = ("ArrowRight", 0.25) if values[index] < 4 else ("ArrowLeft", -0.25)
            expected = list(values)
            expected[index] += delta
            nb01.press(slider, key)
            moved = nb01.wait_update(cell, state, expect=inputs_pattern(expected))
            view = parse_stepper(moved.text)
            assert view["w"] + view["x"] == pytest.approx(expected), f"{description} moved wrongly"
            assert float(nb01.slider_value(slider)) == pytest.approx(expected[index])
            check_stepper_arithmetic(view)
            check_final_gradients(view)
            assert view["done"] != before["done"], (
                f"moving {description} left the gradients as they were"
            )
            assert moved.figures != state.figures, f"moving {description} did not redraw the graph"
            state = moved

        nb01.errors.assert_none()


# --------------------------------------------------------------------------------------------
# Notebook 06: saturation and dead ReLUs

NB05 = "06_saturation_and_dead_relus.ipynb"
SCALE, DEPTH = "weight scale", "depth (sigmoid layers)"
BIAS, LR = "bias init", "learning rate"


def _norm(text):
    """A gradient norm as the readout prints it: 1.2e-03, 0, or <1e-99."""
    return 0.0 if text in ("0", "<1e-99") else float(text)


def parse_saturation(text):
    """The saturation lab's readout: per layer (z_min, z_max, % saturated, |dW|), the share of
    saturated units overall, the first-layer / output-layer gradient ratio, the weight rule,
    the training loss at the start and the end, and the held-out loss and % classified right."""
    rows = re.findall(
        r"^\s*(\d+)\s+(-?\d+\.\d)\s+(-?\d+\.\d)\s+(\d+\.\d)%\s+(\S+)$", text, re.MULTILINE
    )
    overall = re.search(r"^saturated \(.*\): (\d+\.\d)% of all", text, re.MULTILINE)
    ratio = re.search(r"^gradient norm, first layer / output layer: (\S+)$", text, re.MULTILINE)
    drawn = re.search(r"weights drawn with (.*), batch of", text)
    loss = re.search(r"^loss: (\S+) at the start, (\S+) after \d+ steps", text, re.MULTILINE)
    held = re.search(
        r"^held-out points \(\d+, never trained on\): loss (\S+), (\d+\.\d)% classified right$",
        text,
        re.MULTILINE,
    )
    assert rows and overall and ratio and drawn and loss and held, (
        f"unexpected saturation readout:\n{text}"
    )
    return {
        "layers": [(float(a), float(b), float(c), _norm(d)) for _, a, b, c, d in rows],
        "saturated": float(overall.group(1)),
        "ratio": _norm(ratio.group(1)),
        "drawn": drawn.group(1),
        "loss_start": float(loss.group(1)),
        "loss_end": float(loss.group(2)),
        "held_out_loss": float(held.group(1)),
        "held_out_right": float(held.group(2)),
    }


def parse_dead(text):
    """The dead-ReLU lab's readout: % dead (or silent) at the end and at the start, the units
    whose gradient row is exactly zero, the bias and the step size."""
    dead = re.search(
        r"^(dead|silent): (\d+\.\d)% of the hidden units \((\d+\.\d)% at the start\)$",
        text,
        re.MULTILINE,
    )
    zero = re.search(r"^units whose gradient row is exactly zero: (\d+) of (\d+)$", text, re.M)
    setup = re.search(r"biases start at (-?\d+\.\d+), lr ([\d.e+-]+)", text)
    assert dead and zero and setup, f"unexpected dead-ReLU readout:\n{text}"
    return {
        "word": dead.group(1),
        "dead": float(dead.group(2)),
        "dead_start": float(dead.group(3)),
        "zero_grad": int(zero.group(1)),
        "units": int(zero.group(2)),
        "bias": float(setup.group(1)),
        "lr": float(setup.group(2)),
    }


@pytest.fixture(scope="module")
def nb05(lab, lab_server):
    notebook = lab.open(lab_server.copy_notebook(NB05))
    try:
        notebook.run_all()
        notebook.saturation_cell = notebook.cell_of(notebook.slider(SCALE))
        notebook.dead_cell = notebook.cell_of(notebook.slider(BIAS))
        notebook.saturation_default = notebook.wait_ready(notebook.saturation_cell)
        notebook.dead_default = notebook.wait_ready(notebook.dead_cell)
        yield notebook
    finally:
        notebook.close()


class TestSaturationAndDeadRelus:
    """Notebook 06: the saturation lab and the dead-ReLU lab, with their cures."""

    def test_saturation_lab_starts_from_its_default(self, nb05):
        sat = parse_saturation(nb05.saturation_default.text)
        assert sat["drawn"] == "std 0.01 in every layer"
        assert len(sat["layers"]) == 3 and "network 2-128-128-128-2" in nb05.saturation_default.text
        assert nb05.slider_value(nb05.slider(SCALE)) == "0.01"
        # the lesson of the default view: nothing saturates, nothing learns
        assert sat["saturated"] == 0.0 and sat["ratio"] < 1e-2
        assert abs(sat["loss_end"] - math.log(2)) < 1e-3 and sat["held_out_right"] < 60
        dead = parse_dead(nb05.dead_default.text)
        assert (dead["word"], dead["bias"]) == ("dead", 0.0)
        # The learning-rate slider stops at round values only: the browser keeps 0.5 exact.
        assert dead["lr"] == 0.5
        assert nb05.slider_value(nb05.slider(LR)) == "0.5"
        nb05.errors.assert_none()

    def test_larger_weight_scale_saturates_and_the_loss_stays_huge(self, nb05):
        cell, slider = nb05.saturation_cell, nb05.slider(SCALE)
        default = nb05.saturation_default
        base = parse_saturation(default.text)

        nb05.press(slider, "End")  # weight scale 100
        big = nb05.wait_update(cell, default, expect=r"std 100 in every layer")
        high = parse_saturation(big.text)
        assert high["saturated"] > base["saturated"] + 90, "scale 100 saturates almost every unit"
        assert all(layer[2] > 90 for layer in high["layers"])
        assert max(abs(layer[0]) for layer in high["layers"]) > 100, (
            "pre-activations in the hundreds"
        )
        assert high["loss_end"] > 100 and high["held_out_loss"] > 100, "confidently wrong"
        assert big.figures != default.figures, "the figure was not redrawn"

        nb05.step_to(slider, "1")  # a SelectionSlider: its readout cannot be typed into
        middle = nb05.wait_update(cell, big, expect=r"std 1 in every layer")
        one = parse_saturation(middle.text)
        assert base["saturated"] < one["saturated"] < high["saturated"]
        assert one["loss_end"] < 0.05 and one["held_out_right"] > 90, "std 1 trains at width 128"
        assert middle.figures != big.figures

        nb05.press(slider, "Home")  # weight scale 0.01, the default
        back = nb05.wait_update(cell, middle, expect=r"std 0.01 in every layer")
        assert back.text == default.text, "scale 0.01 should show the default readout again"
        nb05.errors.assert_none()

    def test_deeper_sigmoid_network_has_smaller_early_gradients(self, nb05):
        cell, slider = nb05.saturation_cell, nb05.slider(DEPTH)
        default = nb05.saturation_default
        base = parse_saturation(default.text)

        nb05.press(slider, "End")  # 10 sigmoid layers
        deep = nb05.wait_update(cell, default, expect=r"^\s+11\s+\(output layer\)")
        ten = parse_saturation(deep.text)
        assert len(ten["layers"]) == 10
        assert ten["ratio"] < base["ratio"] / 3, "more layers, smaller first-layer gradient"
        assert deep.figures != default.figures

        nb05.press(slider, "Home")  # one sigmoid layer
        shallow = nb05.wait_update(cell, deep, expect=r"^\s+2\s+\(output layer\)")
        one = parse_saturation(shallow.text)
        assert len(one["layers"]) == 1
        assert one["ratio"] > base["ratio"] > ten["ratio"]

        nb05.type_value(slider, "3")
        back = nb05.wait_update(cell, shallow, expect=r"^\s+4\s+\(output layer\)")
        assert back.text == default.text
        nb05.errors.assert_none()

    def test_scaled_initialisation_trains_where_the_fixed_std_does_not(self, nb05):
        cell, scale = nb05.saturation_cell, nb05.slider(SCALE)
        default = nb05.saturation_default
        tiny = parse_saturation(default.text)

        # Picking a rule puts the scale at 1, that is exactly the rule's standard deviation.
        nb05.click(nb05.button("Xavier"))
        xavier_state = nb05.wait_update(cell, default, expect=r"std 1 x Xavier")
        assert float(nb05.slider_value(scale)) == 1.0
        xavier = parse_saturation(xavier_state.text)
        assert xavier["saturated"] < 5 and xavier["ratio"] > 3 * tiny["ratio"]

        # For a sigmoid, 4 x Xavier: few saturated units, and it learns the blobs.
        nb05.click(nb05.button("4 x Xavier (sigmoid)"))
        cured_state = nb05.wait_update(cell, xavier_state, expect=r"std 4 x Xavier")
        assert nb05.slider_value(scale) == "4", "the slider stops at 4 exactly"
        cured = parse_saturation(cured_state.text)
        assert cured["saturated"] < 10 and cured["ratio"] > 1e-2
        assert cured["loss_end"] < 0.5 * xavier["loss_end"] < 0.5 * tiny["loss_end"]
        assert cured["held_out_right"] > 90 > 60 > tiny["held_out_right"]
        assert cured_state.figures != xavier_state.figures

        nb05.click(nb05.button("He"))
        he_state = nb05.wait_update(cell, cured_state, expect=r"std 1 x He")
        he = parse_saturation(he_state.text)
        assert he["saturated"] < 5 and he["held_out_right"] > 90
        assert he["loss_end"] < 0.5 * tiny["loss_end"]

        nb05.click(nb05.button("plain std"))  # and the scale goes back to 0.01
        back = nb05.wait_update(cell, he_state, expect=r"std 0.01 in every layer")
        assert back.text == default.text
        nb05.errors.assert_none()

    def test_negative_bias_kills_relus_and_leaky_relu_keeps_gradients(self, nb05):
        cell, slider = nb05.dead_cell, nb05.slider(BIAS)
        default = nb05.dead_default
        base = parse_dead(default.text)

        nb05.press(slider, "ArrowLeft", 4)  # bias -1.00 (steps of 0.25)
        minus_one_state = nb05.wait_update(cell, default, expect=r"biases start at -1\.00")
        minus_one = parse_dead(minus_one_state.text)
        assert minus_one["dead"] > base["dead"] + 30, "a bias of -1 kills most units"
        assert minus_one["dead_start"] > 50, "... before any training"
        assert minus_one["zero_grad"] == minus_one["units"], "no gradient reaches any unit"
        assert "(exactly zero)" in minus_one_state.text
        assert minus_one_state.figures != default.figures

        nb05.press(slider, "Home")  # bias -3: every unit dead
        minus_three_state = nb05.wait_update(
            cell, minus_one_state, expect=r"biases start at -3\.00"
        )
        minus_three = parse_dead(minus_three_state.text)
        assert base["dead"] < minus_one["dead"] <= minus_three["dead"]
        assert minus_three["dead"] == 100.0

        # The cure: a leaky ReLU. The same units are silent, but every one of them gets a gradient.
        nb05.click(nb05.button("leaky ReLU"))
        leaky_state = nb05.wait_update(cell, minus_three_state, expect=r"^silent:")
        leaky = parse_dead(leaky_state.text)
        assert leaky["zero_grad"] == 0
        assert "leaky_relu network" in leaky_state.text
        nb05.click(nb05.button("leaky ReLU"))
        relu_state = nb05.wait_update(cell, leaky_state, expect=r"^dead:")
        assert relu_state.text == minus_three_state.text

        nb05.type_value(slider, "0")
        back = nb05.wait_update(cell, relu_state, expect=r"biases start at 0\.00")
        assert back.text == default.text
        nb05.errors.assert_none()

    def test_large_learning_rate_kills_relus_and_a_smaller_step_cures_it(self, nb05):
        cell, slider = nb05.dead_cell, nb05.slider(LR)
        default = nb05.dead_default
        base = parse_dead(default.text)

        nb05.press(slider, "End")  # learning rate 10
        fast_state = nb05.wait_update(cell, default, expect=r", lr 10,")
        fast = parse_dead(fast_state.text)
        assert fast["dead"] > base["dead"] + 50, "steps of 10 kill most units during training"
        assert fast["dead_start"] == base["dead_start"], "the same network at the start"
        assert fast_state.figures != default.figures

        nb05.click(nb05.button("smaller step (lr / 10)"))
        slower_state = nb05.wait_update(cell, fast_state, expect=r", lr 1,")
        slower = parse_dead(slower_state.text)
        assert slower["dead"] < fast["dead"] - 50, "lr 1 keeps most units alive"
        assert nb05.slider_value(slider) == "1"

        # Back to the start: the value the readout printed at first.
        nb05.step_to(slider, f"{base['lr']:g}")
        back = nb05.wait_update(cell, slower_state, expect=rf", lr {base['lr']:g},")
        assert back.text == default.text
        nb05.errors.assert_none()

    def test_one_large_step_kills_relus(self, nb05):
        cell = nb05.dead_cell
        default = nb05.dead_default
        base = parse_dead(default.text)
        toggle = nb05.button("one large step (lr 100)")

        nb05.click(toggle)
        jolt_state = nb05.wait_update(cell, default, expect=r"one step of lr 100")
        jolt = parse_dead(jolt_state.text)
        assert jolt["dead"] > base["dead"] + 30, "one step of 100 kills many units at once"
        assert jolt["zero_grad"] > base["zero_grad"]
        assert jolt_state.figures != default.figures

        nb05.click(toggle)
        back = nb05.wait_update(cell, jolt_state)
        assert back.text == default.text
        nb05.errors.assert_none()


# Notebook 06, the gradient-flow labs: width, exploding gradients and clipping, input scale

WIDTH, GAIN = "width (units per layer)", "gain (x He)"
RELU_DEPTH, CLIP = "depth (relu layers)", "clip at norm"


def parse_exploding(text):
    """The exploding lab's readout: growth per layer, first/output ratio, both runs."""
    growth = re.search(r"; x(\d+\.\d+) per layer toward the input$", text, re.MULTILINE)
    plain = re.search(
        r"^plain, lr \S+: loss (\S+) at the start, (?:diverged after (\d+) steps|(\S+) after)",
        text,
        re.MULTILINE,
    )
    clipped = re.search(r"^clipped to norm (\S+): loss (\S+) after", text, re.MULTILINE)
    setup = re.search(r"^relu network (\S+), weights (\S+) x He", text, re.MULTILINE)
    assert growth and plain and clipped and setup, f"unexpected exploding readout:\n{text}"
    return {
        "growth": float(growth.group(1)),
        "diverged": plain.group(2) is not None,
        "plain_end": None if plain.group(3) is None else float(plain.group(3)),
        "max_norm": float(clipped.group(1)),
        "clipped_end": float(clipped.group(2)),
        "depth": setup.group(1).count("-") - 1,
        "gain": float(setup.group(2)),
    }


class TestGradientFlowLabs:
    """Notebook 06: the width slider, exploding gradients with clipping, and the input scale.
    Shares the notebook run of the class above (the module-scoped fixture `nb05`)."""

    def test_wider_layers_saturate_more_at_the_same_std(self, nb05):
        cell, slider, scale = nb05.saturation_cell, nb05.slider(WIDTH), nb05.slider(SCALE)
        default = nb05.saturation_default
        assert nb05.slider_value(slider) == "128" and "network 2-128-128" in default.text

        nb05.step_to(scale, "1")  # the same std at every width
        wide_state = nb05.wait_update(cell, default, expect=r"std 1 in every layer")
        wide = parse_saturation(wide_state.text)

        nb05.press(slider, "ArrowLeft", 2)  # 64, then 32 units per layer
        middle_state = nb05.wait_update(cell, wide_state, expect=r"network 2-32-32-")
        middle = parse_saturation(middle_state.text)
        assert middle["saturated"] < wide["saturated"] - 15, "the same std saturates wider layers"
        assert middle_state.figures != wide_state.figures

        nb05.press(slider, "Home")  # 8 units per layer
        narrow_state = nb05.wait_update(cell, middle_state, expect=r"network 2-8-8-")
        assert parse_saturation(narrow_state.text)["saturated"] < middle["saturated"]

        nb05.press(slider, "End")
        again = nb05.wait_update(cell, narrow_state, expect=r"network 2-128-128-")
        assert again.text == wide_state.text
        nb05.press(scale, "Home")
        back = nb05.wait_update(cell, again, expect=r"std 0.01 in every layer")
        assert back.text == default.text
        nb05.errors.assert_none()

    def test_gain_explodes_the_gradient_and_clipping_trains(self, nb05):
        cell = nb05.cell_of(nb05.slider(GAIN))
        default = nb05.wait_ready(cell)
        hot = parse_exploding(default.text)
        assert (hot["gain"], hot["depth"], hot["max_norm"]) == (1.5, 12, 1.0)
        assert hot["growth"] > 1.25 and hot["diverged"], "gain 1.5: it grows and diverges"
        assert hot["clipped_end"] < 0.01, "clipped, the same start trains"

        nb05.step_to(nb05.slider(GAIN), "1")
        he_state = nb05.wait_update(cell, default, expect=r"weights 1 x He")
        he = parse_exploding(he_state.text)
        assert he["growth"] < 1.15 and not he["diverged"] and he["plain_end"] < 0.1
        assert he_state.figures != default.figures

        nb05.press(nb05.slider(RELU_DEPTH), "End")  # 30 layers of He: still no explosion
        deep_state = nb05.wait_update(cell, he_state, expect=r"^\s+31\s+\S+\s+\(output layer\)")
        assert parse_exploding(deep_state.text)["growth"] < 1.15
        nb05.type_value(nb05.slider(RELU_DEPTH), "12")
        he_again = nb05.wait_update(cell, deep_state, expect=r"^\s+13\s+\S+\s+\(output layer\)")
        assert he_again.text == he_state.text

        nb05.step_to(nb05.slider(GAIN), "1.5")
        back = nb05.wait_update(cell, he_again, expect=r"weights 1.5 x He")
        assert back.text == default.text

        nb05.press(nb05.slider(CLIP), "End")  # clip at 10
        loose = nb05.wait_update(cell, back, expect=r"^clipped to norm 10:")
        assert parse_exploding(loose.text)["diverged"], "the plain run does not depend on it"
        nb05.step_to(nb05.slider(CLIP), "1")
        again = nb05.wait_update(cell, loose, expect=r"^clipped to norm 1:")
        assert again.text == default.text
        nb05.errors.assert_none()

    def test_standardised_inputs_cure_first_layer_saturation(self, nb05):
        cell = nb05.cell_of(nb05.button("standardised"))
        default = nb05.wait_ready(cell)
        raw = parse_saturation_rows(default.text)
        assert "raw grey levels: from 0.0 to 255.0" in default.text and raw[0] > 90

        nb05.click(nb05.button("standardised"))
        scaled_state = nb05.wait_update(cell, default, expect=r"inputs standardised")
        assert parse_saturation_rows(scaled_state.text)[0] < 5
        assert scaled_state.figures != default.figures

        nb05.click(nb05.button("raw 0..255"))
        back = nb05.wait_update(cell, scaled_state, expect=r"raw grey levels")
        assert back.text == default.text
        nb05.errors.assert_none()

    def test_no_button_label_is_cut(self, nb05):
        cut = nb05.panel.locator("button.jupyter-button").evaluate_all(
            "buttons => buttons.filter(b => b.offsetWidth > 0 && b.scrollWidth > b.clientWidth)"
            ".map(b => b.textContent.trim())"
        )
        assert cut == [], f"button labels cut by their width: {cut}"


def parse_saturation_rows(text):
    """The % saturated of each hidden layer, from a readout with a per-layer table."""
    rows = re.findall(r"^\s*\d+\s+-?\d+\.\d\s+-?\d+\.\d\s+(\d+\.\d)%\s+\S+$", text, re.MULTILINE)
    assert rows, f"unexpected readout:\n{text}"
    return [float(r) for r in rows]
