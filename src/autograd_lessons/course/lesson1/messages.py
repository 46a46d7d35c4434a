"""Lesson 1's claims in words: the source run's words they quote, and what each checks.

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
        "pt": "De início, o gradiente é None por padrão. Ele só será calculado depois de rodar 'y.backward()' abaixo.",
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
        "pt": "note que a derivada em relação a x_0 de x_0 é 1, de x_1 em relação a x_1 é 1, e assim por diante.",
        "en": "note that the derivative with respect to x_0 of x_0 is 1, of x_1 with respect to x_1 is 1, and so on.",
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
        "pt": "Com um x sem requires_grad=True, nada é registrado: y não tem grad_fn e não pede gradiente.",
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
        'comentário diz "2 * torch.dot(x, x) == 4*x"; o código confere o gradiente).',
        "en": "The gradient of 2xᵀx is 4x, so x.grad equals 4 * x element by element (the comment "
        'says "2 * torch.dot(x, x) == 4*x"; the code checks the gradient).',
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
        "en": "When y = x * x has more than one element, y.backward() without an argument raises an error.",
    },
    "claim.in12.gradient_v_is_vjp": {
        "pt": "y.backward(gradient=v) dá a x o gradiente do escalar l = vᵀy, isto é, vᵀJ; para "
        "y = x * x e v = (1, …, 1), 2x.",
        "en": "y.backward(gradient=v) gives x the gradient of the scalar l = vᵀy, that is vᵀJ; for "
        "y = x * x and v = (1, …, 1), 2x.",
    },
    "claim.in12.sum_is_shorter": {
        "pt": 'Lido como "um jeito mais curto de escrever": y.sum().backward() deixa em x.grad o '
        "mesmo que y.backward(gradient=torch.ones(len(y))). O tempo das duas formas é medido e "
        "mostrado, não julgado: o comentário não diz quanto mais rápido.",
        "en": 'Read as "a shorter way to write it": y.sum().backward() leaves the same x.grad as '
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
        "en": "Detaching u does not cut y's own graph: y.sum().backward() still reaches x and gives x.grad == 2x.",
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
        "en": "For the lesson's a, a.grad == d / a gives True: the slope of a linear piece is its value divided by a.",
    },
    "claim.in20.exact_for_every_a": {
        "pt": "A comparação exata a.grad == d / a dá True para todo sorteio a = torch.randn(())?",
        "en": "Does the exact comparison a.grad == d / a give True for every draw a = torch.randn(())?",
    },
    "claim.in20.graph_depends_on_a": {
        "pt": "O grafo computacional registrado muda com a?",
        "en": "Does the recorded computational graph change with a?",
    },
}
