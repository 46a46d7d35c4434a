"""Lesson 4's exercises in words: each exercise's form, verdicts, hints and worked solution.

Keys are "exercises.l4.<n>.<what>": form (the answer's expected form), ok (the ✔ message),
hint.1 … hint.4 (each more specific, the last almost the answer), solution (the explanation
beside the solution code, which lives in course/lesson4/exercises.py), and the hints for the
typical wrong answers the checker recognises. "exercises.l4.precision", ".at_x" and ".at_index"
are shared by the exercises of this lesson. Code (names, arguments, error texts of PyTorch) stays
in English in both languages.
"""

MESSAGES: dict[str, dict[str, str]] = {
    # --- shared by the exercises of lesson 4 ---------------------------------------------------
    "exercises.l4.at_x": {"pt": "em x = {x}", "en": "at x = {x}"},
    "exercises.l4.at_index": {"pt": "na posição {index}", "en": "at position {index}"},
    "exercises.l4.right_values": {
        "pt": "os valores estão certos, mas não do jeito que o exercício pede.",
        "en": "the values are right, but not computed the way the exercise asks.",
    },
    "exercises.l4.backward_raised": {
        "pt": "a retropropagação pelo resultado da sua função levantou um erro.",
        "en": "the backward pass through your function's result raised an error.",
    },
    "exercises.l4.not_autograd": {
        "pt": "o resultado não veio do autograd.",
        "en": "the result did not come from autograd.",
    },
    "exercises.l4.precision": {
        "pt": "a sua resposta confere com a referência até uns 7 algarismos significativos (a precisão "
        "de float32), mas não em {dtype}: {where}, a sua dá {actual} e a referência dá {expected}. "
        "Em algum ponto o cálculo passa por float32 (um .float(), um torch.tensor criado sem "
        "dtype=x.dtype); o verificador passa tensores float64, faça as contas no dtype deles.",
        "en": "your answer agrees with the reference to about 7 significant digits (float32 precision) "
        "but not in {dtype}: {where} yours gives {actual} and the reference gives {expected}. "
        "Somewhere the computation goes through float32 (a .float(), a torch.tensor made without "
        "dtype=x.dtype); the checker passes float64 tensors, compute in their dtype.",
    },
    # --- exercise 1 ------------------------------------------------------------------------------
    "exercises.l4.1.form": {
        "pt": "uma função hidden_grad(forward, x) que roda h, loss = forward(x) e devolve dL/dh, o "
        "gradiente da perda em relação a h, um tensor do formato de h",
        "en": "a function hidden_grad(forward, x) that runs h, loss = forward(x) and returns dL/dh, the "
        "gradient of the loss with respect to h, a tensor of the shape of h",
    },
    "exercises.l4.1.ok": {
        "pt": "h não é uma folha: o autograd só guarda o gradiente dele em h.grad se você pedir, com "
        "h.retain_grad() (ou um gancho em h) antes da retropropagação.",
        "en": "h is not a leaf: autograd keeps its gradient in h.grad only when asked, with "
        "h.retain_grad() (or a hook on h) before the backward pass.",
    },
    "exercises.l4.1.none": {
        "pt": "a sua função devolveu None: é o que h.grad vale depois de loss.backward() quando h não é "
        "uma folha. Chame h.retain_grad() antes da retropropagação.",
        "en": "your function returned None: that is what h.grad holds after loss.backward() when h is "
        "not a leaf. Call h.retain_grad() before the backward pass.",
    },
    "exercises.l4.1.input": {
        "pt": "o resultado tem o formato de x, {actual}, não o de h, {expected}: isso parece o gradiente "
        "em relação à entrada x. O exercício pede o gradiente em relação à camada oculta h.",
        "en": "the result has the shape of x, {actual}, not that of h, {expected}: it looks like the "
        "gradient with respect to the input x. The exercise asks for the gradient with respect to the "
        "hidden layer h.",
    },
    "exercises.l4.1.activation": {
        "pt": "a sua função devolve os valores de h, não o gradiente da perda em relação a h.",
        "en": "your function returns the values of h, not the gradient of the loss with respect to h.",
    },
    "exercises.l4.1.twice": {
        "pt": "o resultado é o dobro de dL/dh: a retropropagação rodou duas vezes e o gradiente se "
        "acumulou em h.grad. Rode loss.backward() uma vez só.",
        "en": "the result is twice dL/dh: the backward pass ran twice and the gradient accumulated in "
        "h.grad. Run loss.backward() only once.",
    },
    "exercises.l4.1.pre_activation": {
        "pt": "isso é o gradiente em relação à entrada do tanh (x W), um nó abaixo de h. Num gancho de nó, "
        "grad_inputs é o que sai do nó em direção às entradas; o gradiente que chega em h é "
        "grad_outputs. Mais simples: h.retain_grad().",
        "en": "that is the gradient with respect to the input of tanh (x W), one node below h. In a node "
        "hook, grad_inputs is what leaves the node towards its inputs; the gradient arriving at h is "
        "grad_outputs. Simpler: h.retain_grad().",
    },
    "exercises.l4.1.values": {
        "pt": "os valores não conferem com dL/dh: {where}, a sua função dá {actual} e a referência dá "
        "{expected}. Use o h que forward devolve (não um recalculado) e a perda sem alterações.",
        "en": "the values do not match dL/dh: {where} your function gives {actual} and the reference "
        "gives {expected}. Use the h that forward returns (not a recomputed one) and the loss as it is.",
    },
    "exercises.l4.1.hint.1": {
        "pt": "Depois de loss.backward(), só as folhas que pedem gradiente recebem .grad. h é calculado "
        "a partir dos pesos: não é uma folha.",
        "en": "After loss.backward(), only the leaves that require grad get a .grad. h is computed from "
        "the weights: it is not a leaf.",
    },
    "exercises.l4.1.hint.2": {
        "pt": "Um tensor intermediário pode guardar o seu gradiente se você pedir antes da "
        "retropropagação: procure o método retain_grad() de torch.Tensor.",
        "en": "An intermediate tensor can keep its gradient if you ask before the backward pass: look "
        "up the method retain_grad() of torch.Tensor.",
    },
    "exercises.l4.1.hint.3": {
        "pt": "A ordem importa: primeiro h, loss = forward(x), depois h.retain_grad(), depois "
        "loss.backward(); só então h.grad tem o gradiente. (Outra saída: torch.autograd.grad(loss, h).)",
        "en": "Order matters: first h, loss = forward(x), then h.retain_grad(), then loss.backward(); "
        "only then does h.grad hold the gradient. (Another way: torch.autograd.grad(loss, h).)",
    },
    "exercises.l4.1.hint.4": {
        "pt": "def hidden_grad(forward, x): h, loss = forward(x); h.retain_grad(); loss.backward(); "
        "return h.grad — e a resposta é a própria função, answer = hidden_grad.",
        "en": "def hidden_grad(forward, x): h, loss = forward(x); h.retain_grad(); loss.backward(); "
        "return h.grad — and the answer is the function itself, answer = hidden_grad.",
    },
    "exercises.l4.1.solution": {
        "pt": "O autograd guarda .grad só nas folhas, para não gastar memória com os gradientes de cada "
        "tensor intermediário. h.retain_grad(), chamado antes da retropropagação, pede que o "
        "gradiente que chega em h fique em h.grad. O verificador roda a sua função com redes que "
        "você não viu: o gradiente tem de vir do autograd, não de uma fórmula feita à mão.",
        "en": "Autograd keeps .grad only on leaves, so as not to spend memory on the gradient of every "
        "intermediate tensor. h.retain_grad(), called before the backward pass, asks for the gradient "
        "arriving at h to stay in h.grad. The checker runs your function on networks you have not "
        "seen: the gradient has to come from autograd, not from a formula worked out by hand.",
    },
    # --- exercise 2 ------------------------------------------------------------------------------
    "exercises.l4.2.form": {
        "pt": "uma função step_grad(forward, w) que chama loss1, loss2 = forward(w) uma única vez e "
        "devolve o gradiente de loss1 + loss2 em relação a w, um tensor do formato de w",
        "en": "a function step_grad(forward, w) that calls loss1, loss2 = forward(w) once and returns "
        "the gradient of loss1 + loss2 with respect to w, a tensor of the shape of w",
    },
    "exercises.l4.2.ok": {
        "pt": "um só grafo computacional, uma só retropropagação pela soma das perdas, e nada do passo "
        "anterior acumulado em w.grad.",
        "en": "one computational graph, one backward pass through the sum of the losses, and nothing "
        "from the earlier step accumulated in w.grad.",
    },
    "exercises.l4.2.retain_graph": {
        "pt": 'a segunda retropropagação pelo mesmo grafo computacional falhou ("Trying to backward '
        'through the graph a second time"): a primeira liberou os tensores salvos. Some as perdas e '
        "faça uma retropropagação só, ou passe retain_graph=True na primeira.",
        "en": 'the second backward pass through the same computational graph failed ("Trying to '
        'backward through the graph a second time"): the first one freed the saved tensors. Add the '
        "losses and run one backward pass, or pass retain_graph=True to the first.",
    },
    "exercises.l4.2.none": {
        "pt": "a sua função devolveu None. Devolva o gradiente, por exemplo w.grad depois da retropropagação.",
        "en": "your function returned None. Return the gradient, for example w.grad after the backward pass.",
    },
    "exercises.l4.2.no_forward": {
        "pt": "a sua função não chamou forward(w): o verificador passa uma função forward que você não "
        "viu, e o gradiente tem de vir dela.",
        "en": "your function did not call forward(w): the checker passes a forward function you have "
        "not seen, and the gradient has to come from it.",
    },
    "exercises.l4.2.stale": {
        "pt": "o resultado é o gradiente certo mais o que já estava em w.grad: o gradiente acumula. Zere "
        "w.grad antes da retropropagação (w.grad = None), como optimizer.zero_grad() faz num laço de "
        "treino.",
        "en": "the result is the right gradient plus what was already in w.grad: the gradient "
        "accumulates. Reset w.grad before the backward pass (w.grad = None), as optimizer.zero_grad() "
        "does in a training loop.",
    },
    "exercises.l4.2.only_one": {
        "pt": "o resultado é só o gradiente de loss1; falta o de loss2.",
        "en": "the result is only the gradient of loss1; that of loss2 is missing.",
    },
    "exercises.l4.2.only_other": {
        "pt": "o resultado é só o gradiente de loss2: o de loss1 se perdeu. Se você zerou w.grad entre "
        "as duas retropropagações, zere só antes da primeira; ou some as perdas.",
        "en": "the result is only the gradient of loss2: that of loss1 was lost. If you reset w.grad "
        "between the two backward passes, reset it only before the first; or add the losses.",
    },
    "exercises.l4.2.mean": {
        "pt": "o resultado é metade do gradiente: você tirou a média das perdas. O exercício pede o "
        "gradiente da soma, loss1 + loss2.",
        "en": "the result is half the gradient: you took the mean of the losses. The exercise asks for "
        "the gradient of the sum, loss1 + loss2.",
    },
    "exercises.l4.2.repeated_2": {
        "pt": "o resultado é o dobro do gradiente: a mesma retropropagação rodou duas vezes e acumulou em w.grad.",
        "en": "the result is twice the gradient: the same backward pass ran twice and accumulated in w.grad.",
    },
    "exercises.l4.2.repeated_3": {
        "pt": "o resultado é o triplo do gradiente: a retropropagação rodou três vezes e acumulou em w.grad.",
        "en": "the result is three times the gradient: the backward pass ran three times and accumulated in w.grad.",
    },
    "exercises.l4.2.values": {
        "pt": "os valores não conferem com o gradiente de loss1 + loss2: {where}, a sua função dá "
        "{actual} e a referência dá {expected}. Cada perda entrou uma vez só, com peso 1?",
        "en": "the values do not match the gradient of loss1 + loss2: {where} your function gives "
        "{actual} and the reference gives {expected}. Did each loss count once, with weight 1?",
    },
    "exercises.l4.2.two_graphs": {
        "pt": "o gradiente está certo, mas a sua função chamou forward {calls} vezes: cada chamada "
        "constrói um grafo computacional novo e repete toda a conta. Chame forward uma vez e use as "
        "duas perdas que ela devolve.",
        "en": "the gradient is right, but your function called forward {calls} times: every call builds "
        "a new computational graph and repeats the whole computation. Call forward once and use both "
        "losses it returns.",
    },
    "exercises.l4.2.hint.1": {
        "pt": "Duas perdas que vêm do mesmo grafo computacional: o gradiente da soma é a soma dos "
        "gradientes. E o .grad acumula: o que um passo anterior deixou lá entra na conta.",
        "en": "Two losses from the same computational graph: the gradient of the sum is the sum of the "
        "gradients. And .grad accumulates: whatever an earlier step left there gets counted.",
    },
    "exercises.l4.2.hint.2": {
        "pt": "Comece zerando o que o passo anterior deixou: w.grad = None (é o que zero_grad() faz). "
        "Depois chame forward(w) uma vez só.",
        "en": "Start by clearing what the earlier step left: w.grad = None (that is what zero_grad() "
        "does). Then call forward(w) just once.",
    },
    "exercises.l4.2.hint.3": {
        "pt": "Duas saídas: (loss1 + loss2).backward(), uma retropropagação; ou loss1.backward("
        "retain_graph=True) seguido de loss2.backward(), que acumulam os dois gradientes em w.grad.",
        "en": "Two ways: (loss1 + loss2).backward(), one backward pass; or loss1.backward("
        "retain_graph=True) followed by loss2.backward(), which accumulate both gradients in w.grad.",
    },
    "exercises.l4.2.hint.4": {
        "pt": "def step_grad(forward, w): w.grad = None; loss1, loss2 = forward(w); "
        "(loss1 + loss2).backward(); return w.grad — e answer = step_grad.",
        "en": "def step_grad(forward, w): w.grad = None; loss1, loss2 = forward(w); "
        "(loss1 + loss2).backward(); return w.grad — and answer = step_grad.",
    },
    "exercises.l4.2.solution": {
        "pt": "O gradiente é linear: o de loss1 + loss2 é a soma dos dois. Uma retropropagação pela "
        "soma percorre o grafo computacional uma vez; duas retropropagações (a primeira com "
        "retain_graph=True) dão o mesmo, porque .grad acumula. Esse mesmo acúmulo é a razão de zerar "
        "w.grad no começo de cada passo: senão, o gradiente do passo anterior entra na conta.",
        "en": "The gradient is linear: that of loss1 + loss2 is the sum of both. One backward pass "
        "through the sum walks the computational graph once; two backward passes (the first with "
        "retain_graph=True) give the same, because .grad accumulates. That same accumulation is why "
        "w.grad is reset at the start of every step: otherwise the earlier step's gradient is counted.",
    },
    # --- exercise 3 ------------------------------------------------------------------------------
    "exercises.l4.3.form": {
        "pt": "uma função hvp(f, x, v) que devolve H v, a hessiana da função escalar f no ponto x "
        "vezes o vetor v, um tensor do formato de x",
        "en": "a function hvp(f, x, v) that returns H v, the Hessian of the scalar function f at the "
        "point x times the vector v, a tensor of the shape of x",
    },
    "exercises.l4.3.ok": {
        "pt": "com create_graph=True o gradiente g vira parte do grafo computacional, e derivar g·v "
        "dá H v sem nunca montar a hessiana n × n.",
        "en": "with create_graph=True the gradient g becomes part of the computational graph, and "
        "differentiating g·v gives H v without ever building the n × n Hessian.",
    },
    "exercises.l4.3.no_graph": {
        "pt": 'a sua função tentou derivar um tensor sem grad_fn ("does not require grad and does not '
        'have a grad_fn"). Ou x não pede gradiente (x = x.detach().requires_grad_(True)), ou o '
        "primeiro gradiente foi calculado sem create_graph=True e por isso não pode ser derivado de "
        "novo.",
        "en": 'your function tried to differentiate a tensor without a grad_fn ("does not require grad '
        'and does not have a grad_fn"). Either x does not require grad (x = '
        "x.detach().requires_grad_(True)), or the first gradient was computed without "
        "create_graph=True and so cannot be differentiated again.",
    },
    "exercises.l4.3.none": {
        "pt": "a sua função devolveu None. Se você leu x.grad, confira se x é a folha que você criou "
        "com requires_grad_(True) e se houve retropropagação até ela.",
        "en": "your function returned None. If you read x.grad, check that x is the leaf you made with "
        "requires_grad_(True) and that a backward pass reached it.",
    },
    "exercises.l4.3.scalar": {
        "pt": "a sua função devolve um escalar, talvez g·v. H v é um vetor: derive g·v mais uma vez em relação a x.",
        "en": "your function returns a scalar, perhaps g·v. H v is a vector: differentiate g·v once "
        "more with respect to x.",
    },
    "exercises.l4.3.matrix": {
        "pt": "o resultado tem formato {actual}: é a hessiana inteira. O exercício pede H v, de formato "
        "{expected}, que sai de duas retropropagações sem montar a matriz.",
        "en": "the result has shape {actual}: it is the whole Hessian. The exercise asks for H v, of "
        "shape {expected}, which two backward passes give without building the matrix.",
    },
    "exercises.l4.3.gradient": {
        "pt": "isso é o gradiente g de f, a primeira derivada. Falta derivar de novo: o gradiente de "
        "g·v em relação a x é H v.",
        "en": "that is the gradient g of f, the first derivative. One more differentiation is missing: "
        "the gradient of g·v with respect to x is H v.",
    },
    "exercises.l4.3.accumulated": {
        "pt": "o resultado é g + H v: a primeira retropropagação deixou g em x.grad e a segunda somou H v "
        "em cima (o gradiente acumula). Use torch.autograd.grad, que devolve o gradiente sem "
        "escrever em x.grad, ou zere x.grad entre as duas.",
        "en": "the result is g + H v: the first backward pass left g in x.grad and the second added H v "
        "on top (the gradient accumulates). Use torch.autograd.grad, which returns the gradient "
        "without writing to x.grad, or reset x.grad in between.",
    },
    "exercises.l4.3.ones": {
        "pt": "o resultado é H·1, a hessiana vezes um vetor de uns: a segunda derivada foi de g.sum() "
        "(ou com torch.ones_like). Use o v que a função recebe: derive (g * v).sum().",
        "en": "the result is H·1, the Hessian times a vector of ones: the second derivative was taken "
        "of g.sum() (or with torch.ones_like). Use the v the function receives: differentiate "
        "(g * v).sum().",
    },
    "exercises.l4.3.values": {
        "pt": "os valores não conferem com H v: {where}, a sua função dá {actual} e a referência dá {expected}.",
        "en": "the values do not match H v: {where} your function gives {actual} and the reference gives {expected}.",
    },
    "exercises.l4.3.hint.1": {
        "pt": "H v é a derivada, em relação a x, do produto interno g(x)·v, com g o gradiente de f e v "
        "constante. Então são duas derivadas seguidas.",
        "en": "H v is the derivative, with respect to x, of the inner product g(x)·v, with g the "
        "gradient of f and v held constant. So it takes two derivatives in a row.",
    },
    "exercises.l4.3.hint.2": {
        "pt": "Para derivar um gradiente de novo, ele precisa estar no grafo computacional: calcule-o "
        "com torch.autograd.grad(..., create_graph=True). E x precisa pedir gradiente: "
        "x = x.detach().requires_grad_(True).",
        "en": "To differentiate a gradient again, it has to be in the computational graph: compute it "
        "with torch.autograd.grad(..., create_graph=True). And x has to require grad: "
        "x = x.detach().requires_grad_(True).",
    },
    "exercises.l4.3.hint.3": {
        "pt": "(g,) = torch.autograd.grad(f(x), x, create_graph=True) dá o gradiente; depois derive o "
        "escalar (g * v).sum() em relação a x. Prefira torch.autograd.grad a backward(): ele não "
        "acumula em x.grad.",
        "en": "(g,) = torch.autograd.grad(f(x), x, create_graph=True) gives the gradient; then "
        "differentiate the scalar (g * v).sum() with respect to x. Prefer torch.autograd.grad to "
        "backward(): it does not accumulate into x.grad.",
    },
    "exercises.l4.3.hint.4": {
        "pt": "x = x.detach().requires_grad_(True); (g,) = torch.autograd.grad(f(x), x, "
        "create_graph=True); (hv,) = torch.autograd.grad((g * v).sum(), x); return hv — e answer = hvp.",
        "en": "x = x.detach().requires_grad_(True); (g,) = torch.autograd.grad(f(x), x, "
        "create_graph=True); (hv,) = torch.autograd.grad((g * v).sum(), x); return hv — and "
        "answer = hvp.",
    },
    "exercises.l4.3.solution": {
        "pt": "Com create_graph=True, a retropropagação que calcula g também é registrada no grafo "
        "computacional, e g pode ser derivado. Como v não depende de x, a derivada de g·v é H v: duas "
        "retropropagações, sem montar a hessiana, que teria n × n elementos. O verificador usa "
        "funções e pontos que você não viu, em float64, e compara com fórmulas exatas de H v.",
        "en": "With create_graph=True, the backward pass that computes g is also recorded in the "
        "computational graph, and g can be differentiated. Since v does not depend on x, the "
        "derivative of g·v is H v: two backward passes, without building the Hessian, which would have "
        "n × n elements. The checker uses functions and points you have not seen, in float64, and "
        "compares with exact formulas for H v.",
    },
    # --- exercise 4 ------------------------------------------------------------------------------
    "exercises.l4.4.form": {
        "pt": "a classe (não uma instância, nem o seu apply) de uma subclasse de torch.autograd.Function "
        "que calcula silu(x) = x·σ(x) em forward, guarda o que precisa com ctx.save_for_backward e "
        "devolve o gradiente em backward",
        "en": "the class (not an instance, nor its apply) of a subclass of torch.autograd.Function that "
        "computes silu(x) = x·σ(x) in forward, keeps what it needs with ctx.save_for_backward and "
        "returns the gradient in backward",
    },
    "exercises.l4.4.ok": {
        "pt": "a sua Function cria o seu próprio nó no grafo computacional, e o backward dela confere "
        "com a derivada exata em pontos que você não viu.",
        "en": "your Function creates its own node in the computational graph, and its backward agrees "
        "with the exact derivative at points you have not seen.",
    },
    "exercises.l4.4.apply": {
        "pt": "a resposta é {name}.apply; passe a própria classe, answer = {name}.",
        "en": "the answer is {name}.apply; pass the class itself, answer = {name}.",
    },
    "exercises.l4.4.not_class": {
        "pt": "a resposta é {kind}, não uma classe.",
        "en": "the answer is {kind}, not a class.",
    },
    "exercises.l4.4.not_function": {
        "pt": "a classe {name} não é uma subclasse de torch.autograd.Function: declare-a como class "
        "{name}(torch.autograd.Function).",
        "en": "the class {name} is not a subclass of torch.autograd.Function: declare it as class "
        "{name}(torch.autograd.Function).",
    },
    "exercises.l4.4.derivative_forward": {
        "pt": "forward devolve a derivada de silu, não silu(x) = x·σ(x): a derivada é trabalho do backward.",
        "en": "forward returns the derivative of silu, not silu(x) = x·σ(x): the derivative is backward's job.",
    },
    "exercises.l4.4.forward": {
        "pt": "forward não calcula silu(x) = x·σ(x): {where}, a sua dá {actual} e a referência dá {expected}.",
        "en": "forward does not compute silu(x) = x·σ(x): {where} yours gives {actual} and the "
        "reference gives {expected}.",
    },
    "exercises.l4.4.no_node": {
        "pt": "o resultado de apply não tem grad_fn: nenhum nó entrou no grafo computacional. forward "
        "deve devolver um tensor novo calculado a partir de x (sem torch.no_grad, detach ou "
        "mark_non_differentiable).",
        "en": "the result of apply has no grad_fn: no node entered the computational graph. forward "
        "should return a new tensor computed from x (without torch.no_grad, detach or "
        "mark_non_differentiable).",
    },
    "exercises.l4.4.other_node": {
        "pt": "o nó do resultado é {node}, não {name}Backward, o nó que a sua Function cria.",
        "en": "the node of the result is {node}, not {name}Backward, the node your Function creates.",
    },
    "exercises.l4.4.not_saved": {
        "pt": "os valores estão certos, mas o nó não tem tensores salvos: guarde x com "
        "ctx.save_for_backward(x), não como atributo de ctx (ctx.x = x). Só assim o contador de "
        "versão acusa uma mudança in-place em x antes da retropropagação.",
        "en": "the values are right, but the node has no saved tensors: keep x with "
        "ctx.save_for_backward(x), not as an attribute of ctx (ctx.x = x). Only then does the version "
        "counter catch an in-place change to x before the backward pass.",
    },
    "exercises.l4.4.grad_output": {
        "pt": "backward devolve a derivada local σ(x)(1 + x(1 − σ(x))) sem multiplicar pelo gradiente "
        "que chega de cima (grad_output). O verificador usa um grad_output diferente de 1: pela "
        "regra da cadeia, devolva grad_output * derivada.",
        "en": "backward returns the local derivative σ(x)(1 + x(1 − σ(x))) without multiplying by the "
        "gradient arriving from above (grad_output). The checker uses a grad_output other than 1: by "
        "the chain rule, return grad_output * derivative.",
    },
    "exercises.l4.4.product_rule": {
        "pt": "backward devolve grad_output·σ(x): falta um termo da regra do produto. A derivada de "
        "x·σ(x) é σ(x) + x·σ'(x), com σ'(x) = σ(x)(1 − σ(x)).",
        "en": "backward returns grad_output·σ(x): a term of the product rule is missing. The "
        "derivative of x·σ(x) is σ(x) + x·σ'(x), with σ'(x) = σ(x)(1 − σ(x)).",
    },
    "exercises.l4.4.sigmoid_derivative": {
        "pt": "backward devolve grad_output·σ'(x), a derivada da sigmoide só; silu é x·σ(x), e pela "
        "regra do produto a derivada é σ(x) + x·σ'(x).",
        "en": "backward returns grad_output·σ'(x), the derivative of the sigmoid alone; silu is "
        "x·σ(x), and by the product rule its derivative is σ(x) + x·σ'(x).",
    },
    "exercises.l4.4.backward": {
        "pt": "backward não confere com grad_output vezes a derivada de silu: {where}, a sua dá "
        "{actual} e a referência dá {expected}.",
        "en": "backward does not match grad_output times the derivative of silu: {where} yours gives "
        "{actual} and the reference gives {expected}.",
    },
    "exercises.l4.4.hint.1": {
        "pt": "Uma torch.autograd.Function tem dois métodos estáticos: forward(ctx, x) calcula o valor, "
        "backward(ctx, grad_output) devolve o gradiente em relação a x. Você a usa com "
        "NomeDaClasse.apply(x).",
        "en": "A torch.autograd.Function has two static methods: forward(ctx, x) computes the value, "
        "backward(ctx, grad_output) returns the gradient with respect to x. You use it with "
        "ClassName.apply(x).",
    },
    "exercises.l4.4.hint.2": {
        "pt": "Em forward, guarde o que o backward vai precisar com ctx.save_for_backward(x); em "
        "backward, recupere com (x,) = ctx.saved_tensors.",
        "en": "In forward, keep what backward will need with ctx.save_for_backward(x); in backward, get "
        "it back with (x,) = ctx.saved_tensors.",
    },
    "exercises.l4.4.hint.3": {
        "pt": "A derivada de x·σ(x) é σ(x)(1 + x(1 − σ(x))). backward devolve grad_output vezes essa "
        "derivada (a regra da cadeia). Confira com torch.autograd.gradcheck em float64.",
        "en": "The derivative of x·σ(x) is σ(x)(1 + x(1 − σ(x))). backward returns grad_output times "
        "that derivative (the chain rule). Check it with torch.autograd.gradcheck in float64.",
    },
    "exercises.l4.4.hint.4": {
        "pt": "class SiLU(torch.autograd.Function), com forward(ctx, x): ctx.save_for_backward(x); "
        "return x * torch.sigmoid(x), e backward(ctx, grad_output): (x,) = ctx.saved_tensors; "
        "s = torch.sigmoid(x); return grad_output * s * (1 + x * (1 - s)) — os dois com "
        "@staticmethod; answer = SiLU.",
        "en": "class SiLU(torch.autograd.Function), with forward(ctx, x): ctx.save_for_backward(x); "
        "return x * torch.sigmoid(x), and backward(ctx, grad_output): (x,) = ctx.saved_tensors; "
        "s = torch.sigmoid(x); return grad_output * s * (1 + x * (1 - s)) — both with "
        "@staticmethod; answer = SiLU.",
    },
    "exercises.l4.4.solution": {
        "pt": "apply cria um nó SiLUBackward no grafo computacional. ctx.save_for_backward guarda x "
        "junto com a versão dele, e backward recebe o gradiente que chega de cima e o multiplica pela "
        "derivada local, σ(x)(1 + x(1 − σ(x))). gradcheck compara esse backward com diferenças "
        "finitas em float64; o verificador compara com a fórmula da derivada, em pontos e com "
        "grad_output que você não viu.",
        "en": "apply creates a SiLUBackward node in the computational graph. ctx.save_for_backward "
        "keeps x together with its version, and backward takes the gradient arriving from above and "
        "multiplies it by the local derivative, σ(x)(1 + x(1 − σ(x))). gradcheck compares this "
        "backward with finite differences in float64; the checker compares it with the formula of the "
        "derivative, at points and with a grad_output you have not seen.",
    },
    # --- exercise 5 ------------------------------------------------------------------------------
    "exercises.l4.5.form": {
        "pt": "uma função fixed(x) que devolve os mesmos valores que broken5(x), agora com uma "
        "retropropagação que funciona e leva o gradiente até x",
        "en": "a function fixed(x) that returns the same values as broken5(x), now with a backward "
        "pass that works and carries the gradient to x",
    },
    "exercises.l4.5.ok": {
        "pt": "mesmos valores, e a retropropagação agora encontra intacto o resultado que a sigmoide "
        "salvou: z = z * y cria um tensor novo em vez de alterar o salvo.",
        "en": "same values, and the backward pass now finds the result the sigmoid saved intact: "
        "z = z * y makes a new tensor instead of changing the saved one.",
    },
    "exercises.l4.5.leaf": {
        "pt": "a sua função altera x in-place, e x é uma folha que pede gradiente: o PyTorch não deixa. "
        "Não mexa em x; crie tensores novos.",
        "en": "your function changes x in place, and x is a leaf that requires grad: PyTorch does not "
        "allow it. Leave x alone; make new tensors.",
    },
    "exercises.l4.5.values": {
        "pt": "os valores mudaram: {where}, a sua função dá {actual} e broken5 dá {expected}. A correção "
        "deve calcular a mesma coisa, só sem a operação in-place que estraga a retropropagação.",
        "en": "the values changed: {where} your function gives {actual} and broken5 gives {expected}. "
        "The fix should compute the same thing, only without the in-place operation that breaks the "
        "backward pass.",
    },
    "exercises.l4.5.detached": {
        "pt": "o gradiente não chega a x: o resultado foi separado do grafo (detach, torch.no_grad, "
        ".data ou requires_grad_(False)). Isso esconde o erro em vez de corrigi-lo; o gradiente tem "
        "de passar.",
        "en": "the gradient does not reach x: the result was detached from the graph (detach, "
        "torch.no_grad, .data or requires_grad_(False)). That hides the error instead of fixing it; "
        "the gradient has to flow.",
    },
    "exercises.l4.5.still_inplace": {
        "pt": 'a retropropagação ainda falha com "modified by an inplace operation": um tensor que uma '
        "operação salvou para a retropropagação continua sendo alterado in-place. Qual operação "
        "salva o próprio resultado? Olhe a mensagem: ela diz de quem é a saída e em que versão está.",
        "en": 'the backward pass still fails with "modified by an inplace operation": a tensor an '
        "operation saved for the backward pass is still changed in place. Which operation saves its "
        "own result? Read the message: it says whose output it is and at which version.",
    },
    "exercises.l4.5.partly_detached": {
        "pt": "só parte do gradiente chega a x: a saída da sigmoide foi separada do grafo antes da "
        "multiplicação. Falta o caminho que passa pela sigmoide.",
        "en": "only part of the gradient reaches x: the sigmoid's output was detached from the graph "
        "before the multiplication. The path through the sigmoid is missing.",
    },
    "exercises.l4.5.partly_detached_other": {
        "pt": "só parte do gradiente chega a x: o fator y da multiplicação foi separado do grafo. Falta o "
        "caminho que passa por y diretamente.",
        "en": "only part of the gradient reaches x: the factor y of the multiplication was detached from "
        "the graph. The path straight through y is missing.",
    },
    "exercises.l4.5.data": {
        "pt": "o erro sumiu, mas o gradiente está errado: a mudança foi feita por .data, que não sobe o "
        "contador de versão. A sigmoide calcula a derivada a partir do resultado que salvou, σ(1 − σ), "
        "e esse resultado foi trocado sem aviso; e a multiplicação por y nem entrou no grafo.",
        "en": "the error is gone, but the gradient is wrong: the change went through .data, which does "
        "not bump the version counter. The sigmoid computes its derivative from the result it saved, "
        "σ(1 − σ), and that result was swapped without warning; and the multiplication by y never "
        "entered the graph.",
    },
    "exercises.l4.5.gradient": {
        "pt": "os valores estão certos, mas o gradiente não: {where}, o da sua função dá {actual} e a "
        "referência dá {expected}.",
        "en": "the values are right, but the gradient is not: {where} your function's gives {actual} and "
        "the reference gives {expected}.",
    },
    "exercises.l4.5.hint.1": {
        "pt": "Rode broken5(x).sum().backward() com x = torch.randn(3, requires_grad=True) e leia a "
        "mensagem: de qual operação é a saída que mudou de versão?",
        "en": "Run broken5(x).sum().backward() with x = torch.randn(3, requires_grad=True) and read the "
        "message: which operation's output changed version?",
    },
    "exercises.l4.5.hint.2": {
        "pt": "A sigmoide guarda o próprio resultado, porque a derivada dela é σ(1 − σ). Qualquer "
        "mudança in-place nesse resultado sobe o ._version dele e invalida o que foi salvo.",
        "en": "The sigmoid keeps its own result, because its derivative is σ(1 − σ). Any in-place change "
        "to that result bumps its ._version and invalidates what was saved.",
    },
    "exercises.l4.5.hint.3": {
        "pt": "y += 1 é inofensivo (x * 2 não guarda o resultado); z *= y não é. Troque a operação "
        "in-place culpada por uma que cria um tensor novo. Não use detach nem .data: o gradiente "
        "precisa passar.",
        "en": "y += 1 is harmless (x * 2 does not keep its result); z *= y is not. Replace the guilty "
        "in-place operation with one that makes a new tensor. Do not use detach or .data: the gradient "
        "has to flow.",
    },
    "exercises.l4.5.hint.4": {
        "pt": "def fixed(x): y = x * 2; y += 1; z = torch.sigmoid(y); z = z * y; return z — e answer = fixed.",
        "en": "def fixed(x): y = x * 2; y += 1; z = torch.sigmoid(y); z = z * y; return z — and answer = fixed.",
    },
    "exercises.l4.5.solution": {
        "pt": "A sigmoide salva o próprio resultado z para a retropropagação. z *= y altera esse tensor "
        "e sobe o contador de versão de 0 para 1; na volta, o autograd confere a versão e recusa. "
        "z = z * y calcula o mesmo valor num tensor novo e deixa o salvo intacto. Já y += 1 pode ficar: "
        "a multiplicação por 2 não guarda o resultado. Separar do grafo esconderia o erro e cortaria o "
        "gradiente.",
        "en": "The sigmoid saves its own result z for the backward pass. z *= y changes that tensor and "
        "bumps its version counter from 0 to 1; on the way back, autograd checks the version and "
        "refuses. z = z * y computes the same value in a new tensor and leaves the saved one intact. "
        "y += 1 can stay: the multiplication by 2 does not keep its result. Detaching would hide the "
        "error and cut the gradient.",
    },
    # --- exercise 6 ------------------------------------------------------------------------------
    "exercises.l4.6.form": {
        "pt": "uma função clip_gradient(tensor, c) que registra em tensor um gancho que limita cada "
        "elemento do gradiente que chega a ele ao intervalo [−c, c], e devolve o handle que "
        "register_hook devolve",
        "en": "a function clip_gradient(tensor, c) that registers on tensor a hook that limits each "
        "element of the gradient arriving at it to the interval [−c, c], and returns the handle "
        "register_hook returns",
    },
    "exercises.l4.6.ok": {
        "pt": "o gancho troca o gradiente no meio da retropropagação: o que segue para baixo já vem "
        "limitado, e handle.remove() o desliga.",
        "en": "the hook swaps the gradient in the middle of the backward pass: what flows further down "
        "is already clipped, and handle.remove() switches it off.",
    },
    "exercises.l4.6.in_place": {
        "pt": "funcionou aqui, mas o seu gancho altera in-place o gradiente que recebe. A documentação de "
        "register_hook pede que o gancho não altere o argumento e devolva um tensor novo "
        "(grad.clamp(-c, c) em vez de grad.clamp_(-c, c)).",
        "en": "it worked here, but your hook changes the gradient it receives in place. The "
        "documentation of register_hook asks the hook not to modify its argument and to return a new "
        "tensor (grad.clamp(-c, c) instead of grad.clamp_(-c, c)).",
    },
    "exercises.l4.6.handle": {
        "pt": "a sua função devolveu {kind}, não o handle do gancho (o objeto com o método remove() que "
        "register_hook devolve).",
        "en": "your function returned {kind}, not the hook's handle (the object with a remove() method "
        "that register_hook returns).",
    },
    "exercises.l4.6.no_effect": {
        "pt": "o gradiente passou sem mudança: o gancho não teve efeito. Um gancho troca o gradiente pelo "
        "tensor que ele devolve; se devolve None, nada muda. Devolva o gradiente limitado.",
        "en": "the gradient went through unchanged: the hook had no effect. A hook replaces the gradient "
        "with the tensor it returns; if it returns None, nothing changes. Return the clipped gradient.",
    },
    "exercises.l4.6.wrong_tensor": {
        "pt": "o gradiente foi limitado no tensor errado: o resultado é o gradiente de x limitado, não "
        "o gradiente que chega em tensor limitado e depois levado até x. Registre o gancho no tensor "
        "que a função recebe.",
        "en": "the gradient was clipped at the wrong tensor: the result is x's gradient clipped, not the "
        "gradient arriving at tensor clipped and then carried down to x. Register the hook on the "
        "tensor the function receives.",
    },
    "exercises.l4.6.one_side": {
        "pt": "só o lado de cima foi limitado: gradientes menores que −c passaram. Limite os dois lados, "
        "grad.clamp(-c, c).",
        "en": "only the upper side was clipped: gradients below −c went through. Clip both sides, grad.clamp(-c, c).",
    },
    "exercises.l4.6.fixed_c": {
        "pt": "o gradiente foi limitado a [−1, 1], mas o verificador pediu c = {c}: use o c que a função recebe.",
        "en": "the gradient was clipped to [−1, 1], but the checker asked for c = {c}: use the c the "
        "function receives.",
    },
    "exercises.l4.6.values": {
        "pt": "com c = {c}, o gradiente que sai não é o que chega limitado a [−c, c]: {where}, o da sua "
        "função dá {actual} e a referência dá {expected}.",
        "en": "with c = {c}, the gradient that comes out is not the arriving one clipped to [−c, c]: "
        "{where} yours gives {actual} and the reference gives {expected}.",
    },
    "exercises.l4.6.not_removed": {
        "pt": "depois de handle.remove(), o gradiente ainda sai limitado: o handle devolvido não é o do "
        "gancho que limita. Devolva o que tensor.register_hook(...) devolve.",
        "en": "after handle.remove(), the gradient still comes out clipped: the handle returned is not "
        "the clipping hook's. Return what tensor.register_hook(...) returns.",
    },
    "exercises.l4.6.hint.1": {
        "pt": "tensor.register_hook(função) chama a função com o gradiente que chega em tensor durante a "
        "retropropagação; se ela devolve um tensor, ele segue no lugar do gradiente.",
        "en": "tensor.register_hook(function) calls the function with the gradient arriving at tensor "
        "during the backward pass; if it returns a tensor, that tensor goes on in place of the gradient.",
    },
    "exercises.l4.6.hint.2": {
        "pt": "Limitar cada elemento a [−c, c] é o que torch.clamp faz. O gancho pode ser um lambda que "
        "usa o c de clip_gradient.",
        "en": "Limiting every element to [−c, c] is what torch.clamp does. The hook can be a lambda that "
        "uses clip_gradient's c.",
    },
    "exercises.l4.6.hint.3": {
        "pt": "register_hook devolve um handle; handle.remove() tira o gancho. Devolva esse handle. O gancho "
        "deve devolver um tensor novo, sem alterar o gradiente que recebe.",
        "en": "register_hook returns a handle; handle.remove() takes the hook away. Return that handle. "
        "The hook should return a new tensor, without changing the gradient it receives.",
    },
    "exercises.l4.6.hint.4": {
        "pt": "def clip_gradient(tensor, c): return tensor.register_hook(lambda grad: grad.clamp(-c, c)) "
        "— e answer = clip_gradient.",
        "en": "def clip_gradient(tensor, c): return tensor.register_hook(lambda grad: grad.clamp(-c, c)) "
        "— and answer = clip_gradient.",
    },
    "exercises.l4.6.solution": {
        "pt": "O gancho roda quando o gradiente chega em tensor e o substitui pelo que devolve; daí para "
        "baixo, a retropropagação só vê o gradiente limitado. Limitar no tensor intermediário não é o "
        "mesmo que limitar o .grad da folha depois: entre os dois há a regra da cadeia. O verificador "
        "confere os dois casos e também que, depois de handle.remove(), o gradiente volta a passar "
        "inteiro: foi o gancho que limitou.",
        "en": "The hook runs when the gradient arrives at tensor and replaces it with what it returns; "
        "from there down, the backward pass only sees the clipped gradient. Clipping at the "
        "intermediate tensor is not the same as clipping the leaf's .grad afterwards: the chain rule "
        "lies in between. The checker tells the two apart, and also that after handle.remove() the "
        "gradient flows through whole again: it was the hook that clipped.",
    },
    # --- exercise 7 ------------------------------------------------------------------------------
    "exercises.l4.7.form": {
        "pt": "uma função jacobian(f, x) que devolve a jacobiana de f (vetor → vetor) no ponto x, de "
        "formato (saídas, entradas), calculada com o modo (direto ou reverso) mais barato para os "
        "tamanhos de f",
        "en": "a function jacobian(f, x) that returns the Jacobian of f (vector → vector) at the point "
        "x, of shape (outputs, inputs), computed with the mode (forward or reverse) that is cheaper "
        "for the sizes of f",
    },
    "exercises.l4.7.ok": {
        "pt": "a sua função escolhe o modo pelos tamanhos: o direto faz uma passagem por entrada (uma "
        "coluna de J), o reverso uma por saída (uma linha). Alta → direto, larga → reverso.",
        "en": "your function picks the mode by the sizes: forward mode makes one pass per input (a "
        "column of J), reverse mode one per output (a row). Tall → forward, wide → reverse.",
    },
    "exercises.l4.7.transposed": {
        "pt": "para f: ℝ^{inputs} → ℝ^{outputs}, o resultado tem formato ({inputs}, {outputs}): é a "
        "jacobiana transposta. J tem uma linha por saída, J[i, j] = ∂f_i/∂x_j.",
        "en": "for f: ℝ^{inputs} → ℝ^{outputs}, the result has shape ({inputs}, {outputs}): it is the "
        "transposed Jacobian. J has one row per output, J[i, j] = ∂f_i/∂x_j.",
    },
    "exercises.l4.7.values": {
        "pt": "para f: ℝ^{inputs} → ℝ^{outputs}, os valores não conferem com a jacobiana: {where}, a sua "
        "dá {actual} e a referência dá {expected}.",
        "en": "for f: ℝ^{inputs} → ℝ^{outputs}, the values do not match the Jacobian: {where} yours "
        "gives {actual} and the reference gives {expected}.",
    },
    "exercises.l4.7.no_autograd": {
        "pt": "para f: ℝ^{inputs} → ℝ^{outputs}, nenhum dos dois modos do autograd foi usado (diferenças "
        "finitas?): a jacobiana tem de vir de torch.func.jacfwd ou torch.func.jacrev.",
        "en": "for f: ℝ^{inputs} → ℝ^{outputs}, neither mode of autograd was used (finite "
        "differences?): the Jacobian has to come from torch.func.jacfwd or torch.func.jacrev.",
    },
    "exercises.l4.7.both": {
        "pt": "para f: ℝ^{inputs} → ℝ^{outputs}, a sua função usou os dois modos: calcular a jacobiana "
        "duas vezes custa mais que qualquer um deles. Escolha um, pelos tamanhos.",
        "en": "for f: ℝ^{inputs} → ℝ^{outputs}, your function used both modes: computing the Jacobian "
        "twice costs more than either. Pick one, by the sizes.",
    },
    "exercises.l4.7.forward_cheaper": {
        "pt": "para f: ℝ^{inputs} → ℝ^{outputs} (alta: poucas entradas, muitas saídas), a sua função "
        "usou o modo reverso, uma passagem por saída: {outputs} passagens. O direto faz uma por "
        "entrada: {inputs}. Compare x.numel() com f(x).numel().",
        "en": "for f: ℝ^{inputs} → ℝ^{outputs} (tall: few inputs, many outputs), your function used "
        "reverse mode, one pass per output: {outputs} passes. Forward mode makes one per input: "
        "{inputs}. Compare x.numel() with f(x).numel().",
    },
    "exercises.l4.7.reverse_cheaper": {
        "pt": "para f: ℝ^{inputs} → ℝ^{outputs} (larga: muitas entradas, poucas saídas), a sua função "
        "usou o modo direto, uma passagem por entrada: {inputs} passagens. O reverso faz uma por "
        "saída: {outputs}. Compare x.numel() com f(x).numel().",
        "en": "for f: ℝ^{inputs} → ℝ^{outputs} (wide: many inputs, few outputs), your function used "
        "forward mode, one pass per input: {inputs} passes. Reverse mode makes one per output: "
        "{outputs}. Compare x.numel() with f(x).numel().",
    },
    "exercises.l4.7.hint.1": {
        "pt": "O modo direto (jvp) dá uma coluna da jacobiana por passagem; o reverso (vjp), uma linha. "
        "Quantas passagens cada um precisa para J inteira de f: ℝ^n → ℝ^m?",
        "en": "Forward mode (jvp) gives one column of the Jacobian per pass; reverse mode (vjp), one "
        "row. How many passes does each need for the whole J of f: ℝ^n → ℝ^m?",
    },
    "exercises.l4.7.hint.2": {
        "pt": "O direto precisa de n passagens (uma por entrada), o reverso de m (uma por saída). Então "
        "a escolha depende de f: compare x.numel() com f(x).numel() dentro da sua função.",
        "en": "Forward mode needs n passes (one per input), reverse mode m (one per output). So the "
        "choice depends on f: compare x.numel() with f(x).numel() inside your function.",
    },
    "exercises.l4.7.hint.3": {
        "pt": "torch.func.jacfwd(f)(x) monta J pelo modo direto, torch.func.jacrev(f)(x) pelo reverso; "
        "as duas devolvem J com formato (saídas, entradas).",
        "en": "torch.func.jacfwd(f)(x) builds J by forward mode, torch.func.jacrev(f)(x) by reverse "
        "mode; both return J with shape (outputs, inputs).",
    },
    "exercises.l4.7.hint.4": {
        "pt": "def jacobian(f, x): if x.numel() < f(x).numel(): return torch.func.jacfwd(f)(x); senão "
        "return torch.func.jacrev(f)(x) — e answer = jacobian.",
        "en": "def jacobian(f, x): if x.numel() < f(x).numel(): return torch.func.jacfwd(f)(x); else "
        "return torch.func.jacrev(f)(x) — and answer = jacobian.",
    },
    "exercises.l4.7.solution": {
        "pt": "O modo direto leva uma direção da entrada para a saída e dá uma coluna de J por passagem; "
        "o reverso leva pesos da saída para a entrada e dá uma linha. Para f: ℝ^n → ℝ^m, são n "
        "passagens contra m: alta (n < m) pede o direto, larga (n > m) o reverso, como uma perda "
        "escalar de uma rede com milhões de parâmetros. O verificador não mede tempo: a função que ele "
        "passa registra qual modo a derivou.",
        "en": "Forward mode carries a direction from input to output and gives one column of J per "
        "pass; reverse mode carries weights from output to input and gives one row. For f: ℝ^n → ℝ^m, "
        "that is n passes against m: tall (n < m) calls for forward mode, wide (n > m) for reverse, "
        "like a scalar loss of a network with millions of parameters. The checker measures no time: "
        "the function it passes records which mode differentiated it.",
    },
}
