# %% [markdown] lang="pt"
# # Lição 2 — Exercícios
#
# Sete exercícios sobre a lição 2 (`02_autograd_in_depth.ipynb`), que eles supõem: folhas e
# `retain_grad`, o gradiente que acumula, `retain_graph`, derivadas de ordem superior,
# operações in-place, ganchos, uma `torch.autograd.Function` sua e os modos direto e reverso.
#
# Cada exercício tem uma célula para você completar e uma chamada `check(n, answer, lesson=2)`,
# que diz se a resposta está certa e, se não estiver, o que olhar; enquanto a resposta for
# `None`, o verificador só mostra ○, "ainda não respondido". Travou? `hint(n, lesson=2)` dá uma
# dica por chamada, cada uma mais concreta que a anterior, e `solution(n, lesson=2)` mostra a
# solução comentada; as soluções também estão em `02_solutions_in_depth.ipynb`. Tente antes de
# olhar.
#
# Aqui toda resposta é código: uma função ou uma classe; nos exercícios 3, 5 e 7, junto com a
# letra do motivo que responde à pergunta do enunciado. O verificador roda o código com entradas
# próprias, que você não vê — outros formatos, outros valores e, na maioria dos exercícios,
# outras funções —, e compara com fórmulas exatas em float64. Uma resposta feita à mão para o
# exemplo desta página não passa: o trabalho tem de ser do autograd. Um laço que nunca termina
# não trava o kernel: o verificador interrompe a sua função e explica o que houve.

# %% [markdown] lang="en"
# # Lesson 2 — Exercises
#
# Seven exercises on lesson 2 (`02_autograd_in_depth.ipynb`), which they assume: leaves and
# `retain_grad`, the gradient that accumulates, `retain_graph`, higher-order derivatives,
# in-place operations, hooks, a `torch.autograd.Function` of your own, and forward and reverse
# mode.
#
# Each exercise has a cell for you to complete and a call `check(n, answer, lesson=2)`, which
# tells you whether the answer is right and, if not, what to look at; while the answer is still
# `None`, the checker only shows ○, "not answered yet". Stuck? `hint(n, lesson=2)` gives one hint
# per call, each more concrete than the last, and `solution(n, lesson=2)` shows the worked
# solution; the solutions are also in `02_solutions_in_depth.ipynb`. Try first.
#
# Here every answer is code: a function or a class; in exercises 3, 5 and 7, together with the
# letter of the reason that answers the statement's question. The checker runs the code on inputs
# of its own, which you do not see — other shapes, other values and, in most exercises, other
# functions — and compares with exact float64 formulas. An answer worked out by hand for the example on this
# page does not pass: the work has to be autograd's. A loop that never ends does not freeze the
# kernel: the checker stops your function and explains what happened.

# %%
# [pt] Funções auxiliares, com mensagens em português
# [en] Helpers, with messages in English
import torch

from autograd_lessons import check, describe_figures, hint, set_language, solution
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
# *Visto em:* lição 2, § 1.
#
# `forward1(x)` é uma rede pequena: calcula a camada oculta $h = \tanh(xW + b)$ e a perda
# $L = \operatorname{média}\big((hV)^2\big)$, com os pesos $W$, $b$ e $V$ como folhas que pedem
# gradiente, e devolve o par `(h, L)`. Depois de `L.backward()`, os pesos têm `.grad`; `h`, não.
#
# Escreva `hidden_grad(forward, x)`, que roda `h, loss = forward(x)` e devolve
# $\partial L/\partial h$, um tensor do formato de `h`. Experimente com `hidden_grad(forward1, X1)`,
# que deve dar um tensor de formato (5, 4). O verificador chama a sua função com redes que você
# não viu.
#
# Resposta: a função `hidden_grad`.

# %% [markdown] lang="en"
# ## Exercise 1 — The gradient of a hidden layer
#
# *Taught in:* lesson 2, § 1.
#
# `forward1(x)` is a small network: it computes the hidden layer $h = \tanh(xW + b)$ and the loss
# $L = \operatorname{mean}\big((hV)^2\big)$, with the weights $W$, $b$ and $V$ as leaves that
# require grad, and returns the pair `(h, L)`. After `L.backward()`, the weights have a `.grad`;
# `h` does not.
#
# Write `hidden_grad(forward, x)`, which runs `h, loss = forward(x)` and returns
# $\partial L/\partial h$, a tensor of the shape of `h`. Try it with `hidden_grad(forward1, X1)`,
# which should give a tensor of shape (5, 4). The checker calls your function with networks you
# have not seen.
#
# Answer: the function `hidden_grad`.

# %%
# [pt] Troque None pela sua função
# [en] Replace None with your function
answer = None
check(1, answer, lesson=2)

# %% [markdown] lang="pt"
# ## Exercício 2 — Duas perdas, um grafo
#
# *Visto em:* lição 2, § 2 e § 3.
#
# `forward2(w)` devolve duas perdas, `loss1` e `loss2`, calculadas a partir de uma mesma camada
# intermediária. Como num laço de treino, `w` chega com um `w.grad` deixado por um passo
# anterior.
#
# Escreva `step_grad(forward, w)`, que devolve o gradiente de `loss1 + loss2` em relação a `w`
# neste passo (sem o que o passo anterior deixou), chamando `forward(w)` uma vez só:
# um grafo computacional, não dois. Experimente com uma cópia de `W2` que tenha um `.grad`
# qualquer. O verificador passa uma `forward` que você não viu e conta quantas vezes ela é
# chamada.
#
# Resposta: a função `step_grad`.

# %% [markdown] lang="en"
# ## Exercise 2 — Two losses, one graph
#
# *Taught in:* lesson 2, § 2 and § 3.
#
# `forward2(w)` returns two losses, `loss1` and `loss2`, computed from the same intermediate
# layer. As in a training loop, `w` arrives with a `w.grad` left by an earlier step.
#
# Write `step_grad(forward, w)`, which returns the gradient of `loss1 + loss2` with respect to
# `w` for this step (without what the earlier step left), calling `forward(w)` only once: one
# computational graph, not two. Try it with a copy of `W2` that has some `.grad`. The checker
# passes a `forward` you have not seen and counts how many times it is called.
#
# Answer: the function `step_grad`.

# %%
# [pt] Troque None pela sua função
# [en] Replace None with your function
answer = None
check(2, answer, lesson=2)

# %% [markdown] lang="pt"
# ## Exercício 3 — Produto hessiana-vetor
#
# *Visto em:* lição 2, § 4.
#
# Escreva `hvp(f, x, v)`, que devolve $H v$: a hessiana $H$ da função escalar `f` no ponto `x`
# vezes o vetor `v`, um tensor do formato de `x`, sem montar a matriz $H$. Faça as contas no
# dtype de `x` (o verificador usa float64).
#
# Para conferir à mão, use `f3`,
# $f_3(\mathbf{x}) = \tfrac14 \sum_i x_i^4 + \sum_i x_i x_{i+1}$, cuja hessiana tem $3x_i^2$ na
# diagonal e 1 logo acima e logo abaixo dela: no ponto `X3` = `[1.0, -0.5, 2.0, 0.25]`, com
# `V3` = `[0.5, 1.0, -1.0, 2.0]`, $H v$ = `[2.5, 0.25, -9.0, -0.625]`. O verificador usa outras
# funções, outros pontos e outros vetores, e confere também que a sua função não monta $H$:
# nenhum tensor de $n^2$ elementos, nenhuma retropropagação por linha de $H$.
#
# Por que calcular $H v$ sem montar $H$?
#
# - (a) Montar $H$ e multiplicar dá um $H v$ menos exato: os $n^2$ elementos dela acumulam erros
#   de arredondamento.
# - (b) $H$ tem $n^2$ elementos, e montá-la leva umas $n$ retropropagações; $H v$ leva duas,
#   qualquer que seja $n$: para uma rede com um milhão de parâmetros, $H$ nem caberia na memória.
# - (c) O autograd não consegue montar a hessiana inteira: só calcula produtos por vetores.
#
# Resposta: `{"hvp": hvp, "why": letra}`, com a sua função e a letra do motivo (as chaves do
# dicionário ficam em inglês: são código).

# %% [markdown] lang="en"
# ## Exercise 3 — Hessian-vector product
#
# *Taught in:* lesson 2, § 4.
#
# Write `hvp(f, x, v)`, which returns $H v$: the Hessian $H$ of the scalar function `f` at the
# point `x` times the vector `v`, a tensor of the shape of `x`, without building the matrix $H$.
# Compute in the dtype of `x` (the checker uses float64).
#
# To check by hand, use `f3`, $f_3(\mathbf{x}) = \tfrac14 \sum_i x_i^4 + \sum_i x_i x_{i+1}$,
# whose Hessian has $3x_i^2$ on the diagonal and 1 just above and just below it: at the point
# `X3` = `[1.0, -0.5, 2.0, 0.25]`, with `V3` = `[0.5, 1.0, -1.0, 2.0]`, $H v$ =
# `[2.5, 0.25, -9.0, -0.625]`. The checker uses other functions, other points and other vectors,
# and also makes sure that your function does not build $H$: no tensor of $n^2$ elements, no
# backward pass per row of $H$.
#
# Why compute $H v$ without building $H$?
#
# - (a) Building $H$ and multiplying gives a less accurate $H v$: its $n^2$ elements add rounding
#   errors.
# - (b) $H$ has $n^2$ elements, and building it takes about $n$ backward passes; $H v$ takes two,
#   whatever $n$ is: for a network with a million parameters, $H$ would not even fit in memory.
# - (c) Autograd cannot build the whole Hessian: it only computes products with vectors.
#
# Answer: `{"hvp": hvp, "why": letter}`, with your function and the letter of the reason.

# %%
# [pt] Troque None pelo dicionário {"hvp": a sua função, "why": a letra}
# [en] Replace None with the dictionary {"hvp": your function, "why": the letter}
answer = None
check(3, answer, lesson=2)

# %% [markdown] lang="pt"
# ## Exercício 4 — Uma `Function` sua: SiLU
#
# *Visto em:* lição 2, § 8.
#
# A ativação SiLU é $\operatorname{silu}(x) = x\,\sigma(x)$, com $\sigma$ a sigmoide. Escreva
# uma subclasse de `torch.autograd.Function` que a calcule em `forward`, guarde com
# `ctx.save_for_backward` o que o `backward` vai precisar e devolva em `backward` o gradiente em
# relação a `x`, com a derivada que você calcular à mão (a regra do produto e
# $\sigma' = \sigma(1 - \sigma)$ ajudam). Confira-a com `torch.autograd.gradcheck` em float64.
#
# O verificador chama o `apply` da sua classe em pontos que você não viu e confere que o
# resultado vem de um nó da sua classe, que os valores são os de silu e que o `backward` dá o
# gradiente que chega de cima vezes a derivada exata.
#
# Resposta: a classe (não `apply`).

# %% [markdown] lang="en"
# ## Exercise 4 — A `Function` of your own: SiLU
#
# *Taught in:* lesson 2, § 8.
#
# The SiLU activation is $\operatorname{silu}(x) = x\,\sigma(x)$, with $\sigma$ the sigmoid.
# Write a subclass of `torch.autograd.Function` that computes it in `forward`, keeps with
# `ctx.save_for_backward` what `backward` will need, and returns in `backward` the gradient with
# respect to `x`, with the derivative you work out by hand (the product rule and
# $\sigma' = \sigma(1 - \sigma)$ help). Check it with `torch.autograd.gradcheck` in float64.
#
# The checker calls your class's `apply` at points you have not seen and checks that the result
# comes from a node of your class, that the values are those of silu, and that `backward` gives
# the gradient arriving from above times the exact derivative.
#
# Answer: the class (not `apply`).

# %%
# [pt] Troque None pela sua classe
# [en] Replace None with your class
answer = None
check(4, answer, lesson=2)

# %% [markdown] lang="pt"
# ## Exercício 5 — Consertar uma operação in-place
#
# *Visto em:* lição 2, § 6.
#
# A função `broken5` calcula o valor certo, mas a retropropagação por ela falha:
#
# ```python
# def broken5(x):
#     y = x * 2
#     y += 1
#     z = torch.sigmoid(y)
#     z *= y
#     return z
# ```
#
# A célula abaixo mostra o erro. Escreva `fixed(x)`, que devolve os mesmos valores que
# `broken5(x)` e cuja retropropagação funciona e leva o gradiente até `x`. Separar do grafo (com
# `detach()`) faz o erro desaparecer, mas não vale: o verificador confere o gradiente, em
# entradas que você não viu.
#
# Por que `z *= y` estraga a retropropagação e `y += 1` não?
#
# - (a) O autograd proíbe operações in-place em tensores que pedem gradiente; `y += 1` só passa
#   porque 1 é uma constante.
# - (b) `z *= y` multiplica in-place dois tensores que pedem gradiente, e o autograd não tem
#   derivada para um produto in-place.
# - (c) A sigmoide salvou o próprio resultado `z` para calcular a derivada dela,
#   $\sigma(1 - \sigma)$; `z *= y` altera esse tensor salvo (a versão dele vai de 0 para 1),
#   enquanto nenhuma operação salvou `y` ainda quando `y += 1` roda.
#
# Resposta: `{"fixed": fixed, "why": letra}`, com a sua função e a letra do motivo (as chaves do
# dicionário ficam em inglês: são código).

# %% [markdown] lang="en"
# ## Exercise 5 — Fix an in-place operation
#
# *Taught in:* lesson 2, § 6.
#
# The function `broken5` computes the right value, but the backward pass through it fails:
#
# ```python
# def broken5(x):
#     y = x * 2
#     y += 1
#     z = torch.sigmoid(y)
#     z *= y
#     return z
# ```
#
# The cell below shows the error. Write `fixed(x)`, which returns the same values as
# `broken5(x)` and whose backward pass works and carries the gradient to `x`. Detaching from the
# graph (with `detach()`) makes the error go away, but does not count: the checker checks the
# gradient, on inputs you have not seen.
#
# Why does `z *= y` break the backward pass, while `y += 1` does not?
#
# - (a) Autograd forbids in-place operations on tensors that require grad; `y += 1` only gets
#   through because 1 is a constant.
# - (b) `z *= y` multiplies two tensors that require grad in place, and autograd has no
#   derivative for an in-place product.
# - (c) The sigmoid saved its own result `z` to compute its derivative, $\sigma(1 - \sigma)$;
#   `z *= y` changes that saved tensor (its version goes from 0 to 1), while no operation has
#   saved `y` yet when `y += 1` runs.
#
# Answer: `{"fixed": fixed, "why": letter}`, with your function and the letter of the reason.

# %%
x = torch.linspace(-1, 1, 4, requires_grad=True)
try:
    broken5(x).sum().backward()
except RuntimeError as error:
    print(error)

# %%
# [pt] Troque None pelo dicionário {"fixed": a sua função, "why": a letra}
# [en] Replace None with the dictionary {"fixed": your function, "why": the letter}
answer = None
check(5, answer, lesson=2)

# %% [markdown] lang="pt"
# ## Exercício 6 — Limitar o gradiente com um gancho
#
# *Visto em:* lição 2, § 7.
#
# Escreva `clip_gradient(tensor, c)`, que registra em `tensor` um gancho que limita cada
# elemento do gradiente que chega a `tensor` ao intervalo $[-c, c]$, e devolve o *handle* que
# `register_hook` devolve. Daí para baixo, a retropropagação só deve ver o gradiente limitado.
#
# O verificador registra o seu gancho num tensor intermediário de um grafo próprio, confere o
# gradiente que chega às folhas e depois tira o gancho com `handle.remove()`: sem ele, o
# gradiente tem de voltar a passar inteiro.
#
# Resposta: a função `clip_gradient`.

# %% [markdown] lang="en"
# ## Exercise 6 — Clip the gradient with a hook
#
# *Taught in:* lesson 2, § 7.
#
# Write `clip_gradient(tensor, c)`, which registers on `tensor` a hook that limits each element
# of the gradient arriving at `tensor` to the interval $[-c, c]$, and returns the handle
# `register_hook` returns. From there down, the backward pass should only see the clipped
# gradient.
#
# The checker registers your hook on an intermediate tensor of a graph of its own, checks the
# gradient that reaches the leaves, and then takes the hook away with `handle.remove()`: without
# it, the gradient has to flow through whole again.
#
# Answer: the function `clip_gradient`.

# %%
# [pt] Troque None pela sua função
# [en] Replace None with your function
answer = None
check(6, answer, lesson=2)

# %% [markdown] lang="pt"
# ## Exercício 7 — Modo direto ou modo reverso?
#
# *Visto em:* lição 2, § 9.
#
# Escreva `jacobian(f, x)`, que devolve a jacobiana de uma função
# $f: \mathbb{R}^n \to \mathbb{R}^m$ no ponto `x` (um vetor), de formato $(m, n)$, calculada com
# `torch.func.jacfwd` (modo direto) ou `torch.func.jacrev` (modo reverso): o que for mais barato
# para os tamanhos de `f`. Experimente com `tall7` ($\mathbb{R}^3 \to \mathbb{R}^{200}$, no ponto
# `X7_TALL`) e `wide7` ($\mathbb{R}^{200} \to \mathbb{R}^3$, no ponto `X7_WIDE`).
#
# O verificador não mede tempo: ele passa funções de outros tamanhos, que registram qual modo
# as derivou, e confere os valores com a jacobiana exata.
#
# Por que o modo direto é o mais barato para `tall7`?
#
# - (a) O modo direto monta $J$ uma coluna por entrada, o reverso uma linha por saída: para
#   `tall7`, 3 produtos contra 200.
# - (b) O modo direto não salva tensores para uma retropropagação, e por isso é sempre o modo
#   mais barato.
# - (c) O modo reverso precisa de uma saída escalar; para uma saída vetorial, só o modo direto
#   funciona.
#
# Resposta: `{"jacobian": jacobian, "why": letra}`, com a sua função e a letra do motivo (as
# chaves do dicionário ficam em inglês: são código).

# %% [markdown] lang="en"
# ## Exercise 7 — Forward or reverse mode?
#
# *Taught in:* lesson 2, § 9.
#
# Write `jacobian(f, x)`, which returns the Jacobian of a function
# $f: \mathbb{R}^n \to \mathbb{R}^m$ at the point `x` (a vector), of shape $(m, n)$, computed with
# `torch.func.jacfwd` (forward mode) or `torch.func.jacrev` (reverse mode): whichever is cheaper
# for the sizes of `f`. Try it with `tall7` ($\mathbb{R}^3 \to \mathbb{R}^{200}$, at the point
# `X7_TALL`) and `wide7` ($\mathbb{R}^{200} \to \mathbb{R}^3$, at the point `X7_WIDE`).
#
# The checker measures no time: it passes functions of other sizes, which record which mode
# differentiated them, and checks the values against the exact Jacobian.
#
# Why is forward mode the cheaper one for `tall7`?
#
# - (a) Forward mode builds $J$ one column per input, reverse mode one row per output: for
#   `tall7`, 3 products against 200.
# - (b) Forward mode saves no tensors for a backward pass, so it is always the cheaper mode.
# - (c) Reverse mode needs a scalar output; for a vector output, only forward mode works.
#
# Answer: `{"jacobian": jacobian, "why": letter}`, with your function and the letter of the
# reason.

# %%
# [pt] Troque None pelo dicionário {"jacobian": a sua função, "why": a letra}
# [en] Replace None with the dictionary {"jacobian": your function, "why": the letter}
answer = None
check(7, answer, lesson=2)
