"""Messages of claims.py: the lesson's claims, the source's words they quote, and their verdicts.

"quote.<id>" holds the words a claim checks: in the language the original run wrote them,
exactly as the run has them (a comment's line breaks joined by a space), and in the other
language as the translated edition shows them. Outputs and code are the same in every
language. "claim.<id>" says what is checked; for the lesson's own questions (claims without
a quote) it is the question itself.
"""

MESSAGES: dict[str, dict[str, str]] = {
    # --- how a verdict reads -----------------------------------------------------------------
    "claims.status.exact": {"pt": "✔ vale", "en": "✔ holds"},
    "claims.status.rounding": {
        "pt": "≈ vale a menos de arredondamento ({ulps} ulp)",
        "en": "≈ holds up to rounding ({ulps} ulp)",
    },
    "claims.status.false": {"pt": "✘ não vale", "en": "✘ does not hold"},
    "claims.answer.exact": {"pt": "✔ sim", "en": "✔ yes"},
    "claims.answer.rounding": {
        "pt": "≈ sim, a menos de arredondamento ({ulps} ulp)",
        "en": "≈ yes, up to rounding ({ulps} ulp)",
    },
    "claims.answer.false": {"pt": "✘ não", "en": "✘ no"},
    "claims.heading.comment": {"pt": "{source}, comentário: “{quote}”", "en": "{source}, comment: “{quote}”"},
    "claims.heading.output": {"pt": "{source}, saída: “{quote}”", "en": "{source}, output: “{quote}”"},
    "claims.heading.code": {"pt": "{source}, código: “{quote}”", "en": "{source}, code: “{quote}”"},
    "claims.heading.prose": {"pt": "{source}, a lição diz: “{quote}”", "en": "{source}, the lesson says: “{quote}”"},
    "claims.heading.translated": {"pt": "(traduzido do {original})", "en": "(translated from {original})"},
    "claims.heading.question.run": {
        "pt": "pergunta da lição sobre o {source}: {question}",
        "en": "the lesson's question about {source}: {question}",
    },
    "claims.heading.question.section": {
        "pt": "pergunta da lição ({source}): {question}",
        "en": "the lesson's question ({source}): {question}",
    },
    "claims.language.pt": {"pt": "português", "en": "Portuguese"},
    "claims.language.en": {"pt": "inglês", "en": "English"},
    "claims.checked": {"pt": "conferido: {statement}", "en": "checked: {statement}"},
    "claims.found": {"pt": "encontrado: {evidence}", "en": "found: {evidence}"},
    "claims.source.run": {"pt": "In [{cell}]", "en": "In [{cell}]"},
    "claims.source.section": {"pt": "Lição {lesson}, § {cell}", "en": "Lesson {lesson}, § {cell}"},
    "claims.fact": {"pt": "o fato verificado", "en": "the fact checked"},
    "claims.bool.True": {"pt": "sim", "en": "yes"},
    "claims.bool.False": {"pt": "não", "en": "no"},
    "claims.compare.statement": {
        "pt": "os dois tensores ({shape}, {dtype}) são iguais",
        "en": "the two tensors ({shape}, {dtype}) are equal",
    },
    # --- evidence ------------------------------------------------------------------------------
    "claims.evidence.equal": {
        "pt": "{actual} e {expected}: iguais bit a bit.",
        "en": "{actual} and {expected}: equal bit for bit.",
    },
    "claims.evidence.close": {
        "pt": "{actual} e {expected}: iguais a menos de {ulps} ulp.",
        "en": "{actual} and {expected}: equal up to {ulps} ulp.",
    },
    "claims.evidence.differ": {
        "pt": "{actual} e {expected}: diferentes.",
        "en": "{actual} and {expected}: different.",
    },
    "claims.evidence.worst": {
        "pt": "Pior elemento {index}: obtido {actual}, esperado {expected} ({ulps} ulp de diferença).",
        "en": "Worst element {index}: got {actual}, expected {expected} ({ulps} ulp apart).",
    },
    "claims.evidence.fd_agree": {
        "pt": "Diferenças finitas em float64 confirmam a fórmula.",
        "en": "Float64 finite differences confirm the formula.",
    },
    "claims.evidence.fd_differ": {
        "pt": "Diferenças finitas em float64 discordam da fórmula no elemento {index}: {fd} em vez de {formula}.",
        "en": "Float64 finite differences disagree with the formula at element {index}: {fd} instead of {formula}.",
    },
    "claims.evidence.created": {
        "pt": "torch.arange(…, requires_grad=True) = {values}, com is_leaf = {is_leaf} e requires_grad = "
        "{requires}; gradiente de 2xᵀx: {grad}, e pelo outro caminho {other}.",
        "en": "torch.arange(…, requires_grad=True) = {values}, with is_leaf = {is_leaf} and requires_grad = "
        "{requires}; gradient of 2xᵀx: {grad}, and the other way {other}.",
    },
    "claims.evidence.before_after": {
        "pt": "x.grad antes: {before}; depois de y.backward(): {after}.",
        "en": "x.grad before: {before}; after y.backward(): {after}.",
    },
    "claims.evidence.not_scalar": {
        "pt": "y tem formato {shape}, não é escalar.",
        "en": "y has shape {shape}, it is not a scalar.",
    },
    "claims.evidence.grads": {"pt": "x.grad = {x}.", "en": "x.grad = {x}."},
    "claims.evidence.untracked_grad": {
        "pt": "w, sem requires_grad, na mesma soma: w.grad = {grad}.",
        "en": "w, without requires_grad, in the same sum: w.grad = {grad}.",
    },
    "claims.evidence.node": {
        "pt": "y.grad_fn = {node}, com entradas {inputs}; y.grad_fn(1) = {local}.",
        "en": "y.grad_fn = {node}, with inputs {inputs}; y.grad_fn(1) = {local}.",
    },
    "claims.evidence.not_recorded": {
        "pt": "y.grad_fn = {grad_fn}, y.requires_grad = {requires}.",
        "en": "y.grad_fn = {grad_fn}, y.requires_grad = {requires}.",
    },
    "claims.evidence.raised": {
        "pt": "x.grad = {grad}; y.backward() levantou {error}",
        "en": "x.grad = {grad}; y.backward() raised {error}",
    },
    "claims.evidence.no_error": {
        "pt": "y.backward() não levantou erro; x.grad = {grad}.",
        "en": "y.backward() raised no error; x.grad = {grad}.",
    },
    "claims.evidence.identity": {
        "pt": "Valor exato: {exact}. torch.dot(x, x) = {dot} ({dot_ulps}); "
        "torch.linalg.vector_norm(x) ** 2 = {norm} ({norm_ulps}).",
        "en": "Exact value: {exact}. torch.dot(x, x) = {dot} ({dot_ulps}); "
        "torch.linalg.vector_norm(x) ** 2 = {norm} ({norm_ulps}).",
    },
    "claims.evidence.ulps_away": {"pt": "a {ulps} ulp do exato", "en": "{ulps} ulp from exact"},
    "claims.evidence.rounding_in_sqrt": {
        "pt": "A identidade vale; a diferença vem do cálculo: a raiz quadrada é arredondada para o "
        "float mais próximo, e elevar esse valor ao quadrado não devolve exatamente a soma.",
        "en": "The identity holds; the difference comes from the evaluation: the square root is "
        "rounded to the nearest float, and squaring that value does not give the sum back exactly.",
    },
    "claims.evidence.zeroed": {
        "pt": "x.grad antes: {before}; depois de x.grad.zero_(): {after}; o mesmo tensor: {same}.",
        "en": "x.grad before: {before}; after x.grad.zero_(): {after}; the same tensor: {same}.",
    },
    "claims.evidence.nonscalar": {
        "pt": "y tem {count} elementos; y.backward() levantou {error}",
        "en": "y has {count} elements; y.backward() raised {error}",
    },
    "claims.evidence.one_element": {
        "pt": "y tem {count} elemento; y.backward() funciona, pois um tensor de um só elemento conta como escalar.",
        "en": "y has {count} element; y.backward() works, as a one-element tensor counts as a scalar.",
    },
    "claims.evidence.jacobian": {
        "pt": "vᵀJ com J de torch.func.jacrev em float64: {vjp}.",
        "en": "vᵀJ with J from torch.func.jacrev in float64: {vjp}.",
    },
    "claims.evidence.jacobian_differs": {
        "pt": "vᵀJ com J de torch.func.jacrev em float64 dá {vjp}, diferente da fórmula 2x·v.",
        "en": "vᵀJ with J from torch.func.jacrev in float64 gives {vjp}, not the formula 2x·v.",
    },
    "claims.evidence.median_of": {
        "pt": "Tempos: mediana de {repeat} medições de cada forma.",
        "en": "Times: median of {repeat} runs of each spelling.",
    },
    "claims.evidence.timed": {
        "pt": "Com {n} elementos: mesmo x.grad: {same}; gradient=torch.ones: {ones}; .sum(): {total}.",
        "en": "With {n} elements: same x.grad: {same}; gradient=torch.ones: {ones}; .sum(): {total}.",
    },
    "claims.evidence.constant": {
        "pt": "u.grad_fn = {grad_fn}, u.requires_grad = {requires}; a retropropagação de (u * x).sum() "
        "passou pelo grafo de y: {reached}.",
        "en": "u.grad_fn = {grad_fn}, u.requires_grad = {requires}; the backward pass of "
        "(u * x).sum() went through the graph of y: {reached}.",
    },
    "claims.evidence.shared": {
        "pt": "u usa a mesma memória que y: {shares}. y = {before}; depois de y.add_(1), y = {y} e "
        "u = {u}; y.detach().clone() continua {c}.",
        "en": "u uses the same memory as y: {shares}. y = {before}; after y.add_(1), y = {y} and "
        "u = {u}; y.detach().clone() stays {c}.",
    },
    "claims.evidence.piece": {
        "pt": "a = {a}: {k} duplicações, inclinação {slope}, d = {d}.",
        "en": "a = {a}: {k} doublings, slope {slope}, d = {d}.",
    },
    "claims.evidence.slope_fd": {
        "pt": "Diferenças finitas em float64 dão a inclinação {slope}.",
        "en": "Float64 finite differences give the slope {slope}.",
    },
    "claims.evidence.ratio": {
        "pt": "a = {a}: a.grad = {grad}, d / a = {ratio} ({ulps} ulp de diferença; == dá True: {equal}).",
        "en": "a = {a}: a.grad = {grad}, d / a = {ratio} ({ulps} ulp apart; == gives True: {equal}).",
    },
    "claims.evidence.every": {
        "pt": "== dá False em {broken} de {n} sorteios (semente {draws_seed}), por exemplo a = {a}: "
        "a.grad = {grad}, d / a = {ratio} ({ulps} ulp de diferença). O gradiente está certo; quem "
        "arredonda é d = 100 * b.",
        "en": "== gives False for {broken} of {n} draws (seed {draws_seed}), for example a = {a}: "
        "a.grad = {grad}, d / a = {ratio} ({ulps} ulp apart). The gradient is right; what rounds "
        "is d = 100 * b.",
    },
    "claims.evidence.every_true": {
        "pt": "== dá True nos {n} sorteios (semente {draws_seed}).",
        "en": "== gives True for all {n} draws (seed {draws_seed}).",
    },
    "claims.evidence.nodes": {
        "pt": "a = {a}: {count} nós MulBackward0, a fórmula dá {expected}.",
        "en": "a = {a}: {count} MulBackward0 nodes, the formula gives {expected}.",
    },
    "claims.evidence.graph": {
        "pt": "Nós MulBackward0: {count} para a = {a}, {small_count} para a = {small}, {minus_count} para a = {minus}.",
        "en": "MulBackward0 nodes: {count} for a = {a}, {small_count} for a = {small}, {minus_count} for a = {minus}.",
    },
    # --- demos and studies ---------------------------------------------------------------------
    "claims.study.text": {
        "pt": "In [20] com {n} sorteios a = torch.randn(()) (semente {draws_seed}): {negative} "
        "negativos; a.grad == d / a dá False em {broken} deles ({percent} %) e em {positive} "
        "positivos; a maior diferença é {ulps} ulp (arredondamento de 100 * b).",
        "en": "In [20] with {n} draws a = torch.randn(()) (seed {draws_seed}): {negative} negative; "
        "a.grad == d / a gives False for {broken} of them ({percent} %) and for {positive} "
        "positive ones; the largest difference is {ulps} ulp (rounding of 100 * b).",
    },
    "claims.study.example": {
        "pt": "primeiro contraexemplo, sorteio {index}: a = {a}, a.grad = {grad}, d / a = {ratio} ({ulps} ulp)",
        "en": "first counterexample, draw {index}: a = {a}, a.grad = {grad}, d / a = {ratio} ({ulps} ulp)",
    },
    "claims.demo.text": {
        "pt": "y = x * x = {before}; u = y.detach(); c = y.detach().clone()\n"
        "depois de y.add_(1): y = {y}, u = {u} (mesma memória que y: {u_shares}), "
        "c = {c} (mesma memória que y: {c_shares})",
        "en": "y = x * x = {before}; u = y.detach(); c = y.detach().clone()\n"
        "after y.add_(1): y = {y}, u = {u} (same storage as y: {u_shares}), "
        "c = {c} (same storage as y: {c_shares})",
    },
    "claims.error.not_tensor": {
        "pt": "{name} deve ser um tensor do PyTorch (ou um número), mas é {kind}. Converta "
        "antes, por exemplo torch.tensor({name}).",
        "en": "{name} must be a PyTorch tensor (or a number), but it is a {kind}. Convert it "
        "first, for example torch.tensor({name}).",
    },
    "claims.error.shape": {
        "pt": "Os formatos diferem: obtido {actual}, esperado {expected}. Compare tensores do "
        "mesmo formato; se os valores são os mesmos em outra disposição, use "
        ".reshape{expected} no primeiro.",
        "en": "The shapes differ: got {actual}, expected {expected}. Compare tensors of the "
        "same shape; if the values are the same in another layout, use .reshape{expected} "
        "on the first one.",
    },
    "claims.error.dtype": {
        "pt": "Os tipos diferem: obtido {actual}, esperado {expected}. Converta um deles, por "
        "exemplo actual.to({expected}), para comparar no mesmo tipo.",
        "en": "The dtypes differ: got {actual}, expected {expected}. Convert one of them, for "
        "example actual.to({expected}), to compare in one dtype.",
    },
    "claims.error.not_float": {
        "pt": "{name} precisa ser de ponto flutuante para ter gradiente, mas é {dtype}. Use "
        "{name}.float() ou torch.arange(4.0).",
        "en": "{name} must be floating point to have a gradient, but it is {dtype}. Use "
        "{name}.float() or torch.arange(4.0).",
    },
    "claims.error.not_finite": {
        "pt": "{name} deve ter só números finitos, mas tem NaN ou infinito: {values}. A derivada "
        "não está definida aí; use valores finitos, como torch.arange(4.0).",
        "en": "{name} must hold finite numbers only, but it has NaN or infinity: {values}. The "
        "derivative is not defined there; use finite values, like torch.arange(4.0).",
    },
    "claims.error.too_large": {
        "pt": "{name} tem valores grandes demais para {dtype}: as contas da lição (como u * x = x³ no "
        "In [16]) passariam do maior número representável e dariam infinito. Use valores com "
        "módulo até {largest}, ou {name}.double().",
        "en": "{name} has values too large for {dtype}: the lesson's computations (such as u * x = x³ "
        "in In [16]) would exceed the largest representable number and give infinity. Use values "
        "of magnitude up to {largest}, or {name}.double().",
    },
    "claims.error.not_vector": {
        "pt": "{name} deve ser um tensor não vazio (e um vetor, de 1 dimensão, onde a afirmação "
        "usa torch.dot), como torch.arange(4.0), mas tem formato {shape}.",
        "en": "{name} must be a non-empty tensor (and a vector, 1 dimension, where the claim "
        "uses torch.dot), like torch.arange(4.0), but it has shape {shape}.",
    },
    "claims.error.bad_a": {
        "pt": "a deve ser um escalar finito e não nulo (|a| ≥ 1e-30), como torch.randn(()), "
        "mas é {value}. Com a = 0 o laço de f nunca termina.",
        "en": "a must be a finite, nonzero scalar (|a| ≥ 1e-30), like torch.randn(()), but it "
        "is {value}. With a = 0 the loop of f never ends.",
    },
    "claims.error.v_like_x": {
        "pt": "v deve ter o formato e o tipo de x: v tem formato {v}, x tem {x}. Use, por "
        "exemplo, v = torch.ones_like(x).",
        "en": "v must have the shape and dtype of x: v has shape {v}, x has {x}. Use, for "
        "example, v = torch.ones_like(x).",
    },
    "claims.error.timing": {
        "pt": "n e repeat devem ser inteiros positivos (recebi n={n!r}, repeat={repeat!r}).",
        "en": "n and repeat must be positive integers (got n={n!r}, repeat={repeat!r}).",
    },
    "claims.error.study": {
        "pt": "n deve ser um inteiro positivo e a semente um inteiro (recebi n={n!r} e semente {draws_seed!r}).",
        "en": "n must be a positive integer and the seed an integer (got n={n!r} and seed {draws_seed!r}).",
    },
    "claims.error.unknown_claim": {
        "pt": "Afirmação desconhecida: {claim!r}. As afirmações verificáveis são: {valid}.",
        "en": "Unknown claim: {claim!r}. The claims that can be checked are: {valid}.",
    },
    "claims.error.unknown_input": {
        "pt": "{claim} não usa a(s) entrada(s) {names}. Entradas aceitas: {valid}.",
        "en": "{claim} takes no input named {names}. Accepted inputs: {valid}.",
    },
    "claims.error.unknown_cell": {
        "pt": "A célula {cell!r} da lição {lesson} não tem afirmações verificáveis. Células com afirmações: {valid}.",
        "en": "Cell {cell!r} of lesson {lesson} has no claims to check. Cells with claims: {valid}.",
    },
    "claims.error.unknown_lesson": {
        "pt": "A lição {lesson!r} não tem afirmações verificáveis; escreva lesson= com uma destas: {valid}.",
        "en": "Lesson {lesson!r} has no claims to check; pass lesson= one of: {valid}.",
    },
}
