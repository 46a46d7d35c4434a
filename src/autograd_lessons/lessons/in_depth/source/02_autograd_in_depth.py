# %% [markdown] lang="pt"
# # Lição 2 — O autograd em detalhes
#
# A lição 1 mostrou o essencial: `requires_grad_(True)` faz o PyTorch registrar as operações
# num **grafo computacional**, e `backward()` percorre esse grafo na **retropropagação**,
# deixando o **gradiente** em `.grad`. Esta lição abre a caixa-preta: quem recebe `.grad`, por que os
# gradientes se acumulam, o que o grafo guarda na memória e quando o libera, como derivar duas
# vezes, como desligar o registro, o que dá errado com operações in-place, como espiar a
# retropropagação com ganchos, como escrever a sua própria operação, e a diferença entre o
# modo direto e o modo reverso.
#
# **Como ler esta lição.** Ela pressupõe a lição 1. Cada seção tem um texto curto, código para
# você executar e, quando ajuda, uma figura do grafo. No fim de cada seção, `verify_cell(k,
# lesson=2)` confere as frases da seção k, cada uma numa linha: ✔ **vale**, ≈ **vale a menos de
# arredondamento** ou ✘ **não vale**, e, para as perguntas da lição, a **resposta**. Clique na
# linha para ver o que foi conferido e o que foi encontrado (o funcionamento da conferência
# está explicado no guia do professor, § 6). Os tempos medidos (depois de ⏱) mudam de máquina
# para máquina.
#
# Execute as células em ordem (Shift+Enter). Roteiro:
#
# 1. Folhas e tensores intermediários
# 2. Gradientes que se acumulam, de propósito
# 3. `retain_graph`: o que a retropropagação libera
# 4. Derivadas de ordem superior
# 5. Desligar o registro
# 6. Operações in-place e visões
# 7. Ganchos
# 8. A sua própria operação: uma Function personalizada
# 9. Modo direto e modo reverso
# 10. Fechando o ciclo: descida do gradiente

# %% [markdown] lang="en"
# # Lesson 2 — Autograd in depth
#
# Lesson 1 showed the essentials: `requires_grad_(True)` makes PyTorch record operations in a
# **computational graph**, and `backward()` walks that graph in the **backward pass**, leaving
# the **gradient** in `.grad`. This lesson opens the box: who gets a `.grad`, why gradients
# accumulate, what the graph keeps in memory and when it lets go, how to differentiate twice,
# how to switch recording off, what goes wrong with in-place operations, how to watch the
# backward pass with hooks, how to write your own operation, and how forward mode differs from
# reverse mode.
#
# **How to read this lesson.** It assumes lesson 1. Each section has a short text, code for you
# to run and, where it helps, a picture of the graph. At the end of each section,
# `verify_cell(k, lesson=2)` checks the sentences of section k, one line each: ✔ **holds**,
# ≈ **holds up to rounding** or ✘ **does not hold**, and, for the lesson's own questions, the
# **answer**. Click a line to see what was checked and what was found (how the checking works
# is in the teacher's guide, § 6). Measured times (after ⏱) change from machine to machine.
#
# Run the cells in order (Shift+Enter). Outline:
#
# 1. Leaves and intermediate tensors
# 2. Gradients that accumulate, on purpose
# 3. `retain_graph`: what the backward pass frees
# 4. Higher-order derivatives
# 5. Switching recording off
# 6. In-place operations and views
# 7. Hooks
# 8. Your own operation: a custom Function
# 9. Forward mode and reverse mode
# 10. Closing the loop: gradient descent

# %%
# [pt] Funções auxiliares da lição, com mensagens em português
# [en] The lesson's helpers, with messages in English
import re
import statistics
import sys
import textwrap
import time
import warnings

import matplotlib.pyplot as plt
import torch
import torch.autograd.forward_ad as fwAD

from autograd_lessons import backward_steps, describe_figures, draw, record_modules, set_language, verify_cell
from autograd_lessons.i18n import message
from autograd_lessons.verdicts import duration_text

set_language("en")
# [pt] Cada figura ganha uma descrição em texto, para leitores de tela e para o site
# [en] Every figure gets a text description, for screen readers and for the site
describe_figures()


def error_text(error):
    # [pt] O tipo e a primeira linha da mensagem, como o aluno os veria (sem o caminho do build do PyTorch)
    # [en] The type and the first line of the message, as a learner would see them (without PyTorch's build path)
    line = re.sub(r" \(Triggered internally at [^)]*\)", "", str(error).splitlines()[0])
    return textwrap.fill(f"{type(error).__name__}: {line}", width=100, subsequent_indent="    ")


def show(*lines):
    # [pt] Escreve todas as linhas de uma vez: uma só saída por célula, igual em toda execução
    # [en] Writes all the lines at once: a single output per cell, the same on every run
    sys.stdout.write("\n".join(str(line) for line in lines) + "\n")


# %% [markdown] lang="pt"
# ## 1. Folhas e tensores intermediários
#
# Uma **folha** é um tensor sem `grad_fn`: nenhuma operação registrada o produziu. É o caso de
# `x` abaixo, que nós criamos. Um tensor intermediário, como `y = x * x`, é o resultado de uma
# operação registrada e tem `grad_fn`. <q id="l2.leaf_definition">Todo tensor que não exige gradiente é
# uma folha, mesmo quando sai de uma operação, como `y.detach()`; um tensor que exige gradiente
# só é folha se não tiver `grad_fn`.</q>
#
# A retropropagação calcula o gradiente em relação a todos os nós do caminho, mas só o guarda
# onde ele foi pedido; nos intermediários, o valor é usado e descartado, o que economiza memória.
# <q id="l2.leaf_grad_only">Depois da retropropagação, só as folhas que exigem gradiente recebem `.grad`:
# ler `y.grad` no tensor intermediário `y` dá `None` e um aviso.</q>
#
# O PyTorch avisa porque ler `.grad` de um tensor intermediário quase sempre é engano. Abaixo,
# `warnings.catch_warnings(record=True)` captura o aviso para mostrá-lo aqui.

# %% [markdown] lang="en"
# ## 1. Leaves and intermediate tensors
#
# A **leaf** is a tensor without a `grad_fn`: no recorded operation produced it. So is `x`
# below, which we created. An intermediate tensor, such as `y = x * x`, is the result of a
# recorded operation and has a `grad_fn`. <q id="l2.leaf_definition">Every tensor that does not require
# gradients is a leaf, even when an operation made it, such as `y.detach()`; a tensor that
# requires gradients is a leaf only if it has no `grad_fn`.</q>
#
# The backward pass computes the gradient with respect to every node on the way, but keeps it
# only where it was asked for; on intermediate tensors the value is used and dropped, which
# saves memory. <q id="l2.leaf_grad_only">After the backward pass only the leaves that require gradients
# get a `.grad`: reading `y.grad` on the intermediate tensor `y` gives `None` and a warning.</q>
#
# PyTorch warns because reading `.grad` of an intermediate tensor is nearly always a mistake.
# Below, `warnings.catch_warnings(record=True)` catches the warning so that we can show it here.

# %%
x = torch.arange(4.0, requires_grad=True)
y = x * x
z = y.sum()
z.backward()
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    intermediate_grad = y.grad
show(f"x.is_leaf: {x.is_leaf}  y.is_leaf: {y.is_leaf}  y.detach().is_leaf: {y.detach().is_leaf}",
     f"x.grad: {x.grad}",
     f"y.grad: {intermediate_grad}",
     error_text(caught[0].message))

# %% [markdown] lang="pt"
# Na figura, `x` é a folha (amarela) ligada a `AccumulateGrad`, o nó que grava o gradiente em
# `x.grad`; `y` é só o resultado de `MulBackward0`, sem nó que grave nada nele.

# %% [markdown] lang="en"
# In the picture, `x` is the leaf (yellow) attached to `AccumulateGrad`, the node that writes the
# gradient into `x.grad`; `y` is only the result of `MulBackward0`, with no node writing into it.

# %%
draw(z)

# %% [markdown] lang="pt"
# Se você quiser mesmo o gradiente de um tensor intermediário, peça com antecedência.
# <q id="l2.retain_grad">Se chamarmos `y.retain_grad()` antes da retropropagação, `y.grad` guarda o
# gradiente de `z` em relação a `y`.</q> Como $z = \sum_i y_i$, cada $\partial z / \partial y_i$
# vale 1.
#
# Gradientes medem variações contínuas, e por isso só existem para tensores de ponto flutuante
# (ou complexos). <q id="l2.integer_no_grad">Um tensor de inteiros não pode exigir gradiente: o PyTorch
# recusa com um RuntimeError, e é por isso que a lição 1 escreve `torch.arange(4.0)`, e não
# `torch.arange(4)`.</q>

# %% [markdown] lang="en"
# If you do want the gradient of an intermediate tensor, say so in advance.
# <q id="l2.retain_grad">If we call `y.retain_grad()` before the backward pass, `y.grad` keeps the
# gradient of `z` with respect to `y`.</q> Since $z = \sum_i y_i$, every
# $\partial z / \partial y_i$ is 1.
#
# Gradients measure continuous change, so they exist only for floating-point (or complex)
# tensors. <q id="l2.integer_no_grad">An integer tensor cannot require gradients: PyTorch refuses with a
# RuntimeError, which is why lesson 1 writes `torch.arange(4.0)` and not `torch.arange(4)`.</q>

# %%
x = torch.arange(4.0, requires_grad=True)
y = x * x
y.retain_grad()
z = y.sum()
z.backward()
try:
    torch.arange(4).requires_grad_(True)
except RuntimeError as error:
    refused = error_text(error)
show(f"y.grad: {y.grad}", f"{torch.arange(4).dtype} {torch.arange(4.0).dtype}", refused)

# %%
verify_cell(1, lesson=2)

# %% [markdown] lang="pt"
# ## 2. Gradientes que se acumulam, de propósito
#
# `backward()` não substitui `.grad`: ele **acumula**, somando o que calculou ao que já estava
# lá. Isso é útil quando uma perda tem duas partes. <q id="l2.two_calls_add_up">Duas chamadas de
# `backward`, uma por perda, deixam em `x.grad` o mesmo gradiente que uma só chamada na soma das
# duas perdas.</q>
#
# Com $L_1 = \sum_i x_i^2$ e $L_2 = \sum_i 3x_i$, o gradiente é $2\mathbf{x} + 3$. Na
# retropropagação passo a passo da soma, as duas contribuições chegam a `x` por duas arestas e
# se somam no nó `AccumulateGrad`.

# %% [markdown] lang="en"
# ## 2. Gradients that accumulate, on purpose
#
# `backward()` does not replace `.grad`: it **accumulates**, adding what it computed to what was
# already there. That is useful when a loss has two parts. <q id="l2.two_calls_add_up">Two `backward`
# calls, one per loss, leave in `x.grad` the same gradient as one `backward` call on the sum of
# the two losses.</q>
#
# With $L_1 = \sum_i x_i^2$ and $L_2 = \sum_i 3x_i$, the gradient is $2\mathbf{x} + 3$. In the
# step-by-step backward pass of the sum, the two contributions reach `x` along two edges and add
# up at the `AccumulateGrad` node.

# %%
# [pt] Duas chamadas de backward, uma por perda
# [en] Two backward calls, one per loss
x = torch.arange(4.0, requires_grad=True)
(x * x).sum().backward()
(3 * x).sum().backward()

# [pt] Uma chamada só, na soma das perdas, passo a passo
# [en] One call only, on the sum of the losses, step by step
x2 = torch.arange(4.0, requires_grad=True)
total = (x2 * x2).sum() + (3 * x2).sum()
steps = backward_steps(total)
total.backward()
show(steps, f"x.grad:  {x.grad}", f"x2.grad: {x2.grad}")

# %% [markdown] lang="pt"
# O outro lado da acumulação: num laço de treino, cada passo precisa começar com `.grad` limpo.
# <q id="l2.forgotten_zero_multiplies">Se um laço nunca limpar `.grad`, depois de k chamadas de
# `backward` da mesma perda, `x.grad` contém k vezes o gradiente.</q>
#
# Há duas formas de limpar: `p.grad = None` à mão, ou `optimizer.zero_grad()`, que faz o mesmo
# para todos os parâmetros do otimizador. <q id="l2.zero_grad_sets_none">`optimizer.zero_grad()` não
# enche `.grad` de zeros: volta a deixá-lo `None`, e a retropropagação seguinte começa do
# zero.</q> (`optimizer.zero_grad(set_to_none=False)` preenche com zeros; `None` economiza
# memória e uma soma.)

# %% [markdown] lang="en"
# The other side of accumulation: in a training loop, every step must start with a clean `.grad`.
# <q id="l2.forgotten_zero_multiplies">If a loop never clears `.grad`, after k `backward` calls of the
# same loss `x.grad` holds k times the gradient.</q>
#
# There are two ways to clear it: `p.grad = None` by hand, or `optimizer.zero_grad()`, which does
# the same for every parameter of the optimizer. <q id="l2.zero_grad_sets_none">`optimizer.zero_grad()`
# does not fill `.grad` with zeros: it sets it back to `None`, and the next backward pass starts
# from scratch.</q> (`optimizer.zero_grad(set_to_none=False)` fills it with zeros; `None` saves
# memory and an addition.)

# %%
# [pt] Três chamadas de backward sem limpar .grad
# [en] Three backward calls without clearing .grad
x = torch.arange(4.0, requires_grad=True)
optimizer = torch.optim.SGD([x], lr=0.1)
lines = []
for k in range(1, 4):
    (x * x).sum().backward()
    lines.append(f"k = {k}: x.grad = {x.grad}")

# [pt] Limpar com o otimizador, e a retropropagação seguinte
# [en] Clearing with the optimizer, and the next backward pass
optimizer.zero_grad()
lines.append(f"optimizer.zero_grad(): x.grad = {x.grad}")
(x * x).sum().backward()
lines.append(f"backward():            x.grad = {x.grad}")
show(*lines)

# %%
verify_cell(2, lesson=2)

# %% [markdown] lang="pt"
# ## 3. `retain_graph`: o que a retropropagação libera
#
# Para derivar, muitas operações precisam de valores do cálculo de ida: a derivada de
# $e^a$ é o próprio $e^a$, então `ExpBackward0` salva o resultado. Esses **tensores salvos**
# aparecem em `grad_fn._saved_result` (ou `_saved_self`, `_saved_other`…) e, na figura, como
# etiquetas no nó. Eles ocupam memória, e a retropropagação não os mantém por mais tempo do que
# precisa.
# <q id="l2.second_backward_fails">Uma segunda retropropagação pelo mesmo grafo falha, porque a
# primeira liberou os tensores que o grafo tinha salvado.</q>

# %% [markdown] lang="en"
# ## 3. `retain_graph`: what the backward pass frees
#
# To differentiate, many operations need values from the forward pass: the derivative of
# $e^a$ is $e^a$ itself, so `ExpBackward0` keeps the result. These **saved tensors** show up in
# `grad_fn._saved_result` (or `_saved_self`, `_saved_other`…) and, in the picture, as badges on
# the node. They take memory, and the backward pass keeps them no longer than it needs them.
# <q id="l2.second_backward_fails">A second backward through the same graph fails, because the first one
# freed the tensors the graph had saved.</q>

# %%
a = torch.tensor([1.0, 2.0], requires_grad=True)
b = a.exp()
lines = [f"b.grad_fn._saved_result: {b.grad_fn._saved_result}"]
b.sum().backward()
# [pt] Depois da retropropagação: ler o tensor salvo, e uma segunda retropropagação
# [en] After the backward pass: reading the saved tensor, and a second backward pass
try:
    b.grad_fn._saved_result
except RuntimeError as error:
    lines.append(error_text(error))
try:
    b.sum().backward()
except RuntimeError as error:
    lines.append(error_text(error))
show(*lines)

# %% [markdown] lang="pt"
# Na figura, a etiqueta do valor salvo de `ExpBackward0` aparece como liberada. Isso é normal:
# depois de uma retropropagação, os valores salvos do grafo já foram usados e liberados. Você
# verá o mesmo nas figuras das seções 8 e 10, desenhadas depois do `backward()`. Para olhar um
# grafo não é preciso guardar nada; `retain_graph=True`, a seguir, é para quando você precisar de
# uma segunda retropropagação pelo mesmo grafo.

# %% [markdown] lang="en"
# In the picture, the badge of `ExpBackward0`'s saved value shows it as freed. That is normal:
# after a backward pass, the graph's saved values have been used and freed. You will see the
# same in the pictures of sections 8 and 10, drawn after `backward()`. Looking at a graph needs
# nothing kept; `retain_graph=True`, next, is for when you need a second backward pass through
# the same graph.

# %%
draw(b)

# %% [markdown] lang="pt"
# Quando você precisar mesmo de duas retropropagações pelo mesmo grafo (duas perdas que
# compartilham uma parte cara do cálculo, por exemplo), peça para manter os tensores salvos.
# <q id="l2.retain_graph_adds_again">Com `retain_graph=True` os tensores salvos sobrevivem à primeira
# retropropagação, e a segunda soma o mesmo gradiente outra vez.</q>
#
# Manter o grafo custa memória até o último `backward()`. Se a segunda retropropagação servir só
# para somar gradientes, como na seção 2, some as perdas e chame `backward()` uma vez.

# %% [markdown] lang="en"
# When you really need two backward passes through the same graph (two losses that share an
# expensive part of the computation, for example), ask for the saved tensors to be kept.
# <q id="l2.retain_graph_adds_again">With `retain_graph=True` the saved tensors survive the first backward
# pass, and the second one adds the same gradient again.</q>
#
# Keeping the graph costs memory until the last `backward()`. If the second backward pass is
# only there to add gradients, as in section 2, add the losses and call `backward()` once.

# %%
a = torch.tensor([1.0, 2.0], requires_grad=True)
b = a.exp()
b.sum().backward(retain_graph=True)
saved = b.grad_fn._saved_result
b.sum().backward()
show(f"b.grad_fn._saved_result: {saved}", f"a.grad: {a.grad}  2·exp(a): {2 * a.detach().exp()}")

# %%
verify_cell(3, lesson=2)

# %% [markdown] lang="pt"
# ## 4. Derivadas de ordem superior
#
# Normalmente a retropropagação não é registrada: o gradiente que sai dela é um tensor sem
# histórico. <q id="l2.second_derivative">Com `create_graph=True` o próprio gradiente fica registrado num
# grafo, e podemos derivá-lo de novo: para y = x³ a derivada segunda é 6x.</q>
#
# `torch.autograd.grad` devolve o gradiente em vez de acumulá-lo em `.grad`, o que é mais
# limpo para derivadas de ordem superior.

# %% [markdown] lang="en"
# ## 4. Higher-order derivatives
#
# Normally the backward pass is not recorded: the gradient it produces is a tensor with no
# history. <q id="l2.second_derivative">With `create_graph=True` the gradient is itself recorded in a
# graph, so we can differentiate it again: for y = x³ the second derivative is 6x.</q>
#
# `torch.autograd.grad` returns the gradient instead of accumulating it into `.grad`, which is
# cleaner for higher-order derivatives.

# %%
x = torch.tensor([-1.0, 0.5, 2.0], requires_grad=True)
(first,) = torch.autograd.grad((x ** 3).sum(), x, create_graph=True)
(second,) = torch.autograd.grad(first.sum(), x)
show(f"3x²: {first}", f"6x:  {second}")

# %% [markdown] lang="pt"
# O gradiente `first` tem o seu próprio grafo: a retropropagação de $x^3$, registrada.

# %% [markdown] lang="en"
# The gradient `first` has a graph of its own: the backward pass of $x^3$, recorded.

# %%
draw(first)

# %% [markdown] lang="pt"
# A matriz de derivadas segundas, a **hessiana** $H$, tem $n^2$ elementos. Muitos métodos só
# precisam de $H\mathbf{v}$ para um vetor $\mathbf{v}$, e isso sai de duas retropropagações,
# porque $H\mathbf{v} = \nabla_{\mathbf{x}}\big(\nabla f(\mathbf{x})^\top \mathbf{v}\big)$.
# <q id="l2.hessian_vector_product">Derivar o produto interno do gradiente com um vetor v dá o produto
# hessiana-vetor H v, sem nunca montar a hessiana H.</q>
#
# Para $f(\mathbf{x}) = (\mathbf{x}^\top\mathbf{x})^2/4$, temos
# $\nabla f = (\mathbf{x}^\top\mathbf{x})\,\mathbf{x}$ e
# $H\mathbf{v} = (\mathbf{x}^\top\mathbf{x})\,\mathbf{v} + 2\,\mathbf{x}\,(\mathbf{x}^\top\mathbf{v})$.

# %% [markdown] lang="en"
# The matrix of second derivatives, the **Hessian** $H$, has $n^2$ entries. Many methods only
# need $H\mathbf{v}$ for a vector $\mathbf{v}$, and that comes from two backward passes, because
# $H\mathbf{v} = \nabla_{\mathbf{x}}\big(\nabla f(\mathbf{x})^\top \mathbf{v}\big)$.
# <q id="l2.hessian_vector_product">Differentiating the inner product of the gradient with a vector v
# gives the Hessian-vector product H v, without ever building the Hessian H.</q>
#
# For $f(\mathbf{x}) = (\mathbf{x}^\top\mathbf{x})^2/4$, we have
# $\nabla f = (\mathbf{x}^\top\mathbf{x})\,\mathbf{x}$ and
# $H\mathbf{v} = (\mathbf{x}^\top\mathbf{x})\,\mathbf{v} + 2\,\mathbf{x}\,(\mathbf{x}^\top\mathbf{v})$.

# %%
x = torch.tensor([-1.0, 0.5, 2.0], requires_grad=True)
v = torch.tensor([1.0, 0.0, -1.0])
(g,) = torch.autograd.grad((x * x).sum() ** 2 / 4, x, create_graph=True)
(hv,) = torch.autograd.grad((g * v).sum(), x)
xd = x.detach()
show(f"hv:                   {hv}", f"(xᵀx) v + 2 x (xᵀv): {(xd @ xd) * v + 2 * xd * (xd @ v)}")

# %%
verify_cell(4, lesson=2)

# %% [markdown] lang="pt"
# ## 5. Desligar o registro
#
# Na avaliação de um modelo, ou para atualizar pesos, não queremos grafo: ele custa tempo e,
# principalmente, memória, porque cada operação guarda os seus tensores salvos. Há quatro
# formas de não registrar, cada uma com o seu alcance:
#
# - `with torch.no_grad():` o bloco inteiro;
# - `with torch.inference_mode():` o mesmo, e os resultados viram *tensores de inferência*,
#   que o grafo não pode salvar para uma retropropagação (mais sobre eles no fim da seção; em
#   troca, o PyTorch dispensa até o contador de versão, o que é um pouco mais rápido);
# - `t.detach()` separa um único tensor do grafo, como na lição 1;
# - `p.requires_grad_(False)` faz uma folha parar de pedir gradiente (congelar uma camada).
#
# <q id="l2.no_grad_records_nothing">Dentro de `torch.no_grad()` ou de `torch.inference_mode()` nada é
# registrado: o resultado não tem `grad_fn`, não exige gradiente e nenhum tensor é salvo para uma
# retropropagação.</q> Para contar o que fica na memória, usamos ganchos nos tensores salvos (o
# assunto da seção 7): a função `pack` é chamada uma vez para cada tensor que o grafo salva.

# %% [markdown] lang="en"
# ## 5. Switching recording off
#
# When evaluating a model, or when updating weights, we want no graph: it costs time and, above
# all, memory, because every operation keeps its saved tensors. There are four ways not to
# record, each with its own reach:
#
# - `with torch.no_grad():` the whole block;
# - `with torch.inference_mode():` the same, and the results become *inference tensors*, which
#   the graph cannot save for a backward pass (more on them at the end of the section; in
#   exchange, PyTorch even skips the version bookkeeping, which is a little faster);
# - `t.detach()` detaches a single tensor from the graph, as in lesson 1;
# - `p.requires_grad_(False)` makes a leaf stop asking for a gradient (freezing a layer).
#
# <q id="l2.no_grad_records_nothing">Inside `torch.no_grad()` or `torch.inference_mode()` nothing is
# recorded: the result has no `grad_fn`, does not require gradients, and no tensor is saved for a
# backward pass.</q> To count what stays in memory we use saved-tensor hooks (the subject of
# section 7): the function `pack` is called once for every tensor the graph saves.

# %% shares=["lesson_network", "saved_by"]
def lesson_network():
    # [pt] A rede e o lote de entrada desta seção; a semente 0 dá os mesmos valores a cada execução
    # [en] This section's network and input batch; seed 0 gives the same values on every run
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Linear(64, 256), torch.nn.Tanh(), torch.nn.Linear(256, 1))
    return net, torch.randn(128, 64)


def saved_by(run):
    saved = []

    def pack(tensor):
        saved.append(tensor)
        return tensor

    with torch.autograd.graph.saved_tensors_hooks(pack, lambda tensor: tensor):
        out = run()
    # [pt] Dois tensores salvos podem ser o mesmo bloco de memória (storage): os bytes contam uma vez por bloco
    # [en] Two saved tensors can be the same block of memory (storage): the bytes count once per block
    blocks = {tensor.untyped_storage().data_ptr(): tensor.untyped_storage().nbytes() for tensor in saved}
    return out, len(saved), len(blocks), sum(blocks.values())


net, batch = lesson_network()


def recorded():
    return net(batch)


def with_no_grad():
    with torch.no_grad():
        return net(batch)


def with_inference_mode():
    with torch.inference_mode():
        return net(batch)


def with_detach():
    return net(batch).detach()


def frozen():
    net.requires_grad_(False)
    try:
        return net(batch)
    finally:
        net.requires_grad_(True)


def median_time(run, repeat=15):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


rows = []
for run in (recorded, with_no_grad, with_inference_mode, with_detach, frozen):
    out, count, blocks, size = saved_by(run)
    rows.append(f"{run.__name__:20} grad_fn={type(out.grad_fn).__name__ if out.grad_fn else None!s:15} "
                f"requires_grad={out.requires_grad!s:5} is_inference={out.is_inference()!s:5} "
                f"saved={count} blocks={blocks} ({size} B)  {duration_text(median_time(run))}")
show(*rows)

# %% [markdown] lang="pt"
# Onde estão os 4 tensores salvos de `recorded`? Quando o cálculo de ida roda dentro de
# `record_modules(net)`, cada camada da rede anota os nós que criou; com `modules=net`, o desenho
# enquadra esses nós com o nome que `net` dá à camada ("0 (Linear)", "1 (Tanh)") e mostra os
# parâmetros com os nomes de `net.named_parameters()`. As etiquetas mostram o que cada nó
# salvou: as entradas das duas camadas lineares (`mat1`), para o gradiente dos pesos; o peso
# da segunda (`mat2`), para levar o gradiente de volta à entrada dela (a primeira não salva o
# seu: `batch` não pede gradiente); e o resultado da tangente hiperbólica (`result`), cuja
# derivada é $1 - \tanh^2$.
#
# <q id="l2.saved_storages">O resultado da tangente hiperbólica e o `mat1` da segunda camada são o mesmo
# tensor: os 4 tensores salvos ocupam 3 blocos de memória (o lote de entrada `batch`, o peso da
# segunda camada e o resultado da tangente), e os bytes que `saved_by` conta, uma vez por bloco,
# incluem os três.</q> Os dois primeiros existem de qualquer forma, nas variáveis `batch` e
# `net`; só o resultado da tangente fica vivo por causa do grafo.

# %% [markdown] lang="en"
# Where are the 4 saved tensors of `recorded`? When the forward pass runs inside
# `record_modules(net)`, each layer of the network notes the nodes it created; with
# `modules=net`, the picture frames those nodes with the name `net` gives the layer
# ("0 (Linear)", "1 (Tanh)"), and names the parameters as `net.named_parameters()` does. The
# badges show what each node kept: the inputs of the two linear layers (`mat1`), for the
# weights' gradient; the second layer's weight (`mat2`), to send the gradient back to its input
# (the first layer keeps none: `batch` asks for no gradient); and the result of the hyperbolic
# tangent (`result`), whose derivative is $1 - \tanh^2$.
#
# <q id="l2.saved_storages">The result of the hyperbolic tangent and the second layer's `mat1` are the
# same tensor: the 4 saved tensors take 3 blocks of memory (the input `batch`, the second
# layer's weight and the tangent's result), and the bytes `saved_by` counts, once per block,
# include all three.</q> The first two exist anyway, in the variables `batch` and `net`; only the
# tangent's result stays alive because of the graph.

# %%
def recorded_with_layers():
    with record_modules(net):
        return recorded().sum()


draw(recorded_with_layers(), modules=net)

# %% [markdown] lang="pt"
# Numa rede tão pequena, os tempos ficam próximos (e mudam de uma execução para outra); a
# diferença clara está na memória, nos tensores salvos. Repare em `with_detach`: o grafo foi
# montado e os tensores foram salvos antes de `detach()` separar o resultado; separar do grafo
# só no fim não economiza nada. E em `frozen`: a entrada não pede gradiente e os pesos
# congelados também não, então nada é registrado.
#
# Por fim, os tensores de inferência. <q id="l2.inference_tensors">Um tensor de inferência pode entrar
# num cálculo registrado; o que o PyTorch recusa é salvá-lo para a retropropagação (numa
# operação que precisaria dele para calcular um gradiente) e alterá-lo in-place fora de
# `torch.inference_mode()`.</q> Abaixo, a soma `hidden + net[0].bias` é registrada normalmente,
# porque a derivada de uma soma não depende das parcelas; a camada linear `net[2]`, que salva a
# sua entrada para o gradiente do peso, recusa `hidden`, mas aceita uma cópia comum,
# `hidden.clone()`.

# %% [markdown] lang="en"
# On a network this small the times are close (and change from run to run); the clear
# difference is in memory, in the saved tensors. Look at `with_detach`: the graph was built and
# the tensors were saved before `detach()` cut the result off; detaching only at the end saves
# nothing. And at `frozen`: the input does not ask for a gradient and neither do the frozen
# weights, so nothing is recorded.
#
# Finally, inference tensors. <q id="l2.inference_tensors">An inference tensor can enter a recorded
# computation; what PyTorch refuses is to save it for the backward pass (in an operation that
# would need it to compute a gradient) and to change it in place outside
# `torch.inference_mode()`.</q> Below, the sum `hidden + net[0].bias` is recorded as usual,
# because the derivative of a sum does not depend on its terms; the linear layer `net[2]`, which
# keeps its input for the weight's gradient, refuses `hidden`, but takes an ordinary copy,
# `hidden.clone()`.

# %%
with torch.inference_mode():
    hidden = torch.tanh(net[0](batch))
lines = [f"hidden.is_inference(): {hidden.is_inference()}",
         f"(hidden + net[0].bias).grad_fn: {type((hidden + net[0].bias).grad_fn).__name__}"]
try:
    net[2](hidden)
except RuntimeError as error:
    lines.append(error_text(error))
try:
    hidden.mul_(2)
except RuntimeError as error:
    lines.append(error_text(error))
lines.append(f"net[2](hidden.clone()).grad_fn: {type(net[2](hidden.clone()).grad_fn).__name__}")
show(*lines)

# %% [markdown] lang="pt"
# E `model.eval()`? Ele não desliga o registro. O que ele muda é o comportamento das camadas
# que agem de forma diferente no treino e na avaliação: o *dropout* deixa de zerar elementos e a
# normalização em lote (*batch normalization*) passa a usar as médias móveis. Para avaliar
# um modelo, use os dois: `model.eval()` e `torch.no_grad()` (ou `torch.inference_mode()`).

# %% [markdown] lang="en"
# What about `model.eval()`? It does not switch recording off. What it changes is how layers
# that act differently in training and evaluation behave: dropout stops zeroing elements and
# batch normalization uses its running averages. To evaluate a model, use both: `model.eval()`
# and `torch.no_grad()` (or `torch.inference_mode()`).

# %%
torch.manual_seed(0)
model = torch.nn.Sequential(torch.nn.Linear(4, 4), torch.nn.Dropout(0.5))
ones = torch.ones(3, 4)
trained = model(ones)
model.eval()
out = model(ones)
show(f"model.train(): {trained[0]}", f"model.eval():  {out[0]}", f"out.grad_fn: {type(out.grad_fn).__name__}")

# %%
verify_cell(5, lesson=2)

# %% [markdown] lang="pt"
# ## 6. Operações in-place e visões
#
# Uma operação in-place (`add_`, `mul_`, `x[0] = …`, `+=`) escreve na memória do próprio
# tensor. Se a retropropagação salvou esse tensor, o valor que ela vai usar deixou de existir.
# Para perceber isso, cada tensor tem um **contador de versão**.
# <q id="l2.version_counter">Cada operação in-place soma um ao contador de versão do tensor, `_version`.</q>
#
# Cada tensor salvo guarda a versão que tinha quando foi salvo, e a retropropagação compara as
# duas. <q id="l2.inplace_breaks_backward">Se uma operação in-place altera um tensor que o grafo salvou,
# a retropropagação se recusa a rodar e diz qual versão esperava.</q>

# %% [markdown] lang="en"
# ## 6. In-place operations and views
#
# An in-place operation (`add_`, `mul_`, `x[0] = …`, `+=`) writes into the tensor's own memory.
# If the backward pass saved that tensor, the value it will use is gone. To notice this, every
# tensor has a **version counter**. <q id="l2.version_counter">Every in-place operation adds one to the
# tensor's version counter, `_version`.</q>
#
# Every saved tensor remembers the version it had when it was saved, and the backward pass
# compares the two. <q id="l2.inplace_breaks_backward">If an in-place operation changes a tensor that the
# graph saved, the backward pass refuses to run and names the version it expected.</q>

# %%
t = torch.arange(4.0)
versions = [t._version]
t.add_(1)
t.mul_(2)
versions.append(t._version)

x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x.exp()
show(f"versions: {versions}", f"y._version: {y._version}")
draw(y)

# %% [markdown] lang="pt"
# Na figura, o valor salvo de `ExpBackward0` (`result`) é o próprio `y`, na versão 0. Agora
# mudamos `y` in-place e tentamos a retropropagação:

# %% [markdown] lang="en"
# In the picture, `ExpBackward0`'s saved value (`result`) is `y` itself, at version 0. Now we
# change `y` in place and try the backward pass:

# %%
y.add_(1)
try:
    y.sum().backward()
except RuntimeError as error:
    refused = error_text(error)
show(f"y._version: {y._version}", refused)

# %% [markdown] lang="pt"
# Desenhado agora, o grafo de `y` começa em `AddBackward0`, a operação in-place, e o valor que
# `ExpBackward0` salvou aparece como "alterado in-place": é ele que a retropropagação não pode
# mais usar.

# %% [markdown] lang="en"
# Drawn now, the graph of `y` starts at `AddBackward0`, the in-place operation, and the value
# `ExpBackward0` saved is shown as "changed in place": that is the one the backward pass can no
# longer use.

# %%
draw(y)

# %% [markdown] lang="pt"
# Uma **visão** (`h[1:3]`, `h.view(…)`, `h.T`, `h.reshape(…)` quando possível) é outro jeito de
# olhar a mesma memória. <q id="l2.view_shares_base">Uma visão não tem memória própria: o seu `_base` é o
# tensor dono da memória, mesmo numa visão de outra visão, e escrever pela visão altera esse
# tensor.</q> Abaixo, `v[:1]` é uma visão de `v`, mas o seu `_base` é `h`, e não `v`.
#
# O autograd acompanha isso: depois de escrever pela visão, o `grad_fn` da base vira
# `CopySlices`, que sabe levar o gradiente pela parte alterada. Visão e base compartilham
# também o contador de versão.

# %% [markdown] lang="en"
# A **view** (`h[1:3]`, `h.view(…)`, `h.T`, `h.reshape(…)` when it can) is another way of
# looking at the same memory. <q id="l2.view_shares_base">A view has no memory of its own: its `_base` is
# the tensor that owns the memory, even for a view of another view, and writing through the view
# changes that tensor.</q> Below, `v[:1]` is a view of `v`, but its `_base` is `h`, not `v`.
#
# Autograd keeps track of this: after writing through the view, the base tensor's `grad_fn`
# becomes `CopySlices`, which knows how to carry the gradient through the changed part. A view
# and its base also share the version counter.

# %%
x = torch.arange(4.0, requires_grad=True)
h = x * 2
v = h[1:3]
# [pt] A mesma memória: a visão e a base ficam no mesmo bloco de memória (storage)
# [en] The same memory: the view and its base start at the same block of memory (storage)
same_storage = v.untyped_storage().data_ptr() == h.untyped_storage().data_ptr()
v.mul_(10)
h.sum().backward()
show(f"v._base is h: {v._base is h}", f"v[:1]._base is h: {v[:1]._base is h}  v[:1]._base is v: {v[:1]._base is v}",
     f"same_storage: {same_storage}", f"h: {h}",
     f"h._version: {h._version}  v._version: {v._version}", f"x.grad: {x.grad}")

# %%
verify_cell(6, lesson=2)

# %% [markdown] lang="pt"
# ## 7. Ganchos
#
# Um gancho (*hook*) é uma função sua que o PyTorch chama num momento determinado do cálculo.
# Esta seção mostra três tipos: os ganchos no tensor e no nó rodam durante a retropropagação; os
# ganchos nos tensores salvos rodam uma vez no cálculo de ida e outra na retropropagação.
#
# **No tensor**, `t.register_hook(f)`. <q id="l2.tensor_hook_replaces">Um gancho num tensor recebe o
# gradiente que chega a esse tensor, e o que o gancho devolver toma o lugar desse
# gradiente.</q> Se `f` devolver `None`, o gradiente segue como estava: é o jeito de só olhar.
# Abaixo, o gancho mostra o gradiente e devolve o dobro, então `x.grad` sai $2 \cdot 2\mathbf{x}$.

# %% [markdown] lang="en"
# ## 7. Hooks
#
# A hook is a function of yours that PyTorch calls at a given moment of the computation. This
# section shows three kinds: hooks on a tensor and on a node run during the backward pass; hooks
# on saved tensors run once in the forward pass and once in the backward pass.
#
# **On a tensor**, `t.register_hook(f)`. <q id="l2.tensor_hook_replaces">A hook on a tensor receives the
# gradient that reaches that tensor, and whatever the hook returns takes that gradient's
# place.</q> If `f` returns `None`, the gradient goes on unchanged: that is how you just look.
# Below, the hook prints the gradient and returns twice it, so `x.grad` comes out as
# $2 \cdot 2\mathbf{x}$.

# %%
x = torch.arange(4.0, requires_grad=True)
y = x * x


seen = []


def double(grad):
    seen.append(grad)
    return 2 * grad


handle = y.register_hook(double)
y.sum().backward()
handle.remove()
show(f"seen[0] (∂z/∂y): {seen[0]}", f"x.grad: {x.grad}")

# %% [markdown] lang="pt"
# **No nó**, `y.grad_fn.register_prehook(f)` e `y.grad_fn.register_hook(f)`: o pré-gancho
# roda antes do nó, e o gancho depois. Os nomes dos argumentos seguem o cálculo de ida:
# `grad_outputs` são os gradientes em relação às saídas do nó, os que chegam a ele na
# retropropagação; `grad_inputs` são os gradientes em relação às entradas do nó, os que ele
# envia adiante. <q id="l2.node_hooks_see_gradients">O pré-gancho de um nó recebe `grad_outputs`, o
# gradiente que chega ao nó, e o gancho do nó recebe também `grad_inputs`, um gradiente para
# cada entrada do nó.</q>
#
# Para $y = e^x$ e $z = \sum_i w_i y_i$, o que chega a `ExpBackward0` é $\mathbf{w}$, e ele envia
# $\mathbf{w} \odot e^{\mathbf{x}}$.

# %% [markdown] lang="en"
# **On a node**, `y.grad_fn.register_prehook(f)` and `y.grad_fn.register_hook(f)`: the pre-hook
# runs before the node, the hook after it. The arguments are named after the forward
# pass: `grad_outputs` are the gradients with respect to the node's outputs, those that
# arrive at it in the backward pass; `grad_inputs` are the gradients with respect to the node's
# inputs, those it sends on. <q id="l2.node_hooks_see_gradients">A node's pre-hook receives
# `grad_outputs`, the gradient arriving at the node, and the node's hook also receives
# `grad_inputs`, one gradient for each input of the node.</q>
#
# For $y = e^x$ and $z = \sum_i w_i y_i$, $\mathbf{w}$ arrives at `ExpBackward0`, and it sends on
# $\mathbf{w} \odot e^{\mathbf{x}}$.

# %%
x = torch.tensor([0.0, 1.0, -1.0], requires_grad=True)
w = torch.tensor([1.0, 2.0, 3.0])
y = x.exp()
lines = []
y.grad_fn.register_prehook(lambda grad_outputs: lines.append(f"prehook, grad_outputs[0]: {grad_outputs[0]}"))
y.grad_fn.register_hook(lambda grad_inputs, grad_outputs: lines.append(f"hook, grad_inputs[0]:     {grad_inputs[0]}"))
(w * y).sum().backward()
show(*lines, f"w·exp(x):                 {w * x.detach().exp()}")

# %% [markdown] lang="pt"
# **Nos tensores salvos**, `torch.autograd.graph.saved_tensors_hooks(pack, unpack)`.
# <q id="l2.pack_in_forward">`pack` roda no cálculo de ida, e o que ela devolve é o que fica guardado;
# `unpack` roda na retropropagação, recebe o que `pack` devolveu e devolve o tensor.</q> Com eles,
# dá para ver o que o grafo guarda, ou mover os tensores salvos para outro lugar (disco, CPU) e
# trazê-los de volta.
# <q id="l2.pack_hook_counts_saved">O gancho de empacotamento de `saved_tensors_hooks` roda uma vez para
# cada tensor que o grafo salva para a retropropagação.</q>
#
# Em $y = e^{\mathbf{x}} \cdot \mathbf{x}$, `ExpBackward0` salva o seu resultado e `MulBackward0`
# salva os seus dois fatores: três tensores.

# %% [markdown] lang="en"
# **On saved tensors**, `torch.autograd.graph.saved_tensors_hooks(pack, unpack)`.
# <q id="l2.pack_in_forward">`pack` runs in the forward pass, and what it returns is what gets
# kept; `unpack` runs in the backward pass, receives what `pack` returned and gives the tensor
# back.</q> With them you can see what the graph keeps, or move saved tensors somewhere else
# (disk, CPU) and bring them back.
# <q id="l2.pack_hook_counts_saved">The pack hook of `saved_tensors_hooks` runs once for every tensor the
# graph saves for the backward pass.</q>
#
# In $y = e^{\mathbf{x}} \cdot \mathbf{x}$, `ExpBackward0` saves its result and `MulBackward0`
# saves its two factors: three tensors.

# %%
x = torch.arange(4.0, requires_grad=True)
events = []


def pack(tensor):
    events.append(f"pack:   {tensor}")
    return tensor


def unpack(tensor):
    events.append(f"unpack: {tensor}")
    return tensor


with torch.autograd.graph.saved_tensors_hooks(pack, unpack):
    y = x.exp() * x
events.append("y.sum().backward()")
y.sum().backward()
show(*events)

# %% [markdown] lang="pt"
# Há ainda outros ganchos, que esta lição não usa. <q id="l2.other_hooks">Numa folha,
# `t.register_post_accumulate_grad_hook(f)` roda depois que o gradiente foi somado em `t.grad`;
# num módulo, `register_full_backward_pre_hook` recebe o gradiente em relação à saída do
# módulo, e `register_full_backward_hook` recebe também o gradiente em relação à entrada.</q>

# %% [markdown] lang="en"
# There are other hooks still, which this lesson does not use. <q id="l2.other_hooks">On a leaf,
# `t.register_post_accumulate_grad_hook(f)` runs after the gradient has been added into
# `t.grad`; on a module, `register_full_backward_pre_hook` receives the gradient with respect to
# the module's output, and `register_full_backward_hook` also receives the gradient with respect
# to its input.</q>

# %%
verify_cell(7, lesson=2)

# %% [markdown] lang="pt"
# ## 8. A sua própria operação: uma Function personalizada
#
# Quando uma operação não existe no PyTorch, ou quando você conhece uma derivada mais estável
# ou mais barata, escreva uma `torch.autograd.Function` personalizada: `forward` calcula o
# valor e guarda, com `ctx.save_for_backward`, aquilo de que a derivada vai precisar;
# `backward` recebe o gradiente que chega e devolve o gradiente em relação a cada entrada.
#
# Aqui, $\operatorname{softplus}(x) = \log(1 + e^x)$, escrita de forma estável como
# $\max(x, 0) + \log(1 + e^{-|x|})$. A sua derivada é a sigmoide,
# $\sigma(x) = 1/(1 + e^{-x})$. <q id="l2.custom_function_gradcheck">O nosso `backward`, o gradiente que
# chega vezes sigmoid(x), passa no `gradcheck` em float64.</q> `torch.autograd.gradcheck`
# compara o nosso `backward` com diferenças finitas do `forward`; por isso pede float64, em que
# as diferenças finitas são precisas.
#
# <q id="l2.custom_function_saves_one">O grafo guarda exatamente o que `save_for_backward` recebeu: aqui,
# um tensor, a entrada `x`.</q>

# %% [markdown] lang="en"
# ## 8. Your own operation: a custom Function
#
# When an operation does not exist in PyTorch, or when you know a more stable or cheaper
# derivative, write a custom `torch.autograd.Function`: `forward` computes the value and keeps,
# with `ctx.save_for_backward`, what the derivative will need; `backward` receives the incoming
# gradient and returns the gradient with respect to each input.
#
# Here, $\operatorname{softplus}(x) = \log(1 + e^x)$, written stably as
# $\max(x, 0) + \log(1 + e^{-|x|})$. Its derivative is the sigmoid, $\sigma(x) = 1/(1 + e^{-x})$.
# <q id="l2.custom_function_gradcheck">Our `backward`, the incoming gradient times sigmoid(x), passes
# `gradcheck` in float64.</q> `torch.autograd.gradcheck` compares our `backward` with finite
# differences of `forward`; that is why it asks for float64, where finite differences are
# accurate.
#
# <q id="l2.custom_function_saves_one">The graph keeps exactly what `save_for_backward` received: here
# one tensor, the input `x`.</q>

# %% shares="Softplus"
class Softplus(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x.clamp(min=0) + torch.log1p(torch.exp(-x.abs()))

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * torch.sigmoid(x)


x = torch.tensor([-2.0, 0.0, 3.0], requires_grad=True)
y = Softplus.apply(x)
y.sum().backward()
x64 = torch.tensor([-2.0, 0.0, 3.0], dtype=torch.float64, requires_grad=True)
passed = torch.autograd.gradcheck(Softplus.apply, (x64,))
show(f"softplus: {y}", f"x.grad:   {x.grad}  sigmoid(x): {torch.sigmoid(x.detach())}", f"gradcheck: {passed}")

# %% [markdown] lang="pt"
# No grafo, a nossa operação vira um nó como os outros, `SoftplusBackward`. A etiqueta
# `saved_tensors` mostra o que `ctx.save_for_backward` guardou; ela aparece como liberada porque
# a retropropagação acima já rodou. Desenhado antes dela, o nó mostraria os valores de `x`.

# %% [markdown] lang="en"
# In the graph, our operation becomes a node like any other, `SoftplusBackward`. The badge
# `saved_tensors` is what `ctx.save_for_backward` kept; it shows as freed because the backward
# pass above has already run. Drawn before it, the node would show the values of `x`.

# %%
draw(y)

# %%
verify_cell(8, lesson=2)

# %% [markdown] lang="pt"
# ## 9. Modo direto e modo reverso
#
# Para $f: \mathbb{R}^n \to \mathbb{R}^m$, a jacobiana $J$ é $m \times n$. A retropropagação é
# o **modo reverso**: parte de um vetor $\mathbf{u}$ na saída e volta até a entrada. O **modo
# direto** faz o contrário: leva uma direção $\mathbf{v}$ da entrada para a saída junto com o
# cálculo. <q id="l2.jvp_vjp_products">`jvp` dá a jacobiana vezes um vetor, J v, e `vjp` dá um vetor vezes
# a jacobiana, uᵀ J, e nenhum dos dois monta J.</q>
#
# `torch.func` oferece os dois e ainda `hessian`, `jacfwd` e `jacrev`; as duas últimas montam $J$
# inteira. <q id="l2.jacobian_batched">`jacfwd` e `jacrev` não montam J uma coluna ou uma linha por vez:
# com `vmap`, calculam juntos todos os produtos J v, ou todos os uᵀ J, e chamam f uma só
# vez.</q>

# %% [markdown] lang="en"
# ## 9. Forward mode and reverse mode
#
# For $f: \mathbb{R}^n \to \mathbb{R}^m$, the Jacobian $J$ is $m \times n$. The backward pass is
# **reverse mode**: it starts from a vector $\mathbf{u}$ at the output and goes back to the
# input. **Forward mode** does the opposite: it carries a direction $\mathbf{v}$ from input to
# output along with the computation. <q id="l2.jvp_vjp_products">`jvp` gives the Jacobian times a vector,
# J v, and `vjp` gives a vector times the Jacobian, uᵀ J, and neither builds J.</q>
#
# `torch.func` offers both, as well as `hessian`, `jacfwd` and `jacrev`; the last two build the
# whole of $J$. <q id="l2.jacobian_batched">`jacfwd` and `jacrev` do not build J one column or one row
# at a time: with `vmap`, they compute all the products J v, or all the uᵀ J, together, and call
# f only once.</q>

# %%
torch.manual_seed(0)
A = torch.randn(3, 4)


def f(x):
    return A @ torch.tanh(x)


x = torch.tensor([0.5, -1.0, 2.0, 0.0])
v = torch.ones(4)
u = torch.tensor([1.0, -2.0, 0.5])
_, jv = torch.func.jvp(f, (x,), (v,))
_, pullback = torch.func.vjp(f, x)
(uj,) = pullback(u)
J = torch.func.jacrev(f)(x)
same = torch.equal(torch.func.jacfwd(f)(x), J)
# [pt] A hessiana inteira de f(x) = (xᵀx)²/4 da seção 4, e a fórmula (xᵀx) I + 2 x xᵀ
# [en] The whole Hessian of f(x) = (xᵀx)²/4 from section 4, and the formula (xᵀx) I + 2 x xᵀ
p = torch.tensor([1.0, -1.0, 2.0])
H = torch.func.hessian(lambda t: (t @ t) ** 2 / 4)(p)
show(f"jvp:  {jv}", f"J v:  {J @ v}", f"vjp:  {uj}", f"uᵀ J: {u @ J}", f"jacfwd == jacrev: {same}",
     H, (p @ p) * torch.eye(3) + 2 * torch.outer(p, p))

# %% [markdown] lang="pt"
# Por dentro, o modo direto usa **números duais**, $a + b\,\varepsilon$ com $\varepsilon^2 = 0$,
# e cada operação atualiza as duas partes com a regra da cadeia. <q id="l2.dual_number_tangent">Um número
# dual leva uma tangente junto com o seu valor, e depois da função a tangente é a derivada vezes
# a tangente que pusemos na entrada.</q> Para $x e^x$, a derivada é $(1 + x)e^x$.

# %% [markdown] lang="en"
# Inside, forward mode uses **dual numbers**, $a + b\,\varepsilon$ with $\varepsilon^2 = 0$, and
# every operation updates both parts with the chain rule. <q id="l2.dual_number_tangent">A dual number
# carries a tangent along with its value, and after the function the tangent is the derivative
# times the tangent we put in.</q> For $x e^x$, the derivative is $(1 + x)e^x$.

# %%
x = torch.tensor([-1.0, 0.0, 1.0])
with fwAD.dual_level():
    dual = fwAD.make_dual(x, torch.ones(3))
    out = dual * dual.exp()
    value, tangent = fwAD.unpack_dual(out)
    lines = [f"primal:     {value}", f"tangent:    {tangent}"]
lines.append(f"(1 + x)·eˣ: {(1 + x) * x.exp()}")
show(*lines)

# %% [markdown] lang="pt"
# Quem vence? Montar $J$ no modo direto custa um produto $J\mathbf{v}$ por entrada ($n$, uma
# coluna cada); no modo reverso, um produto $\mathbf{u}^\top J$ por saída ($m$, uma linha
# cada). `jacfwd` e `jacrev` fazem esses produtos juntos, mas o trabalho continua crescendo com
# $n$ ou com $m$. <q id="l2.forward_wins_tall">Para uma jacobiana alta, com muitas saídas e poucas
# entradas, o modo direto vence; para uma larga, com poucas saídas e muitas entradas, vence o
# modo reverso.</q>
#
# Para contar os produtos, as nossas funções `by_columns` e `by_rows`, abaixo, fazem um por
# vez: uma passagem com números duais por coluna, uma retropropagação por linha. As duas montam
# a jacobiana de $\tanh(A\mathbf{x})$ com $A$ de $400 \times 4$ (alta) e de $4 \times 400$
# (larga), contando passagens e medindo o tempo (medianas de 5 execuções). Uma perda escalar de
# uma rede com milhões de parâmetros é o caso mais largo que existe: é por isso que o treino usa
# a retropropagação.

# %% [markdown] lang="en"
# Which one wins? Building $J$ in forward mode costs one product $J\mathbf{v}$ per input ($n$,
# one column each); in reverse mode, one product $\mathbf{u}^\top J$ per output ($m$, one row
# each). `jacfwd` and `jacrev` compute those products together, but the work still grows with
# $n$ or with $m$. <q id="l2.forward_wins_tall">For a tall Jacobian, with many outputs and few inputs,
# forward mode wins; for a wide one, with few outputs and many inputs, reverse mode wins.</q>
#
# To count the products, our functions `by_columns` and `by_rows`, below, compute them one at a
# time: one pass with dual numbers per column, one backward pass per row. Both build the
# Jacobian of $\tanh(A\mathbf{x})$ with $A$ of $400 \times 4$ (tall) and of $4 \times 400$
# (wide), counting passes and measuring time (medians of 5 runs). A scalar loss of a network
# with millions of parameters is as wide as it gets: that is why training uses the backward
# pass.

# %% shares=["by_columns", "by_rows"]
def by_columns(f, x):
    columns = []
    with fwAD.dual_level():
        for i in range(x.numel()):
            direction = torch.zeros_like(x)
            direction[i] = 1.0
            columns.append(fwAD.unpack_dual(f(fwAD.make_dual(x, direction))).tangent)
    return torch.stack(columns, dim=1), len(columns)


def by_rows(f, x):
    x = x.clone().requires_grad_(True)
    y = f(x)
    rows = [torch.autograd.grad(y[i], x, retain_graph=True)[0] for i in range(y.numel())]
    return torch.stack(rows), len(rows)


rows = []
for outputs, inputs in ((400, 4), (4, 400)):
    M = torch.randn(outputs, inputs) / inputs ** 0.5
    x = torch.randn(inputs)
    g = lambda t: torch.tanh(M @ t)
    (J_forward, forward_passes), (J_reverse, reverse_passes) = by_columns(g, x), by_rows(g, x)
    rows.append(f"{outputs}×{inputs}: by_columns {forward_passes} × jvp {duration_text(median_time(lambda: by_columns(g, x), 5))}, "
                f"by_rows {reverse_passes} × backward {duration_text(median_time(lambda: by_rows(g, x), 5))}, "
                f"equal: {torch.equal(J_forward, J_reverse)}")
show(*rows)

# %%
verify_cell(9, lesson=2)

# %% [markdown] lang="pt"
# ## 10. Fechando o ciclo: descida do gradiente
#
# Juntando tudo: uma regressão linear pequena, $\hat{y} = X\mathbf{w} + b$, com perda
# $\ell = \frac{1}{n}\sum_i (\hat{y}_i - y_i)^2$, treinada por alguns passos de descida do
# gradiente. A cada passo: o cálculo de ida monta um grafo novo, `backward()` o percorre e o
# libera, a atualização roda dentro de `torch.no_grad()` para não entrar em grafo nenhum, e
# `.grad` volta a `None` para que o passo seguinte não acumule em cima dele.
# <q id="l2.loss_goes_down">Com esta taxa de aprendizado, a perda cai a cada passo.</q>

# %% [markdown] lang="en"
# ## 10. Closing the loop: gradient descent
#
# Everything together: a small linear regression, $\hat{y} = X\mathbf{w} + b$, with loss
# $\ell = \frac{1}{n}\sum_i (\hat{y}_i - y_i)^2$, trained for a few steps of gradient descent.
# At every step: the forward pass builds a new graph, `backward()` walks it and frees it,
# the update runs inside `torch.no_grad()` so that it enters no graph, and `.grad` goes back to
# `None` so that the next step does not accumulate on top.
# <q id="l2.loss_goes_down">With this learning rate the loss goes down at every step.</q>

# %%
generator = torch.Generator().manual_seed(0)
X = torch.randn(32, 2, generator=generator)
target = X @ torch.tensor([2.0, -3.0]) + 1.0 + 0.1 * torch.randn(32, generator=generator)
w = torch.zeros(2, requires_grad=True)
b = torch.zeros((), requires_grad=True)
lr = 0.1
losses, graphs = [], []
for step in range(20):
    loss = ((X @ w + b - target) ** 2).mean()
    if step == 0:
        first_loss = loss
    graphs.append(loss.grad_fn)
    losses.append(loss.item())
    loss.backward()
    with torch.no_grad():
        w -= lr * w.grad
        b -= lr * b.grad
    w.grad = None
    b.grad = None
# [pt] Quantos grad_fn diferentes a perda teve nos 20 passos
# [en] How many different grad_fn objects the loss had over the 20 steps
show(f"w: {w.detach()}  b: {b.detach()}", f"losses[0], losses[-1]: {losses[0]:.4f} {losses[-1]:.4f}",
     f"len({{id(node) for node in graphs}}): {len({id(node) for node in graphs})}")

# %% [markdown] lang="pt"
# O grafo do passo 1. Os de todos os outros passos têm a mesma forma, mas são objetos novos,
# montados pelo cálculo de ida daquele passo. Como a retropropagação já passou por este grafo,
# os seus tensores salvos aparecem como liberados, e as folhas `w` e `b` mostram os valores de
# agora, depois dos 20 passos.

# %% [markdown] lang="en"
# The graph of step 1. Those of every other step have the same shape, but they are new objects,
# built by that step's forward pass. Since the backward pass has been through this graph,
# its saved tensors show as freed, and the leaves `w` and `b` show their values now, after the
# 20 steps.

# %%
draw(first_loss)

# %%
# [pt] Os textos do gráfico vêm no idioma desta edição
# [en] The plot's texts come in this edition's language
fig, ax = plt.subplots(figsize=(5.5, 3.2), layout="constrained")
ax.plot(range(1, len(losses) + 1), losses, marker="o")
ax.set_yscale("log")
ax.set_xticks([1, 5, 10, 15, 20])
ax.set_xlabel(message("lesson2.plot.step"))
ax.set_ylabel(message("lesson2.plot.loss"))
ax.set_title(message("lesson2.plot.title", lr=lr))
ax.grid(True, alpha=0.3)

# %%
verify_cell(10, lesson=2)

# %% [markdown] lang="pt"
# ## Resumo
#
# - Uma **folha** é um tensor sem `grad_fn`, como todo tensor que não pede gradiente. Só as
#   folhas que pedem gradiente recebem `.grad`; para um tensor intermediário, use
#   `retain_grad()`. Só tensores de ponto flutuante podem pedir gradiente.
# - `backward()` **acumula**: útil para somar perdas; num laço, limpe com
#   `optimizer.zero_grad()` ou `p.grad = None`.
# - A retropropagação libera os **tensores salvos**; `retain_graph=True` os mantém para uma
#   segunda retropropagação, a um custo de memória.
# - `create_graph=True` registra a retropropagação: derivadas segundas e produtos
#   hessiana-vetor.
# - `torch.no_grad()` e `torch.inference_mode()` não registram nada (um tensor de inferência
#   pode entrar num cálculo registrado, mas não ser salvo para a retropropagação); `detach()`
#   separa um tensor do grafo; `requires_grad_(False)` congela uma folha; `model.eval()` só
#   muda o dropout e a normalização em lote.
# - Operações in-place incrementam o **contador de versão**, e a retropropagação recusa um tensor
#   salvo que mudou; uma **visão** compartilha a memória da sua base, o tensor dono da memória.
# - **Ganchos** olham e trocam gradientes na retropropagação (no tensor, no nó) e veem o que o
#   grafo guarda (nos tensores salvos: `pack` no cálculo de ida, `unpack` na retropropagação).
# - Uma **Function personalizada** define `forward` e `backward`, e `gradcheck` em float64 a
#   confere.
# - O **modo direto** dá $J\mathbf{v}$, o **modo reverso** dá $\mathbf{u}^\top J$, sem montar
#   $J$; para montá-la, o primeiro vence com jacobianas altas, o segundo com largas, como a de
#   uma perda escalar.
# - Cada passo de treino monta um grafo novo e o libera na retropropagação.

# %% [markdown] lang="en"
# ## Summary
#
# - A **leaf** is a tensor without a `grad_fn`, like every tensor that asks for no gradient.
#   Only leaves that ask for a gradient get a `.grad`; for an intermediate tensor, use
#   `retain_grad()`. Only floating-point tensors can ask for a gradient.
# - `backward()` **accumulates**: useful for adding losses; in a loop, clear it with
#   `optimizer.zero_grad()` or `p.grad = None`.
# - The backward pass frees the **saved tensors**; `retain_graph=True` keeps them for a second
#   backward pass, at a memory cost.
# - `create_graph=True` records the backward pass: second derivatives and Hessian-vector
#   products.
# - `torch.no_grad()` and `torch.inference_mode()` record nothing (an inference tensor can
#   enter a recorded computation, but not be saved for the backward pass); `detach()` detaches
#   one tensor from the graph; `requires_grad_(False)` freezes a leaf; `model.eval()` only
#   changes dropout and batch normalization.
# - In-place operations bump the **version counter**, and the backward pass refuses a saved
#   tensor that changed; a **view** shares its base's memory, the tensor that owns the memory.
# - **Hooks** look at and replace gradients in the backward pass (on a tensor, on a node) and see
#   what the graph keeps (on saved tensors: `pack` in the forward pass, `unpack` in the
#   backward pass).
# - A **custom Function** defines `forward` and `backward`; `gradcheck` in float64 checks it.
# - **Forward mode** gives $J\mathbf{v}$, **reverse mode** gives $\mathbf{u}^\top J$, without
#   building $J$; to build it, the first wins with tall Jacobians, the second with wide ones,
#   such as a scalar loss's.
# - Every training step builds a new graph and frees it in the backward pass.
