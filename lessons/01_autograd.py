# %% [markdown] lang="pt"
# # Lição 1 — Diferenciação automática com PyTorch
#
# Redes neurais aprendem ajustando seus parâmetros na direção indicada pelo **gradiente** de uma
# perda. Calcular esses gradientes à mão é trabalhoso e fácil de errar. O PyTorch faz isso
# sozinho com o *autograd*: enquanto o seu código calcula, ele registra as operações num
# **grafo computacional**; depois, na **retropropagação**, percorre esse grafo da saída até as
# entradas aplicando a regra da cadeia.
#
# Esta lição acompanha a seção "Automatic Differentiation" do livro *Dive into Deep Learning*
# (versão PyTorch), a partir de uma execução anotada dessa seção. Cada célula daquela execução
# está aqui, em ordem, com o mesmo código e a mesma saída. As anotações originais aparecem
# como comentários no código ou em quadros marcados **Anotação original**; o restante do texto
# organiza o caminho e escreve as fórmulas. Entre as células originais, desenhamos o grafo
# computacional e conferimos cada afirmação das anotações.
#
# Execute as células em ordem (Shift+Enter). Roteiro:
#
# 1. Uma função simples
# 2. Retropropagação para saídas não escalares
# 3. Desanexar a computação
# 4. Gradientes e fluxo de controle do Python

# %% [markdown] lang="en"
# # Lesson 1 — Automatic differentiation with PyTorch
#
# Neural networks learn by nudging their parameters in the direction given by the **gradient**
# of a loss. Working those gradients out by hand is tedious and easy to get wrong. PyTorch does
# it for you with *autograd*: while your code computes, it records the operations in a
# **computational graph**; then, in the **backward pass** (backpropagation), it walks that
# graph from the output back to the inputs, applying the chain rule.
#
# This lesson follows the "Automatic Differentiation" section of the book *Dive into Deep
# Learning* (PyTorch edition), through an annotated run of that section. Every cell of that run
# is here, in order, with the same code and the same output. The original annotations appear as
# code comments or in boxes marked **Original annotation**; the rest of the text lays out the
# path and writes down the formulas. Between the original cells, we draw the computational graph
# and check every claim the annotations make.
#
# Run the cells in order (Shift+Enter). Outline:
#
# 1. A simple function
# 2. Backward for non-scalar outputs
# 3. Detaching computation
# 4. Gradients and Python control flow

# %%
# [pt] Funções auxiliares da lição, com mensagens em português (esta célula não faz parte da execução original)
# [en] The lesson's helpers, with messages in English (this cell is not part of the original run)
from autograd_lessons import backward_stepper, backward_steps, control_flow_explorer, draw, \
    set_language, trace, verify, verify_cell, vjp_explorer

set_language("en")

# %% [markdown] lang="pt"
# ## 1. Uma função simples
#
# Queremos derivar $y = 2\,\mathbf{x}^\top\mathbf{x}$ em relação ao vetor coluna $\mathbf{x}$.
# Primeiro criamos $\mathbf{x} = (0, 1, 2, 3)$.

# %% [markdown] lang="en"
# ## 1. A simple function
#
# We want to differentiate $y = 2\,\mathbf{x}^\top\mathbf{x}$ with respect to the column vector
# $\mathbf{x}$. First we create $\mathbf{x} = (0, 1, 2, 3)$.

# %%
import torch
x = torch.arange(4.0)
x

# %% [markdown] lang="pt"
# Antes de calcular $y$, avisamos o PyTorch de que vamos querer o gradiente em relação a
# $\mathbf{x}$: `requires_grad_(True)` faz de `x` uma **folha** do grafo computacional, e o
# gradiente de uma folha fica guardado em `x.grad`. Até a primeira retropropagação, `x.grad`
# vale `None`; por isso a célula abaixo não mostra nada.

# %% [markdown] lang="en"
# Before computing $y$, we tell PyTorch that we will want the gradient with respect to
# $\mathbf{x}$: `requires_grad_(True)` makes `x` a **leaf** of the computational graph, and a
# leaf's gradient is stored in `x.grad`. Until the first backward pass, `x.grad` is `None`;
# that is why the cell below shows nothing.

# %%
# [pt] Também dá para criar x = torch.arange(4.0, requires_grad=True)
# [en] Can also create x = torch.arange(4.0, requires_grad=True)
x.requires_grad_(True)
# [pt] De início, o gradiente é None por padrão. Ele só será calculado depois de rodar 'y.backward()' abaixo.
# [en] Initially, the gradient is None by default. Only after running 'y.backward()' below it will be calculated.
x.grad

# %% [markdown] lang="pt"
# **Conferindo as anotações.** Depois de cada célula original, `verify_cell(n)` confere as
# afirmações da célula `In [n]` de forma independente do resultado em teste: contra a fórmula,
# contra diferenças finitas em float64 ou contra `torch.func`. O veredito é ✔ exato,
# ≈ a menos de arredondamento (com a diferença em ulps, unidades na última casa) ou ✘ falso
# (com um contraexemplo).

# %% [markdown] lang="en"
# **Checking the annotations.** After each original cell, `verify_cell(n)` checks the claims of
# cell `In [n]` independently of the result under test: against the formula, against float64
# finite differences or against `torch.func`. The verdict is ✔ exact, ≈ up to rounding (with
# the difference in ulps, units in the last place) or ✘ false (with a counterexample).

# %%
verify_cell(2)

# %% [markdown] lang="pt"
# Agora calculamos $y$. Além do valor $28 = 2\,(0 + 1 + 4 + 9)$, a saída mostra o atributo
# `grad_fn`: o PyTorch guardou qual operação produziu `y`.

# %% [markdown] lang="en"
# Now we compute $y$. Besides the value $28 = 2\,(0 + 1 + 4 + 9)$, the output shows the
# `grad_fn` attribute: PyTorch kept a note of which operation produced `y`.

# %%
y = 2 * torch.dot(x, x)
y

# %%
verify_cell(3)

# %% [markdown] lang="pt"
# ### O grafo computacional de `y`
#
# `trace(y)` lê o grafo que o PyTorch guardou, e `draw(y)` o desenha. A saída fica no alto e o
# gradiente desce dela até as folhas. Em azul, as operações (cada uma com a sua derivada,
# `grad_fn`) e os valores que elas guardaram para a retropropagação; em verde, `AccumulateGrad`,
# que grava o gradiente em `.grad`; em amarelo, a folha `x`; em laranja, tracejada, uma entrada
# não rastreada (✂): a constante `2`. Como `x` entra duas vezes em `torch.dot(x, x)`, há duas
# arestas de `DotBackward0` até `x`.

# %% [markdown] lang="en"
# ### The computational graph of `y`
#
# `trace(y)` reads the graph PyTorch kept, and `draw(y)` draws it. The output is at the top and
# the gradient flows down from it to the leaves. In blue, the operations (each with its
# derivative, `grad_fn`) and the values they saved for the backward pass; in green,
# `AccumulateGrad`, which writes the gradient into `.grad`; in yellow, the leaf `x`; in orange,
# dashed, an untracked input (✂): the constant `2`. Since `x` enters `torch.dot(x, x)` twice,
# there are two edges from `DotBackward0` to `x`.

# %%
print(trace(y))
draw(y)

# %% [markdown] lang="pt"
# ### A retropropagação, passo a passo
#
# `backward_steps(y)` faz uma retropropagação observando cada nó, na ordem real do motor do
# autograd, e depois devolve `x.grad` ao valor de antes (por isso `x.grad` ainda é `None` na
# célula original seguinte). Repare no último passo: o gradiente $2\mathbf{x}$ chega duas vezes
# a `x`, uma por aresta, e as duas chegadas se somam: $2\mathbf{x} + 2\mathbf{x} = 4\mathbf{x}$.

# %% [markdown] lang="en"
# ### The backward pass, step by step
#
# `backward_steps(y)` runs a backward pass watching every node, in the autograd engine's real
# order, and then puts `x.grad` back as it was (which is why `x.grad` is still `None` in the
# next original cell). Look at the last step: the gradient $2\mathbf{x}$ reaches `x` twice, once
# per edge, and the two arrivals add up: $2\mathbf{x} + 2\mathbf{x} = 4\mathbf{x}$.

# %%
steps = backward_steps(y)
print(steps)
draw(steps, step=2)

# %% [markdown] lang="pt"
# Para percorrer os passos você mesmo, use os botões ou o controle deslizante abaixo (eles
# funcionam quando a célula é executada no JupyterLab; fora dele aparece o primeiro passo).

# %% [markdown] lang="en"
# To walk through the steps yourself, use the buttons or the slider below (they work when the
# cell runs in JupyterLab; elsewhere the first step is shown).

# %%
backward_stepper(y)

# %% [markdown] lang="pt"
# `y.backward()` faz a retropropagação a partir de `y` e guarda o gradiente em `x.grad`.

# %% [markdown] lang="en"
# `y.backward()` runs the backward pass from `y` and stores the gradient in `x.grad`.

# %%
y.backward()
x.grad

# %%
verify_cell(4)

# %% [markdown] lang="pt"
# > **Anotação original.** O parâmetro `requires_grad=True` serve para dizer ao PyTorch que ele
# > deve acompanhar as operações realizadas no tensor `x`, construindo um grafo computacional
# > que será usado para calcular os gradientes. Quando você chama `y.backward()`, o PyTorch
# > percorre esse grafo e calcula as derivadas parciais de `y` em relação a todos os tensores
# > que foram marcados com `requires_grad=True` (no caso, o tensor `x`). Se `x` não tivesse
# > `requires_grad=True`, o PyTorch não rastrearia as operações realizadas com `x` e,
# > consequentemente, não calcularia nem armazenaria o gradiente para `x`.
# >
# > Portanto, ao definir `x=torch.arange(4.0)` com `requires_grad=True`, você está dizendo que
# > deseja que `x` seja um parâmetro "diferenciável", e é por isso que o `y.backward()` utiliza
# > esse tensor para calcular e armazenar o gradiente em `x.grad`.
# >
# > Além disso, o atributo `grad_fn=<MulBackward0>` indica que o tensor foi criado a partir de
# > uma operação diferenciável (neste caso, uma multiplicação) e que possui uma função associada
# > para calcular o gradiente durante o processo de retropropagação. Ou seja, `grad_fn` é um
# > atributo interno que aponta para a "função de retropropagação" (*backward function*) que foi
# > utilizada para gerar aquele tensor. E `<MulBackward0>` especifica que a operação que
# > produziu o tensor foi uma multiplicação. Essa função será chamada quando você executar
# > `y.backward()`, permitindo que o PyTorch calcule como cada operação (neste caso, a
# > multiplicação) contribui para o gradiente final.
# >
# > Portanto, mesmo que o resultado numérico seja 28, o PyTorch mantém o histórico das operações
# > (o grafo computacional) e, ao ver `grad_fn=<MulBackward0>`, sabe exatamente qual função usar
# > para propagar o gradiente através dessa multiplicação. Caso `requires_grad=True` não tivesse
# > sido utilizado, as operações não seriam rastreadas, `x.grad` não retornaria resultado, e o
# > atributo `grad_fn=<MulBackward0>` não estaria presente no resultado do cálculo de `y`.

# %% [markdown] lang="en"
# > **Original annotation.** The parameter `requires_grad=True` tells PyTorch that it must keep
# > track of the operations performed on the tensor `x`, building a computational graph that
# > will be used to compute the gradients. When you call `y.backward()`, PyTorch walks that graph
# > and computes the partial derivatives of `y` with respect to every tensor that was marked
# > with `requires_grad=True` (here, the tensor `x`). If `x` did not have `requires_grad=True`,
# > PyTorch would not track the operations performed with `x` and, consequently, would neither
# > compute nor store the gradient for `x`.
# >
# > So, by defining `x=torch.arange(4.0)` with `requires_grad=True`, you are saying that you
# > want `x` to be a "differentiable" parameter, and that is why `y.backward()` uses this tensor
# > to compute the gradient and store it in `x.grad`.
# >
# > Moreover, the attribute `grad_fn=<MulBackward0>` indicates that the tensor was created by a
# > differentiable operation (in this case, a multiplication) and that it has an associated
# > function to compute the gradient during backpropagation. That is, `grad_fn` is an internal
# > attribute that points to the "backward function" that was used to produce that tensor. And
# > `<MulBackward0>` specifies that the operation that produced the tensor was a
# > multiplication. This function will be called when you run `y.backward()`, letting PyTorch
# > compute how each operation (in this case, the multiplication) contributes to the final
# > gradient.
# >
# > So, even though the numerical result is 28, PyTorch keeps the history of the operations
# > (the computational graph) and, on seeing `grad_fn=<MulBackward0>`, knows exactly which
# > function to use to propagate the gradient through this multiplication. Had
# > `requires_grad=True` not been used, the operations would not be tracked, `x.grad` would
# > return no result, and the attribute `grad_fn=<MulBackward0>` would not be present in the
# > result of computing `y`.

# %% [markdown] lang="pt"
# Por que $(0, 4, 8, 12)$? O produto interno de $\mathbf{x}$ com ele mesmo é o quadrado da
# norma, $\mathbf{x}^\top\mathbf{x} = \lVert\mathbf{x}\rVert^2$, cujo gradiente é
# $2\mathbf{x}$. Logo
#
# $$\nabla_{\mathbf{x}}\, 2\,\mathbf{x}^\top\mathbf{x} = 4\,\mathbf{x},$$
#
# que para $\mathbf{x} = (0, 1, 2, 3)$ dá $(0, 4, 8, 12)$. A célula abaixo confere elemento a
# elemento.

# %% [markdown] lang="en"
# Why $(0, 4, 8, 12)$? The inner product of $\mathbf{x}$ with itself is the squared norm,
# $\mathbf{x}^\top\mathbf{x} = \lVert\mathbf{x}\rVert^2$, whose gradient is $2\mathbf{x}$. Hence
#
# $$\nabla_{\mathbf{x}}\, 2\,\mathbf{x}^\top\mathbf{x} = 4\,\mathbf{x},$$
#
# which for $\mathbf{x} = (0, 1, 2, 3)$ is $(0, 4, 8, 12)$. The cell below checks it element by
# element.

# %%
# [pt] lembre que x.grad retorna o gradiente >de y<
# [pt] o produto interno de dois vetores (torch.dot(x, x)) é igual à norma desse vetor ao quadrado. O gradiente desta
# [pt] norma ao quadrado é igual a duas vezes este vetor. Portanto, [o gradiente de] 2 * torch.dot(x, x) == 4*x
# [en] remember that x.grad returns the gradient >of y<
# [en] the inner product of two vectors (torch.dot(x, x)) equals the squared norm of that vector. The gradient of this
# [en] squared norm equals twice the vector. Therefore, [the gradient of] 2 * torch.dot(x, x) == 4*x
x.grad == 4 * x

# %%
verify_cell(5)

# %% [markdown] lang="pt"
# Por padrão, o PyTorch **acumula** gradientes: cada `backward()` soma o gradiente novo ao que
# já está em `x.grad`. Antes de derivar outra função de `x`, zeramos `x.grad` com `zero_()`. A
# nova função é a soma dos elementos, cujo gradiente é um vetor de uns:
#
# $$\nabla_{\mathbf{x}} \sum_i x_i = (1, 1, 1, 1).$$

# %% [markdown] lang="en"
# By default, PyTorch **accumulates** gradients: every `backward()` adds the new gradient to
# what is already in `x.grad`. Before differentiating another function of `x`, we reset
# `x.grad` with `zero_()`. The new function is the sum of the elements, whose gradient is a
# vector of ones:
#
# $$\nabla_{\mathbf{x}} \sum_i x_i = (1, 1, 1, 1).$$

# %%
# [pt] Reseta os valores do gradiente de y que haviam sido armazenados com x.requires_grad_(True) após rodar y.backward()
# [en] Resets the gradient values of y that had been stored with x.requires_grad_(True) after running y.backward()
x.grad.zero_()
# [pt] y agora é a função do somatório de todos os elementos do vetor x
# [en] y is now the function that sums all the elements of the vector x
y = x.sum()
# [pt] calcula o gradiente de y em relação a x (em relação a x_0, x_1, x_2 e x_3 presentes em x)
# [en] computes the gradient of y with respect to x (with respect to x_0, x_1, x_2 and x_3 in x)
y.backward()
# [pt] resultado da função y quando x=tensor([0., 1., 2., 3.]), e gradiente de y para esses valores de x;
# [pt] note que a derivada de x_0 em relação a x_0 é 1, de x_1 em relação a x_1 é 1, e assim por diante.
# [en] value of the function y when x=tensor([0., 1., 2., 3.]), and the gradient of y at these values of x;
# [en] note that the derivative of x_0 with respect to x_0 is 1, of x_1 with respect to x_1 is 1, and so on.
y, x.grad

# %%
verify_cell(6)

# %% [markdown] lang="pt"
# No grafo de uma soma, `SumBackward0` recebe o gradiente inicial 1 e manda um vetor de uns
# para `x`: cada $x_i$ pesa 1 na soma.

# %% [markdown] lang="en"
# In the graph of a sum, `SumBackward0` receives the seed gradient 1 and sends a vector of ones
# to `x`: each $x_i$ counts once in the sum.

# %%
steps = backward_steps(x.sum())
print(steps)
draw(steps, step=0)

# %% [markdown] lang="pt"
# ## 2. Retropropagação para saídas não escalares
#
# Quando `y` é um vetor, a derivada de `y` em relação a `x` é uma matriz, a jacobiana $J$, com
# $J_{ij} = \partial y_i / \partial x_j$. O PyTorch não guarda essa matriz: a retropropagação
# começa de um escalar. Para uma saída vetorial, passamos um vetor $\mathbf{v}$ do formato de
# `y`, e o PyTorch calcula
#
# $$\mathbf{v}^\top J = \nabla_{\mathbf{x}}\,(\mathbf{v}^\top\mathbf{y}),$$
#
# o gradiente do escalar $\mathbf{v}^\top\mathbf{y}$.

# %% [markdown] lang="en"
# ## 2. Backward for non-scalar outputs
#
# When `y` is a vector, the derivative of `y` with respect to `x` is a matrix, the Jacobian
# $J$, with $J_{ij} = \partial y_i / \partial x_j$. PyTorch does not build that matrix: the
# backward pass starts from a scalar. For a vector output we pass a vector $\mathbf{v}$ shaped
# like `y`, and PyTorch computes
#
# $$\mathbf{v}^\top J = \nabla_{\mathbf{x}}\,(\mathbf{v}^\top\mathbf{y}),$$
#
# the gradient of the scalar $\mathbf{v}^\top\mathbf{y}$.

# %%
x.grad.zero_()
y = x * x
# [pt] agora, y não é mais um escalar, e sim um vetor. Quando y é vetor, y.backward() retorna erro.
# [pt] Para usá-lo, é preciso transformá-lo em escalar
# [en] now y is no longer a scalar but a vector. When y is a vector, y.backward() raises an error.
# [en] To use it, y has to be turned into a scalar
y

# %%
verify_cell(11)

# %% [markdown] lang="pt"
# O grafo de `y = x * x`: a saída agora é um vetor de 4 elementos. `MulBackward0` guardou os
# dois fatores (`self` e `other`, ambos iguais a `x`) e manda o gradiente a `x` pelas duas
# arestas.

# %% [markdown] lang="en"
# The graph of `y = x * x`: the output is now a vector of 4 elements. `MulBackward0` saved both
# factors (`self` and `other`, both equal to `x`) and sends the gradient to `x` along both
# edges.

# %%
print(trace(y))
draw(y)

# %% [markdown] lang="pt"
# Aqui $y_i = x_i^2$, então $J = \operatorname{diag}(2\mathbf{x})$. Com $\mathbf{v} = \mathbf{1}$
# (um vetor de uns):
#
# $$\mathbf{v}^\top J = \mathbf{1}^\top \operatorname{diag}(2\mathbf{x}) = 2\,\mathbf{x}
# = \nabla_{\mathbf{x}} \sum_i y_i,$$
#
# ou seja, `y.backward(gradient=torch.ones(len(y)))` dá o mesmo que `y.sum().backward()`.

# %% [markdown] lang="en"
# Here $y_i = x_i^2$, so $J = \operatorname{diag}(2\mathbf{x})$. With $\mathbf{v} = \mathbf{1}$
# (a vector of ones):
#
# $$\mathbf{v}^\top J = \mathbf{1}^\top \operatorname{diag}(2\mathbf{x}) = 2\,\mathbf{x}
# = \nabla_{\mathbf{x}} \sum_i y_i,$$
#
# that is, `y.backward(gradient=torch.ones(len(y)))` gives the same as `y.sum().backward()`.

# %%
# [pt] Mais rápido: y.sum().backward()
# [pt] gradient=torch.ones(len(y)) transforma y em um escalar l fazendo o produto interno entre y e um vetor v
# [pt] feito de uns (1). O gradiente é calculado a partir deste resultado l
# [en] Faster: y.sum().backward()
# [en] gradient=torch.ones(len(y)) turns y into a scalar l by taking the inner product of y with a vector v
# [en] made of ones (1). The gradient is computed from this result l
y.backward(gradient=torch.ones(len(y)))
x.grad

# %%
verify_cell(12, timed=False)

# %% [markdown] lang="pt"
# O comentário "Mais rápido" é sobre tempo, e tempo depende da máquina. A célula abaixo mede as
# duas formas no seu computador (mediana de várias repetições, com 4 e com um milhão de
# elementos); por isso a saída dela pode mudar de uma execução para outra.

# %% [markdown] lang="en"
# The "Faster" comment is about time, and time depends on the machine. The cell below measures
# both forms on your computer (median of several repeats, with 4 and with a million elements);
# that is why its output may change from one run to the next.

# %% tags=["nbval-ignore-output"]
verify("in12.sum_backward_faster")

# %% [markdown] lang="pt"
# O vetor $\mathbf{v}$ é o gradiente inicial da retropropagação: em vez do 1 de uma saída
# escalar, `MulBackward0` começa com $\mathbf{v} = (1, 1, 1, 1)$ e manda $\mathbf{v} \odot
# \mathbf{x}$ a `x` por cada uma das duas arestas.

# %% [markdown] lang="en"
# The vector $\mathbf{v}$ is the seed gradient of the backward pass: instead of the 1 of a
# scalar output, `MulBackward0` starts with $\mathbf{v} = (1, 1, 1, 1)$ and sends
# $\mathbf{v} \odot \mathbf{x}$ to `x` along each of its two edges.

# %%
print(backward_steps(x * x, gradient=torch.ones(4)))

# %% [markdown] lang="pt"
# Experimente outros $\mathbf{v}$ e outras funções: com $\mathbf{v} = (1, 0, 0, 0)$, `x.grad` é
# a primeira linha da jacobiana; com `x * x.sum()`, a jacobiana deixa de ser diagonal.

# %% [markdown] lang="en"
# Try other $\mathbf{v}$ and other functions: with $\mathbf{v} = (1, 0, 0, 0)$, `x.grad` is the
# first row of the Jacobian; with `x * x.sum()`, the Jacobian is no longer diagonal.

# %%
vjp_explorer()

# %% [markdown] lang="pt"
# ## 3. Desanexar a computação
#
# > **Anotação original.** Se você simplesmente calcular `z` e depois chamar `z.backward()`, a
# > diferenciação automática do PyTorch vai rastrear todas as dependências para encontrar o
# > gradiente de `z` em relação a `x`. Esse gradiente vai refletir tanto o efeito direto de `x`
# > sobre `z` quanto o efeito indireto que passa por `y`. Matematicamente, pela regra da cadeia,
# > a derivada total dz/dx consideraria os dois caminhos.
# >
# > Talvez você queira saber: "Se eu mudar `x` um pouquinho, quanto `z` muda diretamente,
# > mantendo o valor de `y` constante no seu valor atual?" É aí que entra o **desanexar**
# > (*detach*). Você quer tratar `y` (ou um valor derivado de `y`) como se fosse uma constante
# > em relação a `x` ao calcular o gradiente de `z` em relação a `x`.
#
# Sem desanexar, $z_i = y_i\,x_i = x_i^3$ e o gradiente seria $3x_i^2$. Com
# $\mathbf{u}$ = `y.detach()` tratado como constante, $z_i = u_i\,x_i$ e
#
# $$\frac{\partial\,(\mathbf{u}\cdot\mathbf{x})}{\partial \mathbf{x}} = \mathbf{u},$$
#
# onde $\mathbf{u}\cdot\mathbf{x} = \sum_i u_i x_i$ é exatamente `z.sum()`.

# %% [markdown] lang="en"
# ## 3. Detaching computation
#
# > **Original annotation.** If you simply calculate `z` and then `z.backward()`, PyTorch's
# > automatic differentiation will trace back all dependencies to find the gradient of `z` with
# > respect to `x`. This gradient will reflect both the direct effect of `x` on `z` and the
# > indirect effect channeled through `y`. Mathematically, using the chain rule, the total
# > derivative dz/dx would consider both paths.
# >
# > You might want to know: "If I change `x` slightly, how much does `z` change directly,
# > holding the value of `y` effectively constant at its current value?" This is where
# > **detaching** comes in. You want to treat `y` (or a value derived from `y`) as if it were a
# > constant with respect to `x` when calculating the gradient of `z` with respect to `x`.
#
# Without detaching, $z_i = y_i\,x_i = x_i^3$ and the gradient would be $3x_i^2$. With
# $\mathbf{u}$ = `y.detach()` treated as a constant, $z_i = u_i\,x_i$ and
#
# $$\frac{\partial\,(\mathbf{u}\cdot\mathbf{x})}{\partial \mathbf{x}} = \mathbf{u},$$
#
# where $\mathbf{u}\cdot\mathbf{x} = \sum_i u_i x_i$ is exactly `z.sum()`.

# %%
x.grad.zero_()
y = x * x

# [pt] Suponha que queremos calcular z = y * x
# [en] Assume we want to calculate z = y * x

# [pt] Este é o passo crucial (a anotação completa está logo abaixo)
# [en] This is the crucial step (the full annotation is just below)
u = y.detach()
# [pt] Agora z é calculado usando x e o u desanexado, que será tratado como uma constante
# [en] Now, z is computed using x and the detached u, which will be treated as a constant
z = u * x
# [pt] Pelo cálculo básico, a derivada de x * u em relação a x (com u constante) é simplesmente u (d/dx ux = u).
# [en] Using basic calculus, the derivative of x * u with respect to x (where u is constant) is simply u (d/dx ux = u).
z.sum().backward()
# [pt] Lembre que x.grad contém o resultado guardado do gradiente calculado com z.sum().backward(), que é igual a
# [pt] z.backward(gradient=torch.ones(len(z))). E esse gradiente é, como mostrado acima, d/dx ux = u. Portanto, x.grad == u
# [en] Remember that x.grad contains the stored result of the gradient calculated with z.sum().backward(), which is equal to
# [en] z.backward(gradient=torch.ones(len(z))). And this gradient is, as shown above, d/dx ux = u. Therefore, x.grad == u
x.grad == u

# %%
verify_cell(16)

# %% [markdown] lang="pt"
# > **Anotação original, sobre `u = y.detach()`.** Este é o passo crucial. `detach()` faz o
# > seguinte: **cria um novo tensor `u`**: `u` terá o mesmo valor numérico que `y` no momento
# > em que é desanexado. **Quebra a ligação no grafo computacional**: crucialmente, `u` deixa de
# > ser considerado parte do caminho computacional que leva de volta a `x` no cálculo do
# > gradiente. O PyTorch "esquece" como `u` foi derivado de `y` e, em última instância, de `x`.
# > Na retropropagação, `u` é tratado como uma constante em relação a `x`.
#
# No grafo de `u * x`, `u` aparece como entrada não rastreada (✂): a retropropagação para ali e
# só chega a `x` pelo outro fator. (Refazemos `u * x` porque `z.sum().backward()` já liberou os
# valores que o grafo de `z` guardava.)

# %% [markdown] lang="en"
# > **Original annotation, on `u = y.detach()`.** This is the crucial step. `detach()` does the
# > following: **creates a new tensor `u`**: `u` will have the same numerical value as `y` at
# > the moment of detachment. **Breaks the computation graph link**: crucially, `u` is no
# > longer considered part of the computational path that leads back to `x` for gradient
# > calculation. PyTorch "forgets" how `u` was derived from `y` and, ultimately, from `x`. `u`
# > is treated as a constant with respect to `x` in the backward pass.
#
# In the graph of `u * x`, `u` shows up as an untracked input (✂): the backward pass stops there
# and reaches `x` only through the other factor. (We redo `u * x` because `z.sum().backward()`
# has already freed the values the graph of `z` kept.)

# %%
print(trace(u * x))
draw(u * x)

# %% [markdown] lang="pt"
# Um cuidado: `u` não é uma cópia. Ele compartilha a memória de `y`, então uma alteração
# in-place em `y` depois do `detach()` também aparece em `u`. Para uma cópia independente, use
# `y.detach().clone()`. A célula abaixo mostra isso em tensores novos, sem mexer nos da lição.

# %% [markdown] lang="en"
# One caveat: `u` is not a copy. It shares memory with `y`, so an in-place change to `y` after
# `detach()` shows up in `u` too. For an independent copy, use `y.detach().clone()`. The cell
# below shows it on fresh tensors, leaving the lesson's own alone.

# %%
from autograd_lessons.claims import shared_storage_demo

shared_storage_demo()

# %% [markdown] lang="pt"
# > **Anotação original.** Note que, embora esse procedimento desanexe os ancestrais de `y` do
# > grafo que leva a `z`, o grafo computacional que leva a `y` continua existindo e, portanto,
# > podemos calcular o gradiente de `y` em relação a `x`.

# %% [markdown] lang="en"
# > **Original annotation.** Note that while this procedure detaches y's ancestors from the
# > graph leading to `z`, the computational graph leading to `y` persists and thus we can
# > calculate the gradient of `y` with respect to `x`.

# %%
# [pt] Como y = x^2, então d/dx y = 2x
# [en] Since y = x^2, d/dx y = 2x
x.grad.zero_()
y.sum().backward()
x.grad == 2 * x

# %%
verify_cell(17)

# %% [markdown] lang="pt"
# O grafo do próprio `y` continua ligado a `x`: `MulBackward0` leva a `x` pelas duas arestas.
# Os valores que ele guardava já foram liberados pela retropropagação acima, mas a estrutura
# continua lá.

# %% [markdown] lang="en"
# The graph of `y` itself is still connected to `x`: `MulBackward0` leads to `x` along both
# edges. The values it kept were freed by the backward pass above, but the structure is still
# there.

# %%
print(trace(y))
draw(y)

# %% [markdown] lang="pt"
# ## 4. Gradientes e fluxo de controle do Python
#
# O grafo computacional é construído enquanto o código roda, então laços e condicionais do
# Python não atrapalham: o grafo registra só o caminho que de fato foi executado. Em `f(a)`
# abaixo, quantas vezes o `while` repete e qual ramo do `if` é tomado dependem do valor de `a`.
#
# `a` é sorteado com `torch.randn`. Para que a lição mostre sempre a mesma saída, a célula a
# seguir fixa a semente do gerador aleatório (ela não faz parte da execução original).

# %% [markdown] lang="en"
# ## 4. Gradients and Python control flow
#
# The computational graph is built while the code runs, so Python loops and conditionals are
# no obstacle: the graph records only the path that was actually taken. In `f(a)` below, how
# many times the `while` loop repeats and which branch of the `if` is taken depend on the value
# of `a`.
#
# `a` is drawn with `torch.randn`. So that the lesson always shows the same output, the next
# cell fixes the seed of the random number generator (it is not part of the original run).

# %%
_ = torch.manual_seed(0)

# %%
def f(a):
    b = a * 2
    while b.norm() < 1000:
        b = b * 2
    if b.sum() > 0:
        c = b
    else:
        c = 100 * b
    return c

# [pt] size=() gera um tensor de dimensão 0, ou seja, um escalar
# [en] size=() makes a 0-dimensional tensor, that is, a scalar
a = torch.randn(size=(), requires_grad=True)
d = f(a)
d.backward()
# [pt] portanto, se d = f(a), então a.grad é igual a d/a
# [en] therefore, if d = f(a), then a.grad equals d/a
a.grad == d / a

# %%
verify_cell(20)

# %% [markdown] lang="pt"
# > **Anotação original.** A função acima retorna um valor linear para um valor de `a`. Ao
# > tirar o gradiente de uma função linear, ele será igual ao resultado da função dividido pelo
# > próprio `a`. Por exemplo, se `def f(a)` retornasse `5*a`, o grad em função de `a` é
# > d/da 5a = 5. Se dividirmos 5a por `a`, também teremos 5.
#
# Para cada valor de `a`, $f(a) = k\,a$, onde $k$ é uma potência de 2 (vezes 100 no ramo
# negativo) que só muda quando o caminho muda. Dentro de cada trecho $f$ é linear, então
#
# $$f'(a) = k = \frac{f(a)}{a}.$$

# %% [markdown] lang="en"
# > **Original annotation.** The function above returns a linear value for a value of `a`.
# > When taking the gradient of a linear function, it equals the result of the function divided
# > by `a` itself. For example, if `def f(a)` returned `5*a`, the grad with respect to `a` is
# > d/da 5a = 5. If we divide 5a by `a`, we also get 5.
#
# For each value of `a`, $f(a) = k\,a$, where $k$ is a power of 2 (times 100 on the negative
# branch) that changes only when the path changes. Within each piece $f$ is linear, so
#
# $$f'(a) = k = \frac{f(a)}{a}.$$

# %% [markdown] lang="pt"
# ### O grafo muda com `a`
#
# O laço vira uma cadeia de `MulBackward0`, uma por multiplicação por 2; `draw(d, fold=True)`
# junta a cadeia numa caixa só, "MulBackward0 ×k". Quanto menor $|a|$, mais duplicações; para
# $a < 0$, aparece mais um `MulBackward0`, o do `100 * b`.

# %% [markdown] lang="en"
# ### The graph changes with `a`
#
# The loop becomes a chain of `MulBackward0`, one per multiplication by 2; `draw(d, fold=True)`
# gathers the chain into a single box, "MulBackward0 ×k". The smaller $|a|$, the more
# doublings; for $a < 0$, one more `MulBackward0` shows up, the one of `100 * b`.

# %%
print(trace(d).fold())
draw(d, fold=True)

# %%
for value in (1.5, 0.001, -0.01):
    a_k = torch.tensor(value, requires_grad=True)
    print(f"a = {value:>6}:", dict(trace(f(a_k)).counts()))
draw(f(torch.tensor(-0.01, requires_grad=True)), fold=True)

# %% [markdown] lang="pt"
# Mude `a` no controle deslizante (ou digite um valor, como `0.001` ou `-0.7`) e veja o número
# de duplicações, o ramo, o gradiente e o grafo mudarem.

# %% [markdown] lang="en"
# Move `a` with the slider (or type a value, such as `0.001` or `-0.7`) and watch the number of
# doublings, the branch, the gradient and the graph change.

# %%
control_flow_explorer()

# %% [markdown] lang="pt"
# ### Quando `==` falha
#
# A igualdade exata `==` entre números de ponto flutuante é frágil. Sorteando muitos valores de
# `a`, ela dá `False` para parte dos negativos, e só para eles:

# %% [markdown] lang="en"
# ### When `==` fails
#
# Exact `==` between floating-point numbers is fragile. Drawing many values of `a`, it gives
# `False` for some of the negative ones, and only for them:

# %%
from autograd_lessons.claims import sample_control_flow

sample_control_flow()

# %% [markdown] lang="pt"
# A mesma célula original, com a semente 15 no lugar de 0:

# %% [markdown] lang="en"
# The same original cell, with seed 15 instead of 0:

# %%
torch.manual_seed(15)
a = torch.randn(size=(), requires_grad=True)
d = f(a)
d.backward()
a, a.grad == d / a, torch.allclose(a.grad, d / a)

# %% [markdown] lang="pt"
# Por quê? Para $a < 0$, $f(a) = 100 \cdot 2^k a$. Multiplicar por 2 é exato em ponto
# flutuante (só muda o expoente), mas multiplicar por 100 arredonda. A retropropagação calcula
# `a.grad` $= 100 \cdot 2^k$ exatamente, enquanto `d / a` divide um valor já arredondado e
# pode errar por 1 ulp. O gradiente está certo; a comparação é que é exigente demais. Para
# comparar números de ponto flutuante, use `torch.allclose` (ou compare com o gradiente exato).

# %% [markdown] lang="en"
# Why? For $a < 0$, $f(a) = 100 \cdot 2^k a$. Multiplying by 2 is exact in floating point (it
# only changes the exponent), but multiplying by 100 rounds. The backward pass computes
# `a.grad` $= 100 \cdot 2^k$ exactly, while `d / a` divides an already rounded value and can be
# off by 1 ulp. The gradient is right; the comparison is what asks too much. To compare
# floating-point numbers, use `torch.allclose` (or compare with the exact gradient).

# %% [markdown] lang="pt"
# ## Resumo
#
# - `requires_grad_(True)` marca um tensor como **folha** cujo gradiente o PyTorch deve
#   guardar. As operações feitas com ele formam um **grafo computacional**, e cada resultado
#   aponta, em `grad_fn`, para a derivada da operação que o produziu.
# - `backward()` faz a **retropropagação** a partir de um **escalar** e guarda o **gradiente**
#   no `.grad` de cada folha. Chamadas seguidas **acumulam**; por isso `x.grad.zero_()`.
# - Para uma saída não escalar, `backward(gradient=v)` calcula $\mathbf{v}^\top J$; com
#   $\mathbf{v} = \mathbf{1}$, é o mesmo que `y.sum().backward()`.
# - `detach()` devolve um tensor com os mesmos valores e sem histórico: na retropropagação ele
#   é uma constante. O grafo que levou a `y` continua lá.
# - O grafo registra o caminho que o código de fato percorreu, com os laços e condicionais do
#   Python.
# - Conferidas uma a uma, as afirmações das anotações valem, com três ressalvas: `u` compartilha
#   a memória de `y`; o "Mais rápido" depende da máquina; e `==` entre números de ponto
#   flutuante pode falhar por arredondamento, então prefira `torch.allclose`.

# %% [markdown] lang="en"
# ## Summary
#
# - `requires_grad_(True)` marks a tensor as a **leaf** whose gradient PyTorch must keep. The
#   operations done with it form a **computational graph**, and every result points, through
#   `grad_fn`, to the derivative of the operation that produced it.
# - `backward()` runs the **backward pass** from a **scalar** and stores the **gradient** in
#   the `.grad` of every leaf. Repeated calls **accumulate**; hence `x.grad.zero_()`.
# - For a non-scalar output, `backward(gradient=v)` computes $\mathbf{v}^\top J$; with
#   $\mathbf{v} = \mathbf{1}$, it is the same as `y.sum().backward()`.
# - `detach()` returns a tensor with the same values and no history: in the backward pass it is
#   a constant. The graph that led to `y` is still there.
# - The graph records the path the code actually took, through Python's loops and conditionals.
# - Checked one by one, the annotations' claims hold, with three caveats: `u` shares memory with
#   `y`; "Faster" depends on the machine; and `==` between floating-point numbers can fail by
#   rounding, so prefer `torch.allclose`.
