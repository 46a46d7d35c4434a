# %% [markdown] lang="pt"
# # Lição 2 — Soluções dos exercícios
#
# Uma solução comentada para cada exercício de `02_exercises_in_depth.ipynb`, conferida pelo
# mesmo `check(n, answer, lesson=2)`. O código de cada célula é o mesmo que
# `solution(n, lesson=2)` mostra. Outras soluções também passam: o verificador julga o que a sua
# resposta calcula, em entradas próprias, não o texto do código.

# %% [markdown] lang="en"
# # Lesson 2 — Solutions to the exercises
#
# A worked solution for each exercise of `02_exercises_in_depth.ipynb`, checked by the same
# `check(n, answer, lesson=2)`. The code of each cell is the code `solution(n, lesson=2)` shows.
# Other solutions pass too: the checker judges what your answer computes, on inputs of its own,
# not the text of the code.

# %%
# [pt] Funções auxiliares, com mensagens em português
# [en] Helpers, with messages in English
import torch

from autograd_lessons import check, describe_figures, set_language
from autograd_lessons.lessons.in_depth.exercises import (
    V3,
    W2,
    X1,
    X3,
    X7_TALL,
    X7_WIDE,
    broken5,
    f3,
    forward1,
    forward2,
    tall7,
    wide7,
)

set_language("en")
# [pt] Cada figura ganha uma descrição em texto, para leitores de tela e para o site
# [en] Every figure gets a text description, for screen readers and for the site
describe_figures()

# %% [markdown] lang="pt"
# ## Exercício 1 — O gradiente de uma camada oculta
#
# O autograd guarda `.grad` só nas folhas que pedem gradiente, para não gastar memória com o
# gradiente de cada tensor intermediário; `h`, calculado a partir dos pesos, não é uma folha, e
# `h.grad` fica `None`.
# `h.retain_grad()`, chamado antes da retropropagação, pede que o gradiente que chega em `h`
# fique em `h.grad`. Dois outros caminhos dão o mesmo: `torch.autograd.grad(loss, h)`, que devolve
# o gradiente sem guardá-lo, ou um gancho em `h` (`h.register_hook`) que anota o gradiente que
# passa. O verificador roda a sua função com redes que você não viu: o gradiente tem de vir do
# autograd, não de uma fórmula feita à mão para `forward1`.

# %% [markdown] lang="en"
# ## Exercise 1 — The gradient of a hidden layer
#
# Autograd keeps `.grad` only on leaves that require grad, so as not to spend memory on the
# gradient of every intermediate tensor; `h`, computed from the weights, is not a leaf, and
# `h.grad` stays `None`.
# `h.retain_grad()`, called before the backward pass, asks for the gradient arriving at `h` to
# stay in `h.grad`. Two other ways give the same: `torch.autograd.grad(loss, h)`, which returns the
# gradient without storing it, or a hook on `h` (`h.register_hook`) that notes the gradient going
# through. The checker runs your function on networks you have not seen: the gradient has to
# come from autograd, not from a formula worked out by hand for `forward1`.

# %% solution=1
def hidden_grad(forward, x):
    h, loss = forward(x)
    h.retain_grad()
    loss.backward()
    return h.grad


print(hidden_grad(forward1, X1))
answer = hidden_grad
check(1, answer, lesson=2)

# %% [markdown] lang="pt"
# ## Exercício 2 — Duas perdas, um grafo
#
# O gradiente é linear: o de `loss1 + loss2` é a soma dos dois. Uma retropropagação pela
# soma percorre o grafo computacional uma vez; `loss1.backward(retain_graph=True)` seguido de
# `loss2.backward()` dá o mesmo, porque `.grad` acumula (sem `retain_graph=True`, a segunda
# falha: a primeira liberou cada tensor salvo). Esse mesmo acúmulo é a razão de começar com
# `w.grad = None`, como `optimizer.zero_grad()` faz num laço de treino: senão o gradiente do
# passo anterior, aqui um vetor de uns, entra na conta. Chamar `forward` duas vezes daria o
# gradiente certo, mas com dois grafos e o dobro do trabalho.

# %% [markdown] lang="en"
# ## Exercise 2 — Two losses, one graph
#
# The gradient is linear: that of `loss1 + loss2` is the sum of both. One backward pass through
# the sum walks the computational graph once; `loss1.backward(retain_graph=True)` followed by
# `loss2.backward()` gives the same, because `.grad` accumulates (without `retain_graph=True`,
# the second fails: the first freed the saved tensors). That same accumulation is why the
# function starts with `w.grad = None`, as `optimizer.zero_grad()` does in a training loop:
# otherwise the earlier step's gradient, here a vector of ones, is counted. Calling `forward`
# twice would give the right gradient, but with two graphs and twice the work.

# %% solution=2
def step_grad(forward, w):
    w.grad = None
    loss1, loss2 = forward(w)
    (loss1 + loss2).backward()
    return w.grad


w = W2.detach().clone().requires_grad_(True)
w.grad = torch.ones_like(w)
print(step_grad(forward2, w))
answer = step_grad
check(2, answer, lesson=2)

# %% [markdown] lang="pt"
# ## Exercício 3 — Produto hessiana-vetor
#
# $H\mathbf{v}$ é a derivada, em relação a $\mathbf{x}$, do produto interno
# $\mathbf{g}(\mathbf{x})\cdot\mathbf{v}$, com $\mathbf{g}$ o gradiente de $f$ e
# $\mathbf{v}$ constante. Com `create_graph=True`, a retropropagação que calcula $\mathbf{g}$ é
# registrada no grafo computacional, e $\mathbf{g}$ pode ser derivado de novo: duas
# retropropagações, sem montar a hessiana, que teria $n^2$ elementos. `torch.autograd.grad`
# devolve cada gradiente sem escrever em `x.grad`; com `backward()`, o segundo gradiente se
# somaria ao primeiro em `x.grad`. O resultado confere com a conta à mão do enunciado.
#
# Por que não montar $H$: o motivo é o custo, a opção (b). Montá-la leva umas $n$
# retropropagações, uma por linha, e $n^2$ elementos de memória; $H v$ leva duas, qualquer que
# seja $n$. A opção (a) não vale: $H$ vezes $\mathbf{v}$ dá o mesmo $H v$, a menos de
# arredondamento. A (c) também não: `torch.func.hessian` monta a hessiana inteira.

# %% [markdown] lang="en"
# ## Exercise 3 — Hessian-vector product
#
# $H\mathbf{v}$ is the derivative, with respect to $\mathbf{x}$, of the inner product
# $\mathbf{g}(\mathbf{x})\cdot\mathbf{v}$, with $\mathbf{g}$ the gradient of $f$ and
# $\mathbf{v}$ held constant. With `create_graph=True`, the backward pass that computes
# $\mathbf{g}$ is recorded in the computational graph, and $\mathbf{g}$ can be differentiated
# again: two backward passes, without building the Hessian, which would have $n^2$ elements.
# `torch.autograd.grad` returns each gradient without writing to `x.grad`; with `backward()`, the
# second gradient would be added to the first in `x.grad`. The result matches the hand
# computation of the task.
#
# Why not build $H$: the reason is cost, option (b). Building it takes about $n$ backward passes,
# one per row, and $n^2$ elements of memory; $H v$ takes two, whatever $n$ is. Option (a) does not
# hold: $H$ times $\mathbf{v}$ gives the same $H v$, up to rounding. Nor does (c):
# `torch.func.hessian` builds the whole Hessian.

# %% solution=3
def hvp(f, x, v):
    x = x.detach().requires_grad_(True)
    (g,) = torch.autograd.grad(f(x), x, create_graph=True)
    (hv,) = torch.autograd.grad((g * v).sum(), x)
    return hv


print(hvp(f3, X3, V3))
answer = {"hvp": hvp, "why": "b"}
check(3, answer, lesson=2)

# %% [markdown] lang="pt"
# ## Exercício 4 — Uma `Function` sua: SiLU
#
# Pela regra do produto, $\operatorname{silu}'(x) = \sigma(x) + x\,\sigma(x)(1 - \sigma(x))
# = \sigma(x)\,\big(1 + x(1 - \sigma(x))\big)$. `forward` guarda `x` com
# `ctx.save_for_backward`, que registra também a versão dele: se `x` mudasse in-place antes da
# retropropagação, o PyTorch acusaria o erro em vez de usar um valor trocado. `backward` recebe o
# gradiente que chega de cima e devolve esse gradiente vezes a derivada local (a regra da cadeia).
# `apply` cria um nó `SiLUBackward` no grafo computacional, e `gradcheck` compara o `backward`
# com diferenças finitas em float64.

# %% [markdown] lang="en"
# ## Exercise 4 — A `Function` of your own: SiLU
#
# By the product rule, $\operatorname{silu}'(x) = \sigma(x) + x\,\sigma(x)(1 - \sigma(x))
# = \sigma(x)\,\big(1 + x(1 - \sigma(x))\big)$. `forward` keeps `x` with
# `ctx.save_for_backward`, which also records its version: if `x` changed in place before the
# backward pass, PyTorch would report the error instead of using a swapped value. `backward`
# takes the gradient arriving from above and returns it times the local derivative (the chain
# rule). `apply` creates a `SiLUBackward` node in the computational graph, and `gradcheck`
# compares `backward` with finite differences in float64.

# %% solution=4
class SiLU(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * torch.sigmoid(x)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        s = torch.sigmoid(x)
        return grad_output * s * (1 + x * (1 - s))


x = torch.linspace(-3, 3, 7, dtype=torch.float64, requires_grad=True)
print(SiLU.apply(x).grad_fn.name(), torch.autograd.gradcheck(SiLU.apply, (x,)))
answer = SiLU
check(4, answer, lesson=2)

# %% [markdown] lang="pt"
# ## Exercício 5 — Consertar uma operação in-place
#
# A sigmoide salva o próprio resultado `z`, porque a derivada dela é $\sigma(1 - \sigma)$.
# `z *= y` altera esse tensor e incrementa o contador de versão dele de 0 para 1; na retropropagação,
# o autograd confere a versão e recusa. `z = z * y` calcula o mesmo valor num tensor novo e deixa
# intacto o que foi salvo. Já `y += 1` pode ficar: a multiplicação por 2 não guarda o próprio
# resultado, e nenhuma operação salvou `y` ainda quando `y += 1` roda. Esse é o motivo, a opção
# (c). Não é que o autograd proíba operações in-place, opção (a), nem que um produto in-place não
# tenha derivada, opção (b): `z = torch.sigmoid(y).clone()` seguido de `z *= y` funciona, porque
# o tensor alterado já não é o que a sigmoide salvou. Separar do grafo (com `detach`, `.data` ou
# `torch.no_grad`) esconderia o erro e cortaria ou falsearia o gradiente.

# %% [markdown] lang="en"
# ## Exercise 5 — Fix an in-place operation
#
# The sigmoid saves its own result `z`, because its derivative is $\sigma(1 - \sigma)$.
# `z *= y` changes that tensor and bumps its version counter from 0 to 1; in the backward pass,
# autograd checks the version and refuses. `z = z * y` computes the same value in a new tensor
# and leaves the saved one intact. `y += 1` can stay: the multiplication by 2 does not keep its
# own result, and no operation has saved `y` yet when `y += 1` runs. That is the reason, option
# (c). It is not that autograd forbids in-place operations, option (a), nor that an in-place
# product has no derivative, option (b): `z = torch.sigmoid(y).clone()` followed by `z *= y`
# works, because the tensor changed is no longer the one the sigmoid saved. Detaching from the
# graph (with `detach`, `.data` or `torch.no_grad`) would hide the error and cut or falsify the
# gradient.

# %% solution=5
def fixed(x):
    y = x * 2
    y += 1
    z = torch.sigmoid(y)
    z = z * y
    return z


x = torch.linspace(-2, 2, 5, requires_grad=True)
fixed(x).sum().backward()
print(fixed(x), x.grad)
answer = {"fixed": fixed, "why": "c"}
check(5, answer, lesson=2)

# %% [markdown] lang="pt"
# ## Exercício 6 — Limitar o gradiente com um gancho
#
# O gancho roda quando o gradiente chega em `h` e o troca pelo tensor que devolve; daí para
# baixo, a retropropagação só vê o gradiente limitado. Aqui $\partial L/\partial h = 2h$ =
# `[0.6, -12, 3]`, limitado a `[0.6, -1, 1]` e multiplicado por 3 a caminho de `x`. Limitar no
# tensor intermediário não é o mesmo que limitar `x.grad` depois: entre os dois há a regra da
# cadeia. O gancho devolve um tensor novo, sem alterar o que recebe, e `handle.remove()` o
# desliga.

# %% [markdown] lang="en"
# ## Exercise 6 — Clip the gradient with a hook
#
# The hook runs when the gradient arrives at `h` and swaps it for the tensor it returns; from
# there down, the backward pass only sees the clipped gradient. Here $\partial L/\partial h = 2h$
# = `[0.6, -12, 3]`, clipped to `[0.6, -1, 1]` and multiplied by 3 on the way to `x`. Clipping at
# the intermediate tensor is not the same as clipping `x.grad` afterwards: the chain rule lies in
# between. The hook returns a new tensor, without changing the one it receives, and
# `handle.remove()` switches it off.

# %% solution=6
def clip_gradient(tensor, c):
    return tensor.register_hook(lambda grad: grad.clamp(-c, c))


x = torch.tensor([0.1, -2.0, 0.5], requires_grad=True)
h = x * 3
handle = clip_gradient(h, 1.0)
(h ** 2).sum().backward()
print(x.grad)
answer = clip_gradient
check(6, answer, lesson=2)

# %% [markdown] lang="pt"
# ## Exercício 7 — Modo direto ou modo reverso?
#
# O modo direto leva uma direção da entrada para a saída e dá uma coluna da jacobiana por
# produto $J\mathbf{v}$; o reverso leva pesos da saída para a entrada e dá uma linha por produto
# $\mathbf{u}^\top J$. Para $f: \mathbb{R}^n \to \mathbb{R}^m$, são $n$ produtos contra $m$.
# `jacfwd` e `jacrev` calculam os seus produtos juntos, com `vmap`, mas o trabalho continua
# crescendo com o número deles: a função alta `tall7` ($n = 3$, $m = 200$) pede o modo direto, a
# larga `wide7` ($n = 200$, $m = 3$) o reverso, como uma perda escalar de uma rede com milhões
# de parâmetros. Avaliar `f(x)` uma vez para saber $m$ custa bem menos que qualquer uma das
# jacobianas.
#
# O motivo, então, é a opção (a): para `tall7`, 3 produtos contra 200. A (b) não vale: se o modo
# direto fosse sempre o mais barato, `wide7` também o usaria, e lá ele precisa de 200 produtos
# contra 3. Nem a (c): `jacrev` dá uma linha por saída, qualquer que seja o número de saídas.

# %% [markdown] lang="en"
# ## Exercise 7 — Forward or reverse mode?
#
# Forward mode carries a direction from input to output and gives one column of the Jacobian
# per product $J\mathbf{v}$; reverse mode carries weights from output to input and gives one row
# per product $\mathbf{u}^\top J$. For $f: \mathbb{R}^n \to \mathbb{R}^m$, that is $n$ products
# against $m$. `jacfwd` and `jacrev` compute their products together, with `vmap`, but the work
# still grows with their number: the tall `tall7` ($n = 3$, $m = 200$) calls for forward mode,
# the wide `wide7` ($n = 200$, $m = 3$) for reverse mode, like a scalar loss of a network with
# millions of parameters. Evaluating `f(x)` once to learn $m$ costs far less than either
# Jacobian.
#
# The reason, then, is option (a): for `tall7`, 3 products against 200. Option (b) does not hold:
# if forward mode were always the cheaper one, `wide7` would use it too, and there it needs 200
# products against 3. Nor does (c): `jacrev` gives one row per output, however many outputs there
# are.

# %% solution=7
def jacobian(f, x):
    inputs, outputs = x.numel(), f(x).numel()
    if inputs < outputs:
        return torch.func.jacfwd(f)(x)
    return torch.func.jacrev(f)(x)


print(jacobian(tall7, X7_TALL).shape, jacobian(wide7, X7_WIDE).shape)
answer = {"jacobian": jacobian, "why": "a"}
check(7, answer, lesson=2)
