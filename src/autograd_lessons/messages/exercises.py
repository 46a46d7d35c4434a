"""Messages of exercises.py: checking the exercises, hints and solutions."""

MESSAGES: dict[str, dict[str, str]] = {
    "exercises.correct": {"pt": "Exercício {number}: correto", "en": "Exercise {number}: correct"},
    "exercises.wrong": {"pt": "Exercício {number}: ainda não", "en": "Exercise {number}: not yet"},
    "exercises.hint": {"pt": "dica: {hint}", "en": "hint: {hint}"},
    "exercises.unknown": {
        "pt": "Não existe o exercício {number}; os exercícios são numerados de {valid}.",
        "en": "There is no exercise {number}; the exercises are numbered {valid}.",
    },
    "exercises.unanswered": {
        "pt": "ainda não respondido. Substitua o None (ou ...) pela resposta na forma {form}.",
        "en": "not answered yet. Replace the None (or ...) with your answer in the form {form}.",
    },
    "exercises.bad_form": {
        "pt": "a resposta não tem a forma esperada.",
        "en": "the answer does not have the expected form.",
    },
    "exercises.form_hint": {"pt": "a resposta deve ser {form}.", "en": "the answer should be {form}."},
    "exercises.incorrect": {
        "pt": "a resposta não confere com o cálculo independente do verificador.",
        "en": "the answer does not match the checker's independent computation.",
    },
    "exercises.raised": {
        "pt": "a sua função levantou um erro: {error}. Corrija-a e rode a célula de novo.",
        "en": "your function raised an error: {error}. Fix it and run the cell again.",
    },
    "exercises.1.form": {
        "pt": '{{"first_seconds": float, "second_seconds": float, "second_derivative": tensor de '
        "formato (1000,)}}, com a segunda derivada de sin em X1",
        "en": '{{"first_seconds": float, "second_seconds": float, "second_derivative": tensor of '
        "shape (1000,)}}, with the second derivative of sin at X1",
    },
    "exercises.1.ok": {
        "pt": "a segunda derivada é −sin(x), e a segunda retropropagação, que percorre um grafo "
        "computacional maior (criado com create_graph=True), não sai muito mais barata que a primeira.",
        "en": "the second derivative is −sin(x), and the second backward pass, which runs through a "
        "bigger computation graph (built with create_graph=True), does not come out much cheaper than the first.",
    },
    "exercises.1.first_derivative": {
        "pt": "isso é a primeira derivada, cos(x). Calcule a primeira com create_graph=True e derive "
        "o resultado de novo (por exemplo, a soma dele) em relação a x.",
        "en": "that is the first derivative, cos(x). Compute the first one with create_graph=True and "
        "differentiate the result (for example its sum) with respect to x again.",
    },
    "exercises.1.values": {
        "pt": "os valores não são a segunda derivada de sin em X1, que deve dar −sin(X1).",
        "en": "the values are not the second derivative of sin at X1, which should come out as −sin(X1).",
    },
    "exercises.1.times_invalid": {
        "pt": "os tempos devem ser números finitos maiores que zero, em segundos.",
        "en": "the times should be finite numbers greater than zero, in seconds.",
    },
    "exercises.1.times_implausible": {
        "pt": "a segunda retropropagação saiu bem mais rápida que a primeira, o que é implausível: ela "
        "deriva um grafo computacional maior. Meça com mais repetições (por exemplo, timeit com "
        "number=100) e meça só a retropropagação.",
        "en": "the second backward pass came out much faster than the first, which is implausible: it "
        "differentiates a bigger computation graph. Measure with more repetitions (for example timeit "
        "with number=100) and time only the backward pass.",
    },
    "exercises.2.form": {
        "pt": '{{"error": a exceção capturada, "grad": x.grad, um tensor de formato (4,)}}',
        "en": '{{"error": the caught exception, "grad": x.grad, a tensor of shape (4,)}}',
    },
    "exercises.2.ok": {
        "pt": "a retropropagação libera o grafo computacional; retain_graph=True o mantém, e cada "
        "chamada de backward() soma o seu gradiente em .grad.",
        "en": "the backward pass frees the computation graph; retain_graph=True keeps it, and each "
        "call of backward() adds its gradient into .grad.",
    },
    "exercises.2.no_error": {
        "pt": '"error" deve ser o RuntimeError que o PyTorch levanta no segundo y.backward() sem '
        'retain_graph ("Trying to backward through the graph a second time"). Capture-o com '
        "try/except RuntimeError as e.",
        "en": '"error" should be the RuntimeError PyTorch raises on the second y.backward() without '
        'retain_graph ("Trying to backward through the graph a second time"). Catch it with '
        "try/except RuntimeError as e.",
    },
    "exercises.2.once": {
        "pt": "o grad é 2x, o gradiente de uma só chamada. A segunda chamada acumula em .grad: você "
        "zerou o gradiente entre as duas chamadas ou chamou backward só uma vez?",
        "en": "the grad is 2x, the gradient of a single call. The second call accumulates into .grad: "
        "did you zero it in between or call backward only once?",
    },
    "exercises.2.not_zeroed": {
        "pt": "o grad é 6x: x.grad ainda guardava os 2x da primeira parte; zere-o primeiro "
        "(x.grad = None ou x.grad.zero_()).",
        "en": "the grad is 6x: x.grad still held the 2x from the first part; zero it first "
        "(x.grad = None or x.grad.zero_()).",
    },
    "exercises.2.values": {
        "pt": "depois de zerar x.grad e chamar z.backward(retain_graph=True) e z.backward(), o grad "
        "deve ser 2x + 2x = 4x = [0, 4, 8, 12].",
        "en": "after zeroing x.grad and calling z.backward(retain_graph=True) and z.backward(), the "
        "grad should be 2x + 2x = 4x = [0, 4, 8, 12].",
    },
    "exercises.3.form": {
        "pt": "(a, grad): a um tensor float com pelo menos 2 elementos e grad = a.grad depois de "
        "d = f(a); d.sum().backward()",
        "en": "(a, grad): a a float tensor with at least 2 elements and grad = a.grad after "
        "d = f(a); d.sum().backward()",
    },
    "exercises.3.ok": {
        "pt": "com um vetor ou matriz, f continua linear por partes: o gradiente tem o mesmo valor em "
        "todos os elementos, decidido pela norma e pela soma de a inteiro.",
        "en": "with a vector or matrix, f is still piecewise linear: the gradient has the same value "
        "in every element, decided by the norm and the sum of the whole a.",
    },
    "exercises.3.scalar": {
        "pt": "a tem um só elemento; use um vetor ou matriz, por exemplo "
        "a = torch.tensor([0.5, -1.0], requires_grad=True).",
        "en": "a has a single element; use a vector or matrix, for example "
        "a = torch.tensor([0.5, -1.0], requires_grad=True).",
    },
    "exercises.3.shape": {
        "pt": "o gradiente tem formato {actual}, mas deve ter o formato de a, {expected}.",
        "en": "the gradient has shape {actual}, but it should have the shape of a, {expected}.",
    },
    "exercises.3.zero": {
        "pt": "a norma de a deve ser finita e diferente de zero, senão f nunca sai do laço.",
        "en": "the norm of a should be finite and nonzero, otherwise f never leaves its loop.",
    },
    "exercises.3.values": {
        "pt": "para este a, f dobra k = {k} vezes, então cada elemento do gradiente deve ser {slope} "
        "(2^k se a soma for positiva, 100·2^k se não for). Zerou a.grad antes do backward?",
        "en": "for this a, f doubles k = {k} times, so every element of the gradient should be "
        "{slope} (2^k if the sum is positive, 100·2^k otherwise). Did you zero a.grad before backward?",
    },
    "exercises.4.form": {
        "pt": "uma função dsin(x) que recebe um tensor e devolve a derivada de sin em x, calculada "
        "com autograd",
        "en": "a function dsin(x) that takes a tensor and returns the derivative of sin at x, "
        "computed with autograd",
    },
    "exercises.4.ok": {
        "pt": "o autograd reproduz a derivada cos(x) sem que você escreva cos.",
        "en": "autograd reproduces the derivative cos(x) without you writing cos.",
    },
    "exercises.4.uses_cos": {
        "pt": "a sua função usa cos diretamente; o objetivo é obter a derivada pelo autograd: "
        "x.requires_grad_(), y = torch.sin(x), depois y.sum().backward() ou torch.autograd.grad.",
        "en": "your function uses cos directly; the point is to get the derivative from autograd: "
        "x.requires_grad_(), y = torch.sin(x), then y.sum().backward() or torch.autograd.grad.",
    },
    "exercises.4.values": {
        "pt": "os valores não são a derivada de sin. Derive sin(x).sum() em relação a x.",
        "en": "the values are not the derivative of sin. Differentiate sin(x).sum() with respect to x.",
    },
    "exercises.5.form": {
        "pt": '(funcao, ops): a sua implementação de (log x²)·sin x + 1/x e a lista dos nomes de '
        'grad_fn do grafo computacional, por exemplo ["LogBackward0", "MulBackward0", ...]',
        "en": '(function, ops): your implementation of (log x²)·sin x + 1/x and the list of grad_fn '
        'names in its computation graph, for example ["LogBackward0", "MulBackward0", ...]',
    },
    "exercises.5.ok": {
        "pt": "a função confere com f e a lista de operações é exatamente o grafo computacional "
        "que ela constrói.",
        "en": "the function matches f and the list of operations is exactly the computation graph "
        "it builds.",
    },
    "exercises.5.values": {
        "pt": "a sua função não dá os mesmos valores que (log x²)·sin x + 1/x em [0.5, 3].",
        "en": "your function does not give the same values as (log x²)·sin x + 1/x on [0.5, 3].",
    },
    "exercises.5.no_graph": {
        "pt": "com x = torch.tensor(2.0, requires_grad=True), a sua função não devolve um tensor "
        "com grad_fn; use operações do torch sobre x.",
        "en": "with x = torch.tensor(2.0, requires_grad=True), your function does not return a tensor "
        "with a grad_fn; use torch operations on x.",
    },
    "exercises.5.ops": {
        "pt": "a lista não confere com o grafo computacional da sua função (sem contar a folha "
        "AccumulateGrad). Faltam: {missing}. Sobram: {extra}. Use trace(funcao(x)) para conferir.",
        "en": "the list does not match the computation graph of your function (not counting the leaf "
        "AccumulateGrad). Missing: {missing}. Extra: {extra}. Use trace(function(x)) to check.",
    },
    "exercises.6.form": {
        "pt": "uma função dfdx(x) que recebe um tensor e devolve a derivada de f calculada à mão",
        "en": "a function dfdx(x) that takes a tensor and returns the derivative of f worked out by hand",
    },
    "exercises.6.ok": {
        "pt": "a sua derivada pela regra da cadeia confere com o autograd em 50 pontos.",
        "en": "your chain-rule derivative matches autograd at 50 points.",
    },
    "exercises.6.sign": {
        "pt": "em x = {x} a sua derivada dá {actual}, o autograd dá {expected}. Confira o sinal do "
        "último termo: a derivada de x⁻¹ é −x⁻².",
        "en": "at x = {x} your derivative gives {actual}, autograd gives {expected}. Check the sign "
        "of the last term: d/dx x⁻¹ = −x⁻².",
    },
    "exercises.6.values": {
        "pt": "em x = {x} a sua derivada dá {actual}, o autograd dá {expected}. Aplique a regra da "
        "cadeia a log(x²) e a regra do produto a log(x²)·sin x; lembre que a derivada de x⁻¹ é −x⁻².",
        "en": "at x = {x} your derivative gives {actual}, autograd gives {expected}. Apply the chain "
        "rule to log(x²) and the product rule to log(x²)·sin x; recall d/dx x⁻¹ = −x⁻².",
    },
    "exercises.7.form": {
        "pt": '{{"forward": tensor de formato (6,), "backward": tensor de formato (6,)}}, a derivada '
        "de f em X7 por torch.func.jvp e por torch.func.vjp",
        "en": '{{"forward": tensor of shape (6,), "backward": tensor of shape (6,)}}, the derivative '
        "of f at X7 by torch.func.jvp and by torch.func.vjp",
    },
    "exercises.7.ok": {
        "pt": "o modo direto (jvp) e o modo reverso (vjp) dão a mesma derivada, igual à fórmula.",
        "en": "forward mode (jvp) and reverse mode (vjp) give the same derivative, equal to the formula.",
    },
    "exercises.7.both": {
        "pt": "nem forward nem backward conferem com a derivada de f em X7. Use "
        "torch.func.jvp(f5, (X7,), (torch.ones_like(X7),))[1] e "
        "torch.func.vjp(f5, X7)[1](torch.ones_like(X7))[0].",
        "en": "neither forward nor backward matches the derivative of f at X7. Use "
        "torch.func.jvp(f5, (X7,), (torch.ones_like(X7),))[1] and "
        "torch.func.vjp(f5, X7)[1](torch.ones_like(X7))[0].",
    },
    "exercises.7.forward": {
        "pt": '"forward" não confere com a derivada; jvp devolve (f(x), derivada): pegue o índice '
        "[1], com a tangente torch.ones_like(X7).",
        "en": '"forward" does not match the derivative; jvp returns (f(x), derivative): take index '
        "[1], with the tangent torch.ones_like(X7).",
    },
    "exercises.7.backward": {
        "pt": '"backward" não confere com a derivada; vjp devolve (f(x), função): chame a função '
        "com torch.ones_like(X7) e pegue o índice [0].",
        "en": '"backward" does not match the derivative; vjp returns (f(x), function): call the '
        "function with torch.ones_like(X7) and take index [0].",
    },
    "exercises.7.disagree": {
        "pt": "forward e backward conferem com a fórmula, mas não entre si (formato ou tipo diferente).",
        "en": "forward and backward match the formula but not each other (different shape or dtype).",
    },
    "exercises.8.form": {
        "pt": '{{"tall": (segundos_jacfwd, segundos_jacrev), "wide": (segundos_jacfwd, '
        'segundos_jacrev), "conclusion": {{"tall": "forward" ou "reverse", "wide": "forward" ou "reverse"}}}}',
        "en": '{{"tall": (seconds_jacfwd, seconds_jacrev), "wide": (seconds_jacfwd, '
        'seconds_jacrev), "conclusion": {{"tall": "forward" or "reverse", "wide": "forward" or "reverse"}}}}',
    },
    "exercises.8.ok": {
        "pt": "as suas conclusões conferem com as suas medições: o modo direto (jacfwd) paga por "
        "entrada, o modo reverso (jacrev) por saída.",
        "en": "your conclusions match your measurements: forward mode (jacfwd) pays per input, "
        "reverse mode (jacrev) per output.",
    },
    "exercises.8.tall": {"pt": "alta (poucas entradas, muitas saídas)", "en": "tall (few inputs, many outputs)"},
    "exercises.8.wide": {"pt": "larga (muitas entradas, poucas saídas)", "en": "wide (many inputs, few outputs)"},
    "exercises.8.times_invalid": {
        "pt": "os tempos devem ser números finitos maiores que zero, em segundos.",
        "en": "the times should be finite numbers greater than zero, in seconds.",
    },
    "exercises.8.swapped": {
        "pt": 'na forma {shape} você mediu jacfwd {fwd} s e jacrev {rev} s, então o mais rápido é '
        '"{faster}", não "{chosen}".',
        "en": 'for the {shape} shape you measured jacfwd {fwd} s and jacrev {rev} s, so the faster '
        'one is "{faster}", not "{chosen}".',
    },
    "exercises.8.measure_more": {
        "pt": "a sua medição contradiz a teoria (a jacobiana alta favorece o modo direto, a larga o "
        "reverso); meça com tamanhos maiores ou mais repetições.",
        "en": "your measurement contradicts the theory (a tall jacobian favours forward mode, a wide "
        "one reverse mode); measure with larger sizes or more repetitions.",
    },
}
