# %% [markdown] lang="pt"
# # Lição 1 — Exercícios
#
# A seção "Automatic Differentiation" do *Dive into Deep Learning* termina com oito exercícios.
# Aqui eles estão com as nossas palavras, cada um com uma célula para você completar e uma
# chamada `check(n, resposta)`, que diz se a resposta está certa e, se não estiver, o que olhar;
# enquanto a resposta for `None`, o verificador só mostra ○, "ainda não respondido". O formato de
# cada resposta está no enunciado. Travou? `hint(n)` dá uma dica por chamada, cada uma mais
# concreta que a anterior, e `solution(n)` mostra a solução comentada; as soluções também estão em
# `01_solutions.ipynb`. Tente antes de olhar. Um laço que nunca termina ou uma lista que cresce sem
# parar não travam o kernel: o verificador interrompe a sua função e explica o que houve.

# %% [markdown] lang="en"
# # Lesson 1 — Exercises
#
# The "Automatic Differentiation" section of *Dive into Deep Learning* ends with eight exercises.
# Here they are in our own words, each with a cell for you to complete and a call
# `check(n, answer)`, which tells you whether the answer is right and, if not, what to look at;
# while the answer is still `None`, the checker only shows ○, "not answered yet". The form of each
# answer is in the task. Stuck? `hint(n)` gives one hint per call, each more concrete than the
# last, and `solution(n)` shows the worked solution; the solutions are also in
# `01_solutions.ipynb`. Try first. A loop that never ends or a list that grows forever does not
# freeze the kernel: the checker stops your function and explains what happened.

# %%
# [pt] Funções auxiliares, com mensagens em português
# [en] Helpers, with messages in English
import time

import matplotlib.pyplot as plt
import torch
from torch.func import jacfwd, jacrev, jvp, vjp

from autograd_lessons import check, describe_figures, draw, hint, set_language, solution, trace
from autograd_lessons.lessons.autograd import U7, V7, X1, X7, f, f5, f7, median_seconds, plot_label

set_language("en")
# [pt] Cada figura ganha uma descrição em texto, para leitores de tela e para o site
# [en] Every figure gets a text description, for screen readers and for the site
describe_figures()

# %% [markdown] lang="pt"
# ## Exercício 1 — Por que a segunda derivada custa mais?
#
# Com o autograd, calcule a primeira e a segunda derivada de $\sum_i \operatorname{sen} x_i$ nos 1000 pontos
# de `X1` (entre −3 e 3) e meça quanto tempo cada uma leva. Para derivar duas vezes, a primeira
# derivada precisa ser calculada com `create_graph=True`. Explique, em uma frase, por que a
# segunda sai mais cara. Para medir, `median_seconds(f, g)` (já importada acima) roda as duas
# funções alternadamente e devolve a mediana do tempo de cada uma.
#
# Resposta: `{"first_seconds": t1, "second_seconds": t2, "second_derivative": d2}`, com `d2` a
# segunda derivada nos pontos de `X1` e os tempos em segundos (as chaves do dicionário ficam em
# inglês: são código).

# %% [markdown] lang="en"
# ## Exercise 1 — Why does the second derivative cost more?
#
# With autograd, compute the first and the second derivative of $\sum_i \sin x_i$ at the 1000
# points of `X1` (between −3 and 3) and time each one. To differentiate twice, the first
# derivative has to be computed with `create_graph=True`. Explain, in one sentence, why the
# second one costs more. To time them, `median_seconds(f, g)` (imported above) runs the two
# functions in turn and returns the median time of each.
#
# Answer: `{"first_seconds": t1, "second_seconds": t2, "second_derivative": d2}`, with `d2` the
# second derivative at the points of `X1` and the times in seconds.

# %%
# [pt] Troque None pela sua resposta
# [en] Replace None with your answer
answer = None
check(1, answer)

# %% [markdown] lang="pt"
# ## Exercício 2 — Retropropagação duas vezes seguidas
#
# Com `x = torch.arange(4.0, requires_grad=True)` e `y = (x * x).sum()`, rode `y.backward()` e,
# logo em seguida, `y.backward()` de novo. Guarde o erro que aparece. Depois zere `x.grad`,
# calcule `z = (x * x).sum()` e rode `z.backward(retain_graph=True)` seguido de `z.backward()`.
# O que ficou em `x.grad`, e por quê?
#
# Resposta: `{"error": erro_capturado, "grad": x.grad}` (as chaves do dicionário ficam em inglês:
# são código).

# %% [markdown] lang="en"
# ## Exercise 2 — Backward twice in a row
#
# With `x = torch.arange(4.0, requires_grad=True)` and `y = (x * x).sum()`, run `y.backward()`
# and, right after, `y.backward()` again. Keep the error you get. Then reset `x.grad`, compute
# `z = (x * x).sum()` and run `z.backward(retain_graph=True)` followed by `z.backward()`. What is
# left in `x.grad`, and why?
#
# Answer: `{"error": caught_error, "grad": x.grad}`.

# %%
# [pt] Troque None pela sua resposta
# [en] Replace None with your answer
answer = None
check(2, answer)

# %% [markdown] lang="pt"
# ## Exercício 3 — `f(a)` com um vetor ou uma matriz
#
# Na lição 1, `a` era um escalar. Rode a mesma função `f` com `a` sorteado como vetor ou matriz
# (por exemplo `torch.randn(3, 2, requires_grad=True)`). Agora `d = f(a)` não é mais escalar:
# como obter um gradiente? Qual é ele?
#
# Resposta: `(a, a.grad)`.

# %% [markdown] lang="en"
# ## Exercise 3 — `f(a)` with a vector or a matrix
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
# Implemente $f(x) = \log(x^2)\,\operatorname{sen} x + x^{-1}$ como uma função do PyTorch, calcule-a em
# `x = torch.tensor(2.0, requires_grad=True)` e desenhe o grafo computacional com `draw`.
# Liste as operações (os nomes `...Backward0`) que aparecem nele, cada operação uma vez por nó.
#
# Resposta: `(sua_função, lista_de_operações)`.

# %% [markdown] lang="en"
# ## Exercise 5 — The dependency graph
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
# ## Exercício 6 — A regra da cadeia à mão
#
# Seguindo o grafo do exercício 5, use a regra da cadeia para escrever $df/dx$ e implemente-a
# como uma função `dfdx(x)`.
#
# Resposta: a função `dfdx`.

# %% [markdown] lang="en"
# ## Exercise 6 — The chain rule by hand
#
# Following the graph of exercise 5, use the chain rule to write $df/dx$ and implement it as a
# function `dfdx(x)`.
#
# Answer: the function `dfdx`.

# %%
# [pt] Troque None pela sua função
# [en] Replace None with your function
answer = None
check(6, answer)

# %% [markdown] lang="pt"
# ## Exercício 7 — Avaliar o grafo para a frente e para trás
#
# A derivada pode ser propagada no sentido das operações (modo direto) ou no sentido contrário
# (modo reverso, a retropropagação). Para ver a diferença, use `f7`, uma função de $\mathbb{R}^3$
# em $\mathbb{R}^3$ cuja jacobiana $J$ (uma linha por saída, uma coluna por entrada) não é
# diagonal:
#
# $$f_7(\mathbf{x}) = \left(x_0 x_1,\ \operatorname{sen} x_1 + x_2^2,\ x_0^2 e^{x_2}\right).$$
#
# No ponto `X7`, calcule:
#
# - com `torch.func.jvp`, o produto $J\mathbf{v}$ na direção $\mathbf{v}$ = `V7` (modo direto:
#   uma combinação das colunas de $J$);
# - com `torch.func.vjp`, o produto $\mathbf{u}^\top J$ com os pesos $\mathbf{u}$ = `U7` (modo
#   reverso: uma combinação das linhas de $J$);
# - com `torch.func.jacrev`, a própria jacobiana $J$.
#
# Por que os dois produtos dão vetores diferentes?
#
# Resposta: `{"jvp": Jv, "vjp": uJ, "jacobian": J}` (as chaves do dicionário ficam em inglês: são
# código).

# %% [markdown] lang="en"
# ## Exercise 7 — Evaluating the graph forward and backward
#
# The derivative can be propagated along the operations (forward mode) or against them (reverse
# mode, the backward pass). To see the difference, use `f7`, a function from $\mathbb{R}^3$ to
# $\mathbb{R}^3$ whose Jacobian $J$ (one row per output, one column per input) is not diagonal:
#
# $$f_7(\mathbf{x}) = \left(x_0 x_1,\ \sin x_1 + x_2^2,\ x_0^2 e^{x_2}\right).$$
#
# At the point `X7`, compute:
#
# - with `torch.func.jvp`, the product $J\mathbf{v}$ in the direction $\mathbf{v}$ = `V7`
#   (forward mode: a combination of the columns of $J$);
# - with `torch.func.vjp`, the product $\mathbf{u}^\top J$ with the weights $\mathbf{u}$ = `U7`
#   (reverse mode: a combination of the rows of $J$);
# - with `torch.func.jacrev`, the Jacobian $J$ itself.
#
# Why do the two products give different vectors?
#
# Answer: `{"jvp": Jv, "vjp": uJ, "jacobian": J}`.

# %%
# [pt] Troque None pela sua resposta
# [en] Replace None with your answer
answer = None
check(7, answer)

# %% [markdown] lang="pt"
# ## Exercício 8 — Quando o modo direto vence, e quando o reverso?
#
# Meça `torch.func.jacfwd` e `torch.func.jacrev` em duas funções: uma "alta", com poucas
# entradas e muitas saídas (por exemplo $\mathbb{R}^4 \to \mathbb{R}^{4000}$), e uma "larga",
# com muitas entradas e poucas saídas ($\mathbb{R}^{4000} \to \mathbb{R}^4$). Qual modo é mais
# rápido em cada caso? Pense também em memória e em paralelismo.
#
# Resposta: `{"tall": (t_jacfwd, t_jacrev), "wide": (t_jacfwd, t_jacrev),
# "conclusion": {"tall": "forward" ou "reverse", "wide": "forward" ou "reverse"}}`, com os tempos
# em segundos (as chaves do dicionário e os valores "forward" e "reverse" ficam em inglês: são
# código). A conclusão é julgada pelo conceito; se a sua medição discordar dele, o verificador
# sugere medir de outro jeito.

# %% [markdown] lang="en"
# ## Exercise 8 — When does forward mode win, and when does reverse?
#
# Time `torch.func.jacfwd` and `torch.func.jacrev` on two functions: a "tall" one, with few
# inputs and many outputs (for example $\mathbb{R}^4 \to \mathbb{R}^{4000}$), and a "wide" one,
# with many inputs and few outputs ($\mathbb{R}^{4000} \to \mathbb{R}^4$). Which mode is faster
# in each case? Think about memory and parallelism too.
#
# Answer: `{"tall": (t_jacfwd, t_jacrev), "wide": (t_jacfwd, t_jacrev),
# "conclusion": {"tall": "forward" or "reverse", "wide": "forward" or "reverse"}}`, with the times
# in seconds. The conclusion is judged on the concept; if your measurement disagrees with it, the
# checker suggests measuring differently.

# %%
# [pt] Troque None pela sua resposta
# [en] Replace None with your answer
answer = None
check(8, answer)
