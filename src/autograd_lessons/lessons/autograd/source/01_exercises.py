# %% [markdown] lang="pt"
# # Lição 1 — Exercícios
#
# A seção "Automatic Differentiation" do *Dive into Deep Learning* termina com oito exercícios.
# Aqui eles estão com as nossas palavras, e o exercício 8 generaliza o 7 com `torch.func`. Cada um
# usa só o que a lição 1 mostrou, e o enunciado diz onde. Cada exercício tem uma célula para você
# completar e uma chamada `check(n, resposta)`, que diz se a resposta está certa e, se não estiver,
# o que olhar; enquanto a resposta for `None`, o verificador só mostra ○, "ainda não respondido". O
# formato de cada resposta está no enunciado; as perguntas "por quê?" têm opções, e a resposta é a
# letra da opção certa. Travou? `hint(n)` dá uma dica por chamada, cada uma mais concreta que a
# anterior, e `solution(n)` mostra a solução comentada; as soluções também estão em
# `01_solutions.ipynb`. Tente antes de olhar. Um laço que nunca termina ou uma lista que cresce sem
# parar não travam o kernel: o verificador interrompe a sua função e explica o que houve.

# %% [markdown] lang="en"
# # Lesson 1 — Exercises
#
# The "Automatic Differentiation" section of *Dive into Deep Learning* ends with eight exercises.
# Here they are in our own words, and exercise 8 generalises exercise 7 with `torch.func`. Each one
# uses only what lesson 1 showed, and its task says where. Each exercise has a cell for you to
# complete and a call `check(n, answer)`, which tells you whether the answer is right and, if not,
# what to look at; while the answer is still `None`, the checker only shows ○, "not answered yet".
# The form of each answer is in the task; "why?" questions come with options, and the answer is
# the letter of the right one. Stuck? `hint(n)` gives one hint per call, each more concrete than the
# last, and `solution(n)` shows the worked solution; the solutions are also in
# `01_solutions.ipynb`. Try first. A loop that never ends or a list that grows forever does not
# freeze the kernel: the checker stops your function and explains what happened.

# %%
# [pt] Funções auxiliares, com mensagens em português
# [en] Helpers, with messages in English
import math
import time

import matplotlib.pyplot as plt
import torch
from torch.func import jacfwd, jacrev, jvp, vjp

from autograd_lessons import backward_steps, check, describe_figures, draw, hint, set_language, solution, trace
from autograd_lessons.lessons.autograd import U8, V8, X1, X8, f, f5, f8, median_seconds, plot_label

set_language("en")
# [pt] Cada figura ganha uma descrição em texto, para leitores de tela e para o site
# [en] Every figure gets a text description, for screen readers and for the site
describe_figures()

# %% [markdown] lang="pt"
# ## Exercício 1 — Por que a segunda derivada custa mais?
#
# *Visto em:* lição 1, § 6.
#
# Com o autograd, calcule a primeira e a segunda derivada de $\sum_i \operatorname{sen} x_i$ nos 1000 pontos
# de `X1` (entre −3 e 3) e meça quanto tempo cada uma leva. Para derivar duas vezes, a primeira
# derivada é calculada com `torch.autograd.grad(..., create_graph=True)`. Para medir,
# `median_seconds(f, g)` (já importada acima) roda as duas funções alternadamente e devolve a
# mediana do tempo de cada uma.
#
# Por que a segunda sai mais cara?
#
# - (a) A segunda derivada do seno é uma fórmula mais difícil de calcular que a primeira.
# - (b) `create_graph=True` registra a primeira retropropagação como um grafo, e a segunda
#   retropropagação percorre esse grafo maior.
# - (c) O autograd monta a hessiana inteira, uma matriz 1000 × 1000.
#
# Resposta: `{"first_seconds": t1, "second_seconds": t2, "second_derivative": d2, "why": letra}`,
# com `d2` a segunda derivada nos pontos de `X1`, os tempos em segundos e a letra do motivo, como
# `"a"` (as chaves do dicionário ficam em inglês: são código).

# %% [markdown] lang="en"
# ## Exercise 1 — Why does the second derivative cost more?
#
# *Taught in:* lesson 1, § 6.
#
# With autograd, compute the first and the second derivative of $\sum_i \sin x_i$ at the 1000
# points of `X1` (between −3 and 3) and time each one. To differentiate twice, the first derivative
# is computed with `torch.autograd.grad(..., create_graph=True)`. To time them,
# `median_seconds(f, g)` (imported above) runs the two functions in turn and returns the median
# time of each.
#
# Why does the second one cost more?
#
# - (a) The second derivative of sine is a harder formula to compute than the first.
# - (b) `create_graph=True` records the first backward pass as a graph, and the second backward
#   pass walks that bigger graph.
# - (c) Autograd builds the whole Hessian, a 1000 × 1000 matrix.
#
# Answer: `{"first_seconds": t1, "second_seconds": t2, "second_derivative": d2, "why": letter}`,
# with `d2` the second derivative at the points of `X1`, the times in seconds and the letter of the
# reason, such as `"a"`.

# %%
# [pt] Troque None pela sua resposta
# [en] Replace None with your answer
answer = None
check(1, answer)

# %% [markdown] lang="pt"
# ## Exercício 2 — Retropropagação duas vezes seguidas
#
# *Visto em:* lição 1, § 6.
#
# Com `x = torch.arange(4.0, requires_grad=True)` e `y = (x * x).sum()`, rode `y.backward()` e,
# logo em seguida, `y.backward()` de novo. Guarde o erro que aparece. Depois zere `x.grad`,
# calcule `z = (x * x).sum()` e rode `z.backward(retain_graph=True)` seguido de `z.backward()`.
# O que ficou em `x.grad`, e por quê?
#
# - (a) Cada retropropagação substitui `x.grad`, e a segunda calcula um gradiente duas vezes maior,
#   porque o grafo foi usado duas vezes.
# - (b) `retain_graph=True` dobra o gradiente que a retropropagação calcula.
# - (c) Cada retropropagação soma $2\mathbf{x}$ em `x.grad`; `retain_graph=True` só mantém os
#   tensores salvos, para que a segunda possa rodar.
#
# Resposta: `{"error": erro_capturado, "grad": x.grad, "why": letra}` (as chaves do dicionário
# ficam em inglês: são código).

# %% [markdown] lang="en"
# ## Exercise 2 — Backward twice in a row
#
# *Taught in:* lesson 1, § 6.
#
# With `x = torch.arange(4.0, requires_grad=True)` and `y = (x * x).sum()`, run `y.backward()`
# and, right after, `y.backward()` again. Keep the error you get. Then reset `x.grad`, compute
# `z = (x * x).sum()` and run `z.backward(retain_graph=True)` followed by `z.backward()`.
# What is left in `x.grad`, and why?
#
# - (a) Each backward pass replaces `x.grad`, and the second computes a gradient twice as large,
#   because the graph was used twice.
# - (b) `retain_graph=True` doubles the gradient the backward pass computes.
# - (c) Each backward pass adds $2\mathbf{x}$ into `x.grad`; `retain_graph=True` only keeps the
#   saved tensors, so that the second one can run.
#
# Answer: `{"error": caught_error, "grad": x.grad, "why": letter}`.

# %%
# [pt] Troque None pela sua resposta
# [en] Replace None with your answer
answer = None
check(2, answer)

# %% [markdown] lang="pt"
# ## Exercício 3 — `f(a)` com um vetor ou uma matriz
#
# *Visto em:* lição 1, § 2 e § 4.
#
# Na lição 1, `a` era um escalar. Rode a mesma função `f` com `a` sorteado como vetor ou matriz
# (por exemplo `torch.randn(3, 2, requires_grad=True)`). Agora `d = f(a)` não é mais escalar:
# como obter um gradiente? Qual é ele?
#
# Resposta: `(a, a.grad)`.

# %% [markdown] lang="en"
# ## Exercise 3 — `f(a)` with a vector or a matrix
#
# *Taught in:* lesson 1, § 2 and § 4.
#
# In lesson 1, `a` was a scalar. Run the same function `f` with `a` drawn as a vector or a matrix
# (for example `torch.randn(3, 2, requires_grad=True)`). Now `d = f(a)` is no longer a scalar:
# how do you get a gradient? What is it?
#
# Answer: `(a, a.grad)`.

# %%
# [pt] Troque None pela sua resposta
# [en] Replace None with your answer
answer = None
check(3, answer)

# %% [markdown] lang="pt"
# ## Exercício 4 — O seno e a sua derivada
#
# *Visto em:* lição 1, § 1.
#
# Escreva `dsin(x)`, que devolve a derivada de $\operatorname{sen} x$ em cada ponto de `x` calculada pelo
# autograd, sem usar que ela é $\cos x$. Desenhe $\operatorname{sen} x$ e `dsin(x)` no mesmo gráfico. O
# verificador confere de onde vem o resultado: ele roda `dsin` de novo com um seno cuja derivada
# foi trocada de propósito, e o resultado tem de acompanhar a troca. Um cosseno vindo de
# `torch.cos`, do `numpy`, de uma identidade como $\operatorname{sen}(x + \pi/2)$ ou de diferenças finitas não
# conta.
#
# Resposta: a função `dsin`.

# %% [markdown] lang="en"
# ## Exercise 4 — Sine and its derivative
#
# *Taught in:* lesson 1, § 1.
#
# Write `dsin(x)`, which returns the derivative of $\sin x$ at each point of `x` computed by
# autograd, without using that it is $\cos x$. Plot $\sin x$ and `dsin(x)` on the same axes.
# The checker looks at where the result comes from: it runs `dsin` again with a sine whose
# derivative has been changed on purpose, and the result has to follow the change. A cosine from
# `torch.cos`, from `numpy`, from an identity such as $\sin(x + \pi/2)$ or from finite differences
# does not count.
#
# Answer: the function `dsin`.

# %%
# [pt] Troque None pela sua função
# [en] Replace None with your function
answer = None
check(4, answer)

# %% [markdown] lang="pt"
# ## Exercício 5 — O grafo de dependências
#
# *Visto em:* lição 1, § 1.
#
# Implemente $f(x) = \log(x^2)\,\operatorname{sen} x + x^{-1}$ como uma função do PyTorch, calcule-a em
# `x = torch.tensor(2.0, requires_grad=True)` e desenhe o grafo computacional com `draw`.
# Liste as operações (os nomes `...Backward0`) que aparecem nele, cada operação uma vez por nó.
#
# Resposta: `(sua_função, lista_de_operações)`.

# %% [markdown] lang="en"
# ## Exercise 5 — The dependency graph
#
# *Taught in:* lesson 1, § 1.
#
# Implement $f(x) = \log(x^2)\,\sin x + x^{-1}$ as a PyTorch function, evaluate it at
# `x = torch.tensor(2.0, requires_grad=True)` and draw its computational graph with `draw`. List
# the operations (the `...Backward0` names) that appear in it, once per node.
#
# Answer: `(your_function, list_of_operations)`.

# %%
# [pt] Troque None pela sua resposta
# [en] Replace None with your answer
answer = None
check(5, answer)

# %% [markdown] lang="pt"
# ## Exercício 6 — A regra da cadeia à mão, termo a termo no grafo
#
# *Visto em:* lição 1, § 1.
#
# Dê nome aos nós do grafo do exercício 5: $u = x^2$, $v = \log u$, $w = \operatorname{sen} x$,
# $p = v\,w$, $r = x^{-1}$, $q = 1 \cdot r$ (o PyTorch escreve $1/x$ como um recíproco vezes o 1, uma
# entrada não rastreada) e $f = p + q$. Cada aresta liga um nó à operação que o usa e leva um
# termo da regra da cadeia: a derivada do nó de cima em relação ao de baixo, com a outra entrada
# fixa. Coloque cada termo na sua aresta, calculado em $x = 2$, e depois escreva $df/dx$ como uma
# função `dfdx(x)`, feita à mão (sem `backward` nem `grad`).
#
# Resposta: `{"terms": {"du/dx": ..., "dv/du": ..., "dw/dx": ..., "dp/dv": ..., "dp/dw": ...,
# "dr/dx": ..., "dq/dr": ..., "df/dp": ..., "df/dq": ...}, "dfdx": dfdx}`, com números (como
# `math.cos(2.0)`) nos termos (as chaves do dicionário ficam em inglês: são código).

# %% [markdown] lang="en"
# ## Exercise 6 — The chain rule by hand, term by term on the graph
#
# *Taught in:* lesson 1, § 1.
#
# Name the nodes of exercise 5's graph: $u = x^2$, $v = \log u$, $w = \sin x$, $p = v\,w$,
# $r = x^{-1}$, $q = 1 \cdot r$ (PyTorch writes $1/x$ as a reciprocal times the 1, an untracked
# input) and $f = p + q$. Each edge joins a node to the operation that uses it and carries one
# chain-rule term: the derivative of the upper node with respect to the lower one, the other input
# held fixed. Place each term on its edge, evaluated at $x = 2$, then write $df/dx$ as a function
# `dfdx(x)`, by hand (no `backward`, no `grad`).
#
# Answer: `{"terms": {"du/dx": ..., "dv/du": ..., "dw/dx": ..., "dp/dv": ..., "dp/dw": ...,
# "dr/dx": ..., "dq/dr": ..., "df/dp": ..., "df/dq": ...}, "dfdx": dfdx}`, with numbers (such as
# `math.cos(2.0)`) as the terms.

# %%
# [pt] Troque None pela sua resposta
# [en] Replace None with your answer
answer = None
check(6, answer)

# %% [markdown] lang="pt"
# ## Exercício 7 — Avaliar o grafo para a frente e para trás, à mão
#
# *Visto em:* lição 1, § 1.
#
# Com os termos do exercício 6 em $x = 2$, percorra o grafo nos dois sentidos (o grafo e a
# retropropagação passo a passo estão na lição 1):
#
# - **para a frente** (modo direto), de $x$ até $f$: a *tangente* de cada nó,
#   $\dot{n} = dn/dx$, começando com $\dot{x} = 1$; a tangente de um nó soma, sobre as arestas que
#   chegam a ele, o termo da aresta vezes a tangente do nó de baixo;
# - **para trás** (modo reverso, a retropropagação), de $f$ até $x$: o *adjunto* de cada nó,
#   $\bar{n} = df/dn$, começando com $\bar{f} = 1$; o adjunto de um nó soma, sobre as arestas que
#   saem dele, o adjunto do nó de cima vezes o termo da aresta.
#
# Os dois percursos devem terminar no mesmo número, $df/dx$ em $x = 2$.
#
# Resposta: `{"forward": {"u": ..., "v": ..., "w": ..., "p": ..., "r": ..., "q": ..., "f": ...},
# "backward": {"f": ..., "p": ..., "q": ..., "v": ..., "w": ..., "r": ..., "u": ..., "x": ...}}`,
# com números (as chaves do dicionário ficam em inglês: são código).

# %% [markdown] lang="en"
# ## Exercise 7 — Evaluating the graph forward and backward, by hand
#
# *Taught in:* lesson 1, § 1.
#
# With exercise 6's terms at $x = 2$, walk the graph both ways (the graph and the step-by-step
# backward pass are in lesson 1):
#
# - **forward** (forward mode), from $x$ up to $f$: each node's *tangent*, $\dot{n} = dn/dx$,
#   starting from $\dot{x} = 1$; a node's tangent adds up, over the edges coming into it, the
#   edge's term times the tangent of the node below;
# - **backward** (reverse mode, the backward pass), from $f$ down to $x$: each node's *adjoint*,
#   $\bar{n} = df/dn$, starting from $\bar{f} = 1$; a node's adjoint adds up, over the edges
#   leaving it, the upper node's adjoint times the edge's term.
#
# Both walks should end at the same number, $df/dx$ at $x = 2$.
#
# Answer: `{"forward": {"u": ..., "v": ..., "w": ..., "p": ..., "r": ..., "q": ..., "f": ...},
# "backward": {"f": ..., "p": ..., "q": ..., "v": ..., "w": ..., "r": ..., "u": ..., "x": ...}}`,
# with numbers.

# %%
# [pt] Troque None pela sua resposta
# [en] Replace None with your answer
answer = None
check(7, answer)

# %% [markdown] lang="pt"
# ## Exercício 8 — Os dois modos com `torch.func`
#
# *Visto em:* lição 1, § 6.
#
# O exercício 7 levou uma derivada pelo grafo nos dois sentidos, com uma entrada e uma saída. Com
# várias entradas e saídas, o modo direto leva uma *direção* $\mathbf{v}$ das entradas e o reverso,
# *pesos* $\mathbf{u}$ das saídas. Use `f8`, uma função de $\mathbb{R}^3$ em
# $\mathbb{R}^3$ cuja jacobiana $J$ (uma linha por saída, uma coluna por entrada) não é
# diagonal:
#
# $$f_8(\mathbf{x}) = \left(x_0 x_1,\ \operatorname{sen} x_1 + x_2^2,\ x_0^2 e^{x_2}\right).$$
#
# No ponto `X8`, calcule:
#
# - com `torch.func.jvp`, o produto $J\mathbf{v}$ na direção $\mathbf{v}$ = `V8` (modo direto);
# - com `torch.func.vjp`, o produto $\mathbf{u}^\top J$ com os pesos $\mathbf{u}$ = `U8` (modo
#   reverso);
# - com `torch.func.jacrev`, a própria jacobiana $J$.
#
# Por que os dois produtos dão vetores diferentes?
#
# - (a) $J\mathbf{v}$ é uma combinação das colunas de $J$, com os pesos de $\mathbf{v}$, e
#   $\mathbf{u}^\top J$ uma combinação das suas linhas, com os pesos de $\mathbf{u}$: são produtos
#   diferentes da mesma $J$.
# - (b) Um dos dois é uma aproximação, e o outro é exato.
# - (c) O modo direto e o modo reverso calculam jacobianas diferentes.
#
# Resposta: `{"jvp": Jv, "vjp": uJ, "jacobian": J, "why": letra}` (as chaves do dicionário ficam
# em inglês: são código).

# %% [markdown] lang="en"
# ## Exercise 8 — The two modes with `torch.func`
#
# *Taught in:* lesson 1, § 6.
#
# Exercise 7 carried one derivative through the graph both ways, with one input and one output.
# With several inputs and outputs, forward mode carries a *direction* $\mathbf{v}$ of the inputs
# and reverse mode *weights* $\mathbf{u}$ of the outputs. Use `f8`, a function from
# $\mathbb{R}^3$ to $\mathbb{R}^3$ whose Jacobian $J$ (one row per output, one column per
# input) is not diagonal:
#
# $$f_8(\mathbf{x}) = \left(x_0 x_1,\ \sin x_1 + x_2^2,\ x_0^2 e^{x_2}\right).$$
#
# At the point `X8`, compute:
#
# - with `torch.func.jvp`, the product $J\mathbf{v}$ in the direction $\mathbf{v}$ = `V8`
#   (forward mode);
# - with `torch.func.vjp`, the product $\mathbf{u}^\top J$ with the weights $\mathbf{u}$ = `U8`
#   (reverse mode);
# - with `torch.func.jacrev`, the Jacobian $J$ itself.
#
# Why do the two products give different vectors?
#
# - (a) $J\mathbf{v}$ is a combination of the columns of $J$, weighted by $\mathbf{v}$, and
#   $\mathbf{u}^\top J$ a combination of its rows, weighted by $\mathbf{u}$: they are different
#   products of the same $J$.
# - (b) One of them is an approximation, and the other is exact.
# - (c) Forward mode and reverse mode compute different Jacobians.
#
# Answer: `{"jvp": Jv, "vjp": uJ, "jacobian": J, "why": letter}`.

# %%
# [pt] Troque None pela sua resposta
# [en] Replace None with your answer
answer = None
check(8, answer)

# %% [markdown] lang="pt"
# ## Exercício 9 — Quando o modo direto vence, e quando o reverso?
#
# *Visto em:* lição 1, § 6.
#
# Meça `torch.func.jacfwd` e `torch.func.jacrev` em duas funções: uma "alta", com poucas
# entradas e muitas saídas (por exemplo $\mathbb{R}^4 \to \mathbb{R}^{4000}$), e uma "larga", com
# muitas entradas e poucas saídas ($\mathbb{R}^{4000} \to \mathbb{R}^4$). Qual modo é mais rápido
# em cada caso?
#
# Além do número de passagens, o que mais pesa a favor do modo direto numa função alta?
#
# - (a) O modo direto pula o cálculo de ida.
# - (b) O modo reverso guarda os valores intermediários (os tensores salvos) até a
#   retropropagação; o direto leva cada tangente junto e pode descartar cada valor no caminho.
# - (c) Só o modo direto consegue rodar as suas passagens em paralelo.
#
# Resposta: `{"tall": (t_jacfwd, t_jacrev), "wide": (t_jacfwd, t_jacrev),
# "conclusion": {"tall": "forward" ou "reverse", "wide": "forward" ou "reverse"}, "why": letra}`,
# com os tempos em segundos (as chaves do dicionário e os valores "forward" e "reverse" ficam em
# inglês: são código). A conclusão é julgada pelo conceito; se a sua medição discordar dele, o
# verificador sugere medir de outro jeito.

# %% [markdown] lang="en"
# ## Exercise 9 — When does forward mode win, and when does reverse?
#
# *Taught in:* lesson 1, § 6.
#
# Time `torch.func.jacfwd` and `torch.func.jacrev` on two functions: a "tall" one, with
# few inputs and many outputs (for example $\mathbb{R}^4 \to \mathbb{R}^{4000}$), and a "wide"
# one, with many inputs and few outputs ($\mathbb{R}^{4000} \to \mathbb{R}^4$). Which mode is
# faster in each case?
#
# Besides the number of passes, what else favours forward mode on a tall function?
#
# - (a) Forward mode skips the forward pass.
# - (b) Reverse mode keeps the intermediate values (the saved tensors) until the backward pass;
#   forward mode carries each tangent along and can drop each value on the way.
# - (c) Only forward mode can run its passes in parallel.
#
# Answer: `{"tall": (t_jacfwd, t_jacrev), "wide": (t_jacfwd, t_jacrev),
# "conclusion": {"tall": "forward" or "reverse", "wide": "forward" or "reverse"}, "why": letter}`,
# with the times in seconds. The conclusion is judged on the concept; if your measurement disagrees
# with it, the checker suggests measuring differently.

# %%
# [pt] Troque None pela sua resposta
# [en] Replace None with your answer
answer = None
check(9, answer)
