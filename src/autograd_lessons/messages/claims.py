"""Messages of claims.py: the lesson's claims, the source's words they quote, and their verdicts.

"quote.<id>" holds the words a claim checks: in the language the original run wrote them,
exactly as the run has them (a comment's line breaks joined by a space), and in the other
language as the translated edition shows them. Outputs and code are the same in every
language. "claim.<id>" says what is checked; for the lesson's own questions (claims without
a quote) it is the question itself.
"""

MESSAGES: dict[str, dict[str, str]] = {
    # --- the source's words ------------------------------------------------------------------
    "quote.in2.create_with_requires_grad": {
        "pt": "Também dá para criar x = torch.arange(4.0, requires_grad=True)",
        "en": "Can also create x = torch.arange(4.0, requires_grad=True)",
    },
    "quote.in2.grad_none_before_backward": {
        "pt": "De início, o gradiente é None por padrão. Ele só será calculado depois de rodar "
        "'y.backward()' abaixo.",
        "en": "Initially, the gradient is None by default. Only after running 'y.backward()' below "
        "it will be calculated.",
    },
    "quote.in3.y_is_28": {
        "pt": "tensor(28., grad_fn=<MulBackward0>)",
        "en": "tensor(28., grad_fn=<MulBackward0>)",
    },
    "quote.in4.backward_fills_tracked": {
        "pt": "Quando você chama y.backward(), o PyTorch percorre esse grafo e calcula as derivadas "
        "parciais de y em relação a todos os tensores que foram marcados com requires_grad=True "
        "(no caso, o tensor x).",
        "en": "When you call y.backward(), PyTorch walks that graph and computes the partial "
        "derivatives of y with respect to every tensor that was marked with requires_grad=True "
        "(here, the tensor x).",
    },
    "quote.in4.grad_fn_is_the_multiplication": {
        "pt": "grad_fn=<MulBackward0> indica que o tensor foi criado a partir de uma operação "
        "diferenciável (neste caso, uma multiplicação) e que possui uma função associada para "
        "calcular o gradiente",
        "en": "grad_fn=<MulBackward0> indicates that the tensor was created by a differentiable "
        "operation (in this case, a multiplication) and that it has an associated function to "
        "compute the gradient",
    },
    "quote.in4.untracked_not_recorded": {
        "pt": "Caso requires_grad=True não tivesse sido utilizado, as operações não seriam rastreadas",
        "en": "Had requires_grad=True not been used, the operations would not be tracked",
    },
    "quote.in4.untracked_no_grad": {
        "pt": "x.grad não retornaria resultado",
        "en": "x.grad would return no result",
    },
    "quote.in5.grad_is_4x": {"pt": "x.grad == 4 * x", "en": "x.grad == 4 * x"},
    "quote.in5.dot_is_norm_squared": {
        "pt": "o produto interno de dois vetores( torch.dot(x, x) ) é igual à norma desse vetor ao quadrado",
        "en": "the inner product of two vectors (torch.dot(x, x)) equals the squared norm of that vector",
    },
    "quote.in5.grad_norm_squared_is_2x": {
        "pt": "O gradiente desta norma ao quadrado é igual a duas vezes este vetor",
        "en": "The gradient of this squared norm equals twice the vector",
    },
    "quote.in6.zero_resets_grad": {
        "pt": "Reseta os valores do gradiente de y",
        "en": "Resets the gradient values of y",
    },
    "quote.in6.grad_of_sum_is_ones": {
        "pt": "note que a derivada em relação a x_0 de x_0 é 1, de x_1 em relação a x_1 é 1, e assim "
        "por diante.",
        "en": "note that the derivative with respect to x_0 of x_0 is 1, of x_1 with respect to x_1 "
        "is 1, and so on.",
    },
    "quote.in11.nonscalar_backward_raises": {
        "pt": "Quando y, é vetor, y.backward() retorna erro.",
        "en": "When y is a vector, y.backward() raises an error.",
    },
    "quote.in12.gradient_v_is_vjp": {
        "pt": "gradient=torch.ones(len(y)) transforma y em um escalar l fazendo o produto interno "
        "entre y e um vetor v feito de uns (1)",
        "en": "gradient=torch.ones(len(y)) turns y into a scalar l by taking the inner product of "
        "y with a vector v made of ones (1)",
    },
    "quote.in12.sum_is_shorter": {
        "pt": "Mais rápido: y.sum().backward()",
        "en": "Faster: y.sum().backward()",
    },
    "quote.in16.grad_is_u": {"pt": "Portanto, x.grad == u", "en": "Therefore, x.grad == u"},
    "quote.in16.same_values": {
        "pt": "u terá o mesmo valor numérico que y no momento da separação",
        "en": "u will have the same numerical value as y at the moment of detachment",
    },
    "quote.in16.constant_in_backward": {
        "pt": "Na retropropagação, u é tratado como uma constante em relação a x.",
        "en": "u is treated as a constant with respect to x in the backward pass.",
    },
    "quote.in17.graph_to_y_persists": {
        "pt": "o grafo computacional que leva a y continua existindo e, portanto, podemos calcular o "
        "gradiente de y em relação a x",
        "en": "the computational graph leading to y persists and thus we can calculate the gradient "
        "of y with respect to x",
    },
    "quote.in20.piecewise_linear": {
        "pt": "A função acima retorna um valor linear para um valor de a.",
        "en": "The function above returns a linear value for a value of a.",
    },
    "quote.in20.grad_is_d_over_a": {
        "pt": "portanto, se d = f(a), então a.grad é igual a d/a",
        "en": "therefore, if d = f(a), then a.grad equals d/a",
    },
    # --- what is checked (for the lesson's own questions: the question) ----------------------
    "claim.in2.create_with_requires_grad": {
        "pt": "torch.arange(4.0, requires_grad=True) dá o mesmo x que torch.arange(4.0) seguido de "
        "x.requires_grad_(True): uma folha com requires_grad=True, os mesmos valores e o mesmo "
        "gradiente.",
        "en": "torch.arange(4.0, requires_grad=True) gives the same x as torch.arange(4.0) followed "
        "by x.requires_grad_(True): a leaf with requires_grad=True, the same values and the same "
        "gradient.",
    },
    "claim.in2.grad_none_before_backward": {
        "pt": "x.grad é None até a primeira retropropagação; y.backward() o preenche.",
        "en": "x.grad is None until the first backward pass; y.backward() fills it in.",
    },
    "claim.in3.y_is_28": {
        "pt": "y = 2xᵀx é um escalar igual ao dobro da soma dos quadrados de x (28 para "
        "x = (0, 1, 2, 3)), comparado com o valor exato.",
        "en": "y = 2xᵀx is a scalar equal to twice the sum of the squares of x (28 for "
        "x = (0, 1, 2, 3)), compared with the exact value.",
    },
    "claim.in4.backward_fills_tracked": {
        "pt": "y.backward() preenche o .grad de todo tensor com requires_grad=True (x.grad = 4x) e "
        "deixa em paz um tensor sem ele (w.grad continua None).",
        "en": "y.backward() fills .grad of every tensor with requires_grad=True (x.grad = 4x) and "
        "leaves a tensor without it alone (w.grad stays None).",
    },
    "claim.in4.grad_fn_is_the_multiplication": {
        "pt": "y.grad_fn é o nó da multiplicação por 2 (MulBackward0), e chamá-lo calcula o "
        "gradiente local dessa operação: y.grad_fn(1) dá 2 para o fator torch.dot(x, x) e nada "
        "para a constante 2.",
        "en": "y.grad_fn is the node of the multiplication by 2 (MulBackward0), and calling it "
        "computes that operation's local gradient: y.grad_fn(1) gives 2 for the factor "
        "torch.dot(x, x) and nothing for the constant 2.",
    },
    "claim.in4.untracked_not_recorded": {
        "pt": "Com um x sem requires_grad=True, nada é registrado: y não tem grad_fn e não pede "
        "gradiente.",
        "en": "With an x without requires_grad=True, nothing is recorded: y has no grad_fn and "
        "does not require a gradient.",
    },
    "claim.in4.untracked_no_grad": {
        "pt": "Com um x sem requires_grad=True, x.grad continua None: y.backward() levanta um "
        "erro em vez de calcular algo.",
        "en": "With an x without requires_grad=True, x.grad stays None: y.backward() raises an "
        "error instead of computing anything.",
    },
    "claim.in5.grad_is_4x": {
        "pt": "O gradiente de 2xᵀx é 4x, então x.grad é igual a 4 * x elemento a elemento (o "
        "comentário diz \"2 * torch.dot(x, x) == 4*x\"; o código confere o gradiente).",
        "en": "The gradient of 2xᵀx is 4x, so x.grad equals 4 * x element by element (the comment "
        "says \"2 * torch.dot(x, x) == 4*x\"; the code checks the gradient).",
    },
    "claim.in5.dot_is_norm_squared": {
        "pt": "xᵀx = ‖x‖² é uma identidade exata (a norma é definida como ‖x‖ = √(xᵀx)). O que "
        "se confere aqui é o cálculo em ponto flutuante dos dois lados contra o valor exato.",
        "en": "xᵀx = ‖x‖² is an exact identity (the norm is defined as ‖x‖ = √(xᵀx)). What is "
        "checked here is the floating-point evaluation of both sides against the exact value.",
    },
    "claim.in5.grad_norm_squared_is_2x": {
        "pt": "∇‖x‖² = 2x, com ‖x‖² calculado pela norma (raiz quadrada, depois o quadrado).",
        "en": "∇‖x‖² = 2x, with ‖x‖² computed through the norm (square root, then square).",
    },
    "claim.in6.zero_resets_grad": {
        "pt": "x.grad.zero_() zera o gradiente guardado no próprio tensor (in-place).",
        "en": "x.grad.zero_() resets the stored gradient to zeros in the tensor itself (in place).",
    },
    "claim.in6.grad_accumulates": {
        "pt": "E sem zero_()? Uma segunda retropropagação soma o seu gradiente ao que está em "
        "x.grad (depois de 2xᵀx e de x.sum(), daria 4x + 1)?",
        "en": "And without zero_()? Does a second backward pass add its gradient to what is in "
        "x.grad (after 2xᵀx and then x.sum(), giving 4x + 1)?",
    },
    "claim.in6.grad_of_sum_is_ones": {
        "pt": "A derivada de Σxᵢ em relação a cada xᵢ é 1: x.grad só tem uns.",
        "en": "The derivative of Σxᵢ with respect to each xᵢ is 1: x.grad is all ones.",
    },
    "claim.in11.nonscalar_backward_raises": {
        "pt": "Quando y = x * x tem mais de um elemento, y.backward() sem argumento levanta um erro.",
        "en": "When y = x * x has more than one element, y.backward() without an argument raises "
        "an error.",
    },
    "claim.in12.gradient_v_is_vjp": {
        "pt": "y.backward(gradient=v) dá a x o gradiente do escalar l = vᵀy, isto é, vᵀJ; para "
        "y = x * x e v = (1, …, 1), 2x.",
        "en": "y.backward(gradient=v) gives x the gradient of the scalar l = vᵀy, that is vᵀJ; for "
        "y = x * x and v = (1, …, 1), 2x.",
    },
    "claim.in12.sum_is_shorter": {
        "pt": "Lido como \"um jeito mais curto de escrever\": y.sum().backward() deixa em x.grad o "
        "mesmo que y.backward(gradient=torch.ones(len(y))). O tempo das duas formas é medido e "
        "mostrado, não julgado: o comentário não diz quanto mais rápido.",
        "en": "Read as \"a shorter way to write it\": y.sum().backward() leaves the same x.grad as "
        "y.backward(gradient=torch.ones(len(y))). The time of both spellings is measured and "
        "shown, not judged: the comment does not say how much faster.",
    },
    "claim.in16.grad_is_u": {
        "pt": "Com u = y.detach() tratado como constante, z = u * x dá x.grad == u (d/dx ux = u).",
        "en": "With u = y.detach() treated as a constant, z = u * x gives x.grad == u (d/dx ux = u).",
    },
    "claim.in16.same_values": {
        "pt": "No momento de y.detach(), u tem os mesmos valores que y.",
        "en": "At the moment of y.detach(), u has the same values as y.",
    },
    "claim.in16.constant_in_backward": {
        "pt": "u não tem histórico (grad_fn None, requires_grad False): a retropropagação de "
        "(u * x).sum() nunca chega ao grafo de y.",
        "en": "u has no history (grad_fn None, requires_grad False): the backward pass of "
        "(u * x).sum() never reaches the graph of y.",
    },
    "claim.in16.keeps_values_after_change": {
        "pt": "Se y mudar in-place depois de y.detach(), u continua com os valores antigos?",
        "en": "If y is changed in place after y.detach(), does u keep the old values?",
    },
    "claim.in17.graph_to_y_persists": {
        "pt": "Separar u do grafo não corta o grafo do próprio y: y.sum().backward() ainda chega a x "
        "e dá x.grad == 2x.",
        "en": "Detaching u does not cut y's own graph: y.sum().backward() still reaches x and gives "
        "x.grad == 2x.",
    },
    "claim.in20.piecewise_linear": {
        "pt": "Para cada a, f(a) = k·a, com k = 2ʲ (j duplicações) se a > 0 e k = 100·2ʲ se a < 0: "
        "f é linear em cada trecho onde o caminho do código não muda.",
        "en": "For each a, f(a) = k·a with k = 2ʲ (j doublings) if a > 0 and k = 100·2ʲ if a < 0: "
        "f is linear on each piece where the code's path stays the same.",
    },
    "claim.in20.grad_is_d_over_a": {
        "pt": "Para o a da lição, a.grad == d / a dá True: a inclinação de um trecho linear é o "
        "seu valor dividido por a.",
        "en": "For the lesson's a, a.grad == d / a gives True: the slope of a linear piece is its "
        "value divided by a.",
    },
    "claim.in20.exact_for_every_a": {
        "pt": "A comparação exata a.grad == d / a dá True para todo sorteio a = torch.randn(())?",
        "en": "Does the exact comparison a.grad == d / a give True for every draw a = torch.randn(())?",
    },
    "claim.in20.graph_depends_on_a": {
        "pt": "O grafo computacional registrado muda com a?",
        "en": "Does the recorded computational graph change with a?",
    },
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
    "claims.heading.translated": {"pt": "(traduzido do {original})", "en": "(translated from {original})"},
    "claims.heading.question": {
        "pt": "pergunta da lição sobre o {source}: {question}",
        "en": "the lesson's question about {source}: {question}",
    },
    "claims.language.pt": {"pt": "português", "en": "Portuguese"},
    "claims.language.en": {"pt": "inglês", "en": "English"},
    "claims.checked": {"pt": "conferido: {statement}", "en": "checked: {statement}"},
    "claims.found": {"pt": "encontrado: {evidence}", "en": "found: {evidence}"},
    "claims.cell": {"pt": "In [{cell}]", "en": "In [{cell}]"},
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
        "pt": "Diferenças finitas em float64 discordam da fórmula no elemento {index}: {fd} em vez de "
        "{formula}.",
        "en": "Float64 finite differences disagree with the formula at element {index}: {fd} instead "
        "of {formula}.",
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
        "pt": "y tem {count} elemento; y.backward() funciona, pois um tensor de um só elemento conta "
        "como escalar.",
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
        "pt": "Nós MulBackward0: {count} para a = {a}, {small_count} para a = {small}, "
        "{minus_count} para a = {minus}.",
        "en": "MulBackward0 nodes: {count} for a = {a}, {small_count} for a = {small}, "
        "{minus_count} for a = {minus}.",
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
        "pt": "A célula {cell!r} não tem afirmações verificáveis. Células com afirmações: {valid}.",
        "en": "Cell {cell!r} has no claims to check. Cells with claims: {valid}.",
    },
}
