"""The gradient-flow labs of notebook 06 (helpers.labs_flow): the physics they show."""

import re

import numpy as np
import pytest
from matplotlib.figure import Figure

from helpers import labs
from helpers import labs_flow as lf

COLOUR_WORD = re.compile(r"\b(red|green|orange|blue|yellow|purple|vermillion|pink)\b", re.I)


@pytest.fixture(scope="module")
def he():
    return lf.exploding_lab(gain=1.0, depth=12)


@pytest.fixture(scope="module")
def hot():
    return lf.exploding_lab(gain=1.5, depth=12)


class TestClipByNorm:
    def test_a_large_gradient_is_scaled_to_the_threshold_keeping_its_direction(self):
        grads = {"dW1": np.array([[3.0, 0.0]]), "db1": np.array([[4.0]])}
        clipped, total = lf.clip_by_norm(grads, 1.0)
        assert total == pytest.approx(5.0)
        assert np.sqrt(sum((g**2).sum() for g in clipped.values())) == pytest.approx(1.0)
        assert np.allclose(clipped["dW1"], grads["dW1"] / 5) and clipped["db1"][0, 0] == 0.8

    def test_a_small_gradient_is_left_alone_and_the_input_is_not_changed(self):
        grads = {"dW1": np.array([[0.3, 0.4]])}
        clipped, total = lf.clip_by_norm(grads, 1.0)
        assert total == pytest.approx(0.5) and np.array_equal(clipped["dW1"], grads["dW1"])
        assert clipped["dW1"] is not grads["dW1"]

    def test_the_threshold_must_be_positive(self):
        with pytest.raises(ValueError, match="max_norm"):
            lf.clip_by_norm({"dW1": np.ones((1, 1))}, 0.0)


class TestExploding:
    def test_he_keeps_the_backward_signal_of_constant_size(self, he):
        assert 0.8 < he.growth_per_layer < 1.15
        assert he.diverged_at is None and he.losses_plain[-1] < 0.1

    def test_weights_a_little_too_large_grow_the_signal_by_the_gain_per_layer(self, hot):
        assert 1.25 < hot.growth_per_layer < 1.6
        assert hot.dz_norms[0] > 10 * hot.dz_norms[-1]
        assert np.all(np.diff(hot.dz_norms[:-1]) < 0)  # larger toward the input, layer by layer

    def test_plain_descent_diverges_and_clipping_trains(self, hot):
        assert hot.diverged_at is not None and hot.norms_plain.max() > 1e6
        assert len(hot.losses_clipped) == 21 and hot.losses_clipped[-1] < 0.01
        assert hot.losses_plain[0] == hot.losses_clipped[0]  # the same start

    def test_deeper_stacks_explode_more(self):
        shallow, deep = (lf.exploding_lab(1.5, d, steps=1) for d in (4, 16))
        assert (
            deep.dz_norms[0] / deep.dz_norms[-1] > 10 * shallow.dz_norms[0] / shallow.dz_norms[-1]
        )

    def test_readout_names_both_runs(self, hot):
        text = hot.readout()
        assert re.search(r"x1\.[3-5]\d per layer toward the input", text)
        assert "diverged after" in text and "clipped to norm 1: loss 0.0" in text

    @pytest.mark.parametrize(
        "kwargs, error",
        [({"gain": 0.0}, ValueError), ({"depth": 0}, ValueError), ({"max_norm": -1}, ValueError),
         ({"gain": "big"}, TypeError)],
    )  # fmt: skip
    def test_bad_arguments_are_named(self, kwargs, error):
        with pytest.raises(error, match=next(iter(kwargs))):
            lf.exploding_lab(**kwargs)


@pytest.fixture(scope="module")
def raw():
    return lf.input_scale_lab(standardise=False)


@pytest.fixture(scope="module")
def scaled():
    return lf.input_scale_lab(standardise=True)


class TestInputScale:
    def test_raw_grey_levels_saturate_the_first_layer(self, raw):
        assert raw.x_min == 0.0 and raw.x_max == 255.0
        assert raw.frac_saturated[0] > 0.9 and max(-raw.z_min[0], raw.z_max[0]) > 100

    def test_standardised_inputs_keep_the_first_layer_in_its_slope(self, raw, scaled):
        assert -4 < scaled.x_min < 0 < scaled.x_max < 4
        assert scaled.frac_saturated[0] < 0.05 and np.abs(scaled.z_max).max() < 10
        assert scaled.losses[-1] < raw.losses[-1]

    def test_only_the_input_changes(self, raw, scaled):
        assert raw.layer_sizes == scaled.layer_sizes == (2, 32, 32, 2)
        assert "raw grey levels" in raw.readout() and "standardised" in scaled.readout()

    def test_standardise_is_a_bool(self):
        with pytest.raises(TypeError, match="standardise"):
            lf.input_scale_lab(standardise="yes")


class TestLearningSpeed:
    def test_the_history_starts_at_the_gradient_norms_and_has_one_row_per_step(self):
        result = labs.saturation_lab(1.0, 4, steps=5)
        assert result.grad_history.shape == (6, 5)
        assert np.array_equal(result.grad_history[0], result.grad_norms)

    def test_with_xavier_the_first_layer_learns_far_slower_than_the_output_all_along(self):
        slow = labs.saturation_lab(1.0, 6, init="xavier").grad_history
        fast = labs.saturation_lab(4.0, 6, init="xavier").grad_history
        assert slow[0, 0] < 1e-2 * slow[0, -1] and slow[:, 0].max() < 1e-3
        assert fast[:, 0].min() > 20 * slow[:, 0].max()


class TestFigures:
    def test_each_figure_is_updated_in_place_and_encodes(self, he, hot):
        for make, first, second in (
            (lf.exploding_figure, he, hot),
            (lf.input_scale_figure, lf.input_scale_lab(False), lf.input_scale_lab(True)),
            (
                lf.learning_speed_figure,
                labs.saturation_lab(1.0, 6),
                labs.saturation_lab(4.0, 6, init="xavier"),
            ),
        ):
            fig = make(first)
            assert isinstance(fig, Figure)
            before = labs.figure_png(fig)
            assert make(second, fig=fig) is fig
            after = labs.figure_png(fig)
            assert before[:8] == b"\x89PNG\r\n\x1a\n" and before != after

    def test_the_bars_show_the_backward_signal(self, hot):
        fig = lf.exploding_figure(hot)
        hidden, output = labs._ARTISTS[fig]["grads"], labs._ARTISTS[fig]["grads_out"]
        assert np.array_equal(hidden.xs, np.arange(1, hot.depth + 1))
        assert np.allclose(hidden.bottom + hidden.heights, hot.dz_norms[:-1])
        assert np.array_equal(output.xs, [hot.depth + 1])  # the unused slots: empty
        assert np.allclose(output.bottom + output.heights, hot.dz_norms[-1:])
        shallow = lf.exploding_lab(1.5, 3)
        lf.exploding_figure(shallow, fig=fig)  # fewer layers: the bars of the deeper ones go
        assert hidden.xs.size == 3 and np.array_equal(output.xs, [4])

    def test_a_wrong_result_is_refused(self, he):
        with pytest.raises(TypeError, match="exploding_lab"):
            lf.exploding_figure(labs.saturation_lab(steps=1))
        with pytest.raises(TypeError, match="saturation_lab"):
            lf.learning_speed_figure(he)


class TestDescriptions:
    """Each figure's text alternative carries the numbers of the readout, and its cues."""

    def test_exploding(self, hot, he):
        text = hot.description()
        assert f"x{hot.growth_per_layer:.2f} per layer" in text and f"{hot.gain:g} x He" in text
        assert f"diverges after {hot.diverged_at} steps" in text
        assert f"{hot.losses_clipped[-1]:.4f}" in text and "dashed, crosses" in text
        assert f"to {he.losses_plain[-1]:.4f}" in he.description()
        assert text != he.description() and not COLOUR_WORD.search(text)

    def test_input_scale(self, raw, scaled):
        for result in (raw, scaled):
            text = result.description()
            assert f"{100 * result.frac_saturated[0]:.1f}%" in text
            assert f"{result.losses[-1]:.4f}" in text and f"{result.x_max:.1f}" in text
            assert "hatched" in text and not COLOUR_WORD.search(text)
        assert "raw grey-level" in raw.description() and "standardised" in scaled.description()

    def test_learning_speed(self):
        result = labs.saturation_lab(1.0, 6, init="xavier", steps=4)
        text = lf.learning_speed_description(result)
        first = result.grad_history[:, 0]
        assert labs._fmt_norm(first.min()) in text and labs._fmt_norm(first.max()) in text
        assert "6 hidden layers" in text and "4 steps" in text and "line style" in text
        other = lf.learning_speed_description(labs.saturation_lab(4.0, 6, init="xavier", steps=4))
        assert other != text
        with pytest.raises(TypeError, match="result"):
            lf.learning_speed_description(text)


class TestColours:
    def test_the_figures_use_only_palette_colours(self, hot):
        from tests.test_labs import off_palette_colours

        for fig in (
            lf.exploding_figure(hot),
            lf.input_scale_figure(lf.input_scale_lab(False)),
            lf.learning_speed_figure(labs.saturation_lab(1.0, 10, steps=2)),
        ):
            assert off_palette_colours(fig) == []

    def test_every_line_of_the_learning_speed_figure_has_its_own_colour_and_style(self):
        fig = lf.learning_speed_figure(labs.saturation_lab(1.0, 10, steps=2))
        lines = fig.axes[0].get_lines()
        pairs = {(line.get_color(), line.get_linestyle(), line.get_linewidth()) for line in lines}
        assert len(lines) == 11 and len(pairs) == 11
        assert lines[-1].get_label() == "output" and lines[-1].get_linewidth() > 2

    def test_plain_and_clipped_runs_differ_in_marker_and_line_style(self, hot):
        plain, clipped = lf.exploding_figure(hot).axes[1].get_lines()[1:3]
        assert plain.get_marker() != clipped.get_marker()
        assert plain.get_linestyle() != clipped.get_linestyle()


def test_the_lean_relu_trainer_matches_the_mlp():
    from helpers import data
    from helpers.mlp import MLP

    X, y = data.blobs(8, 2, seed=1)
    Y = data.one_hot(y, 2)
    for max_norm in (None, 0.5):
        net = MLP([2, 5, 4, 2], activation="relu", output="softmax", init="he", seed=2)
        Ws = [net.params[f"W{l}"].copy() for l in (1, 2, 3)]
        bs = [net.params[f"b{l}"].copy() for l in (1, 2, 3)]
        lean = lf._train_relu(Ws, bs, X, Y, 5, 0.3, max_norm)
        reference = lf._train(net, X, Y, 5, 0.3, max_norm)
        assert np.allclose(lean[0], reference[0], rtol=1e-12)
        assert np.allclose(lean[1], reference[1], rtol=1e-12) and lean[2] is reference[2] is None
        assert np.allclose(Ws[0], net.params["W1"], rtol=1e-12)


def test_the_labs_run_on_one_blas_thread_and_give_the_threads_back():
    threadpoolctl = pytest.importorskip("threadpoolctl")

    def blas_threads():
        return [
            i["num_threads"] for i in threadpoolctl.threadpool_info() if i["user_api"] == "blas"
        ]

    before = blas_threads()
    inside = labs.one_blas_thread(blas_threads)()
    assert inside and all(n == 1 for n in inside)
    assert blas_threads() == before
