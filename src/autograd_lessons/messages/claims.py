"""Messages of claims.py: the lesson's claims and their verdicts."""

MESSAGES: dict[str, dict[str, str]] = {
    "claim.in2.grad_none_before_backward": {
        "pt": "Antes de qualquer retropropagação, x.grad é None; y.backward() o preenche.",
        "en": "Before any backward pass, x.grad is None; y.backward() fills it in.",
    },
    "claim.in3.y_is_28": {
        "pt": "y = 2xᵀx é um escalar, 28 para x = (0, 1, 2, 3).",
        "en": "y = 2xᵀx is a scalar, 28 for x = (0, 1, 2, 3).",
    },
    "claim.in3.grad_fn_is_mul": {
        "pt": "y.grad_fn é MulBackward0: a última operação foi a multiplicação por 2, e ela leva "
        "de volta a DotBackward0 (o produto interno).",
        "en": "y.grad_fn is MulBackward0: the last operation was the multiplication by 2, and it "
        "leads back to DotBackward0 (the inner product).",
    },
    "claim.in4.backward_fills_tracked_only": {
        "pt": "y.backward() calcula as derivadas parciais de y para todo tensor com "
        "requires_grad=True e as guarda em .grad (x.grad = 4x); um tensor sem requires_grad "
        "fica com .grad = None.",
        "en": "y.backward() computes the partial derivatives of y for every tensor with "
        "requires_grad=True and stores them in .grad (x.grad = 4x); a tensor without "
        "requires_grad keeps .grad = None.",
    },
    "claim.in4.untracked_no_grad_fn": {
        "pt": "Sem requires_grad=True nada é registrado: y.grad_fn é None e y.requires_grad é False.",
        "en": "Without requires_grad=True nothing is recorded: y.grad_fn is None and "
        "y.requires_grad is False.",
    },
    "claim.in4.untracked_backward_raises": {
        "pt": "Sem requires_grad=True, y.backward() levanta RuntimeError: não há grafo "
        "computacional a percorrer.",
        "en": "Without requires_grad=True, y.backward() raises RuntimeError: there is no "
        "computational graph to run through.",
    },
    "claim.in5.grad_is_4x": {
        "pt": "O gradiente de 2xᵀx é 4x, logo x.grad == 4 * x.",
        "en": "The gradient of 2xᵀx is 4x, so x.grad == 4 * x.",
    },
    "claim.in5.dot_is_norm_squared": {
        "pt": "O produto interno de x com ele mesmo é o quadrado da sua norma: xᵀx = ‖x‖².",
        "en": "The inner product of x with itself is its squared norm: xᵀx = ‖x‖².",
    },
    "claim.in5.grad_norm_squared_is_2x": {
        "pt": "O gradiente do quadrado da norma é o dobro do vetor: ∇‖x‖² = 2x.",
        "en": "The gradient of the squared norm is twice the vector: ∇‖x‖² = 2x.",
    },
    "claim.in6.zero_resets_grad": {
        "pt": "x.grad.zero_() zera o gradiente guardado, no próprio tensor (in-place).",
        "en": "x.grad.zero_() resets the stored gradient to zeros, in place (the same tensor).",
    },
    "claim.in6.grad_accumulates": {
        "pt": "Sem zero_(), uma segunda retropropagação acumula em x.grad: depois de 2xᵀx e "
        "de x.sum(), x.grad = 4x + 1.",
        "en": "Without zero_(), a second backward pass accumulates into x.grad: after 2xᵀx and "
        "then x.sum(), x.grad = 4x + 1.",
    },
    "claim.in6.grad_of_sum_is_ones": {
        "pt": "A derivada de Σxᵢ em relação a cada xᵢ é 1: x.grad só tem uns.",
        "en": "The derivative of Σxᵢ with respect to each xᵢ is 1: x.grad is all ones.",
    },
    "claim.in11.nonscalar_backward_raises": {
        "pt": 'Quando y = x * x é um vetor, y.backward() sem argumento levanta "grad can be '
        'implicitly created only for scalar outputs"; um tensor de um só elemento conta como '
        "escalar e não levanta erro.",
        "en": 'When y = x * x is a vector, y.backward() without an argument raises "grad can be '
        'implicitly created only for scalar outputs"; a one-element tensor counts as a scalar '
        "and does not raise.",
    },
    "claim.in12.gradient_v_is_vjp": {
        "pt": "y.backward(v) calcula o produto vetor–jacobiana vᵀJ; para y = x * x, vᵀJ = 2x·v.",
        "en": "y.backward(gradient=v) computes the vector–Jacobian product vᵀJ; for y = x * x, "
        "vᵀJ = 2x·v.",
    },
    "claim.in12.ones_equals_sum": {
        "pt": "Com v = torch.ones(len(y)), y.backward(v) dá o mesmo x.grad que "
        "y.sum().backward(): 2x.",
        "en": "With v = torch.ones(len(y)), y.backward(gradient=v) gives the same x.grad as "
        "y.sum().backward(): 2x.",
    },
    "claim.in12.sum_backward_faster": {
        "pt": 'O comentário "Faster": y.sum().backward() leva pelo menos 20 % menos tempo que '
        "y.backward(torch.ones(len(y))).",
        "en": 'The comment "Faster": y.sum().backward() takes at least 20 % less time than '
        "y.backward(gradient=torch.ones(len(y))).",
    },
    "claim.in16.grad_is_u": {
        "pt": "Com u = y.detach() tratado como constante, z = u * x dá x.grad == u (d/dx ux = u).",
        "en": "With u = y.detach() treated as a constant, z = u * x gives x.grad == u (d/dx ux = u).",
    },
    "claim.in16.detach_values_no_graph": {
        "pt": "u = y.detach() tem os valores de y, mas grad_fn None e requires_grad False: a "
        "retropropagação não passa por u.",
        "en": "u = y.detach() has y's values, but grad_fn None and requires_grad False: the "
        "backward pass does not go through u.",
    },
    "claim.in16.detach_shares_storage": {
        "pt": "u = y.detach() compartilha a memória com y (mesmo data_ptr()): uma mudança "
        "in-place em y aparece em u; y.detach().clone() faz uma cópia independente.",
        "en": "u = y.detach() shares storage with y (same data_ptr()): an in-place change of y "
        "shows in u; y.detach().clone() makes an independent copy.",
    },
    "claim.in16.detach_is_snapshot": {
        "pt": "Como diz a anotação, u guarda os valores que y tinha no momento de desanexar, "
        "mesmo que y mude in-place depois.",
        "en": "As the annotation says, u keeps the values y had at the moment of detaching, "
        "even if y later changes in place.",
    },
    "claim.in17.graph_to_y_persists": {
        "pt": "Desanexar u não corta o grafo computacional do próprio y: y.sum().backward() "
        "ainda chega a x e dá x.grad == 2x.",
        "en": "Detaching u does not cut y's own computational graph: y.sum().backward() still "
        "reaches x and gives x.grad == 2x.",
    },
    "claim.in20.piecewise_linear": {
        "pt": "f é linear por partes: f(a) = s·a com inclinação s = 2^k para a > 0 e 100·2^k "
        "para a < 0, onde o número k de duplicações depende de a.",
        "en": "f is piecewise linear: f(a) = s·a with slope s = 2^k for a > 0 and 100·2^k for "
        "a < 0, where the number k of doublings depends on a.",
    },
    "claim.in20.grad_is_d_over_a": {
        "pt": "Para este a, a.grad == d / a: a derivada de um trecho linear é o seu valor "
        "dividido por a.",
        "en": "For this a, a.grad == d / a: the derivative of a linear piece is its value "
        "divided by a.",
    },
    "claim.in20.exact_for_every_a": {
        "pt": "a.grad == d / a dá True (igualdade exata) para todo sorteio a = torch.randn(()).",
        "en": "a.grad == d / a gives True (exact equality) for every draw a = torch.randn(()).",
    },
    "claim.in20.graph_depends_on_a": {
        "pt": "O grafo computacional depende de a: tem k nós MulBackward0 (o primeiro a * 2 e "
        "um por duplicação do laço), e mais um para 100 * b quando a < 0.",
        "en": "The computational graph depends on a: it has k MulBackward0 nodes (the first "
        "a * 2 and one per doubling in the loop), and one more for 100 * b when a < 0.",
    },
    "claims.status.exact": {"pt": "✔ exato", "en": "✔ exact"},
    "claims.status.rounding": {
        "pt": "≈ a menos de arredondamento ({ulps} ulp)",
        "en": "≈ up to rounding ({ulps} ulp)",
    },
    "claims.status.false": {"pt": "✘ falso", "en": "✘ false"},
    "claims.cell": {"pt": "In [{cell}]:", "en": "In [{cell}]:"},
    "claims.fact": {"pt": "o fato verificado", "en": "the fact checked"},
    "claims.compare.statement": {
        "pt": "os dois tensores ({shape}, {dtype}) são iguais",
        "en": "the two tensors ({shape}, {dtype}) are equal",
    },
    "claims.detail.worst": {
        "pt": "pior elemento {index}: obtido {actual}, esperado {expected} ({ulps} ulp de diferença)",
        "en": "worst element {index}: got {actual}, expected {expected} ({ulps} ulp apart)",
    },
    "claims.detail.observed": {"pt": "observado: {observed}", "en": "observed: {observed}"},
    "claims.detail.fd": {
        "pt": "diferenças finitas em float64 discordam da fórmula no elemento {index}: {fd} "
        "em vez de {formula}",
        "en": "float64 finite differences disagree with the formula at element {index}: {fd} "
        "instead of {formula}",
    },
    "claims.detail.faster": {
        "pt": "mediana de {repeat} medições: {sizes} (tempos em .measurements)",
        "en": "median of {repeat} runs: {sizes} (times in .measurements)",
    },
    "claims.faster.size": {"pt": "{n} elementos: {verdict}", "en": "{n} elements: {verdict}"},
    "claims.faster.yes": {"pt": "mais rápido", "en": "faster"},
    "claims.faster.no": {"pt": "não é mais rápido", "en": "not faster"},
    "claims.detail.snapshot": {
        "pt": "y valia {before}; depois de y.add_(1), u vale {u}",
        "en": "y was {before}; after y.add_(1), u is {u}",
    },
    "claims.detail.ratio": {
        "pt": "a = {a}: a.grad = {grad}, d / a = {ratio} ({ulps} ulp de diferença; == dá {equal})",
        "en": "a = {a}: a.grad = {grad}, d / a = {ratio} ({ulps} ulp apart; == gives {equal})",
    },
    "claims.detail.every": {
        "pt": "== dá False em {broken} de {n} sorteios (semente {draws_seed}), por exemplo a = {a}: "
        "a.grad = {grad}, d / a = {ratio} ({ulps} ulp de diferença)",
        "en": "== gives False for {broken} of {n} draws (seed {draws_seed}), for example a = {a}: "
        "a.grad = {grad}, d / a = {ratio} ({ulps} ulp apart)",
    },
    "claims.detail.nodes": {
        "pt": "a = {a}: {count} nós MulBackward0, a fórmula dá {expected}",
        "en": "a = {a}: {count} MulBackward0 nodes, the formula gives {expected}",
    },
    "claims.detail.graph": {
        "pt": "nós MulBackward0: {count} para a = {a}, {small_count} para a = {small}, "
        "{minus_count} para a = {minus}",
        "en": "MulBackward0 nodes: {count} for a = {a}, {small_count} for a = {small}, "
        "{minus_count} for a = {minus}",
    },
    "claims.study.text": {
        "pt": "In [20] com {n} sorteios a = torch.randn(()) (semente {draws_seed}): {negative} "
        "negativos; a.grad == d / a dá False em {broken} deles ({percent} %) e em {positive} "
        "positivos; a maior diferença é {ulps} ulp (arredondamento de 100 * b).",
        "en": "In [20] with {n} draws a = torch.randn(()) (seed {draws_seed}): {negative} negative; "
        "a.grad == d / a gives False for {broken} of them ({percent} %) and for {positive} "
        "positive ones; the largest difference is {ulps} ulp (rounding of 100 * b).",
    },
    "claims.study.example": {
        "pt": "primeiro contraexemplo, sorteio {index}: a = {a}, a.grad = {grad}, d / a = {ratio} "
        "({ulps} ulp)",
        "en": "first counterexample, draw {index}: a = {a}, a.grad = {grad}, d / a = {ratio} "
        "({ulps} ulp)",
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
        "pt": "A célula {cell!r} não tem afirmações verificáveis. Células com afirmações: {valid}.",
        "en": "Cell {cell!r} has no claims to check. Cells with claims: {valid}.",
    },
}
