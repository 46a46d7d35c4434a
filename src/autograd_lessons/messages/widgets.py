"""Messages of widgets.py: the explorers."""

MESSAGES: dict[str, dict[str, str]] = {
    "widgets.control_flow.title": {
        "pt": "Explorador do fluxo de controle: d = f(a), do In [20]",
        "en": "Control flow explorer: d = f(a), from In [20]",
    },
    "widgets.control_flow.doublings": {"pt": "duplicações: {count}", "en": "doublings: {count}"},
    "widgets.control_flow.doublings_none": {"pt": "duplicações: —", "en": "doublings: —"},
    "widgets.control_flow.branch.positive": {
        "pt": "ramo: sum(b) > 0, então c = b",
        "en": "branch: sum(b) > 0, so c = b",
    },
    "widgets.control_flow.branch.negative": {
        "pt": "ramo: sum(b) ≤ 0, então c = 100 * b",
        "en": "branch: sum(b) ≤ 0, so c = 100 * b",
    },
    "widgets.control_flow.nodes": {
        "pt": "grafo computacional: {count} nós MulBackward0",
        "en": "computational graph: {count} MulBackward0 nodes",
    },
    "widgets.control_flow.verdict.exact": {
        "pt": "a.grad == d / a dá True: iguais bit a bit",
        "en": "a.grad == d / a gives True: equal bit for bit",
    },
    "widgets.control_flow.verdict.rounding": {
        "pt": "a.grad == d / a dá False: iguais só até o arredondamento ({ulps} ulps)",
        "en": "a.grad == d / a gives False: equal only up to rounding ({ulps} ulps)",
    },
    "widgets.control_flow.verdict.false": {
        "pt": "a.grad == d / a dá False: diferem em {ulps} ulps",
        "en": "a.grad == d / a gives False: they differ by {ulps} ulps",
    },
    "widgets.control_flow.bad_a": {
        "pt": "a = {value} não serve aqui (em float32 vale {stored}). f dobra b até a norma chegar "
        "a 1000, o que nunca acontece com a = 0, e um valor infinito ou NaN não tem derivada. "
        "Escolha um a finito e não nulo, como 1.5 ou -1e-6.",
        "en": "a = {value} cannot be used here (in float32 it is {stored}). f doubles b until its "
        "norm reaches 1000, which never happens for a = 0, and an infinite or NaN value has no "
        "derivative. Choose a finite, nonzero a, like 1.5 or -1e-6.",
    },
    "widgets.vjp.title": {
        "pt": "Explorador do produto vetor–jacobiana: x.grad = vᵀJ, do In [11] e In [12]",
        "en": "Vector–Jacobian product explorer: x.grad = vᵀJ, from In [11] and In [12]",
    },
    "widgets.vjp.jacobian": {"pt": "jacobiana J = dy/dx:", "en": "Jacobian J = dy/dx:"},
    "widgets.vjp.grad": {
        "pt": "y.backward(gradient=v) deixa x.grad = vᵀJ = {grad}",
        "en": "y.backward(gradient=v) leaves x.grad = vᵀJ = {grad}",
    },
    "widgets.vjp.matches": {
        "pt": "y.sum().backward() dá {sum_grad}: igual (v = 1 soma as linhas de J)",
        "en": "y.sum().backward() gives {sum_grad}: the same (v = 1 adds up the rows of J)",
    },
    "widgets.vjp.differs": {
        "pt": "y.sum().backward() dá {sum_grad}: diferente (isso seria v = 1, que soma as linhas de J)",
        "en": "y.sum().backward() gives {sum_grad}: different (that would be v = 1, which adds up the rows of J)",
    },
    "widgets.vjp.bad_v": {
        "pt": "v precisa de {count} números finitos separados por vírgulas, como 0, 1, 0, 2, mas recebeu {text!r}.",
        "en": "v needs {count} finite numbers separated by commas, like 0, 1, 0, 2, but got {text!r}.",
    },
    "widgets.vjp.picture.v": {"pt": "v (o gradiente inicial)", "en": "v (the initial gradient)"},
    "widgets.vjp.picture.jacobian": {"pt": "jacobiana J", "en": "Jacobian J"},
    "widgets.vjp.picture.grad": {"pt": "x.grad = vᵀJ", "en": "x.grad = vᵀJ"},
    "widgets.stepper.title": {
        "pt": "Retropropagação passo a passo: {count} passos",
        "en": "Backward pass step by step: {count} steps",
    },
    "widgets.stepper.position": {
        "pt": "passo {number} de {count}: {op} · {label}",
        "en": "step {number} of {count}: {op} · {label}",
    },
    "widgets.stepper.prev": {"pt": "◀ anterior", "en": "◀ previous"},
    "widgets.stepper.next": {"pt": "próximo ▶", "en": "next ▶"},
}
