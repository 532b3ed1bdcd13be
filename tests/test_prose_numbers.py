"""Numbers the prose quotes from a computation are checked by the computation.

The rule, for every notebook in `GUARDED` below: a number in the prose around a code cell that
prints something (the markdown cell just before it, and the one just after it) is either

- printed by that cell itself, character for character (nbval compares the printed text, so a
  change that moves the number fails the notebook's test; if the stored output is renewed, the
  prose no longer matches it and this test fails), or
- asserted in that cell, by an `assert` line that names the sentence it guards in a comment:

      assert 0.97 < large.saturated_overall <= 1  # claim: About 99% of the pairs

  The text after `# claim:` (several fragments may be separated by " | ") must occur verbatim in
  the prose before or after the cell (line breaks count as spaces). The assert runs in nbval, so
  a change that moves the number past the asserted range fails; a prose edit that drops the
  fragment fails here. A range is fine: prose says "about 99%", the assert says 0.97 to 1.
- or it is not a measurement at all (a constant of the set-up, a slider stop, a property of the
  mathematics): it appears in the cell's code, or in the notebook's `GIVEN` list below.

Which numbers count: decimals (0.5, 4.58), percentages (99%), powers of ten ($10^{-8}$, 10⁻⁶)
and multipliers ("60 times", "a factor of 60"). Plain small integers (layer counts, indices) are
left to review.

To guard another notebook: add `# claim:` comments to the asserts that back its prose (add an
assert where a quoted number has none), run this test with the notebook added to `GUARDED`, and
put the numbers that are set-up rather than measured into `GIVEN`.
"""

import ast
import io
import json
import re
import tokenize
from pathlib import Path

import pytest

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"

# The notebooks that follow the rule.
GUARDED = [
    "00_start_here.ipynb",
    "01_computational_graph.ipynb",
    "02_build_an_autograd_engine.ipynb",
    "03_jacobian_chain_rule.ipynb",
    "04_relu_affine_bias.ipynb",
    "05_mlp_backprop.ipynb",
    "06_saturation_and_dead_relus.ipynb",
    "07_from_our_graph_to_pytorch.ipynb",
]

# Numbers in the prose around printing cells that are given, not measured.
GIVEN = {
    "00_start_here.ipynb": set(),
    "01_computational_graph.ipynb": {"10^{-5}"},  # numerical_gradient's step h
    # a million weights times batches of a hundred: the multiplications of one step
    "02_build_an_autograd_engine.ipynb": {"10^8"},
    "03_jacobian_chain_rule.ipynb": {"10^{-5}"},  # numerical_jacobian's step h
    "04_relu_affine_bias.ipynb": set(),
    # the gradient check's step h; the parameter counts the benchmark spans; central differences
    # across ReLU's kink (the mean of the slopes 0 and 1, measured in notebook 04)
    "05_mlp_backprop.ipynb": {"10^{-5}", "10^5", "0.5"},
    # the labs' step size, the leaky ReLU's slope
    "06_saturation_and_dead_relus.ipynb": {"0.1", "0.01"},
    "07_from_our_graph_to_pytorch.ipynb": {"0.5"},  # central differences across ReLU's kink
}

CLAIM = re.compile(r"#\s*claim:\s*(.+?)\s*$")
SUPERSCRIPT = str.maketrans("⁻⁰¹²³⁴⁵⁶⁷⁸⁹", "-0123456789")
NUMBER = re.compile(
    r"10\^\{?[-−]?\d+\}?"  # 10^{-8}, 10^3
    r"|10[⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+"  # 10⁻⁸
    r"|(?<![\w.^{])\d+(?:\.\d+)?(?:e[-+]?\d+)?\s*(?:%|\\%|\s+times\b)"  # 99%, 60 times
    r"|(?<=factor of )\d+(?:\.\d+)?"  # a factor of 60
    r"|(?<![\w.^{/])\d*\.\d+(?:e[-+]?\d+)?"  # 0.5, 4.58
)


def _source(cell):
    return "".join(cell["source"])


def _flat(text):
    return " ".join(text.split())


def _printed(cell):
    """The text a code cell printed: streams and text/plain results."""
    parts = []
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream":
            parts.append("".join(out["text"]))
        elif "text/plain" in out.get("data", {}):
            parts.append("".join(out["data"]["text/plain"]))
    return "".join(parts)


def _canonical(token):
    """A number as its value, so 10^{-8}, 10⁻⁸ and 1e-08 compare equal."""
    token = token.translate(SUPERSCRIPT).replace("−", "-").replace("\\%", "%")
    match = re.fullmatch(r"10\^\{?(-?\d+)\}?|10(-?\d+)", token)
    if match:
        return repr(float(f"1e{int(match.group(1) or match.group(2))}"))
    token = re.sub(r"\s*(%|times)$", "", token)
    try:
        return repr(float(token))
    except ValueError:
        return token


def _numbers(text):
    return {_canonical(m.group(0).strip()) for m in NUMBER.finditer(text)}


def _all_numbers(text):
    """Every number written in a text (code or output), canonical, for "it is there" checks."""
    plain = re.findall(r"(?<![\w.])[-−]?\d+(?:\.\d+)?(?:e[-+]?\d+)?", text)
    return {_canonical(t) for t in plain} | _numbers(text)


def claims(code):
    """The `# claim:` fragments of a cell, each with the line of its comment, and whether that
    line belongs to an assert statement."""
    try:
        tree = ast.parse(code)
    except SyntaxError:  # IPython magics: no claims can sit on them
        tree = ast.parse(re.sub(r"(?m)^\s*[%!].*$", "", code))
    assert_lines = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assert):
            assert_lines.update(range(node.lineno, node.end_lineno + 1))
    found = []
    for tok in tokenize.generate_tokens(io.StringIO(code).readline):
        if tok.type == tokenize.COMMENT:
            match = CLAIM.search(tok.string)
            if match:
                line = tok.start[0]
                for fragment in match.group(1).split(" | "):
                    found.append((fragment.strip(), line, line in assert_lines))
    return found


def _cells(name):
    return json.loads((NOTEBOOKS / name).read_text(encoding="utf-8"))["cells"]


def _prose_around(cells, i):
    """The markdown cell just before code cell i and the one just after it."""
    out = []
    for j in (i - 1, i + 1):
        if 0 <= j < len(cells) and cells[j]["cell_type"] == "markdown":
            out.append(_source(cells[j]))
    return out


def audit(name):
    """(claims, checked, problems) of one notebook: the `# claim:` fragments, the prose numbers
    found printed or asserted, and what breaks the rule."""
    cells = _cells(name)
    problems, n_claims, n_checked = [], 0, 0
    covered = {}  # markdown index -> numbers accounted for by its neighbouring code cells
    for i, cell in enumerate(cells):
        if cell["cell_type"] != "code":
            continue
        code = _source(cell)
        prose = [_flat(p) for p in _prose_around(cells, i)]
        accounted = _all_numbers(code) | _all_numbers(_printed(cell))
        for fragment, line, on_assert in claims(code):
            n_claims += 1
            if not on_assert:
                problems.append(f"cell {i}, line {line}: `# claim:` is not on an assert")
            if not any(_flat(fragment) in p for p in prose):
                problems.append(
                    f"cell {i}: the claim {fragment!r} is not in the prose before or after it"
                )
            accounted |= _numbers(fragment) | _all_numbers(fragment)
        if not _printed(cell):
            continue
        for j in (i - 1, i + 1):
            if 0 <= j < len(cells) and cells[j]["cell_type"] == "markdown":
                covered.setdefault(j, set()).update(accounted)
    given = GIVEN.get(name, set())
    for j, accounted in sorted(covered.items()):
        text = _source(cells[j])
        for match in NUMBER.finditer(text):
            value = _canonical(match.group(0).strip())
            if match.group(0).strip() in given:
                continue
            if value in accounted:
                n_checked += 1
            else:
                where = _flat(text[max(0, match.start() - 40) : match.end() + 20])
                problems.append(
                    f"markdown cell {j}: {match.group(0).strip()!r} is neither printed, "
                    f"asserted (# claim:) nor in the code of a neighbouring cell: ...{where}..."
                )
    return n_claims, n_checked, problems


@pytest.mark.parametrize("name", GUARDED)
def test_prose_numbers_are_printed_or_asserted(name):
    _, _, problems = audit(name)
    assert not problems, f"{name}:\n" + "\n".join(problems)


def test_every_guarded_notebook_exists():
    missing = [name for name in GUARDED if not (NOTEBOOKS / name).exists()]
    assert not missing, f"GUARDED lists notebooks that do not exist: {missing}"


# The guard itself, on small made-up notebooks.


def _nb(*cells):
    out = []
    for kind, source, printed in cells:
        cell = {"cell_type": kind, "source": source, "metadata": {}}
        if kind == "code":
            cell["outputs"] = [{"output_type": "stream", "name": "stdout", "text": printed}]
        out.append(cell)
    return out


def _audit_cells(cells, monkeypatch):
    monkeypatch.setitem(globals(), "_cells", lambda name: cells)
    return audit("made_up.ipynb")


def test_an_unchecked_number_is_reported(monkeypatch):
    cells = _nb(
        ("code", "x = 0.1234\nprint(x)", "0.1234\n"),
        ("markdown", "The value is about 0.12, and 45% of it is noise.", None),
    )
    _, _, problems = _audit_cells(cells, monkeypatch)
    assert len(problems) == 2 and "'0.12'" in problems[0] and "'45%'" in problems[1]


def test_printed_asserted_and_given_numbers_pass(monkeypatch):
    cells = _nb(
        ("markdown", "With a step of 0.3:", None),
        (
            "code",
            "lr = 0.3\nshare = 0.4512\nprint(f'{share:.4f}')\n"
            "assert 0.4 < share < 0.5  # claim: about 45% of it",
            "0.4512\n",
        ),
        ("markdown", "The share is 0.4512, about 45% of it, $10^{-8}$ of nothing.", None),
    )
    _, _, problems = _audit_cells(cells, monkeypatch)
    assert len(problems) == 1 and "'10^{-8}' is neither printed" in problems[0]


def test_a_claim_must_be_on_an_assert_and_in_the_prose(monkeypatch):
    cells = _nb(
        ("code", "v = 2\nprint(v)  # claim: twice as large", "2\n"),
        ("markdown", "It is twice as big.", None),
    )
    _, _, problems = _audit_cells(cells, monkeypatch)
    assert "not on an assert" in problems[0] and "not in the prose" in problems[1]


def test_numbers_are_compared_by_value():
    assert _canonical("10^{-8}") == _canonical("10⁻⁸") == _canonical("1e-08")
    assert _canonical("99%") == _canonical("99") and _canonical("60 times") == _canonical("60")
    assert _numbers("a factor of 60, 4.58 and 99% and 10⁻⁶; layer 2 of 32") == {
        "60.0",
        "4.58",
        "99.0",
        "1e-06",
    }
