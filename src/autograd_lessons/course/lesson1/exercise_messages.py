"""Lesson 1's exercises in words: each exercise's form, verdicts, hints and worked solution.

Keys are "exercises.l1.<n>.<what>": form (the answer's expected form), ok (the ✔ message),
hint.1 … hint.4 (each more specific), solution (the explanation beside the solution code), and
the hints for the typical wrong answers the checker recognises.
"""

MESSAGES: dict[str, dict[str, str]] = {
    # --- exercise 1 ------------------------------------------------------------------------------
    "exercises.l1.1.form": {
        "pt": '{{"first_seconds": float, "second_seconds": float, "second_derivative": tensor de '
        "formato (1000,)}}, com a segunda derivada do seno nos pontos de X1 (as chaves do dicionário ficam em inglês: são código)",
        "en": '{{"first_seconds": float, "second_seconds": float, "second_derivative": tensor of '
        "shape (1000,)}}, with the second derivative of sin at the points of X1",
    },
    "exercises.l1.1.ok": {
        "pt": "a segunda derivada é −sen x, e a segunda retropropagação, que percorre um grafo "
        "computacional maior (criado com create_graph=True), não sai muito mais barata que a primeira.",
        "en": "the second derivative is −sin(x), and the second backward pass, which runs through a "
        "bigger computational graph (built with create_graph=True), does not come out much cheaper "
        "than the first.",
    },
    "exercises.l1.1.first_derivative": {
        "pt": "isso é a primeira derivada, cos(x). Calcule a primeira com create_graph=True e derive "
        "o resultado de novo (por exemplo, a soma dele) em relação a x.",
        "en": "that is the first derivative, cos(x). Compute the first one with create_graph=True and "
        "differentiate the result (for example its sum) with respect to x again.",
    },
    "exercises.l1.1.values": {
        "pt": "os valores não são a segunda derivada do seno nos pontos de X1, que deve dar −sen(X1).",
        "en": "the values are not the second derivative of sin at the points of X1, which should come out as −sin(X1).",
    },
    "exercises.l1.1.times_invalid": {
        "pt": "os tempos devem ser números finitos maiores que zero, em segundos.",
        "en": "the times should be finite numbers greater than zero, in seconds.",
    },
    "exercises.l1.1.times_implausible": {
        "pt": "a segunda retropropagação saiu bem mais rápida que a primeira, o que é implausível: ela "
        "deriva um grafo computacional maior. Meça com mais repetições (por exemplo, timeit com "
        "number=100) e meça só a retropropagação.",
        "en": "the second backward pass came out much faster than the first, which is implausible: it "
        "differentiates a bigger computational graph. Measure with more repetitions (for example "
        "timeit with number=100) and time only the backward pass.",
    },
    "exercises.l1.1.hint.1": {
        "pt": "Comece com x = X1.clone().requires_grad_() e y = torch.sin(x).sum(): a primeira "
        "derivada é o gradiente de y em relação a x, que torch.autograd.grad devolve.",
        "en": "Start with x = X1.clone().requires_grad_() and y = torch.sin(x).sum(): the first "
        "derivative is the gradient of y with respect to x, which torch.autograd.grad returns.",
    },
    "exercises.l1.1.hint.2": {
        "pt": "Com create_graph=True, a primeira derivada sai como um tensor com grad_fn: o autograd "
        "registra também as operações da retropropagação, e você pode derivar o resultado de novo. "
        "Como ele é um vetor, derive a soma dele.",
        "en": "With create_graph=True, the first derivative comes out as a tensor with a grad_fn: "
        "autograd also records the operations of the backward pass, and you can differentiate the "
        "result again. Since it is a vector, differentiate its sum.",
    },
    "exercises.l1.1.hint.3": {
        "pt": "Meça cada parte com timeit (muitas repetições dão um tempo mais estável que uma só "
        "medição com time.perf_counter()): a primeira derivada sozinha, e a segunda (a primeira com "
        "create_graph=True e depois a derivada dela).",
        "en": "Time each part with timeit (many repetitions give a steadier time than a single "
        "time.perf_counter() measurement): the first derivative alone, and the second (the first "
        "with create_graph=True, then its derivative).",
    },
    "exercises.l1.1.hint.4": {
        "pt": "(first,) = torch.autograd.grad(torch.sin(x).sum(), x, create_graph=True) e depois "
        '(second,) = torch.autograd.grad(first.sum(), x); a resposta é {{"first_seconds": ..., '
        '"second_seconds": ..., "second_derivative": second}}. A segunda custa mais porque '
        "percorre um grafo computacional maior, feito das operações da primeira retropropagação.",
        "en": "(first,) = torch.autograd.grad(torch.sin(x).sum(), x, create_graph=True), then "
        '(second,) = torch.autograd.grad(first.sum(), x); the answer is {{"first_seconds": ..., '
        '"second_seconds": ..., "second_derivative": second}}. The second costs more because it '
        "runs through a bigger computational graph, made of the operations of the first backward pass.",
    },
    "exercises.l1.1.solution": {
        "pt": "Para a primeira derivada basta uma retropropagação. Para a segunda, a primeira é "
        "calculada com create_graph=True: as operações da própria retropropagação viram um grafo "
        "computacional novo, que fica guardado e depois é percorrido por uma segunda "
        "retropropagação. Há mais operações, mais valores na memória e duas passagens em vez de "
        "uma; por isso a segunda derivada custa mais. A segunda derivada do seno é −sen.",
        "en": "The first derivative takes one backward pass. For the second, the first is computed "
        "with create_graph=True: the operations of the backward pass itself become a new "
        "computational graph, which is kept and then walked by a second backward pass. There are "
        "more operations, more values in memory and two passes instead of one; that is why the "
        "second derivative costs more. The second derivative of sin is −sin.",
    },
    # --- exercise 2 ------------------------------------------------------------------------------
    "exercises.l1.2.form": {
        "pt": '{{"error": a exceção capturada, "grad": x.grad, um tensor de formato (4,)}} (as chaves do dicionário ficam em inglês: são código)',
        "en": '{{"error": the caught exception, "grad": x.grad, a tensor of shape (4,)}}',
    },
    "exercises.l1.2.ok": {
        "pt": "a retropropagação libera o grafo computacional; retain_graph=True o mantém, e cada "
        "chamada de backward() soma o seu gradiente em .grad.",
        "en": "the backward pass frees the computational graph; retain_graph=True keeps it, and each "
        "call of backward() adds its gradient into .grad.",
    },
    "exercises.l1.2.no_error": {
        "pt": '"error" deve ser o RuntimeError que o PyTorch levanta no segundo y.backward() sem '
        'retain_graph ("Trying to backward through the graph a second time"). Capture-o com '
        "try/except RuntimeError e guarde-o em outro nome dentro do bloco (except RuntimeError as "
        "e: error = e): o Python apaga o nome e quando o bloco except termina.",
        "en": '"error" should be the RuntimeError PyTorch raises on the second y.backward() without '
        'retain_graph ("Trying to backward through the graph a second time"). Catch it with '
        "try/except RuntimeError and store it in another name inside the block (except RuntimeError "
        "as e: error = e): Python deletes the name e when the except block ends.",
    },
    "exercises.l1.2.once": {
        "pt": "o grad é 2x, o gradiente de uma só chamada. A segunda chamada acumula em .grad: você "
        "zerou o gradiente entre as duas chamadas ou chamou backward só uma vez?",
        "en": "the grad is 2x, the gradient of a single call. The second call accumulates into .grad: "
        "did you zero it in between or call backward only once?",
    },
    "exercises.l1.2.not_zeroed": {
        "pt": "o grad é 6x: x.grad ainda guardava os 2x da primeira parte; zere-o primeiro "
        "(x.grad = None ou x.grad.zero_()).",
        "en": "the grad is 6x: x.grad still held the 2x from the first part; zero it first "
        "(x.grad = None or x.grad.zero_()).",
    },
    "exercises.l1.2.values": {
        "pt": "depois de zerar x.grad e chamar z.backward(retain_graph=True) e z.backward(), o grad "
        "deve ser 2x + 2x = 4x = [0, 4, 8, 12].",
        "en": "after zeroing x.grad and calling z.backward(retain_graph=True) and z.backward(), the "
        "grad should be 2x + 2x = 4x = [0, 4, 8, 12].",
    },
    "exercises.l1.2.hint.1": {
        "pt": "Rode os dois y.backward() e leia a mensagem de erro: o que o PyTorch diz que já liberou?",
        "en": "Run the two y.backward() calls and read the error message: what does PyTorch say it has already freed?",
    },
    "exercises.l1.2.hint.2": {
        "pt": "Capture o erro com try/except RuntimeError e guarde-o em outro nome dentro do bloco "
        "(except RuntimeError as e: error = e): o Python apaga o nome e quando o bloco except termina.",
        "en": "Catch the error with try/except RuntimeError and store it in another name inside the "
        "block (except RuntimeError as e: error = e): Python deletes the name e when the except "
        "block ends.",
    },
    "exercises.l1.2.hint.3": {
        "pt": "Antes de z, zere o gradiente deixado por y (x.grad.zero_() ou x.grad = None). Depois, "
        "retain_graph=True deixa o grafo vivo para a segunda chamada, e cada chamada soma o seu "
        "gradiente em x.grad.",
        "en": "Before z, reset the gradient y left behind (x.grad.zero_() or x.grad = None). Then "
        "retain_graph=True keeps the graph alive for the second call, and each call adds its "
        "gradient into x.grad.",
    },
    "exercises.l1.2.hint.4": {
        "pt": "Cada z.backward() soma 2x, então x.grad termina em 2x + 2x = 4x = [0, 4, 8, 12]; a "
        'resposta é {{"error": error, "grad": x.grad}}.',
        "en": "Each z.backward() adds 2x, so x.grad ends up as 2x + 2x = 4x = [0, 4, 8, 12]; the "
        'answer is {{"error": error, "grad": x.grad}}.',
    },
    "exercises.l1.2.solution": {
        "pt": "A primeira retropropagação libera os valores que o grafo guardava; a segunda não tem "
        "mais o que usar e dá erro, que guardamos em outro nome dentro do bloco except. Com "
        "retain_graph=True o grafo fica, e a segunda chamada soma o mesmo gradiente ao que já estava "
        "em x.grad: 2x + 2x = 4x.",
        "en": "The first backward pass frees the values the graph kept; the second has nothing left "
        "to use and fails, and we store the error in another name inside the except block. With "
        "retain_graph=True the graph stays, and the second call adds the same gradient to what was "
        "already in x.grad: 2x + 2x = 4x.",
    },
    # --- exercise 3 ------------------------------------------------------------------------------
    "exercises.l1.3.form": {
        "pt": "(a, a.grad): a, um tensor float com pelo menos 2 elementos, e o gradiente que o autograd "
        "deixa em a.grad",
        "en": "(a, a.grad): a, a float tensor with at least 2 elements, and the gradient autograd leaves in a.grad",
    },
    "exercises.l1.3.ok": {
        "pt": "com um vetor ou matriz, f continua linear por partes: o gradiente tem o mesmo valor em "
        "todos os elementos, decidido pela norma e pela soma de a inteiro.",
        "en": "with a vector or matrix, f is still piecewise linear: the gradient has the same value "
        "in every element, decided by the norm and the sum of the whole a.",
    },
    "exercises.l1.3.scalar": {
        "pt": "a tem {count} elemento(s); use um vetor ou matriz, por exemplo "
        "a = torch.tensor([0.5, -1.0], requires_grad=True).",
        "en": "a has {count} element(s); use a vector or matrix, for example "
        "a = torch.tensor([0.5, -1.0], requires_grad=True).",
    },
    "exercises.l1.3.no_grad": {
        "pt": "a.grad é None: o autograd não chegou ao tensor a. Crie a com requires_grad=True e chame "
        "backward() em algo calculado a partir de f(a).",
        "en": "a.grad is None: autograd never reached a. Create a with requires_grad=True and call "
        "backward() on something computed from f(a).",
    },
    "exercises.l1.3.shape": {
        "pt": "o gradiente tem formato {actual}, mas deve ter o formato de a, {expected}.",
        "en": "the gradient has shape {actual}, but it should have the shape of a, {expected}.",
    },
    "exercises.l1.3.zero": {
        "pt": "a norma de a deve ser finita e diferente de zero, senão f nunca sai do laço.",
        "en": "the norm of a should be finite and nonzero, otherwise f never leaves its loop.",
    },
    "exercises.l1.3.mean": {
        "pt": "cada elemento do gradiente é {slope} dividido por {count}, o número de elementos: você "
        "reduziu d com a média. O gradiente de f(a) que o exercício pede usa o gradiente inicial de "
        "uns, o da soma.",
        "en": "every element of the gradient is {slope} divided by {count}, the number of elements: "
        "you reduced d with the mean. The gradient of f(a) the exercise asks for uses the initial "
        "gradient of ones, that of the sum.",
    },
    "exercises.l1.3.values": {
        "pt": "para este a, f dobra k = {k} vezes, então cada elemento do gradiente deve ser {slope} "
        "(2^k se a soma for positiva, 100·2^k se não for). Zerou a.grad antes do backward?",
        "en": "for this a, f doubles k = {k} times, so every element of the gradient should be "
        "{slope} (2^k if the sum is positive, 100·2^k otherwise). Did you zero a.grad before backward?",
    },
    "exercises.l1.3.hint.1": {
        "pt": "d = f(a) tem o formato de a, não é escalar: backward() nele precisa saber quanto pesa "
        "cada elemento (o gradiente inicial v).",
        "en": "d = f(a) has the shape of a, it is not a scalar: backward() on it needs to know how "
        "much each element weighs (the initial gradient v).",
    },
    "exercises.l1.3.hint.2": {
        "pt": "Reduza d a um escalar antes, somando os elementos (o gradiente inicial de uns), ou passe "
        "torch.ones_like(d) ao backward; as duas formas dão o mesmo gradiente.",
        "en": "Reduce d to a scalar first, by adding up its elements (the initial gradient of ones), "
        "or pass torch.ones_like(d) to backward; both give the same gradient.",
    },
    "exercises.l1.3.hint.3": {
        "pt": "Olhe para f: o while e o if olham a norma e a soma do tensor inteiro, então todos os "
        "elementos são multiplicados pelo mesmo número. O que isso faz com o gradiente?",
        "en": "Look at f: the while and the if look at the norm and the sum of the whole tensor, so "
        "every element is multiplied by the same number. What does that make the gradient?",
    },
    "exercises.l1.3.hint.4": {
        "pt": "a = torch.randn(3, 2, requires_grad=True); d = f(a); d.sum().backward(); a resposta é "
        "(a, a.grad), e todos os elementos de a.grad valem o mesmo s = 2^k (ou 100·2^k se a soma "
        "de a for negativa).",
        "en": "a = torch.randn(3, 2, requires_grad=True); d = f(a); d.sum().backward(); the answer "
        "is (a, a.grad), and every element of a.grad is the same s = 2^k (or 100·2^k if the sum of "
        "a is negative).",
    },
    "exercises.l1.3.solution": {
        "pt": "Com a vetor ou matriz, d = f(a) tem o formato de a, e d.backward() precisa de um "
        "gradiente inicial v; d.sum().backward() usa v = 1. O laço olha a norma do tensor inteiro e o "
        "if a soma de todos os elementos, então todos passam pelo mesmo caminho: f(a) = s·a com um "
        "único s (2^k ou 100·2^k), e o gradiente vale s em todas as posições.",
        "en": "When a is a vector or a matrix, d = f(a) has the shape of a, and d.backward() needs an "
        "initial gradient v; d.sum().backward() uses v = 1. The loop looks at the norm of the whole "
        "tensor and the if at the sum of all elements, so every element takes the same path: "
        "f(a) = s·a with a single s (2^k or 100·2^k), and the gradient is s at every position.",
    },
    # --- exercise 4 ------------------------------------------------------------------------------
    "exercises.l1.4.form": {
        "pt": "uma função dsin(x) que recebe um tensor e devolve um tensor do mesmo formato, com a "
        "derivada do seno em cada ponto, calculada pelo autograd",
        "en": "a function dsin(x) that takes a tensor and returns a tensor of the same shape, with "
        "the derivative of sin at each point, computed by autograd",
    },
    "exercises.l1.4.ok": {
        "pt": "o autograd reproduz a derivada cos(x) derivando o seno, sem que você escreva cos.",
        "en": "autograd reproduces the derivative cos(x) by differentiating sin, without you writing cos.",
    },
    "exercises.l1.4.values": {
        "pt": "os valores não são a derivada do seno. Derive torch.sin(x).sum() em relação a x.",
        "en": "the values are not the derivative of sin. Differentiate sin(x).sum() with respect to x.",
    },
    "exercises.l1.4.sine": {
        "pt": "dsin(x) devolve sen x em vez da derivada dele: o valor do seno está em y = torch.sin(x); "
        "a derivada é o que o autograd deixa em x.grad depois da retropropagação.",
        "en": "dsin(x) returns sin(x) instead of its derivative: the value of sin is in "
        "y = torch.sin(x); the derivative is what autograd leaves in x.grad after the backward pass.",
    },
    "exercises.l1.4.approximate": {
        "pt": "os valores estão perto de cos(x), mas não iguais até o arredondamento (em x = {x}: "
        "{actual} contra {expected}): parece uma aproximação, como diferenças finitas. O autograd dá a "
        "derivada exata, a menos do arredondamento.",
        "en": "the values are close to cos(x) but not equal up to rounding (at x = {x}: {actual} "
        "against {expected}): it looks like an approximation, such as finite differences. Autograd "
        "gives the exact derivative, up to rounding.",
    },
    "exercises.l1.4.not_autograd_headline": {
        "pt": "os valores estão certos, mas não vieram do autograd.",
        "en": "the values are right, but they did not come from autograd.",
    },
    "exercises.l1.4.not_autograd": {
        "pt": "dsin(x) dá cos(x), mas não pelo autograd: o verificador rodou a sua função de novo com "
        "um seno cuja derivada no autograd foi trocada de propósito, e o resultado não mudou. O que "
        "conta é derivar o seno com o autograd (x com requires_grad, torch.sin(x), e então backward, "
        "torch.autograd.grad ou torch.func.grad); um cosseno vindo de uma fórmula, de uma identidade "
        "como sen(x + π/2), do numpy ou do math, ou de diferenças finitas, não conta.",
        "en": "dsin(x) gives cos(x), but not through autograd: the checker ran your function again "
        "with a sin whose autograd derivative was deliberately changed, and the result did not "
        "change. What counts is differentiating sin with autograd (x with requires_grad, "
        "torch.sin(x), then backward, torch.autograd.grad or torch.func.grad); a cosine from a "
        "formula, from an identity such as sin(x + π/2), from numpy or math, or from finite "
        "differences does not.",
    },
    "exercises.l1.4.mixed": {
        "pt": "só uma parte do resultado vem do autograd: com a derivada do seno trocada de propósito, "
        "o resultado mudou, mas não como a derivada. Devolva só o que o autograd calcula para o seno, "
        "sem somar nem misturar outras fórmulas.",
        "en": "only part of the result comes from autograd: with the derivative of sin deliberately "
        "changed, the result changed, but not as the derivative did. Return only what autograd "
        "computes for sin, without adding or mixing in other formulas.",
    },
    "exercises.l1.4.probe_raised": {
        "pt": "a sua função funciona, mas levantou {error} quando o verificador a rodou de novo com "
        "um seno cuja derivada foi trocada de propósito (para ver se o resultado vem do autograd). "
        "Use torch.sin ou x.sin() sem out=.",
        "en": "your function works, but it raised {error} when the checker ran it again with a sin "
        "whose derivative was deliberately changed (to see whether the result comes from autograd). "
        "Use torch.sin or x.sin() without out=.",
    },
    "exercises.l1.4.hint.1": {
        "pt": "O autograd deriva o que você calcula: faça de x um tensor que exige gradiente, calcule "
        "torch.sin(x) e deixe o autograd voltar.",
        "en": "Autograd differentiates what you compute: make x a tensor that requires grad, compute "
        "torch.sin(x) and let autograd go back.",
    },
    "exercises.l1.4.hint.2": {
        "pt": "sen x é um vetor; para ter a derivada em todos os pontos com uma só retropropagação, "
        "derive a soma: cada sen(x_i) só depende de x_i.",
        "en": "sin(x) is a vector; to get the derivative at every point with a single backward pass, "
        "differentiate the sum: each sin(x_i) depends only on x_i.",
    },
    "exercises.l1.4.hint.3": {
        "pt": "Trabalhe numa cópia, x = x.detach().requires_grad_(True), para não mexer no tensor de "
        "quem chamou; a derivada aparece em x.grad (ou volta de torch.autograd.grad).",
        "en": "Work on a copy, x = x.detach().requires_grad_(True), so the caller's tensor is left "
        "alone; the derivative shows up in x.grad (or comes back from torch.autograd.grad).",
    },
    "exercises.l1.4.hint.4": {
        "pt": "def dsin(x): x = x.detach().requires_grad_(True); torch.sin(x).sum().backward(); return x.grad",
        "en": "def dsin(x): x = x.detach().requires_grad_(True); torch.sin(x).sum().backward(); return x.grad",
    },
    "exercises.l1.4.solution": {
        "pt": "dsin cria uma folha a partir de x, calcula a soma dos sen(x_i) e faz a retropropagação: "
        "como cada sen(x_i) só depende de x_i, o gradiente da soma é a derivada em cada ponto. O "
        "gráfico mostra a derivada no lugar do cosseno, sem que o cosseno tenha sido escrito.",
        "en": "dsin makes a leaf from x, computes the sum of the sin(x_i) and runs the backward pass: "
        "since each sin(x_i) depends only on x_i, the gradient of the sum is the derivative at each "
        "point. The plot shows the derivative where the cosine would be, without the cosine being "
        "written.",
    },
    # --- exercise 5 ------------------------------------------------------------------------------
    "exercises.l1.5.form": {
        "pt": "(funcao, ops): a sua implementação de (log x²)·sen x + 1/x e a lista dos nomes de "
        'grad_fn do grafo computacional, por exemplo ["LogBackward0", "MulBackward0", ...]',
        "en": "(function, ops): your implementation of (log x²)·sin x + 1/x and the list of grad_fn "
        'names in its computational graph, for example ["LogBackward0", "MulBackward0", ...]',
    },
    "exercises.l1.5.ok": {
        "pt": "a função confere com f e a lista de operações é exatamente o grafo computacional que ela constrói.",
        "en": "the function matches f and the list of operations is exactly the computational graph it builds.",
    },
    "exercises.l1.5.values": {
        "pt": "a sua função não dá os mesmos valores que (log x²)·sen x + 1/x em [0.5, 3].",
        "en": "your function does not give the same values as (log x²)·sin x + 1/x on [0.5, 3].",
    },
    "exercises.l1.5.no_graph": {
        "pt": "com x = torch.tensor(2.0, requires_grad=True), a sua função não devolve um tensor "
        "com grad_fn; use operações do torch sobre x.",
        "en": "with x = torch.tensor(2.0, requires_grad=True), your function does not return a tensor "
        "with a grad_fn; use torch operations on x.",
    },
    "exercises.l1.5.ops": {
        "pt": "a lista não confere com o grafo computacional da sua função (sem contar a folha "
        "AccumulateGrad). Faltam: {missing}. Sobram: {extra}. Use trace(funcao(x)) para conferir.",
        "en": "the list does not match the computational graph of your function (not counting the "
        "leaf AccumulateGrad). Missing: {missing}. Extra: {extra}. Use trace(function(x)) to check.",
    },
    "exercises.l1.5.hint.1": {
        "pt": "Escreva f como uma função Python de x com operações do torch (torch.log, torch.sin) e "
        "chame-a com x = torch.tensor(2.0, requires_grad=True).",
        "en": "Write f as a Python function of x with torch operations (torch.log, torch.sin) and "
        "call it with x = torch.tensor(2.0, requires_grad=True).",
    },
    "exercises.l1.5.hint.2": {
        "pt": "trace(y) lista os nós do grafo computacional de y, e draw(y) os desenha; o nome de "
        "cada nó termina em Backward0.",
        "en": "trace(y) lists the nodes of the computational graph of y, and draw(y) draws them; the "
        "name of each node ends in Backward0.",
    },
    "exercises.l1.5.hint.3": {
        "pt": "Cada operação entra uma vez por nó: se a função multiplica duas vezes, MulBackward0 "
        "aparece duas vezes. O AccumulateGrad da folha não é uma operação de f: deixe-o de fora. E "
        "1 / x também vira mais de um nó.",
        "en": "Each operation counts once per node: if the function multiplies twice, MulBackward0 "
        "appears twice. The leaf's AccumulateGrad is not an operation of f: leave it out. And 1 / x "
        "also becomes more than one node.",
    },
    "exercises.l1.5.hint.4": {
        "pt": 'Para torch.log(x ** 2) * torch.sin(x) + 1 / x a lista é ["AddBackward0", '
        '"MulBackward0", "LogBackward0", "PowBackward0", "SinBackward0", "MulBackward0", '
        '"ReciprocalBackward0"]; a resposta é (a sua função, essa lista).',
        "en": 'For torch.log(x ** 2) * torch.sin(x) + 1 / x the list is ["AddBackward0", '
        '"MulBackward0", "LogBackward0", "PowBackward0", "SinBackward0", "MulBackward0", '
        '"ReciprocalBackward0"]; the answer is (your function, that list).',
    },
    "exercises.l1.5.solution": {
        "pt": "O grafo mostra cada operação uma vez por nó. Repare que 1 / x vira duas operações: "
        "ReciprocalBackward0 (o x⁻¹) e um MulBackward0 pelo 1 do numerador, que é uma entrada não "
        "rastreada.",
        "en": "The graph shows each operation once per node. Note that 1 / x becomes two operations: "
        "ReciprocalBackward0 (the x⁻¹) and a MulBackward0 by the 1 of the numerator, which is an "
        "untracked input.",
    },
    # --- exercise 6 ------------------------------------------------------------------------------
    "exercises.l1.6.form": {
        "pt": "uma função dfdx(x) que recebe um tensor e devolve, no mesmo formato e dtype, a derivada "
        "de f calculada à mão",
        "en": "a function dfdx(x) that takes a tensor and returns, in the same shape and dtype, the "
        "derivative of f worked out by hand",
    },
    "exercises.l1.6.ok": {
        "pt": "a sua derivada pela regra da cadeia confere com o autograd em 50 pontos, em float64.",
        "en": "your chain-rule derivative matches autograd at 50 points, in float64.",
    },
    "exercises.l1.6.dtype": {
        "pt": "para x em float64 a sua função devolve {dtype}: as contas perdem precisão no caminho. "
        "Faça as contas no dtype de x (sem x.float(), sem constantes torch.tensor em float32).",
        "en": "for x in float64 your function returns {dtype}: the computation loses precision on the "
        "way. Compute in x's dtype (no x.float(), no float32 torch.tensor constants).",
    },
    "exercises.l1.6.sign": {
        "pt": "em x = {x} a sua derivada dá {actual}, o autograd dá {expected}. Confira o sinal do "
        "último termo: a derivada de x⁻¹ é −x⁻².",
        "en": "at x = {x} your derivative gives {actual}, autograd gives {expected}. Check the sign "
        "of the last term: d/dx x⁻¹ = −x⁻².",
    },
    "exercises.l1.6.values": {
        "pt": "em x = {x} a sua derivada dá {actual}, o autograd dá {expected}. Aplique a regra da "
        "cadeia a log(x²) e a regra do produto a log(x²)·sen x; lembre que a derivada de x⁻¹ é −x⁻².",
        "en": "at x = {x} your derivative gives {actual}, autograd gives {expected}. Apply the chain "
        "rule to log(x²) and the product rule to log(x²)·sin x; recall d/dx x⁻¹ = −x⁻².",
    },
    "exercises.l1.6.hint.1": {
        "pt": "Quebre f em pedaços: u = x², v = log u, w = sen x e f = v·w + x⁻¹. Derive cada pedaço.",
        "en": "Break f into pieces: u = x², v = log u, w = sin x and f = v·w + x⁻¹. Differentiate each piece.",
    },
    "exercises.l1.6.hint.2": {
        "pt": "Regra da cadeia: dv/dx = (1/u)·du/dx = (1/x²)·2x = 2/x. Regra do produto: d(v·w)/dx = v'·w + v·w'.",
        "en": "Chain rule: dv/dx = (1/u)·du/dx = (1/x²)·2x = 2/x. Product rule: d(v·w)/dx = v'·w + v·w'.",
    },
    "exercises.l1.6.hint.3": {
        "pt": "Não esqueça o último termo: a derivada de x⁻¹ é −x⁻². Escreva dfdx com operações do "
        "torch sobre x, para que funcione num tensor inteiro e mantenha o dtype de x.",
        "en": "Do not forget the last term: the derivative of x⁻¹ is −x⁻². Write dfdx with torch "
        "operations on x, so that it works on a whole tensor and keeps x's dtype.",
    },
    "exercises.l1.6.hint.4": {
        "pt": "df/dx = (2/x)·sen x + log(x²)·cos x − 1/x²; em código: return 2 / x * torch.sin(x) + "
        "torch.log(x ** 2) * torch.cos(x) - 1 / x ** 2",
        "en": "df/dx = (2/x)·sin x + log(x²)·cos x − 1/x²; in code: return 2 / x * torch.sin(x) + "
        "torch.log(x ** 2) * torch.cos(x) - 1 / x ** 2",
    },
    "exercises.l1.6.solution": {
        "pt": "Com u = x², v = log u e w = sen x, temos f = v·w + x⁻¹. Pela regra da cadeia, "
        "dv/dx = (1/u)·2x = 2/x, então df/dx = (2/x)·sen x + log(x²)·cos x − 1/x².",
        "en": "With u = x², v = log u and w = sin x, we have f = v·w + x⁻¹. By the chain rule, "
        "dv/dx = (1/u)·2x = 2/x, so df/dx = (2/x)·sin x + log(x²)·cos x − 1/x².",
    },
    # --- exercise 7 ------------------------------------------------------------------------------
    "exercises.l1.7.form": {
        "pt": '{{"jvp": J·V7, tensor de formato (3,), "vjp": U7ᵀ·J, tensor de formato (3,), '
        '"jacobian": J, tensor de formato (3, 3)}}, com J a jacobiana de f7 no ponto X7 (as chaves do dicionário ficam em inglês: são código)',
        "en": '{{"jvp": J·V7, a tensor of shape (3,), "vjp": U7ᵀ·J, a tensor of shape (3,), '
        '"jacobian": J, a tensor of shape (3, 3)}}, with J the Jacobian of f7 at the point X7',
    },
    "exercises.l1.7.ok": {
        "pt": "o modo direto (jvp) empurra a direção V7 da entrada para a saída e dá J·V7, uma "
        "combinação das colunas de J; o modo reverso (vjp) puxa U7 da saída para a entrada e dá "
        "U7ᵀ·J, uma combinação das linhas; jacrev monta J linha a linha, um vjp por saída.",
        "en": "forward mode (jvp) pushes the direction V7 from input to output and gives J·V7, a "
        "combination of the columns of J; reverse mode (vjp) pulls U7 back from output to input and "
        "gives U7ᵀ·J, a combination of the rows; jacrev builds J row by row, one vjp per output.",
    },
    "exercises.l1.7.swapped": {
        "pt": '"jvp" e "vjp" estão trocados: jvp é o modo direto, J·V7 (combina as colunas de J); '
        "vjp é o modo reverso, U7ᵀ·J (combina as linhas).",
        "en": '"jvp" and "vjp" are swapped: jvp is forward mode, J·V7 (it combines the columns of '
        "J); vjp is reverse mode, U7ᵀ·J (it combines the rows).",
    },
    "exercises.l1.7.jvp.pair": {
        "pt": '"jvp" é o par inteiro que torch.func.jvp devolve, (f7(X7), J·V7): guarde só o segundo elemento, o [1].',
        "en": '"jvp" is the whole pair torch.func.jvp returns, (f7(X7), J·V7): keep only the second item, [1].',
    },
    "exercises.l1.7.jvp.primal": {
        "pt": '"jvp" é f7(X7), o valor da função (o [0] de torch.func.jvp); a derivada direcional J·V7 é o [1].',
        "en": '"jvp" is f7(X7), the value of the function ([0] of torch.func.jvp); the directional '
        "derivative J·V7 is [1].",
    },
    "exercises.l1.7.jvp.transposed": {
        "pt": '"jvp" é V7ᵀ·J (o modo reverso aplicado a V7), não J·V7: o modo direto empurra V7 pela '
        "função, torch.func.jvp(f7, (X7,), (V7,)).",
        "en": '"jvp" is V7ᵀ·J (reverse mode applied to V7), not J·V7: forward mode pushes V7 through '
        "the function, torch.func.jvp(f7, (X7,), (V7,)).",
    },
    "exercises.l1.7.jvp.direction": {
        "pt": '"jvp" usa a direção errada: é J·U7. O modo direto recebe uma direção no espaço de '
        "entrada, V7; U7 pesa as saídas e é do vjp.",
        "en": '"jvp" uses the wrong direction: it is J·U7. Forward mode takes a direction in the '
        "input space, V7; U7 weighs the outputs and belongs to vjp.",
    },
    "exercises.l1.7.jvp.values": {
        "pt": '"jvp" não confere com J·V7, a derivada de f7 em X7 na direção V7.',
        "en": '"jvp" does not match J·V7, the derivative of f7 at X7 in the direction V7.',
    },
    "exercises.l1.7.vjp.function": {
        "pt": '"vjp" é uma função: torch.func.vjp devolve (f7(X7), vjp_fn); chame vjp_fn(U7) e pegue o [0].',
        "en": '"vjp" is a function: torch.func.vjp returns (f7(X7), vjp_fn); call vjp_fn(U7) and take [0].',
    },
    "exercises.l1.7.vjp.tuple": {
        "pt": '"vjp" é a tupla que vjp_fn(U7) devolve, com um gradiente por entrada de f7; pegue o [0].',
        "en": '"vjp" is the tuple vjp_fn(U7) returns, with one gradient per input of f7; take [0].',
    },
    "exercises.l1.7.vjp.primal": {
        "pt": '"vjp" é f7(X7), o valor da função (o [0] de torch.func.vjp); o vjp é vjp_fn(U7)[0], com vjp_fn o [1].',
        "en": '"vjp" is f7(X7), the value of the function ([0] of torch.func.vjp); the vjp is '
        "vjp_fn(U7)[0], with vjp_fn being [1].",
    },
    "exercises.l1.7.vjp.transposed": {
        "pt": '"vjp" é J·U7 (o modo direto aplicado a U7), não U7ᵀ·J: o modo reverso puxa U7 de volta, vjp_fn(U7).',
        "en": '"vjp" is J·U7 (forward mode applied to U7), not U7ᵀ·J: reverse mode pulls U7 back, vjp_fn(U7).',
    },
    "exercises.l1.7.vjp.direction": {
        "pt": '"vjp" usa o vetor errado: é V7ᵀ·J. O modo reverso recebe pesos para as saídas, U7; V7 é '
        "uma direção de entrada e é do jvp.",
        "en": '"vjp" uses the wrong vector: it is V7ᵀ·J. Reverse mode takes weights for the outputs, '
        "U7; V7 is an input direction and belongs to jvp.",
    },
    "exercises.l1.7.vjp.values": {
        "pt": '"vjp" não confere com U7ᵀ·J.',
        "en": '"vjp" does not match U7ᵀ·J.',
    },
    "exercises.l1.7.jacobian.transposed": {
        "pt": '"jacobian" é Jᵀ, a jacobiana transposta: a linha i deve ter as derivadas da saída i, '
        "J[i, j] = ∂f_i/∂x_j, que é o que torch.func.jacrev(f7)(X7) devolve.",
        "en": '"jacobian" is Jᵀ, the transposed Jacobian: row i should hold the derivatives of output '
        "i, J[i, j] = ∂f_i/∂x_j, which is what torch.func.jacrev(f7)(X7) returns.",
    },
    "exercises.l1.7.jacobian.values": {
        "pt": '"jacobian" não confere com a jacobiana de f7 em X7; torch.func.jacrev(f7)(X7) a calcula.',
        "en": '"jacobian" does not match the Jacobian of f7 at X7; torch.func.jacrev(f7)(X7) computes it.',
    },
    "exercises.l1.7.hint.1": {
        "pt": "A jacobiana J de f7 em X7 tem uma linha por saída e uma coluna por entrada. O modo "
        "direto empurra uma direção de entrada pela função: J·V7. O modo reverso puxa pesos das "
        "saídas de volta: U7ᵀ·J.",
        "en": "The Jacobian J of f7 at X7 has one row per output and one column per input. Forward "
        "mode pushes an input direction through the function: J·V7. Reverse mode pulls output "
        "weights back: U7ᵀ·J.",
    },
    "exercises.l1.7.hint.2": {
        "pt": "torch.func.jvp recebe a função, uma tupla de entradas e uma tupla de direções, e devolve "
        "o par (f7(X7), J·V7). torch.func.vjp recebe a função e a entrada e devolve (f7(X7), vjp_fn); "
        "vjp_fn recebe os pesos das saídas e devolve uma tupla, com um gradiente por entrada.",
        "en": "torch.func.jvp takes the function, a tuple of inputs and a tuple of directions, and "
        "returns the pair (f7(X7), J·V7). torch.func.vjp takes the function and the input and returns "
        "(f7(X7), vjp_fn); vjp_fn takes the output weights and returns a tuple, one gradient per input.",
    },
    "exercises.l1.7.hint.3": {
        "pt": "torch.func.jacrev(f7)(X7) monta J linha a linha (um vjp por saída). Confira os seus "
        "resultados: J @ V7 combina as colunas de J, U7 @ J combina as linhas.",
        "en": "torch.func.jacrev(f7)(X7) builds J row by row (one vjp per output). Check your "
        "results: J @ V7 combines the columns of J, U7 @ J combines its rows.",
    },
    "exercises.l1.7.hint.4": {
        "pt": "jvp = torch.func.jvp(f7, (X7,), (V7,))[1]; vjp = torch.func.vjp(f7, X7)[1](U7)[0]; a "
        'resposta é {{"jvp": jvp, "vjp": vjp, "jacobian": torch.func.jacrev(f7)(X7)}}.',
        "en": "jvp = torch.func.jvp(f7, (X7,), (V7,))[1]; vjp = torch.func.vjp(f7, X7)[1](U7)[0]; the "
        'answer is {{"jvp": jvp, "vjp": vjp, "jacobian": torch.func.jacrev(f7)(X7)}}.',
    },
    "exercises.l1.7.solution": {
        "pt": "O modo direto leva a direção V7 junto com o cálculo, da entrada para a saída, e dá J·V7: "
        "uma combinação das colunas de J. O modo reverso calcula tudo primeiro e depois volta da "
        "saída para a entrada com os pesos U7, e dá U7ᵀ·J: uma combinação das linhas. Como J não é "
        "diagonal nem simétrica, os dois vetores são diferentes; jacrev monta J com um vjp por linha, "
        "e J @ V7 e U7 @ J conferem os dois.",
        "en": "Forward mode carries the direction V7 along with the computation, from input to output, "
        "and gives J·V7: a combination of the columns of J. Reverse mode computes everything first and "
        "then goes back from output to input with the weights U7, and gives U7ᵀ·J: a combination of "
        "the rows. Since J is neither diagonal nor symmetric, the two vectors differ; jacrev builds J "
        "with one vjp per row, and J @ V7 and U7 @ J check both.",
    },
    # --- exercise 8 ------------------------------------------------------------------------------
    "exercises.l1.8.form": {
        "pt": '{{"tall": (segundos_jacfwd, segundos_jacrev), "wide": (segundos_jacfwd, '
        'segundos_jacrev), "conclusion": {{"tall": "forward" ou "reverse", "wide": "forward" ou '
        '"reverse"}}}} (as chaves do dicionário ficam em inglês: são código)',
        "en": '{{"tall": (seconds_jacfwd, seconds_jacrev), "wide": (seconds_jacfwd, '
        'seconds_jacrev), "conclusion": {{"tall": "forward" or "reverse", "wide": "forward" or "reverse"}}}}',
    },
    "exercises.l1.8.ok": {
        "pt": "as suas conclusões estão certas: o modo direto (jacfwd) paga uma passagem por entrada, "
        "o reverso (jacrev) uma por saída, então a jacobiana alta favorece o direto e a larga o reverso.",
        "en": "your conclusions are right: forward mode (jacfwd) pays one pass per input, reverse mode "
        "(jacrev) one per output, so a tall Jacobian favours forward mode and a wide one reverse mode.",
    },
    "exercises.l1.8.tall": {"pt": "alta (poucas entradas, muitas saídas)", "en": "tall (few inputs, many outputs)"},
    "exercises.l1.8.wide": {"pt": "larga (muitas entradas, poucas saídas)", "en": "wide (many inputs, few outputs)"},
    "exercises.l1.8.times_invalid": {
        "pt": "os tempos devem ser números finitos maiores que zero, em segundos.",
        "en": "the times should be finite numbers greater than zero, in seconds.",
    },
    "exercises.l1.8.wrong_conclusion": {
        "pt": "a conclusão não confere com o custo dos dois modos.",
        "en": "the conclusion does not match what the two modes cost.",
    },
    "exercises.l1.8.swapped": {
        "pt": "na forma {shape} você mediu jacfwd {fwd} s e jacrev {rev} s, então o mais rápido é "
        '"{faster}", não "{chosen}".',
        "en": "for the {shape} shape you measured jacfwd {fwd} s and jacrev {rev} s, so the faster "
        'one is "{faster}", not "{chosen}".',
    },
    "exercises.l1.8.follows_odd_measurement": {
        "pt": 'na forma {shape} a sua conclusão, "{chosen}", segue a sua medição (jacfwd {fwd} s, jacrev '
        "{rev} s), mas a medição contradiz o custo dos modos: jacfwd faz uma passagem por entrada e "
        "jacrev uma por saída. Conte as passagens e meça com tamanhos maiores ou mais repetições.",
        "en": 'for the {shape} shape your conclusion, "{chosen}", follows your measurement (jacfwd '
        "{fwd} s, jacrev {rev} s), but the measurement contradicts what the modes cost: jacfwd makes "
        "one pass per input and jacrev one per output. Count the passes, and measure with larger "
        "sizes or more repetitions.",
    },
    "exercises.l1.8.measure_more": {
        "pt": "a sua medição contradiz a teoria (a jacobiana alta favorece o modo direto, a larga o "
        "reverso); meça com tamanhos maiores ou mais repetições.",
        "en": "your measurement contradicts the theory (a tall Jacobian favours forward mode, a wide "
        "one reverse mode); measure with larger sizes or more repetitions.",
    },
    "exercises.l1.8.hint.1": {
        "pt": "jacfwd monta a jacobiana uma coluna por entrada (um jvp cada), jacrev uma linha por "
        "saída (um vjp cada). Conte as passagens que cada um faz numa função alta e numa larga.",
        "en": "jacfwd builds the Jacobian one column per input (one jvp each), jacrev one row per "
        "output (one vjp each). Count the passes each makes for a tall and for a wide function.",
    },
    "exercises.l1.8.hint.2": {
        "pt": "Meça jacfwd(g)(x) e jacrev(g)(x) numa função alta (por exemplo x ↦ tanh(W x) com W de "
        "formato (2000, 4)) e numa larga (W de formato (4, 2000)); use a mediana de várias rodadas.",
        "en": "Time jacfwd(g)(x) and jacrev(g)(x) on a tall function (for example x ↦ tanh(W x) with "
        "W of shape (2000, 4)) and on a wide one (W of shape (4, 2000)); use the median of several runs.",
    },
    "exercises.l1.8.hint.3": {
        "pt": "Se uma medição discorda da sua contagem de passagens, aumente as funções ou repita "
        "mais: em tamanhos pequenos, os custos fixos escondem a diferença.",
        "en": "If a measurement disagrees with your count of passes, make the functions bigger or "
        "repeat more: at small sizes fixed costs hide the difference.",
    },
    "exercises.l1.8.hint.4": {
        "pt": 'A conclusão é {{"tall": "forward", "wide": "reverse"}}: vence quem faz menos passagens. O '
        "modo reverso ainda guarda todos os valores intermediários até a volta (mais memória); as "
        "passagens de cada modo são independentes e rodam em paralelo com vmap.",
        "en": 'The conclusion is {{"tall": "forward", "wide": "reverse"}}: fewer passes win. Reverse '
        "mode also keeps every intermediate value until it goes back (more memory); the passes of "
        "either mode are independent and run in parallel under vmap.",
    },
    "exercises.l1.8.solution": {
        "pt": "O modo direto calcula a jacobiana uma coluna por vez (uma por entrada); o reverso, uma "
        "linha por vez (uma por saída). Com poucas entradas e muitas saídas (alta), o direto faz menos "
        "passagens; com muitas entradas e poucas saídas (larga, como uma perda escalar de uma rede com "
        "milhões de parâmetros), o reverso vence. O reverso ainda guarda os valores intermediários de "
        "todo o cálculo até a volta, enquanto o direto pode descartá-los no caminho; as passagens de "
        "cada modo são independentes e podem rodar em paralelo (vmap).",
        "en": "Forward mode builds the Jacobian one column at a time (one per input); reverse mode, "
        "one row at a time (one per output). With few inputs and many outputs (tall), forward mode "
        "makes fewer passes; with many inputs and few outputs (wide, like a scalar loss of a network "
        "with millions of parameters), reverse mode wins. Reverse mode also keeps the intermediate "
        "values of the whole computation until it goes back, while forward mode can drop them on the "
        "way; the passes of either mode are independent and can run in parallel (vmap).",
    },
}
