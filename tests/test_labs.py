"""The physics of the two labs of notebook 06 (`helpers.labs`), their figures and their checks.

Each test states a fact the notebook teaches and would fail if the lab stopped showing it:
saturation grows with the weight scale and cuts the gradient off before the first layers,
scaled initialisation removes it, ReLUs die from a negative bias or a large step, a dead unit's
gradient row is exactly zero, and the cures bring the readouts back.
"""

import importlib.util
import io
import re
from pathlib import Path

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_hex, to_rgba, to_rgba_array
from matplotlib.figure import Figure

from helpers import data, labs, layers, palette
from helpers.mlp import MLP

SEEDS = (0, 1, 2, 3)
BENCHMARK = Path(__file__).resolve().parents[1] / "benchmarks" / "widgets.py"


# ----------------------------------------------------------------------------------------------
# Definitions


def test_saturation_threshold_is_where_the_slope_is_one_hundredth():
    z = labs.SATURATED_Z
    s = layers.sigmoid(np.array([z, -z]))
    assert np.allclose(s * (1 - s), labs.SATURATION_THRESHOLD, rtol=1e-12, atol=0)
    assert 4.5 < z < 4.7


def test_saturated_fraction_counts_large_pre_activations():
    rng = np.random.default_rng(0)
    Z = rng.normal(0, 6, size=(20, 50))
    Z = Z[:, np.abs(np.abs(Z) - labs.SATURATED_Z).min(axis=0) > 1e-6]  # no value on the edge
    A = layers.sigmoid(Z)
    assert labs.saturated_fraction(A) == pytest.approx(np.mean(np.abs(Z) > labs.SATURATED_Z))
    assert labs.saturated_fraction(np.full((3, 4), 0.5)) == 0.0
    assert labs.saturated_fraction(np.array([[0.0, 1.0]])) == 1.0


def test_dead_units_are_rows_never_positive_and_zero_counts_as_not_firing():
    Z = np.array([[-1.0, -2.0, 0.0], [0.0, 0.0, 0.0], [-1.0, 3.0, -2.0], [1e-12, -5.0, -5.0]])
    assert labs.dead_units(Z).tolist() == [True, True, False, False]
    assert labs.dead_fraction(Z) == 0.5


# ----------------------------------------------------------------------------------------------
# Saturation


@pytest.mark.parametrize("depth", [1, 3, 10])
def test_larger_weight_scale_saturates_more_units(depth):
    scales = [0.01, 0.1, 1.0, 10.0, 100.0]
    results = [labs.saturation_lab(s, depth, steps=1) for s in scales]
    overall = [r.saturated_overall for r in results]
    assert overall[0] == 0.0 and overall[-1] > 0.95
    assert all(a < b for a, b in zip(overall[1:], overall[2:])), overall
    widths = [np.max(r.z_max - r.z_min) for r in results]
    assert all(a < b for a, b in zip(widths, widths[1:])), widths


@pytest.mark.parametrize("seed", SEEDS)
def test_the_default_small_weights_vanish_and_learn_nothing(seed):
    tiny = labs.saturation_lab(seed=seed)  # weight scale 0.01, 3 layers of 128
    assert tiny.layer_sizes == (2, 128, 128, 128, 2) and tiny.weight_scale == 0.01
    assert tiny.saturated_overall == 0.0
    assert tiny.grad_norms[0] < 1e-2 * tiny.grad_norms[-1]
    assert 0.02 < tiny.grad_norms[-2] / tiny.grad_norms[-1] < 0.04  # about 0.01 sqrt(128) / 4
    assert abs(tiny.losses[-1] - np.log(2)) < 1e-3  # stuck at a coin flip
    assert abs(tiny.held_out_loss - np.log(2)) < 1e-3 and tiny.held_out_accuracy < 0.6


@pytest.mark.parametrize("seed", SEEDS)
def test_four_times_xavier_and_he_train_where_the_default_std_does_not(seed):
    tiny = labs.saturation_lab(seed=seed)
    four = labs.saturation_lab(4.0, init="xavier", seed=seed)
    he = labs.saturation_lab(1.0, init="he", seed=seed)
    for cure in (four, he):
        assert cure.losses[-1] < 0.5 * tiny.losses[-1]
        assert cure.held_out_loss < 0.5 * tiny.held_out_loss
        assert cure.held_out_accuracy > 0.9 > 0.6 > tiny.held_out_accuracy
        assert cure.saturated_overall < 0.1
    assert four.losses[-1] < he.losses[-1]  # the sigmoid wants 4 x Xavier, He gives sqrt 2


@pytest.mark.parametrize("seed", SEEDS)
def test_plain_xavier_removes_saturation_but_learns_little(seed):
    xavier = labs.saturation_lab(1.0, init="xavier", seed=seed)
    four = labs.saturation_lab(4.0, init="xavier", seed=seed)
    assert xavier.saturated_overall == 0.0
    assert abs(xavier.losses[-1] - np.log(2)) < 0.05 and xavier.losses[-1] > 3 * four.losses[-1]


@pytest.mark.parametrize("seed", SEEDS)
def test_huge_weights_saturate_and_the_loss_stays_in_the_hundreds(seed):
    large = labs.saturation_lab(100.0, seed=seed)
    assert large.saturated_overall > 0.97 and np.abs(large.z_max).max() > 400
    assert large.losses.min() > 50 and large.held_out_loss > 50  # confidently wrong
    assert large.held_out_accuracy < 0.75


@pytest.mark.parametrize("seed", SEEDS)
def test_in_narrow_deep_networks_huge_weights_cut_the_first_layer_off(seed):
    healthy = labs.saturation_lab(4.0, 10, init="xavier", width=32, seed=seed, steps=1)
    saturated = labs.saturation_lab(100.0, 10, width=32, seed=seed, steps=1)
    assert saturated.grad_norms[0] < 1e-6 * healthy.grad_norms[0]
    assert saturated.grad_norms[0] < 1e-8 * saturated.grad_norms[-1]
    # the output layer still gets a gradient of the usual size: the cut is toward the input
    assert saturated.grad_norms[-1] > 0.1 * healthy.grad_norms[-1]


def test_the_same_std_saturates_more_units_in_wider_layers():
    shares = [labs.saturation_lab(1.0, width=w, steps=1).saturated_overall for w in (8, 32, 128)]
    assert shares[0] < shares[1] < shares[2] and shares[2] > 5 * shares[0]
    scaled = [labs.saturation_lab(4.0, init="xavier", width=w, steps=1) for w in (8, 32, 128)]
    assert all(r.saturated_overall < 0.15 for r in scaled)  # the rule follows the width


def test_weight_stds_follow_the_rules():
    plain = labs.saturation_lab(2.0, 3, steps=1)
    xavier = labs.saturation_lab(4.0, 3, init="xavier", width=32, steps=1)
    he = labs.saturation_lab(1.0, 3, init="he", width=32, steps=1)
    assert np.allclose(plain.weight_stds, 2.0)
    # the multiplier scales the sigmoid layers; the output layer keeps the rule itself
    assert np.allclose(xavier.weight_stds, [4, 4, 4, 1] * np.sqrt(2 / np.array([34, 64, 64, 34])))
    assert np.allclose(he.weight_stds, np.sqrt(2 / np.array([2, 32, 32, 32])))


def test_training_and_held_out_points_are_apart_and_fixed():
    result = labs.saturation_lab(1.0, 1, n_per_class=5, steps=1)
    assert result.m == 10 and result.m_held_out == 2 * labs.HELD_OUT_PER_CLASS
    X_all, y_all = data.blobs(5 + labs.HELD_OUT_PER_CLASS, 2, spread=1.0, seed=0)
    assert X_all.shape[1] == result.m + result.m_held_out


@pytest.mark.parametrize("weight_scale, init", [(5.0, None), (4.0, "xavier"), (1.0, "he")])
def test_saturation_numbers_match_an_independent_forward_and_backward_pass(weight_scale, init):
    result = labs.saturation_lab(
        weight_scale, 3, init=init, seed=1, width=8, n_per_class=10, steps=3
    )
    n_all = 10 + labs.HELD_OUT_PER_CLASS
    X_all, y_all = data.blobs(n_all, 2, spread=labs.SATURATION_SPREAD, seed=1)
    train = (np.arange(y_all.size) % n_all) < 10
    X, Y = X_all[:, train], data.one_hot(y_all[train], 2)
    model = MLP([2, 8, 8, 8, 2], activation="sigmoid", init=init or weight_scale, seed=1)
    if init is not None:
        for l in (1, 2, 3):  # the multiplier: sigmoid layers only
            model.params[f"W{l}"] *= weight_scale
    A = X
    for l in range(1, 4):
        Z = model.params[f"W{l}"] @ A + model.params[f"b{l}"]
        A = 1 / (1 + np.exp(-Z))
        assert result.z_min[l - 1] == pytest.approx(Z.min(), rel=1e-5)
        assert result.z_max[l - 1] == pytest.approx(Z.max(), rel=1e-5)
        assert result.frac_saturated[l - 1] == pytest.approx(np.mean(A * (1 - A) < 0.01))
        assert result.act_hist[l - 1].sum() == Z.size
        assert result.slope_hist[l - 1].sum() == Z.size
    losses, history = [], []
    for t in range(4):  # the lab computes in float32: equal to float32's precision
        loss, grads = model.loss_and_grads(X, Y)
        losses.append(loss)
        history.append([np.linalg.norm(grads[f"dW{l}"]) for l in range(1, 5)])
        if t < 3:
            model.sgd_step(grads, 0.1)
    assert np.allclose(result.losses, losses, rtol=1e-4)
    assert np.allclose(result.grad_history, history, rtol=1e-3)
    assert np.array_equal(result.grad_norms, result.grad_history[0])
    X_held, y_held = X_all[:, ~train], y_all[~train]  # judged in the state after the 3 steps
    assert result.held_out_loss == pytest.approx(
        model.loss(X_held, data.one_hot(y_held, 2)), rel=1e-4
    )
    assert result.held_out_accuracy == pytest.approx(model.accuracy(X_held, y_held))


def test_saturation_readout_prints_every_layer():
    result = labs.saturation_lab(30.0, 4, width=32)
    text = result.readout()
    lines = text.splitlines()
    assert "2-32-32-32-32-2" in lines[0] and "std 30 in every layer" in lines[0]
    for l in range(4):
        assert f"{100 * result.frac_saturated[l]:.1f}%" in lines[2 + l]
        assert f"{result.z_max[l]:.1f}" in lines[2 + l]
    assert f"{100 * result.saturated_overall:.1f}%" in text
    assert f"{result.losses[-1]:.4f}" in text
    assert (
        f"loss {result.held_out_loss:.4f}, {100 * result.held_out_accuracy:.1f}% classified" in text
    )
    assert repr(result) == text
    four = labs.saturation_lab(4.0, 2, init="xavier", steps=1).readout()
    assert "std 4 x Xavier sqrt(2/(n_in+n_out)) in the sigmoid layers, 1 x in the output" in four


# ----------------------------------------------------------------------------------------------
# Dead ReLUs


@pytest.mark.parametrize("seed", SEEDS)
def test_more_negative_bias_kills_more_units_from_the_start(seed):
    dead = [labs.dead_relu_lab(bias_init=b, seed=seed).frac_dead_start for b in (0, -0.5, -1, -2)]
    assert all(a < b for a, b in zip(dead, dead[1:])), dead
    assert dead[0] < 0.1 and dead[-1] > 0.9


@pytest.mark.parametrize("seed", SEEDS)
def test_larger_step_kills_more_units_during_training(seed):
    small = labs.dead_relu_lab(lr=0.5, seed=seed)
    large = labs.dead_relu_lab(lr=5.0, seed=seed)
    assert large.frac_dead_start == small.frac_dead_start  # same start: the step did it
    assert large.frac_dead > 0.75 > 0.2 > small.frac_dead


@pytest.mark.parametrize("seed", SEEDS)
def test_one_large_update_knocks_units_out(seed):
    result = labs.dead_relu_lab(lr=0.5, big_update=100.0, seed=seed)
    before = result.dead_history[result.big_update_step].sum()
    after = result.dead_history[result.big_update_step + 1].sum()
    assert after > before + 0.2
    plain = labs.dead_relu_lab(lr=0.5, seed=seed)
    assert result.frac_dead > plain.frac_dead + 0.2


@pytest.mark.parametrize(
    "kwargs",
    [dict(), dict(bias_init=-0.5), dict(bias_init=-1.0), dict(lr=5.0), dict(big_update=100.0)],
)
def test_dead_units_have_exactly_zero_gradient_rows(kwargs):
    result = labs.dead_relu_lab(**kwargs)
    n_dead = sum(mask.sum() for mask in result.dead_end)
    assert n_dead > 0
    for norms, dead in zip(result.row_grad_norms, result.dead_end):
        assert np.all(norms[dead] == 0.0)
    assert result.dead_grad_max == 0.0
    assert result.zero_grad_units >= n_dead


def test_a_unit_that_never_fires_gets_exactly_zero_weight_gradient():
    X, y = data.spirals(20, 3, seed=0)
    model = MLP([2, 6, 6, 3], activation="relu", seed=0)
    model.params["b1"][2] = -50.0  # unit 2 of layer 1 never fires
    model.params["b2"][4] = -50.0  # unit 4 of layer 2 never fires
    _, grads = model.loss_and_grads(X, data.one_hot(y, 3))
    for l, unit in ((1, 2), (2, 4)):
        assert np.all(grads[f"dW{l}"][unit] == 0.0) and grads[f"db{l}"][unit, 0] == 0.0
        others = np.delete(np.abs(grads[f"dW{l}"]).sum(axis=1), unit)
        assert others.max() > 1e-3  # the firing units of the same layer do learn
    # a dead unit outputs 0, so the weights leaving it get no gradient either
    assert np.all(grads["dW2"][:, 2] == 0.0)
    _, caches = model.forward(X)
    assert labs.dead_units(caches[0][1])[2] and labs.dead_units(caches[1][1])[4]


@pytest.mark.parametrize(
    "kwargs", [dict(lr=5.0), dict(bias_init=-0.5), dict(big_update=100.0), dict(lr=10.0)]
)
def test_dead_units_of_the_first_layer_never_come_back(kwargs):
    # Its inputs are the fixed data and its gradient is exactly zero: nothing can move it.
    result = labs.dead_relu_lab(**kwargs)
    assert result.revived[0] == 0
    history = result.dead_history[:, 0]
    assert np.all(np.diff(history) >= 0)


def test_units_of_the_second_layer_can_come_back():
    # Their inputs are the first layer's outputs, which keep changing while it trains.
    result = labs.dead_relu_lab(bias_init=-0.5)
    assert result.revived[1] > 0


@pytest.mark.parametrize("kwargs", [dict(), dict(bias_init=-1.0), dict(bias_init=-2.0)])
def test_leaky_relu_leaves_no_unit_with_a_zero_gradient(kwargs):
    relu = labs.dead_relu_lab(**kwargs)
    leaky = labs.dead_relu_lab(activation="leaky_relu", **kwargs)
    assert relu.zero_grad_units > 0
    assert leaky.zero_grad_units == 0
    silent = sum(mask.sum() for mask in leaky.dead_end)
    if silent:
        assert leaky.dead_grad_max > 0


@pytest.mark.parametrize("seed", SEEDS)
def test_a_smaller_step_keeps_more_units_alive(seed):
    large = labs.dead_relu_lab(lr=5.0, seed=seed)
    smaller = labs.dead_relu_lab(lr=0.5, seed=seed)
    assert smaller.frac_dead < large.frac_dead - 0.5
    assert smaller.losses[-1] < large.losses[-1]


def test_whole_dead_layer_stops_all_learning():
    result = labs.dead_relu_lab(bias_init=-1.0)
    assert result.dead_end[1].all()
    assert result.zero_grad_units == result.n_hidden_units  # nothing flows below a dead layer
    assert result.losses[-1] == pytest.approx(np.log(3), abs=1e-6)


def test_divergence_is_stopped_without_warnings_and_reported():
    result = labs.dead_relu_lab(lr=100.0)  # pytest turns any warning into an error
    assert result.diverged_at is not None and result.diverged_at < result.steps
    assert len(result.losses) == result.diverged_at + 1
    assert np.all(np.isfinite(result.losses))
    assert "stopped" in result.readout()


def test_dead_relu_readout_prints_the_counts():
    result = labs.dead_relu_lab(lr=5.0)
    text = result.readout()
    for l, mask in enumerate(result.dead_end):
        assert f"layer {l + 1}: " in text and f"{mask.sum():>3}/{mask.size}" in text
    assert f"{100 * result.frac_dead:.1f}%" in text
    assert "(exactly zero)" in text
    leaky = labs.dead_relu_lab(bias_init=-1.0, activation="leaky_relu").readout()
    assert "silent" in leaky and "exactly zero: 0 of 64" in leaky


def test_labs_are_deterministic():
    a, b = labs.saturation_lab(7.0, 4, seed=3), labs.saturation_lab(7.0, 4, seed=3)
    assert np.array_equal(a.grad_norms, b.grad_norms) and np.array_equal(a.losses, b.losses)
    assert a.held_out_loss == b.held_out_loss
    c, d = labs.dead_relu_lab(-0.5, 2.0, seed=3), labs.dead_relu_lab(-0.5, 2.0, seed=3)
    assert np.array_equal(c.dead_history, d.dead_history) and np.array_equal(c.losses, d.losses)


# ----------------------------------------------------------------------------------------------
# Figures


def _pixels(fig):
    return np.asarray(fig.canvas.buffer_rgba()).copy()


def test_saturation_figure_is_made_and_updated_in_place():
    first = labs.saturation_lab(1.0, 6)
    fig = labs.saturation_figure(first)
    assert isinstance(fig, Figure) and len(fig.axes) == 6
    assert labs.saturation_figure(labs.saturation_lab(50.0, 3), fig=fig) is fig
    assert len(fig.axes) == 6


@pytest.mark.parametrize(
    "old, new, draw",
    [
        (dict(weight_scale=0.1, depth=2), dict(weight_scale=1.0), labs.saturation_figure),
        (
            dict(weight_scale=0.1, depth=2),
            dict(weight_scale=100.0, depth=10),
            labs.saturation_figure,
        ),
        (dict(bias_init=-2.0), dict(), labs.dead_relu_figure),
        (dict(bias_init=-2.0), dict(big_update=100.0), labs.dead_relu_figure),
    ],
)
def test_fast_redraw_shows_the_same_pixels_as_a_full_draw(old, new, draw):
    lab = labs.saturation_lab if draw is labs.saturation_figure else labs.dead_relu_lab
    reused = draw(lab(**old))
    labs.redraw(reused)  # draws everything once and keeps the background
    stale = _pixels(reused)
    labs.redraw(draw(lab(**new), fig=reused))  # pastes the background, draws the data
    fresh = draw(lab(**new))
    fresh.canvas.draw()  # the slow way: everything from scratch
    fast, full = _pixels(reused), _pixels(fresh)
    assert fast.shape == full.shape == stale.shape
    assert np.any(stale != full, axis=2).mean() > 0.01  # the comparison can tell states apart
    differ = np.any(fast != full, axis=2).mean()
    assert differ < 1e-3, f"{differ:.3%} of the pixels differ"  # legend edges, a few pixels


def test_figure_changes_when_the_state_changes():
    fig = labs.saturation_figure(labs.saturation_lab(1.0, 6))
    before = labs.figure_png(fig)
    after = labs.figure_png(labs.saturation_figure(labs.saturation_lab(100.0, 6), fig=fig))
    assert before[:8] == after[:8] == b"\x89PNG\r\n\x1a\n"
    assert before != after
    fig = labs.dead_relu_figure(labs.dead_relu_lab())
    assert len(fig.axes) == 3
    assert labs.figure_png(fig) != labs.figure_png(
        labs.dead_relu_figure(labs.dead_relu_lab(lr=5.0), fig=fig)
    )


def test_figure_png_holds_the_pixels_of_the_canvas():
    from PIL import Image

    fig = labs.saturation_figure(labs.saturation_lab(1.0, steps=2))
    for level in (0, 1, 9):
        png = labs.figure_png(fig, compress_level=level)
        decoded = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))
        assert np.array_equal(decoded, np.asarray(fig.canvas.buffer_rgba())[:, :, :3])
    assert len(labs.figure_png(fig, compress_level=9)) < len(labs.figure_png(fig, compress_level=0))


def test_a_figure_of_the_other_lab_is_rebuilt():
    fig = labs.saturation_figure(labs.saturation_lab())
    same = labs.dead_relu_figure(labs.dead_relu_lab(), fig=fig)
    assert same is fig and len(fig.axes) == 3


# ----------------------------------------------------------------------------------------------
# What a reader who cannot see the figures gets: descriptions, and colours with a second cue

COLOUR_WORD = re.compile(r"\b(red|green|orange|blue|yellow|purple|vermillion|pink)\b", re.I)
ALLOWED = {
    to_rgba(c)[:3] for c in (*palette.OKABE_ITO, *palette.TINTS.values(), palette.GREY, "white")
}


def off_palette_colours(fig):
    """The colours of the figure's artists that are neither palette colours, tints nor greys."""
    fig.canvas.draw()
    bad = set()
    for artist in fig.findobj():
        for getter in ("get_facecolor", "get_edgecolor", "get_color", "get_markerfacecolor"):
            try:
                rows = np.atleast_2d(to_rgba_array(getattr(artist, getter)()))
            except (AttributeError, TypeError, ValueError):
                continue
            for rgba in rows:
                rgb = tuple(float(v) for v in rgba[:3])
                grey = max(rgb) - min(rgb) < 0.02
                known = any(np.allclose(rgb, ok, atol=1.5 / 255) for ok in ALLOWED)
                if rgba[3] > 0 and not grey and not known:
                    bad.add(to_hex(rgba))
    return sorted(bad)


@pytest.mark.parametrize(
    "kwargs", [{}, {"weight_scale": 1.0}, {"weight_scale": 4.0, "init": "xavier"}]
)
def test_the_saturation_description_says_what_the_readout_says(kwargs):
    result = labs.saturation_lab(**kwargs, steps=5)
    text, readout = result.description(), result.readout()
    ratio = labs._fmt_norm(result.grad_norms[0] / result.grad_norms[-1])
    for number in (
        f"{result.losses[0]:.4f}",
        f"{result.losses[-1]:.4f}",
        f"{result.held_out_loss:.4f}",
        f"{100 * result.held_out_accuracy:.1f}%",
        f"{100 * result.saturated_overall:.1f}%",
        ratio,
        result.init_label,
    ):
        assert number in text and number in readout, number
    assert text == labs.saturation_lab(**kwargs, steps=5).description()  # nbval compares it
    assert not COLOUR_WORD.search(text)


def test_a_changed_result_changes_the_description():
    texts = {labs.saturation_lab(s, steps=3).description() for s in (0.01, 1.0, 100.0)} | {
        labs.dead_relu_lab(b, steps=5).description() for b in (0.0, -1.0)
    }
    assert len(texts) == 5


@pytest.mark.parametrize(
    "kwargs", [{}, {"bias_init": -1.0}, {"activation": "leaky_relu"}, {"big_update": 100.0}]
)
def test_the_dead_relu_description_says_what_the_readout_says(kwargs):
    result = labs.dead_relu_lab(**kwargs)
    text = result.description()
    word = "silent" if result.activation == "leaky_relu" else "dead"
    n_dead = int(sum(mask.sum() for mask in result.dead_end))
    assert f"the {n_dead} {word} units hatched" in text
    assert f"the {result.zero_grad_units} rows that are exactly zero" in text
    for number in (
        f"{result.losses[0]:.4f}",
        f"{result.losses[-1]:.4f}",
        f"{result.bias_init:.2f}",
    ):
        assert number in text and number in result.readout()
    assert ("dashed vertical line" in text) == (result.big_update is not None)
    assert "layer 1 solid, layer 2 dashed" in text and not COLOUR_WORD.search(text)


def test_figure_image_shows_the_png_with_its_description():
    result = labs.saturation_lab(steps=2)
    shown = labs.figure_image(labs.saturation_figure(result), result.description())
    data, meta = shown._repr_mimebundle_()
    assert data["text/plain"] == result.description() == meta["image/png"]["alt"]
    assert shown.png[:8] == b"\x89PNG\r\n\x1a\n"
    with pytest.raises(TypeError, match="fig"):
        labs.figure_image(shown.png, result.description())
    with pytest.raises(ValueError, match="description"):
        labs.figure_image(labs.saturation_figure(result), "a figure")


@pytest.mark.parametrize(
    "fig",
    [
        lambda: labs.saturation_figure(labs.saturation_lab(1.0, steps=3)),
        lambda: labs.dead_relu_figure(labs.dead_relu_lab(-0.5, activation="leaky_relu")),
        lambda: labs.dead_relu_figure(labs.dead_relu_lab(big_update=100.0)),
    ],
)
def test_the_lab_figures_use_only_palette_colours(fig):
    assert off_palette_colours(fig()) == []


def test_the_palette_check_can_fail():
    fig = Figure()
    fig.add_subplot().plot([0, 1], [0, 1], color="tab:red")
    FigureCanvasAgg(fig)
    assert off_palette_colours(fig) == ["#d62728"]


def test_saturated_and_dead_bars_are_hatched_as_well_as_coloured():
    result = labs.saturation_lab(1.0, steps=2)
    fig = labs.saturation_figure(result)
    saturated = labs._ARTISTS[fig]["saturated"]
    assert saturated.patch in fig.axes[3].patches and saturated.patch.get_hatch() == "////"
    assert np.allclose(saturated.patch.get_facecolor()[:3], to_rgba(palette.VERMILLION)[:3])
    assert np.allclose(saturated.heights, result.frac_saturated)  # one bar per hidden layer
    assert np.array_equal(saturated.xs, [1, 2, 3])
    grads = labs._ARTISTS[fig]["grads"]
    assert grads.patch.get_hatch() is None
    assert np.allclose(grads.bottom + grads.heights, result.grad_norms[:-1])
    fig = labs.dead_relu_figure(labs.dead_relu_lab(-0.5, activation="leaky_relu"))
    live, dead = fig.axes[1].patches[:2]
    assert live.get_hatch() is None and dead.get_hatch() == "////"
    labels = [t.get_text() for t in fig.axes[1].get_legend().get_texts()]
    assert labels == ["fires", "never fires", "exactly 0"]


# ----------------------------------------------------------------------------------------------
# Bad arguments


@pytest.mark.parametrize(
    "call, name",
    [
        (lambda: labs.saturation_lab(0.0, 3), "weight_scale"),
        (lambda: labs.saturation_lab(-1.0, 3), "weight_scale"),
        (lambda: labs.saturation_lab(1e5, 3), "weight_scale"),
        (lambda: labs.saturation_lab(float("nan"), 3), "weight_scale"),
        (lambda: labs.saturation_lab(1.0, 0), "depth"),
        (lambda: labs.saturation_lab(1.0, 11), "depth"),
        (lambda: labs.saturation_lab(1.0, 3, init="glorot"), "init"),
        (lambda: labs.saturation_lab(1.0, 3, seed=-1), "seed"),
        (lambda: labs.saturation_lab(1.0, 3, lr=0.0), "lr"),
        (lambda: labs.dead_relu_lab(bias_init=-20.0), "bias_init"),
        (lambda: labs.dead_relu_lab(bias_init=float("inf")), "bias_init"),
        (lambda: labs.dead_relu_lab(lr=0.0), "lr"),
        (lambda: labs.dead_relu_lab(lr=500.0), "lr"),
        (lambda: labs.dead_relu_lab(big_update=-1.0), "big_update"),
        (lambda: labs.dead_relu_lab(big_update=1e4), "big_update"),
        (lambda: labs.dead_relu_lab(big_update=10.0, big_update_step=40), "big_update_step"),
        (lambda: labs.dead_relu_lab(big_update_step=3), "big_update_step"),
        (lambda: labs.dead_relu_lab(activation="tanh"), "activation"),
        (lambda: labs.saturated_fraction(np.array([[-1.0, 2.0]])), "A"),
        (lambda: labs.saturated_fraction(np.full((2, 2), 0.5), threshold=0.3), "threshold"),
        (lambda: labs.dead_fraction(np.zeros(4)), "Z"),
        (lambda: labs.dead_units(np.zeros((2, 3, 4))), "Z"),
        (lambda: labs.figure_png(Figure(), compress_level=12), "compress_level"),
    ],
)
def test_bad_values_raise_value_error_naming_the_argument(call, name):
    with pytest.raises(ValueError, match=name):
        call()


@pytest.mark.parametrize(
    "call, name",
    [
        (lambda: labs.saturation_lab("big", 3), "weight_scale"),
        (lambda: labs.saturation_lab(1.0, 2.5), "depth"),
        (lambda: labs.saturation_lab(1.0, True), "depth"),
        (lambda: labs.dead_relu_lab(lr="fast"), "lr"),
        (lambda: labs.dead_relu_lab(big_update=10.0, big_update_step=2.0), "big_update_step"),
        (lambda: labs.saturation_figure(labs.dead_relu_lab()), "result"),
        (lambda: labs.dead_relu_figure(labs.saturation_lab()), "result"),
        (lambda: labs.saturation_figure(labs.saturation_lab(), fig="figure"), "fig"),
        (lambda: labs.redraw(None), "fig"),
        (lambda: labs.figure_png("figure.png"), "fig"),
        (lambda: labs.dead_fraction(np.array([["a", "b"]])), "Z"),
    ],
)
def test_wrong_types_raise_type_error_naming_the_argument(call, name):
    with pytest.raises(TypeError, match=name):
        call()


# ----------------------------------------------------------------------------------------------
# The benchmark still runs


@pytest.mark.slow  # runs a benchmark script, as tests/test_benchmarks.py does for the others
def test_widget_benchmark_runs_once_on_tiny_sizes(capsys):
    spec = importlib.util.spec_from_file_location("widgets_benchmark", BENCHMARK)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert capsys.readouterr().out == ""  # importing it runs nothing
    module.main(["--quick"])
    out = capsys.readouterr().out
    assert "saturation" in out and "dead ReLU" in out and "median" in out
