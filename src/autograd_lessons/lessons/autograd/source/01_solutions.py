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
import math

import matplotlib.pyplot as plt
import torch
from torch.func import jacfwd, jacrev, jvp, vjp

from autograd_lessons import backward_steps, check, describe_figures, draw, set_language, trace
from autograd_lessons.lessons.autograd import U8, V8, X1, X8, f, f5, f8, median_seconds, plot_label

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
# derivada custa mais (opção b). A fórmula não pesa nada (a derivada segunda do seno, $-\operatorname{sen}$, é
# tão barata quanto $\cos$), e nenhuma matriz é montada (opção c): `grad(dy.sum(), x)` é uma
# retropropagação só.
#
# Por que `grad(dy.sum(), x)` dá a segunda derivada em cada ponto? Ela é o produto da hessiana
# $H$ pelo vetor de uns, $H\mathbf{1}$: a soma de cada linha de $H$. Como o seno age elemento a
# elemento, $\operatorname{sen} x_i$ só depende de $x_i$, e $H$ é diagonal: a soma da linha $i$ é o próprio
# $H_{ii} = -\operatorname{sen} x_i$. Para uma função que mistura as entradas, esse truque dá $H\mathbf{1}$,
# não a diagonal; a hessiana inteira custaria uma retropropagação por entrada (1000 aqui), e o
# que se usa na prática é o produto hessiana-vetor $H\mathbf{v}$, uma passagem para qualquer
# $\mathbf{v}$ (a lição 2 o mostra).

# %% [markdown] lang="en"
# ## Exercise 1
#
# For the first derivative, one backward pass is enough. For the second, the first is computed
# with `create_graph=True`: the operations of the backward pass itself become a new
# computational graph, which is kept and then walked by a second backward pass. There are more
# operations, more values kept in memory and two passes instead of one; that is why the second
# derivative costs more (option b). The formula weighs nothing (the second derivative of sine,
# $-\sin$, is as cheap as $\cos$), and no matrix is built (option c): `grad(dy.sum(), x)` is a
# single backward pass.
#
# Why does `grad(dy.sum(), x)` give the second derivative at each point? It is the Hessian $H$
# times the vector of ones, $H\mathbf{1}$: the sum of each row of $H$. Since sine acts element by
# element, $\sin x_i$ depends only on $x_i$, and $H$ is diagonal: the sum of row $i$ is
# $H_{ii} = -\sin x_i$ itself. For a function that mixes its inputs, this trick gives $H\mathbf{1}$,
# not the diagonal; the whole Hessian would cost one backward pass per input (1000 here), and
# what is used in practice is the Hessian-vector product $H\mathbf{v}$, one pass for any
# $\mathbf{v}$ (lesson 2 shows it).

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
# [pt] Os tempos medidos (⏱) e a razão entre eles (⏱×): mudam a cada execução
# [en] The measured times (⏱) and their ratio (⏱×): they change from run to run
print(f"⏱ {first_seconds * 1e3:.3g} ms, ⏱ {second_seconds * 1e3:.3g} ms: ⏱× {second_seconds / first_seconds:.2g}")
answer = {
    "first_seconds": first_seconds,
    "second_seconds": second_seconds,
    "second_derivative": second_derivative(),
    "why": "b",
}
check(1, answer)

# %% [markdown] lang="pt"
# ## Exercício 2
#
# A primeira retropropagação libera os valores que o grafo guardava; a segunda não tem mais o
# que usar e dá erro. Com `retain_graph=True` o grafo fica, e a segunda chamada soma o mesmo
# gradiente ao que já estava em `x.grad`: $2\mathbf{x} + 2\mathbf{x} = 4\mathbf{x}$
# (opção c). Nenhuma retropropagação substitui `.grad` (opção a), e `retain_graph=True` não muda
# gradiente nenhum (opção b): ele só mantém os tensores salvos.

# %% [markdown] lang="en"
# ## Exercise 2
#
# The first backward pass frees the values the graph kept; the second has nothing left to use
# and fails. With `retain_graph=True` the graph stays, and the second call adds the same
# gradient to what was already in `x.grad`: $2\mathbf{x} + 2\mathbf{x} = 4\mathbf{x}$
# (option c). No backward pass replaces `.grad` (option a), and `retain_graph=True` changes no
# gradient (option b): it only keeps the saved tensors.

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
check(2, {"error": error, "grad": x.grad, "why": "c"})

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
# Cada aresta do grafo do exercício 5 leva a derivada do seu nó de cima em relação ao de baixo:
# $\frac{du}{dx} = 2x$, $\frac{dv}{du} = \frac{1}{u}$, $\frac{dw}{dx} = \cos x$,
# $\frac{dp}{dv} = w$ e $\frac{dp}{dw} = v$ (num produto, cada aresta leva o outro fator),
# $\frac{dr}{dx} = -\frac{1}{x^2}$, e 1 nas arestas da multiplicação por 1 e da soma. A derivada
# soma, sobre os três caminhos de $x$ até $f$, os produtos dos termos de cada caminho:
#
# $$\frac{df}{dx} = \frac{1}{u}\cdot 2x\cdot \operatorname{sen} x + \log(x^2)\cos x - \frac{1}{x^2}
# = \frac{2}{x}\operatorname{sen} x + \log(x^2)\cos x - \frac{1}{x^2}.$$

# %% [markdown] lang="en"
# ## Exercise 6
#
# Each edge of exercise 5's graph carries the derivative of its upper node with respect to its
# lower one: $\frac{du}{dx} = 2x$, $\frac{dv}{du} = \frac{1}{u}$, $\frac{dw}{dx} = \cos x$,
# $\frac{dp}{dv} = w$ and $\frac{dp}{dw} = v$ (in a product, each edge carries the other factor),
# $\frac{dr}{dx} = -\frac{1}{x^2}$, and 1 on the edges of the multiplication by 1 and of the sum.
# The derivative adds up, over the three paths from $x$ to $f$, the products of each path's terms:
#
# $$\frac{df}{dx} = \frac{1}{u}\cdot 2x\cdot \sin x + \log(x^2)\cos x - \frac{1}{x^2}
# = \frac{2}{x}\sin x + \log(x^2)\cos x - \frac{1}{x^2}.$$

# %% solution=6
# [pt] Os nós em x = 2, e o termo de cada aresta
# [en] The nodes at x = 2, and each edge's term
x0 = 2.0
u, v, w = x0**2, math.log(x0**2), math.sin(x0)
terms = {
    "du/dx": 2 * x0, "dv/du": 1 / u, "dw/dx": math.cos(x0), "dp/dv": w, "dp/dw": v,
    "dr/dx": -1 / x0**2, "dq/dr": 1.0, "df/dp": 1.0, "df/dq": 1.0,
}


def dfdx(x):
    return 2 / x * torch.sin(x) + torch.log(x ** 2) * torch.cos(x) - 1 / x ** 2


print({edge: round(term, 4) for edge, term in terms.items()})
check(6, {"terms": terms, "dfdx": dfdx})

# %% [markdown] lang="pt"
# ## Exercício 7
#
# O modo direto leva, junto com cada valor, a sua derivada em relação a $x$: de $\dot{x} = 1$ para
# cima, cada tangente é o termo da aresta vezes a tangente de baixo, e $p = v\,w$ soma um termo por
# fator (a regra do produto). O modo reverso primeiro calcula todos os valores e depois leva
# $df/d\cdot$ de $\bar{f} = 1$ para baixo; em $x$, que alimenta três arestas, os três caminhos se
# somam (a acumulação). Os dois terminam no mesmo número, porque com uma entrada e uma saída
# qualquer dos dois percursos dá a derivada inteira. O desenho do último passo da retropropagação
# escreve nas arestas os números do percurso reverso: 0,2273 chega a `PowBackward0` ($\bar{u}$), e
# os três que chegam a `x` somam 0,0824.

# %% [markdown] lang="en"
# ## Exercise 7
#
# Forward mode carries, with each value, its derivative with respect to $x$: from $\dot{x} = 1$
# upwards, each tangent is the edge's term times the tangent below, and $p = v\,w$ adds one term per
# factor (the product rule). Reverse mode first computes every value, then carries $df/d\cdot$ from
# $\bar{f} = 1$ downwards; at $x$, which feeds three edges, the three paths add up (accumulation).
# Both end at the same number, because with one input and one output either walk gives the whole
# derivative. The drawing of the backward pass's last step writes the reverse walk's numbers on the
# edges: 0.2273 reaches `PowBackward0` ($\bar{u}$), and the three reaching `x` add up to 0.0824.

# %% solution=7
x = torch.tensor(2.0, requires_grad=True)
steps = backward_steps(f5(x))
draw(steps, step=len(steps))

# %% solution=7
x0 = 2.0
u, v, w = x0**2, math.log(x0**2), math.sin(x0)

# [pt] Para a frente: a tangente de cada nó, de x (tangente 1) até f
# [en] Forward: each node's tangent, from x (tangent 1) up to f
du, dw, dr = 2 * x0 * 1.0, math.cos(x0) * 1.0, -1 / x0**2 * 1.0
dv = du / u
dp = w * dv + v * dw
dq = 1.0 * dr
forward = {"u": du, "v": dv, "w": dw, "p": dp, "r": dr, "q": dq, "f": dp + dq}

# [pt] Para trás: o adjunto de cada nó, de f (adjunto 1) até x
# [en] Backward: each node's adjoint, from f (adjoint 1) down to x
bf = 1.0
bp, bq = bf * 1.0, bf * 1.0
bv, bw = bp * w, bp * v
br = bq * 1.0
bu = bv / u
# [pt] x alimenta três arestas: os três caminhos se somam
# [en] x feeds three edges: the three paths add up
bx = bu * 2 * x0 + bw * math.cos(x0) + br * (-1 / x0**2)
backward = {"f": bf, "p": bp, "q": bq, "v": bv, "w": bw, "r": br, "u": bu, "x": bx}

print(round(forward["f"], 4), round(backward["x"], 4))
check(7, {"forward": forward, "backward": backward})

# %% [markdown] lang="pt"
# ## Exercício 8
#
# O modo direto leva a direção $\mathbf{v}$ junto com o cálculo, da entrada para a saída, e dá
# $J\mathbf{v}$: uma combinação das colunas de $J$, com os pesos de $\mathbf{v}$. O modo reverso
# calcula tudo primeiro e depois volta da saída para a entrada com os pesos $\mathbf{u}$ das
# saídas, e dá $\mathbf{u}^\top J$: uma combinação das linhas de $J$. Como a jacobiana de `f8`
# não é diagonal nem simétrica, os dois produtos são vetores diferentes (com uma jacobiana
# diagonal, como a de `f5`, que age elemento a elemento, e com $\mathbf{u} = \mathbf{v}$, eles
# coincidiriam). São produtos diferentes da mesma $J$ (opção a): nenhum é aproximado (opção b), e
# `jacfwd(f8)(X8)` e `jacrev(f8)(X8)` dão a mesma jacobiana (opção c). `jacrev` obtém as linhas de
# $J$ com um vjp por saída, todos agrupados por `vmap` numa só passagem; `J @ V8` e `U8 @ J`
# conferem os dois produtos.

# %% [markdown] lang="en"
# ## Exercise 8
#
# Forward mode carries the direction $\mathbf{v}$ along with the computation, from input to
# output, and gives $J\mathbf{v}$: a combination of the columns of $J$, weighted by
# $\mathbf{v}$. Reverse mode computes everything first and then goes back from output to input
# with the output weights $\mathbf{u}$, and gives $\mathbf{u}^\top J$: a combination of the rows
# of $J$. Since the Jacobian of `f8` is neither diagonal nor symmetric, the two products are
# different vectors (with a diagonal Jacobian, like that of `f5`, which acts element by element,
# and with $\mathbf{u} = \mathbf{v}$, they would coincide). They are different products of the
# same $J$ (option a): neither is approximate (option b), and `jacfwd(f8)(X8)` and
# `jacrev(f8)(X8)` give the same Jacobian (option c). `jacrev` gets the rows of $J$ with one vjp
# per output, all batched by `vmap` into one pass; `J @ V8` and `U8 @ J` check both products.

# %% solution=8
_, jvp_result = jvp(f8, (X8,), (V8,))
_, pullback = vjp(f8, X8)
(vjp_result,) = pullback(U8)
J = jacrev(f8)(X8)
print(J)
# [pt] Cada produto, calculado de novo com a jacobiana inteira
# [en] Each product, computed again with the whole Jacobian
print(jvp_result, J @ V8)
print(vjp_result, U8 @ J)
check(8, {"jvp": jvp_result, "vjp": vjp_result, "jacobian": J, "why": "a"})

# %% [markdown] lang="pt"
# ## Exercício 9
#
# O modo direto obtém a jacobiana por colunas, com uma passagem por entrada; o reverso, por
# linhas, com uma passagem por saída. Com poucas entradas e muitas saídas ("alta"), o direto faz
# menos passagens; com muitas entradas e poucas saídas ("larga", como uma perda escalar de uma
# rede com milhões de parâmetros), o reverso vence. Além disso (opção b), o reverso precisa
# guardar os valores intermediários de todo o cálculo até a volta, enquanto o direto pode
# descartá-los no caminho. O direto também roda o cálculo de ida, junto com as tangentes (opção
# a), e os dois modos agrupam as suas passagens em paralelo com `vmap` (opção c).

# %% [markdown] lang="en"
# ## Exercise 9
#
# Forward mode gets the Jacobian by columns, with one pass per input; reverse mode, by rows,
# with one pass per output. With few inputs and many outputs ("tall"), forward mode makes fewer
# passes; with many inputs and few outputs ("wide", like a scalar loss of a network with
# millions of parameters), reverse mode wins. Moreover (option b), reverse mode has to keep the
# intermediate values of the whole computation until it goes back, while forward mode can drop
# them on the way. Forward mode does run the forward pass too, along with the tangents (option
# a), and both modes batch their passes in parallel with `vmap` (option c).

# %% solution=9
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
check(9, {"tall": times["tall"], "wide": times["wide"], "conclusion": conclusion, "why": "b"})
