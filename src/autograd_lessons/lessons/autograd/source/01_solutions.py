# %% [markdown] lang="pt"
# # Lição 1 — Soluções dos exercícios
#
# Uma solução comentada para cada exercício de `01_exercises.ipynb`, conferida pelo mesmo
# `check(n, resposta)`. Os tempos medidos mudam de máquina para máquina; as conclusões, não.

# %% [markdown] lang="en"
# # Lesson 1 — Solutions to the exercises
#
# A worked solution for each exercise of `01_exercises.ipynb`, checked by the same
# `check(n, answer)`. The measured times change from machine to machine; the conclusions do not.

# %%
# [pt] Funções auxiliares, com mensagens em português
# [en] Helpers, with messages in English
import matplotlib.pyplot as plt
import torch
from torch.func import jacfwd, jacrev, jvp, vjp

from autograd_lessons import check, describe_figures, draw, set_language, trace
from autograd_lessons.lessons.autograd import U7, V7, X1, X7, f, f5, f7, median_seconds, plot_label

set_language("en")
# [pt] Cada figura ganha uma descrição em texto, para leitores de tela e para o site
# [en] Every figure gets a text description, for screen readers and for the site
describe_figures()

# %% [markdown] lang="pt"
# ## Exercício 1
#
# Para a primeira derivada, uma retropropagação basta. Para a segunda, a primeira é calculada
# com `create_graph=True`: as operações da própria retropropagação viram um grafo computacional
# novo, que é guardado e depois percorrido por uma segunda retropropagação. Há mais operações,
# mais valores guardados na memória e duas passagens em vez de uma; por isso a segunda
# derivada custa mais. A derivada segunda do seno, $\operatorname{sen}$, é $-\operatorname{sen}$.

# %% [markdown] lang="en"
# ## Exercise 1
#
# For the first derivative, one backward pass is enough. For the second, the first is computed
# with `create_graph=True`: the operations of the backward pass itself become a new
# computational graph, which is kept and then walked by a second backward pass. There are more
# operations, more values kept in memory and two passes instead of one; that is why the second
# derivative costs more. The second derivative of $\sin$ is $-\sin$.

# %% solution=1
x = X1.clone().requires_grad_(True)


def first_derivative():
    (dy,) = torch.autograd.grad(torch.sin(x).sum(), x)
    return dy


def second_derivative():
    (dy,) = torch.autograd.grad(torch.sin(x).sum(), x, create_graph=True)
    (d2y,) = torch.autograd.grad(dy.sum(), x)
    return d2y


# [pt] As duas medições se alternam, para que uma carga passageira da máquina atinja as duas por igual
# [en] The two measurements alternate, so that a passing load on the machine hits both alike
first_seconds, second_seconds = median_seconds(first_derivative, second_derivative, repeat=51)
answer = {
    "first_seconds": first_seconds,
    "second_seconds": second_seconds,
    "second_derivative": second_derivative(),
}
check(1, answer)

# %% [markdown] lang="pt"
# ## Exercício 2
#
# A primeira retropropagação libera os valores que o grafo guardava; a segunda não tem mais o
# que usar e dá erro. Com `retain_graph=True` o grafo fica, e a segunda chamada soma o mesmo
# gradiente ao que já estava em `x.grad`: $2\mathbf{x} + 2\mathbf{x} = 4\mathbf{x}$.

# %% [markdown] lang="en"
# ## Exercise 2
#
# The first backward pass frees the values the graph kept; the second has nothing left to use
# and fails. With `retain_graph=True` the graph stays, and the second call adds the same
# gradient to what was already in `x.grad`: $2\mathbf{x} + 2\mathbf{x} = 4\mathbf{x}$.

# %% solution=2
x = torch.arange(4.0, requires_grad=True)
y = (x * x).sum()
y.backward()
try:
    y.backward()
except RuntimeError as caught:
    error = caught

x.grad.zero_()
z = (x * x).sum()
z.backward(retain_graph=True)
z.backward()
print(type(error).__name__, "·", x.grad)
check(2, {"error": error, "grad": x.grad})

# %% [markdown] lang="pt"
# ## Exercício 3
#
# Com `a` vetor ou matriz, `d = f(a)` tem o formato de `a`, e `d.backward()` precisa de um
# gradiente inicial $\mathbf{v}$; `d.sum().backward()` usa $\mathbf{v} = \mathbf{1}$. O laço agora olha a
# norma do tensor inteiro e o `if` a soma de todos os elementos, então todos os elementos
# passam pelo mesmo caminho: $f(\mathbf{a}) = s\,\mathbf{a}$ com um único $s$ ($2^k$ ou
# $100 \cdot 2^k$), e o gradiente é $s$ em todas as posições.

# %% [markdown] lang="en"
# ## Exercise 3
#
# When `a` is a vector or a matrix, `d = f(a)` has the shape of `a`, and `d.backward()` needs an
# initial gradient $\mathbf{v}$; `d.sum().backward()` uses $\mathbf{v} = \mathbf{1}$. The loop now looks
# at the norm of the whole tensor and the `if` at the sum of all elements, so every element
# takes the same path: $f(\mathbf{a}) = s\,\mathbf{a}$ with a single $s$ ($2^k$ or
# $100 \cdot 2^k$), and the gradient is $s$ at every position.

# %% solution=3
torch.manual_seed(0)
a = torch.randn(3, 2, requires_grad=True)
d = f(a)
d.sum().backward()
print(a.grad)
check(3, (a, a.grad))

# %% [markdown] lang="pt"
# ## Exercício 4
#
# `dsin` cria uma folha a partir de `x`, calcula $\sum_i \operatorname{sen} x_i$ e faz a retropropagação: como
# cada $\operatorname{sen} x_i$ só depende de $x_i$, o gradiente da soma é a derivada em cada ponto. O gráfico
# mostra a curva tracejada exatamente onde estaria o cosseno, sem que o cosseno tenha sido usado. O `check`
# confere isso: ele roda `dsin` de novo com um seno cuja derivada foi trocada de propósito, e o
# resultado muda junto.

# %% [markdown] lang="en"
# ## Exercise 4
#
# `dsin` makes a leaf from `x`, computes $\sum_i \sin x_i$ and runs the backward pass: since each
# $\sin x_i$ depends only on $x_i$, the gradient of the sum is the derivative at each point. The
# plot shows the dashed curve where the cosine would be, without the cosine being used. The
# `check` makes sure of it: it runs `dsin` again with a sine whose derivative was changed on
# purpose, and the result changes with it.

# %% solution=4
def dsin(x):
    x = x.detach().requires_grad_(True)
    torch.sin(x).sum().backward()
    return x.grad


xs = torch.linspace(-2 * torch.pi, 2 * torch.pi, 200)
fig, ax = plt.subplots(figsize=(8, 3), layout="constrained")
ax.plot(xs, torch.sin(xs), label=plot_label("sine"))
ax.plot(xs, dsin(xs), "--", label=plot_label("derivative"))
ax.set_xlabel(r"$x$")
ax.set_ylabel(plot_label("value"))
# [pt] A legenda fica fora dos eixos, para não cobrir nenhuma curva
# [en] The legend sits outside the axes, so that it hides no curve
fig.legend(loc="outside right upper")
check(4, dsin)

# %% [markdown] lang="pt"
# ## Exercício 5
#
# O grafo mostra cada operação uma vez por nó. Repare que `1 / x` vira duas operações:
# `ReciprocalBackward0` (o $x^{-1}$) e um `MulBackward0` pelo 1 do numerador, que é uma
# entrada não rastreada.

# %% [markdown] lang="en"
# ## Exercise 5
#
# The graph shows each operation once per node. Note that `1 / x` becomes two operations:
# `ReciprocalBackward0` (the $x^{-1}$) and a `MulBackward0` by the 1 of the numerator, which is
# an untracked input.

# %% solution=5
def g(x):
    return torch.log(x ** 2) * torch.sin(x) + 1 / x


x = torch.tensor(2.0, requires_grad=True)
y = g(x)
print(trace(y))
draw(y)

# %% solution=5
operations = [
    "AddBackward0", "MulBackward0", "LogBackward0", "PowBackward0", "SinBackward0",
    "MulBackward0", "ReciprocalBackward0",
]
check(5, (g, operations))

# %% [markdown] lang="pt"
# ## Exercício 6
#
# Com $u = x^2$, $v = \log u$ e $w = \operatorname{sen} x$, temos $f = v\,w + x^{-1}$. Pela regra da cadeia,
# $\frac{dv}{dx} = \frac{1}{u}\cdot 2x = \frac{2}{x}$, então
#
# $$\frac{df}{dx} = \frac{2}{x}\operatorname{sen} x + \log(x^2)\cos x - \frac{1}{x^2}.$$

# %% [markdown] lang="en"
# ## Exercise 6
#
# With $u = x^2$, $v = \log u$ and $w = \sin x$, we have $f = v\,w + x^{-1}$. By the chain rule,
# $\frac{dv}{dx} = \frac{1}{u}\cdot 2x = \frac{2}{x}$, so
#
# $$\frac{df}{dx} = \frac{2}{x}\sin x + \log(x^2)\cos x - \frac{1}{x^2}.$$

# %% solution=6
def dfdx(x):
    return 2 / x * torch.sin(x) + torch.log(x ** 2) * torch.cos(x) - 1 / x ** 2


check(6, dfdx)

# %% [markdown] lang="pt"
# ## Exercício 7
#
# O modo direto leva a direção $\mathbf{v}$ junto com o cálculo, da entrada para a saída, e dá
# $J\mathbf{v}$: uma combinação das colunas de $J$, com os pesos de $\mathbf{v}$. O modo reverso
# calcula tudo primeiro e depois volta da saída para a entrada com os pesos $\mathbf{u}$ das
# saídas, e dá $\mathbf{u}^\top J$: uma combinação das linhas de $J$. Como a jacobiana de `f7`
# não é diagonal nem simétrica, os dois produtos são vetores diferentes (com uma jacobiana
# diagonal, como a de `f5`, que age elemento a elemento, e com $\mathbf{u} = \mathbf{v}$, eles
# coincidiriam). `jacrev` monta $J$ uma linha por vez, com um vjp por saída; `J @ V7` e `U7 @ J`
# conferem os dois produtos.

# %% [markdown] lang="en"
# ## Exercise 7
#
# Forward mode carries the direction $\mathbf{v}$ along with the computation, from input to
# output, and gives $J\mathbf{v}$: a combination of the columns of $J$, weighted by
# $\mathbf{v}$. Reverse mode computes everything first and then goes back from output to input
# with the output weights $\mathbf{u}$, and gives $\mathbf{u}^\top J$: a combination of the rows
# of $J$. Since the Jacobian of `f7` is neither diagonal nor symmetric, the two products are
# different vectors (with a diagonal Jacobian, like that of `f5`, which acts element by element,
# and with $\mathbf{u} = \mathbf{v}$, they would coincide). `jacrev` builds $J$ one row at a
# time, with one vjp per output; `J @ V7` and `U7 @ J` check both products.

# %% solution=7
_, jvp_result = jvp(f7, (X7,), (V7,))
_, pullback = vjp(f7, X7)
(vjp_result,) = pullback(U7)
J = jacrev(f7)(X7)
print(J)
# [pt] Cada produto, calculado de novo com a jacobiana inteira
# [en] Each product, computed again with the whole Jacobian
print(jvp_result, J @ V7)
print(vjp_result, U7 @ J)
check(7, {"jvp": jvp_result, "vjp": vjp_result, "jacobian": J})

# %% [markdown] lang="pt"
# ## Exercício 8
#
# O modo direto calcula a jacobiana uma coluna por vez (uma por entrada); o reverso, uma linha
# por vez (uma por saída). Com poucas entradas e muitas saídas ("alta"), o direto faz menos
# passagens; com muitas entradas e poucas saídas ("larga", como uma perda escalar de uma rede
# com milhões de parâmetros), o reverso vence. O reverso ainda precisa guardar os valores
# intermediários de todo o cálculo até a volta, enquanto o direto pode descartá-los no caminho;
# as passagens de cada modo são independentes entre si e podem rodar em paralelo (`vmap`).

# %% [markdown] lang="en"
# ## Exercise 8
#
# Forward mode builds the Jacobian one column at a time (one per input); reverse mode, one row
# at a time (one per output). With few inputs and many outputs ("tall"), forward mode makes
# fewer passes; with many inputs and few outputs ("wide", like a scalar loss of a network with
# millions of parameters), reverse mode wins. Reverse mode also has to keep the intermediate
# values of the whole computation until it goes back, while forward mode can drop them on the
# way; the passes of either mode are independent and can run in parallel (`vmap`).

# %% solution=8
torch.manual_seed(0)
W_tall, W_wide = torch.randn(4000, 4), torch.randn(4, 4000)
x_tall, x_wide = torch.randn(4), torch.randn(4000)


def tall(x):
    return torch.tanh(W_tall @ x)


def wide(x):
    return torch.tanh(W_wide @ x)


# [pt] Os dois modos se alternam em cada formato, como no exercício 1
# [en] The two modes alternate on each shape, as in exercise 1
times = {
    "tall": median_seconds(lambda: jacfwd(tall)(x_tall), lambda: jacrev(tall)(x_tall)),
    "wide": median_seconds(lambda: jacfwd(wide)(x_wide), lambda: jacrev(wide)(x_wide)),
}
# [pt] A conclusão vem da contagem de passagens; a medição a ilustra
# [en] The conclusion comes from counting passes; the measurement illustrates it
conclusion = {"tall": "forward", "wide": "reverse"}

fig, ax = plt.subplots(figsize=(7, 3), layout="constrained")
for offset, (label, index) in enumerate((("jacfwd", 0), ("jacrev", 1))):
    ax.bar([i + 0.4 * offset for i in range(2)], [times[s][index] * 1000 for s in ("tall", "wide")],
           width=0.4, label=label)
ax.set_xticks([0.2, 1.2], [plot_label("tall"), plot_label("wide")])
ax.set_xlabel(plot_label("shape"))
ax.set_ylabel(plot_label("time"))
fig.legend(loc="outside right upper")
check(8, {"tall": times["tall"], "wide": times["wide"], "conclusion": conclusion})
