# %% [markdown] lang="pt"
# # Lição 1 — Diferenciação automática com PyTorch
#
# Redes neurais aprendem ajustando seus parâmetros na direção indicada pelo **gradiente** de uma
# perda. Calcular esses gradientes à mão é trabalhoso e fácil de errar. O PyTorch faz isso
# sozinho com o *autograd*: enquanto o seu código roda, o PyTorch registra as operações num
# **grafo computacional**; depois, na **retropropagação**, percorre esse grafo da saída até as
# entradas aplicando a **regra da cadeia**.
#
# Esta lição acompanha a seção "Automatic Differentiation" do livro *Dive into Deep Learning*
# (versão PyTorch), a partir da execução dessa seção feita e anotada por um aluno. Cada célula
# daquela execução está aqui, em ordem, com o mesmo código e a mesma saída.
#
# **Como ler esta lição.**
#
# - Cada célula copiada da execução original começa com um comentário como
#   `# In [12] da execução original`. O Jupyter numera as células na ordem em que são
#   executadas, e a transcrição guardou 11 delas: In [1] a In [6], In [11], In [12], In [16],
#   In [17] e In [20]. Os saltos (6 → 11 → 12 → 16 …) são células que o aluno executou entre
#   essas e que a transcrição não traz. O número que o Jupyter mostra ao lado da célula quando
#   você a executa aqui é a contagem deste caderno, não a da execução original.
# - As anotações da execução aparecem como comentários no código ou em quadros marcados
#   **Anotação**. As que o aluno escreveu em português estão com as palavras dele; onde
#   corrigimos a grafia ou trocamos um termo pelo do [glossário](../glossary.md), a palavra
#   original aparece ao lado, entre colchetes: *escalar [no original: esvalar]*. As anotações
#   escritas em inglês aparecem traduzidas, e o quadro ou a primeira linha da célula diz isso.
#   Observações nossas sobre uma anotação vêm marcadas como *Nota da edição*.
# - Depois de cada célula original, `verify_cell(n)` confere as afirmações da célula `In [n]`,
#   cada uma numa linha: ✔ **vale**, ≈ **vale a menos de arredondamento** ou ✘ **não vale**, e,
#   para as perguntas da própria lição, a **resposta**. Clique na linha para ver o que foi
#   conferido e o que foi encontrado; o funcionamento da conferência está explicado no guia do
#   professor, § 6.
#
# Execute as células em ordem (Shift+Enter). Roteiro:
#
# 1. Uma função simples
# 2. Retropropagação para saídas não escalares
# 3. Separar do grafo (`detach`)
# 4. Gradientes e fluxo de controle do Python
# 5. Para que serve o gradiente: um passo de descida

# %% [markdown] lang="en"
# # Lesson 1 — Automatic differentiation with PyTorch
#
# Neural networks learn by nudging their parameters in the direction given by the **gradient**
# of a loss. Working those gradients out by hand is tedious and easy to get wrong. PyTorch does
# it for you with *autograd*: while your code computes, it records the operations in a
# **computational graph**; then, in the **backward pass** (backpropagation), it walks that
# graph from the output back to the inputs, applying the **chain rule**.
#
# This lesson follows the "Automatic Differentiation" section of the book *Dive into Deep
# Learning* (PyTorch edition), through a learner's annotated run of that section. Every cell of
# that run is here, in order, with the same code and the same output.
#
# **How to read this lesson.**
#
# - Every cell copied from the original run starts with a comment such as
#   `# In [12] of the original run`. Jupyter numbers cells in the order they are run, and the
#   transcript kept 11 of them: In [1] to In [6], In [11], In [12], In [16], In [17] and In [20].
#   The jumps (6 → 11 → 12 → 16 …) are cells the learner ran in between, which the transcript
#   does not include. The number Jupyter shows beside a cell when you run it here is this
#   notebook's own count, not the original run's.
# - The run's annotations appear as code comments or in boxes marked **Annotation**. Most were
#   written in Portuguese; here they are translated into English, and the box or the first
#   line of the cell says so. Those written in English are shown as written. Remarks of ours
#   about an annotation are marked *Editor's note*.
# - After each original cell, `verify_cell(n)` checks the claims of cell `In [n]`, one line
#   each: ✔ **holds**, ≈ **holds up to rounding** or ✘ **does not hold**, and, for the lesson's
#   own questions, the **answer**. Click a line to see what was checked and what was found; how
#   the checking works is in the teacher's guide, § 6.
#
# Run the cells in order (Shift+Enter). Outline:
#
# 1. A simple function
# 2. Backward for non-scalar outputs
# 3. Detaching from the graph (`detach`)
# 4. Gradients and Python control flow
# 5. What the gradient is for: one step of descent

# %%
# [pt] Funções auxiliares da lição, com mensagens em português (esta célula não faz parte da execução original)
# [en] The lesson's helpers, with messages in English (this cell is not part of the original run)
from autograd_lessons import backward_stepper, backward_steps, describe_figures, draw, set_language, trace, verify_cell
from autograd_lessons.lessons.autograd import (
    control_flow_explorer,
    sample_control_flow,
    shared_storage_demo,
    vjp_explorer,
)

set_language("en")
# [pt] Cada figura ganha uma descrição em texto, para leitores de tela e para o site
# [en] Every figure gets a text description, for screen readers and for the site
describe_figures()

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
# [pt] In [1] da execução original
# [en] In [1] of the original run
import torch

x = torch.arange(4.0)
x

# %% [markdown] lang="pt"
# `x` já é uma **folha** do grafo: um tensor criado por nós, e não por uma operação. O que
# `requires_grad_(True)` muda é outra coisa: a partir daí o autograd registra as operações
# feitas com `x` e, numa retropropagação, guarda o gradiente em `x.grad`. Até a primeira
# retropropagação, `x.grad` vale `None`; por isso a célula abaixo não mostra nada.

# %% [markdown] lang="en"
# `x` is already a **leaf** of the graph: a tensor we created, not one an operation produced.
# What `requires_grad_(True)` changes is something else: from then on autograd records the
# operations done with `x` and, in a backward pass, stores the gradient in `x.grad`. Until the
# first backward pass, `x.grad` is `None`; that is why the cell below shows nothing.

# %%
# [pt] In [2] da execução original (comentários traduzidos do inglês)
# [en] In [2] of the original run
# [pt] <q id="in2.create_with_requires_grad">Também dá para criar x = torch.arange(4.0, requires_grad=True)</q>
# [en] <q id="in2.create_with_requires_grad">Can also create x = torch.arange(4.0, requires_grad=True)</q>
x.requires_grad_(True)
# [pt] <q id="in2.grad_none_before_backward">De início, o gradiente é None por padrão. Ele só será calculado depois de rodar 'y.backward()' abaixo.</q>
# [en] <q id="in2.grad_none_before_backward">Initially, the gradient is None by default. Only after running 'y.backward()' below it will be calculated.</q>
x.grad

# %%
verify_cell(2)

# %% [markdown] lang="pt"
# Agora calculamos $y$. Além do valor $28 = 2\,(0 + 1 + 4 + 9)$, a saída mostra o atributo
# `grad_fn`: o PyTorch guardou qual operação produziu `y`.

# %% [markdown] lang="en"
# Now we compute $y$. Besides the value $28 = 2\,(0 + 1 + 4 + 9)$, the output shows the
# `grad_fn` attribute: PyTorch kept a note of which operation produced `y`.

# %%
# [pt] In [3] da execução original
# [en] In [3] of the original run
y = 2 * torch.dot(x, x)
y

# %%
verify_cell(3)

# %% [markdown] lang="pt"
# ### O grafo computacional de `y`
#
# `trace(y)` lê o grafo que o PyTorch guardou, e `draw(y)` o desenha. A saída fica no alto e o
# gradiente desce dela até as folhas. Em azul, as operações (cada uma com a sua derivada,
# `grad_fn`) e os valores que elas salvaram para a retropropagação; em verde, `AccumulateGrad`,
# que grava o gradiente em `.grad`; em amarelo, a folha `x`; com contorno tracejado, uma
# entrada não rastreada (✂): a constante `2`. Como `x` entra duas vezes em `torch.dot(x, x)`,
# há duas arestas de `DotBackward0` até `x`.

# %% [markdown] lang="en"
# ### The computational graph of `y`
#
# `trace(y)` reads the graph PyTorch kept, and `draw(y)` draws it. The output is at the top and
# the gradient flows down from it to the leaves. In blue, the operations (each with its
# derivative, `grad_fn`) and the values they saved for the backward pass; in green,
# `AccumulateGrad`, which writes the gradient into `.grad`; in yellow, the leaf `x`; with a
# dashed outline, an untracked input (✂): the constant `2`. Since `x` enters `torch.dot(x, x)`
# twice, there are two edges from `DotBackward0` to `x`.

# %%
print(trace(y))
draw(y)


# %% [markdown] lang="pt"
# `y.backward()` faz a retropropagação a partir de `y` e guarda o gradiente em `x.grad`.

# %% [markdown] lang="en"
# `y.backward()` runs the backward pass from `y` and stores the gradient in `x.grad`.

# %%
# [pt] In [4] da execução original (a anotação desta célula está no quadro logo abaixo)
# [en] In [4] of the original run (this cell's annotation is in the box just below)
y.backward()
x.grad

# %% [markdown] lang="pt"
# > **Anotação · In [4]**, nas palavras do aluno, com a grafia corrigida e um termo trocado pelo
# > do glossário (os colchetes mostram o original).
# >
# > O parâmetro `requires_grad=True` serve para dizer ao PyTorch que ele deve acompanhar as
# > operações realizadas no tensor `x`, construindo um grafo computacional que será usado para
# > calcular os gradientes. <q id="in4.backward_fills_tracked">Quando você chama `y.backward()`, o PyTorch percorre esse grafo e
# > calcula as derivadas parciais de `y` em relação a todos os tensores que foram marcados com
# > `requires_grad=True` (no caso, o tensor `x`).</q> Se `x` não tivesse `requires_grad=True`, o
# > PyTorch não rastrearia as operações realizadas com `x` e, consequentemente, não calcularia
# > nem armazenaria o gradiente para `x`.
# >
# > Portanto, ao definir `x=torch.arange(4.0)` com `requires_grad=True`, você está dizendo que
# > deseja que `x` seja um parâmetro "diferenciável", e é por isso que o `y.backward()` utiliza
# > esse tensor para calcular e armazenar o gradiente em `x.grad`.
# >
# > Além disso, o atributo <q id="in4.grad_fn_is_the_multiplication">`grad_fn=<MulBackward0>` indica que o tensor foi criado a partir de
# > uma operação diferenciável (neste caso, uma multiplicação) e que possui uma função associada
# > para calcular o gradiente</q> durante o processo de retropropagação
# > [no original: backpropagation]. Ou seja, `grad_fn`: é um atributo interno que aponta para a
# > "função de retropropagação" (*backward function*) que foi utilizada para gerar aquele tensor. E
# > `<MulBackward0>`: especifica que a operação que produziu o tensor foi uma multiplicação.
# > Essa função será chamada quando você executar `y.backward()`, permitindo que o PyTorch
# > calcule como cada operação (neste caso, a multiplicação) contribui para o gradiente final.
# >
# > Portanto, mesmo que o resultado numérico seja 28, <q id="in4.history_is_a_tree">o PyTorch mantém o histórico das operações
# > (a árvore computacional)</q> e, ao ver `grad_fn=<MulBackward0>`, sabe exatamente qual função
# > usar para propagar o gradiente através dessa multiplicação. <q id="in4.untracked_not_recorded">Caso `requires_grad=True` não
# > tivesse sido utilizado, as operações não seriam rastreadas</q>, <q id="in4.untracked_no_grad">`x.grad` não retornaria
# > resultado</q>, e o atributo `grad_fn=<MulBackward0>` não estaria [no original: estaráia]
# > presente no resultado do cálculo de `y`.
#
# *Nota da edição.* O aluno escreve "árvore computacional", mas o histórico de
# $y = 2\,\mathbf{x}^\top\mathbf{x}$ não é uma árvore: `x` entra duas vezes em
# `torch.dot(x, x)`, então dois caminhos saem de `DotBackward0` e se encontram de novo em `x`
# (veja as duas arestas no desenho acima). Numa árvore, cada nó teria um caminho só até a saída.
# O nome certo é **grafo computacional** (dirigido e acíclico), e é justamente porque os caminhos
# podem se reencontrar que a retropropagação precisa somar os gradientes que chegam a um nó.
#
# *Nota da edição.* "Todos os tensores que foram marcados com `requires_grad=True`" vale para
# `x`, o tensor que a anotação cita, mas não para todo tensor marcado: a retropropagação só
# percorre o grafo de `y`, então uma folha marcada que `y` não usa continua com `.grad` igual a
# `None`; e os tensores intermediários, que também têm `requires_grad=True`, têm a derivada
# calculada no caminho, mas só as folhas guardam a sua em `.grad` (lição 2, § 1).

# %% [markdown] lang="en"
# > **Annotation · In [4]**, translated from Portuguese.
# >
# > The parameter `requires_grad=True` tells PyTorch that it must keep track of the operations
# > performed on the tensor `x`, building a computational graph that will be used to compute
# > the gradients. <q id="in4.backward_fills_tracked">When you call `y.backward()`, PyTorch walks that graph and computes the
# > partial derivatives of `y` with respect to every tensor that was marked with
# > `requires_grad=True` (here, the tensor `x`).</q> If `x` did not have `requires_grad=True`,
# > PyTorch would not track the operations performed with `x` and, consequently, would neither
# > compute nor store the gradient for `x`.
# >
# > So, by defining `x=torch.arange(4.0)` with `requires_grad=True`, you are saying that you
# > want `x` to be a "differentiable" parameter, and that is why `y.backward()` uses this tensor
# > to compute the gradient and store it in `x.grad`.
# >
# > Moreover, the attribute <q id="in4.grad_fn_is_the_multiplication">`grad_fn=<MulBackward0>` indicates that the tensor was created by a
# > differentiable operation (in this case, a multiplication) and that it has an associated
# > function to compute the gradient</q> during backpropagation. That is, `grad_fn` is an internal
# > attribute that points to the "backward function" that was used to produce that tensor. And
# > `<MulBackward0>` specifies that the operation that produced the tensor was a
# > multiplication. This function will be called when you run `y.backward()`, letting PyTorch
# > compute how each operation (in this case, the multiplication) contributes to the final
# > gradient.
# >
# > So, even though the numerical result is 28, <q id="in4.history_is_a_tree">PyTorch keeps the history of the operations
# > (the computational tree)</q> and, on seeing `grad_fn=<MulBackward0>`, knows exactly which
# > function to use to propagate the gradient through this multiplication. <q id="in4.untracked_not_recorded">Had
# > `requires_grad=True` not been used, the operations would not be tracked</q>, <q id="in4.untracked_no_grad">`x.grad` would
# > return no result</q>, and the attribute `grad_fn=<MulBackward0>` would not be present in the
# > result of computing `y`.
#
# *Editor's note.* The annotation says "computational tree", but the history of
# $y = 2\,\mathbf{x}^\top\mathbf{x}$ is not a tree: `x` enters `torch.dot(x, x)` twice, so two
# paths leave `DotBackward0` and meet again at `x` (see the two edges in the picture above). In
# a tree, every node would have a single path to the output. The right name is
# **computational graph** (directed and acyclic), and it is precisely because paths can meet
# again that the backward pass has to add up the gradients arriving at a node.
#
# *Editor's note.* "Every tensor that was marked with `requires_grad=True`" holds for `x`, the
# tensor the annotation names, but not for every marked tensor: the backward pass only walks
# `y`'s graph, so a marked leaf that `y` does not use keeps `.grad` equal to `None`; and the
# intermediate tensors, whose `requires_grad` is `True` as well, get their derivative computed
# on the way, but only leaves keep it in `.grad` (lesson 2, § 1).

# %%
verify_cell(4)

# %% [markdown] lang="pt"
# ### A retropropagação, passo a passo
#
# De onde vem esse `x.grad`? `y.backward()` liberou os valores que o grafo tinha salvado, então
# registramos `y` de novo, do mesmo jeito, e `backward_steps(y)` refaz a retropropagação
# observando os nós um a um, na ordem em que o motor do autograd os executa; no fim, devolve
# `x.grad` ao valor de antes, o do In [4] (`backward_steps(y, accumulate=True)` somaria o
# resultado). Repare no passo 3: o gradiente $2\mathbf{x}$ chega duas vezes a `x`, uma por
# aresta, e as duas contribuições se somam: $2\mathbf{x} + 2\mathbf{x} = 4\mathbf{x}$.

# %% [markdown] lang="en"
# ### The backward pass, step by step
#
# Where does that `x.grad` come from? `y.backward()` freed the values the graph had saved, so we
# record `y` again, the same way, and `backward_steps(y)` runs the backward pass once more,
# watching every node, in the autograd engine's real order; at the end it puts `x.grad` back as
# it was, In [4]'s (`backward_steps(y, accumulate=True)` would add the result). Look at step 3:
# the gradient $2\mathbf{x}$ reaches `x` twice, once per edge, and the two arrivals add up:
# $2\mathbf{x} + 2\mathbf{x} = 4\mathbf{x}$.

# %%
y = 2 * torch.dot(x, x)
steps = backward_steps(y)
print(steps)
draw(steps, step=3)

# %% [markdown] lang="pt"
# Para percorrer os passos você mesmo, use os botões ou o controle deslizante abaixo (eles
# funcionam quando a célula é executada no JupyterLab; fora dele aparece o primeiro passo).

# %% [markdown] lang="en"
# To walk through the steps yourself, use the buttons or the slider below (they work when the
# cell runs in JupyterLab; elsewhere the first step is shown).

# %%
backward_stepper(y)

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
# [pt] In [5] da execução original
# [en] In [5] of the original run (comments translated from Portuguese)
# [pt] lembre que x.grad retorna o gradiente >de y<
# [pt] <q id="in5.dot_is_norm_squared">o produto interno de dois vetores( torch.dot(x, x) ) é igual à norma desse vetor ao quadrado</q>. <q id="in5.grad_norm_squared_is_2x">O gradiente desta norma ao quadrado
# [pt] é igual a duas vezes este vetor</q>. Portanto, [o gradiente de] 2 * torch.dot(x, x) == 4*x
# [en] remember that x.grad returns the gradient >of y<
# [en] <q id="in5.dot_is_norm_squared">the inner product of two vectors (torch.dot(x, x)) equals the squared norm of that vector</q>. <q id="in5.grad_norm_squared_is_2x">The gradient of this squared norm
# [en] equals twice the vector</q>. Therefore, [the gradient of] 2 * torch.dot(x, x) == 4*x
x.grad == 4 * x

# %% [markdown] lang="pt"
# As palavras "[o gradiente de]", entre colchetes, são nossas: sem elas o comentário diria que
# o próprio $2\,\mathbf{x}^\top\mathbf{x}$ (um número) é igual a $4\mathbf{x}$ (um vetor); o
# código confere o gradiente.

# %% [markdown] lang="en"
# The words "[the gradient of]", in brackets, are ours: without them the comment would say that
# $2\,\mathbf{x}^\top\mathbf{x}$ itself (a number) equals $4\mathbf{x}$ (a vector); the code
# checks the gradient.

# %%
verify_cell(5)

# %% [markdown] lang="pt"
# Repare no segundo veredito: a identidade $\mathbf{x}^\top\mathbf{x} = \lVert\mathbf{x}\rVert^2$
# é exata. Só o cálculo de $\lVert\mathbf{x}\rVert^2$ passando pela raiz quadrada arredonda em
# float32: $\sqrt{14}$ vira o float mais próximo, e o quadrado dele fica a 1 ulp de 14.
#
# Por padrão, o PyTorch **acumula** gradientes: cada `backward()` soma o gradiente novo ao que
# já está em `x.grad`. Antes de derivar outra função de `x`, zeramos `x.grad` com `zero_()`. A
# nova função é a soma dos elementos, cujo gradiente é um vetor de uns:
#
# $$\nabla_{\mathbf{x}} \sum_i x_i = (1, 1, 1, 1).$$

# %% [markdown] lang="en"
# Look at the second verdict: the identity $\mathbf{x}^\top\mathbf{x} = \lVert\mathbf{x}\rVert^2$
# is exact. Only evaluating $\lVert\mathbf{x}\rVert^2$ through the square root rounds in
# float32: $\sqrt{14}$ becomes the nearest float, and its square lands 1 ulp away from 14.
#
# By default, PyTorch **accumulates** gradients: every `backward()` adds the new gradient to
# what is already in `x.grad`. Before differentiating another function of `x`, we reset
# `x.grad` with `zero_()`. The new function is the sum of the elements, whose gradient is a
# vector of ones:
#
# $$\nabla_{\mathbf{x}} \sum_i x_i = (1, 1, 1, 1).$$

# %%
# [pt] In [6] da execução original
# [en] In [6] of the original run (comments translated from Portuguese)
# [pt] <q id="in6.zero_resets_grad">Reseta os valores do gradiente de y que haviam sido armazenados com x.requires_grad_(True) após rodar y.backward()</q>
# [en] <q id="in6.zero_resets_grad">Resets the gradient values of y that had been stored with x.requires_grad_(True) after running y.backward()</q>
x.grad.zero_()
# [pt] y agora é a função do somatório de todos os elementos do vetor x
# [en] y is now the function that sums all the elements of the vector x
y = x.sum()
# [pt] calcula o gradiente de y em relação a x (em relação aos x_0, x_1, x_2 e x_3 presente em x)
# [en] computes the gradient of y with respect to x (with respect to x_0, x_1, x_2 and x_3 in x)
y.backward()
# [pt] resultado da função y quando x=tensor([0., 1., 2., 3.]), e gradiente de y para valores de x
# [pt] <q id="in6.grad_of_sum_is_ones">note que a derivada em relação a x_0 de x_0 é 1, de x_1 em relação a x_1 é 1, e assim por diante.</q>
# [en] value of the function y when x=tensor([0., 1., 2., 3.]), and gradient of y for the values of x
# [en] <q id="in6.grad_of_sum_is_ones">note that the derivative with respect to x_0 of x_0 is 1, of x_1 with respect to x_1 is 1, and so on.</q>
y, x.grad

# %% [markdown] lang="pt"
# *Nota da edição.* O primeiro comentário junta duas etapas, e o veredito confere as duas:
# `x.requires_grad_(True)` sozinho não guarda nada (logo depois dele, `x.grad` é `None`); ele
# pede que o gradiente seja calculado e guardado, e quem guarda os valores é o `y.backward()`
# do In [4]. São esses valores que `zero_()` zera.

# %% [markdown] lang="en"
# *Editor's note.* The first comment joins two steps, and the verdict checks both:
# `x.requires_grad_(True)` on its own stores nothing (right after it, `x.grad` is `None`); it
# asks for the gradient to be computed and kept, and what stores the values is `y.backward()` in
# In [4]. Those are the values `zero_()` sets to zero.

# %%
verify_cell(6)

# %% [markdown] lang="pt"
# No grafo de uma soma, `SumBackward0` recebe o gradiente inicial 1 e manda um vetor de uns
# para `x`: cada $x_i$ pesa 1 na soma.

# %% [markdown] lang="en"
# In the graph of a sum, `SumBackward0` receives the initial gradient 1 and sends a vector of
# ones to `x`: each $x_i$ counts once in the sum.

# %%
steps = backward_steps(x.sum())
print(steps)
draw(steps, step=1)

# %% [markdown] lang="pt"
# ## 2. Retropropagação para saídas não escalares
#
# Quando `y` é um vetor, a derivada de `y` em relação a `x` é uma matriz, a **jacobiana** $J$,
# com $J_{ij} = \partial y_i / \partial x_j$. O PyTorch não monta essa matriz. Sem argumento,
# `backward()` só aceita uma saída com um único elemento (um escalar, ou um tensor de formato
# `(1,)` ou `(1, 1)`), cujo gradiente inicial é 1. Para uma saída
# vetorial, passamos um **gradiente inicial** $\mathbf{v}$ com o formato de `y`, e o PyTorch
# calcula
#
# $$\mathbf{v}^\top J = \nabla_{\mathbf{x}}\,(\mathbf{v}^\top\mathbf{y}),$$
#
# o gradiente do escalar $\mathbf{v}^\top\mathbf{y}$.
#
# Por que pedir $\mathbf{v}$ em vez de devolver $J$? Porque quase sempre o que se quer é o
# gradiente de um número. Ao treinar com um lote de exemplos, calculamos uma perda por exemplo,
# um vetor $(\ell_1, \dots, \ell_B)$, e o que interessa é o gradiente da soma (ou da média)
# dessas perdas: $\mathbf{v} = \mathbf{1}$ (ou $\mathbf{1}/B$). A jacobiana inteira teria uma
# linha por exemplo e uma coluna por parâmetro, milhões de números que ninguém vai usar.

# %% [markdown] lang="en"
# ## 2. Backward for non-scalar outputs
#
# When `y` is a vector, the derivative of `y` with respect to `x` is a matrix, the **Jacobian**
# $J$, with $J_{ij} = \partial y_i / \partial x_j$. PyTorch does not build that matrix. Without
# an argument, `backward()` only accepts an output with a single element (a scalar, or a tensor
# of shape `(1,)` or `(1, 1)`), whose initial gradient is 1. For a
# vector output, we pass an **initial gradient** $\mathbf{v}$ shaped like `y`, and PyTorch
# computes
#
# $$\mathbf{v}^\top J = \nabla_{\mathbf{x}}\,(\mathbf{v}^\top\mathbf{y}),$$
#
# the gradient of the scalar $\mathbf{v}^\top\mathbf{y}$.
#
# Why ask for $\mathbf{v}$ instead of returning $J$? Because what we want is almost always the
# gradient of one number. Training on a batch of examples, we compute one loss per example, a
# vector $(\ell_1, \dots, \ell_B)$, and what matters is the gradient of the sum (or the mean) of
# those losses: $\mathbf{v} = \mathbf{1}$ (or $\mathbf{1}/B$). The full Jacobian would have a row
# per example and a column per parameter, millions of numbers nobody would use.

# %%
# [pt] In [11] da execução original
# [en] In [11] of the original run (comments translated from Portuguese)
x.grad.zero_()
y = x * x
# [pt] agora, y não é mais um escalar [no original: esvalar], e sim um vetor. <q id="in11.nonscalar_backward_raises">Quando y, é vetor, y.backward() retorna erro.</q>
# [pt] Para usá-lo, precisa transformá-lo em escalar
# [en] now y is no longer a scalar but a vector. <q id="in11.nonscalar_backward_raises">When y is a vector, y.backward() raises an error.</q>
# [en] To use it, y has to be turned into a scalar
y

# %%
verify_cell(11)

# %% [markdown] lang="pt"
# O grafo de `y = x * x`: a saída agora é um vetor de 4 elementos. `MulBackward0` salvou os
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
# [pt] In [12] da execução original (o primeiro comentário, "Mais rápido", está traduzido do inglês)
# [en] In [12] of the original run (comments translated from Portuguese, except the first, "Faster")
# [pt] Mais rápido: y.sum().backward()
# [pt] <q id="in12.gradient_v_is_vjp">gradient=torch.ones(len(y)) transforma y em um escalar l fazendo o produto interno entre y e um vetor v
# [pt] feito de uns (1)</q>. O gradiente é calculado a partir deste resultado l
# [en] Faster: y.sum().backward()
# [en] <q id="in12.gradient_v_is_vjp">gradient=torch.ones(len(y)) turns y into a scalar l by taking the inner product of y with a vector v
# [en] made of ones (1)</q>. The gradient is computed from this result l
y.backward(gradient=torch.ones(len(y)))
x.grad

# %%
verify_cell(12)

# %% [markdown] lang="pt"
# "Mais rápido"? É a pergunta que o veredito responde. As duas formas dão o mesmo `x.grad`, e
# cada uma faz uma passagem pelos elementos que a outra não faz: `gradient=torch.ones(len(y))`
# cria e guarda $n$ uns, enquanto `y.sum()` soma os $n$ elementos de `y` e, na volta, manda a
# `y` um único 1 visto $n$ vezes (um tensor expandido, sem cópia). Por construção, nenhuma das
# duas dá menos trabalho, e é isso que o veredito confere: um fato que não depende da máquina.
# Os tempos, medidos no seu computador com 4 e com um milhão de elementos, mudam de uma execução
# para outra: com 4, as duas formas levam dezenas de microssegundos, quase tudo gasto em
# preparar a retropropagação; com um milhão, a diferença é a das duas passagens, e qualquer uma
# pode sair na frente. `y.sum().backward()` é, acima de tudo, mais curto de escrever.
#
# O vetor $\mathbf{v}$ é o gradiente inicial da retropropagação: em vez do 1 de uma saída
# escalar, `MulBackward0` começa com $\mathbf{v} = (1, 1, 1, 1)$ e manda $\mathbf{v} \odot
# \mathbf{x}$ a `x` por cada uma das duas arestas.

# %% [markdown] lang="en"
# "Faster"? That is the question the verdict answers. Both spellings give the same `x.grad`,
# and each makes one pass over the elements that the other does not: `gradient=torch.ones(len(y))`
# creates and stores $n$ ones, while `y.sum()` adds up the $n$ elements of `y` and, on the way
# back, sends `y` a single 1 seen $n$ times (an expanded tensor, no copy). Neither is less work
# by construction, and the verdict checks that, which does not depend on the machine. The
# times, measured on your computer with 4 and with a million elements, change from run to run:
# with 4, both spellings take tens of microseconds, nearly all of it spent setting up the
# backward pass; with a million, the difference is that of the two passes, and either may come
# out ahead. `y.sum().backward()` is, above all, shorter to write.
#
# The vector $\mathbf{v}$ is the initial gradient of the backward pass: instead of the 1 of a
# scalar output, `MulBackward0` starts with $\mathbf{v} = (1, 1, 1, 1)$ and sends
# $\mathbf{v} \odot \mathbf{x}$ to `x` along each of its two edges.

# %%
print(backward_steps(x * x, gradient=torch.ones(4)))

# %% [markdown] lang="pt"
# Experimente outros $\mathbf{v}$ e outras funções: com $\mathbf{v} = (0, 1, 0, 0)$, `x.grad` é
# a segunda linha da jacobiana, $(0, 2, 0, 0)$; com `x * x.sum()`, a jacobiana deixa de ser
# diagonal.

# %% [markdown] lang="en"
# Try other $\mathbf{v}$ and other functions: with $\mathbf{v} = (0, 1, 0, 0)$, `x.grad` is the
# second row of the Jacobian, $(0, 2, 0, 0)$; with `x * x.sum()`, the Jacobian is no longer
# diagonal.

# %%
vjp_explorer()

# %% [markdown] lang="pt"
# ## 3. Separar do grafo (`detach`)
#
# Às vezes queremos que parte de uma conta valha como constante para o gradiente. A anotação do
# In [16] explica a ideia antes do código.

# %% [markdown] lang="en"
# ## 3. Detaching from the graph (`detach`)
#
# Sometimes we want part of a computation to count as a constant for the gradient. The
# annotation of In [16] explains the idea before the code.

# %% [markdown] lang="pt"
# > **Anotação · In [16]**, antes do código, traduzida do inglês.
# >
# > Se você simplesmente calcular `z` e depois chamar `z.backward()`, a diferenciação
# > automática do PyTorch vai rastrear todas as dependências para encontrar o gradiente de `z`
# > em relação a `x`. Esse gradiente vai refletir tanto o efeito direto de `x` sobre `z` quanto
# > o efeito indireto que passa por `y`. Matematicamente, pela regra da cadeia, a derivada
# > total dz/dx levaria em conta os dois caminhos.
# >
# > Talvez você queira saber: "Se eu mudar `x` um pouquinho, quanto `z` muda diretamente,
# > mantendo `y`, na prática, fixo no seu valor atual?" Para isso serve separar do grafo
# > (*detaching*). Você quer tratar `y` (ou um valor calculado a partir de `y`) como se fosse uma
# > constante em relação a `x` ao calcular o gradiente de `z` em relação a `x`.
#
# Sem separar do grafo, $z_i = y_i\,x_i = x_i^3$ e o gradiente seria $3x_i^2$. Com
# $\mathbf{u}$ = `y.detach()` tratado como constante, $z_i = u_i\,x_i$ e
#
# $$\frac{\partial\,(\mathbf{u}\cdot\mathbf{x})}{\partial \mathbf{x}} = \mathbf{u},$$
#
# onde $\mathbf{u}\cdot\mathbf{x} = \sum_i u_i x_i$ é exatamente `z.sum()`.

# %% [markdown] lang="en"
# > **Annotation · In [16]**, before the code, as written in English.
# >
# > If you simply calculate `z` and then `z.backward()`, PyTorch's automatic differentiation
# > will trace back all dependencies to find the gradient of `z` with respect to `x`. This
# > gradient will reflect both the direct effect of `x` on `z` and the indirect effect channeled
# > through `y`. Mathematically, using the chain rule, the total derivative dz/dx would consider
# > both paths.
# >
# > You might want to know: "If I change `x` slightly, how much does `z` change directly,
# > holding the value of `y` effectively constant at its current value?" This is where
# > "detaching" comes in. You want to treat `y` (or a value derived from `y`) as if it were a
# > constant with respect to `x` when calculating the gradient of `z` with respect to `x`.
#
# Without detaching, $z_i = y_i\,x_i = x_i^3$ and the gradient would be $3x_i^2$. With
# $\mathbf{u}$ = `y.detach()` treated as a constant, $z_i = u_i\,x_i$ and
#
# $$\frac{\partial\,(\mathbf{u}\cdot\mathbf{x})}{\partial \mathbf{x}} = \mathbf{u},$$
#
# where $\mathbf{u}\cdot\mathbf{x} = \sum_i u_i x_i$ is exactly `z.sum()`.

# %%
# [pt] In [16] da execução original (comentários traduzidos do inglês; a anotação da linha de u = y.detach() está no quadro abaixo)
# [en] In [16] of the original run (the annotation on the line u = y.detach() is in the box below)
x.grad.zero_()
y = x * x

# [pt] Suponha que queiramos calcular z = y * x
# [en] Assume we want to calculate z = y * x

u = y.detach()
# [pt] Agora z é calculado usando x e o u separado do grafo, que será tratado como uma constante
# [en] Now, z is computed using x and the detached u, which will be treated as a constant
z = u * x
# [pt] Pelo cálculo elementar, a derivada de x * u em relação a x (com u constante) é simplesmente u (d/dx ux = u).
# [en] Using basic calculus, the derivative of x * u with respect to x (where u is constant) is simply u (d/dx ux = u).
z.sum().backward()
# [pt] Lembre que x.grad contém o resultado guardado do gradiente calculado com z.sum().backward(), que é igual a
# [pt] z.backward(gradient=torch.ones(len(z))). E esse gradiente é, como mostrado acima, d/dx ux = u. <q id="in16.grad_is_u">Portanto, x.grad == u</q>
# [en] Remember that x.grad contains the stored result of the gradient calculated with z.sum().backward(), which is equal to
# [en] z.backward(gradient=torch.ones(len(z))). And this gradient is, as shown above, d/dx ux = u. <q id="in16.grad_is_u">Therefore, x.grad == u</q>
x.grad == u

# %% [markdown] lang="pt"
# > **Anotação · In [16], na linha `u = y.detach()`**, traduzida do inglês.
# >
# > Este é o passo crucial. `detach()` faz o seguinte: cria um novo tensor `u`: <q id="in16.same_values">`u` terá o
# > mesmo valor numérico que `y` no momento da separação</q>. Quebra a ligação no grafo
# > computacional: o ponto crucial é que `u` deixa de ser considerado parte do caminho computacional
# > que leva de volta a `x` no cálculo do gradiente. O PyTorch "esquece" como `u` foi obtido
# > de `y` e, em última instância, de `x`. <q id="in16.constant_in_backward">Na retropropagação, `u` é tratado como uma constante
# > em relação a `x`.</q>

# %% [markdown] lang="en"
# > **Annotation · In [16], on the line `u = y.detach()`**, as written in English.
# >
# > This is the crucial step. detach() does the following: Creates a new tensor `u`: <q id="in16.same_values">`u` will
# > have the same numerical value as `y` at the moment of detachment</q>. Breaks the computation
# > graph link: Crucially, `u` is no longer considered part of the computational path that
# > leads back to `x` for gradient calculation. PyTorch "forgets" how `u` was derived from `y`
# > and, ultimately, from `x`. <q id="in16.constant_in_backward">`u` is treated as a constant with respect to `x` in the backward
# > pass.</q>

# %%
verify_cell(16)

# %% [markdown] lang="pt"
# No grafo de `u * x`, `u` aparece como entrada não rastreada (✂): a retropropagação para ali e
# só chega a `x` pelo outro fator. (Refazemos `u * x` porque `z.sum().backward()` já liberou os
# valores que o grafo de `z` guardava.)

# %% [markdown] lang="en"
# In the graph of `u * x`, `u` shows up as an untracked input (✂): the backward pass stops there
# and reaches `x` only through the other factor. (We redo `u * x` because `z.sum().backward()`
# has already freed the values the graph of `z` kept.)

# %%
print(trace(u * x))
draw(u * x)

# %% [markdown] lang="pt"
# A pergunta da lição, no último veredito, aponta um cuidado: `u` é um tensor novo, mas não uma
# cópia. Ele usa a mesma memória que `y`, então uma alteração in-place em `y` depois do
# `detach()` também aparece em `u`. Para uma cópia independente, use `y.detach().clone()`. A
# célula abaixo mostra isso em tensores novos, sem mexer nos da lição.

# %% [markdown] lang="en"
# The lesson's question in the last verdict calls for care: `u` is a new tensor, but not a
# copy. It uses the same memory as `y`, so an in-place change to `y` after `detach()` shows up
# in `u` too. For an independent copy, use `y.detach().clone()`. The cell below shows it on
# fresh tensors, leaving the lesson's own alone.

# %%
shared_storage_demo()

# %% [markdown] lang="pt"
# **Para que serve separar do grafo, na prática?** Quando parte de uma conta deve valer como
# constante para o gradiente. Um caso comum: o alvo que um modelo deve alcançar é calculado
# pelo próprio modelo (como no aprendizado por reforço ou na autodestilação). Se o gradiente
# passasse também pelo alvo, cada passo moveria o alvo junto com a previsão. Com `detach()`, só
# a previsão anda em direção ao alvo. No exemplo abaixo, sem `detach()` o gradiente seria
# $\frac{d}{dw}(3w - 4w)^2 = 2w = 4$; com ele, só a previsão $3w$ é derivada:
# $2\,(3w - 4w)\cdot 3 = -12$ em $w = 2$.

# %% [markdown] lang="en"
# **What is detaching for, in practice?** Whenever part of a computation must count as a
# constant for the gradient. A common case: the target a model should reach is computed by the
# model itself (as in reinforcement learning or self-distillation). If the gradient also flowed
# through the target, every step would move the target along with the prediction. With
# `detach()`, only the prediction moves toward the target. In the example below, without
# `detach()` the gradient would be $\frac{d}{dw}(3w - 4w)^2 = 2w = 4$; with it, only the
# prediction $3w$ is differentiated: $2\,(3w - 4w)\cdot 3 = -12$ at $w = 2$.

# %%
w = torch.tensor(2.0, requires_grad=True)
prediction = w * 3.0
target = (w * 4.0).detach()
loss = (prediction - target) ** 2
loss.backward()
w.grad

# %% [markdown] lang="pt"
# > **Anotação · In [17]**, traduzida do inglês.
# >
# > Note que, embora esse procedimento separe os ancestrais de `y` do grafo que leva a `z`,
# > <q id="in17.graph_to_y_persists">o grafo computacional que leva a `y` continua existindo e, portanto, podemos calcular
# > o gradiente de `y` em relação a `x`</q>.

# %% [markdown] lang="en"
# > **Annotation · In [17]**, as written in English.
# >
# > Note that while this procedure detaches y’s ancestors from the graph leading to `z`, <q id="in17.graph_to_y_persists">the
# > computational graph leading to `y` persists and thus we can calculate the gradient of `y`
# > with respect to `x`</q>.

# %%
# [pt] In [17] da execução original (o comentário vem em inglês e português; aqui, todo em português)
# [en] In [17] of the original run (the comment mixes English and Portuguese; here it is all in English)
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
# Python não atrapalham: o grafo registra só o caminho que de fato foi executado. Isso importa
# porque programas reais tomam decisões que dependem dos dados: uma rede recorrente percorre
# frases de tamanhos diferentes, um método iterativo para quando converge, um modelo escolhe um
# ramo conforme a entrada. Não é preciso escrever uma derivada para cada caminho possível: a
# cada execução o grafo é registrado de novo, e o autograd deriva o caminho percorrido.
#
# Em `f(a)` abaixo, quantas vezes o `while` repete e qual ramo do `if` é seguido dependem do
# valor de `a`, que é sorteado com `torch.randn`. Para que a lição mostre sempre a mesma saída,
# a célula a seguir fixa a semente do gerador aleatório (ela não faz parte da execução
# original).

# %% [markdown] lang="en"
# ## 4. Gradients and Python control flow
#
# The computational graph is built while the code runs, so Python loops and conditionals are
# no obstacle: the graph records only the path that was actually taken. This matters because
# real programs make decisions that depend on the data: a recurrent network runs over
# sentences of different lengths, an iterative method stops when it converges, a model picks a
# branch depending on its input. There is no need to write a derivative for every possible
# path: on every run the graph is recorded anew, and autograd differentiates the path that
# happened.
#
# In `f(a)` below, how many times the `while` loop repeats and which branch of the `if` is taken
# depend on the value of `a`. `a` is drawn with `torch.randn`. So that the lesson always shows
# the same output, the next cell fixes the seed of the random number generator (it is not part
# of the original run).

# %%
_ = torch.manual_seed(0)

# %% shares="f"
# [pt] In [20] da execução original (a anotação desta célula está no quadro logo abaixo)
# [en] In [20] of the original run (comments translated from Portuguese; this cell's annotation is in the box just below)
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
# [pt] <q id="in20.grad_is_d_over_a">portanto, se d = f(a), então a.grad é igual a d/a</q>
# [en] <q id="in20.grad_is_d_over_a">therefore, if d = f(a), then a.grad equals d/a</q>
a.grad == d / a

# %% [markdown] lang="pt"
# > **Anotação · In [20]**, nas palavras do aluno.
# >
# > <q id="in20.piecewise_linear">A função acima retorna um valor linear para um valor de `a`.</q> Ao tirar o gradiente de uma
# > função linear, ele será igual ao resultado da função dividido pelo [no original: pelo pelo]
# > próprio `a`. Por exemplo, se `def f(a)` retornasse `5*a`, o grad em função de `a` é
# > d/da 5a = 5. Se dividirmos 5a por `a`, também teremos 5.
#
# Para cada valor de `a`, $f(a) = k\,a$, em que $k$ é uma potência de 2 (vezes 100 no ramo
# negativo) que só muda quando o caminho muda. Dentro de cada trecho, $f$ é linear, então
#
# $$f'(a) = k = \frac{f(a)}{a}.$$

# %% [markdown] lang="en"
# > **Annotation · In [20]**, translated from Portuguese.
# >
# > <q id="in20.piecewise_linear">The function above returns a linear value for a value of `a`.</q> When taking the gradient of a
# > linear function, it equals the result of the function divided by `a` itself. For example,
# > if `def f(a)` returned `5*a`, the grad with respect to `a` is d/da 5a = 5. If we divide 5a
# > by `a`, we also get 5.
#
# For each value of `a`, $f(a) = k\,a$, where $k$ is a power of 2 (times 100 on the negative
# branch) that changes only when the path changes. Within each piece $f$ is linear, so
#
# $$f'(a) = k = \frac{f(a)}{a}.$$

# %%
verify_cell(20)

# %% [markdown] lang="pt"
# ### O grafo muda com `a`
#
# O laço vira uma cadeia de `MulBackward0`, uma por multiplicação por 2; `draw(d, fold=True)`
# junta essa cadeia numa caixa só e diz quantos nós ela reúne. Quanto menor $|a|$, mais
# duplicações; para $a < 0$, aparece mais um `MulBackward0`, o do `100 * b`.

# %% [markdown] lang="en"
# ### The graph changes with `a`
#
# The loop becomes a chain of `MulBackward0`, one per multiplication by 2; `draw(d, fold=True)`
# gathers that chain into a single box and says how many nodes it holds. The smaller $|a|$, the
# more doublings; for $a < 0$, one more `MulBackward0` shows up, the one of `100 * b`.

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
# A execução original imprimiu `tensor(True)` para um valor de `a`. A comparação exata `==`
# entre números de ponto flutuante, porém, é frágil: sorteando muitos valores de `a`, ela dá
# `False` para parte dos negativos, e só para eles:

# %% [markdown] lang="en"
# ### When `==` fails
#
# The original run printed `tensor(True)` for one value of `a`. Exact `==` between
# floating-point numbers is fragile, though: drawing many values of `a`, it gives `False` for
# some of the negative ones, and only for them:

# %%
sample_control_flow()

# %% [markdown] lang="pt"
# A mesma célula original, com a semente 15 em vez de 0:

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
# flutuante (só muda o expoente), mas multiplicar por 100 pode arredondar, conforme os dígitos
# de $a$. A retropropagação calcula `a.grad` $= 100 \cdot 2^k$ exatamente, enquanto `d / a`
# divide um valor que pode já ter sido arredondado e por isso errar por 1 ulp. O gradiente está
# certo; a comparação é que é exigente demais. Para comparar números de ponto flutuante, use
# `torch.allclose` (ou compare com o gradiente exato).

# %% [markdown] lang="en"
# Why? For $a < 0$, $f(a) = 100 \cdot 2^k a$. Multiplying by 2 is exact in floating point (it
# only changes the exponent), but multiplying by 100 can round, depending on the digits of $a$.
# The backward pass computes `a.grad` $= 100 \cdot 2^k$ exactly, while `d / a` divides a value
# that may already have been rounded and can then be off by 1 ulp. The gradient is right; the
# comparison is what asks too much. To compare floating-point numbers, use `torch.allclose` (or
# compare with the exact gradient).

# %% [markdown] lang="pt"
# ## 5. Para que serve o gradiente: um passo de descida
#
# O gradiente aponta na direção em que a função mais cresce; para diminuir uma perda, andamos no
# sentido contrário. Um passo de **descida do gradiente** com taxa de aprendizado $\eta$ é
#
# $$\mathbf{w} \leftarrow \mathbf{w} - \eta\,\nabla_{\mathbf{w}}\,\ell(\mathbf{w}).$$
#
# Com $\ell(\mathbf{w}) = \lVert\mathbf{w}\rVert^2$, o gradiente é $2\mathbf{w}$, e
# um passo com $\eta = 0{,}1$ leva $\mathbf{w} = (2, -1)$ a $0{,}8\,\mathbf{w} = (1{,}6; -0{,}8)$:
# a perda cai de 5 para 3,2.
#
# Primeiro, a atualização escrita como qualquer conta do Python. O PyTorch a recusa: `w` é uma
# folha que pede gradiente, e mudá-la in-place entraria no grafo como mais uma operação do
# modelo, por cima do valor a partir do qual o gradiente acabou de ser calculado.

# %% [markdown] lang="en"
# ## 5. What the gradient is for: one step of descent
#
# The gradient points where the function grows fastest; to lower a loss, we move the other way.
# One step of **gradient descent** with learning rate $\eta$ is
#
# $$\mathbf{w} \leftarrow \mathbf{w} - \eta\,\nabla_{\mathbf{w}}\,\ell(\mathbf{w}).$$
#
# With $\ell(\mathbf{w}) = \lVert\mathbf{w}\rVert^2$, the gradient is $2\mathbf{w}$, and one
# step with $\eta = 0.1$ takes $\mathbf{w} = (2, -1)$ to $0.8\,\mathbf{w} = (1.6, -0.8)$: the
# loss drops from 5 to 3.2.
#
# First, the update written like any Python arithmetic. PyTorch refuses it: `w` is a leaf that
# asks for a gradient, and changing it in place would enter the graph as one more operation of
# the model, on top of the value its gradient was just computed from.

# %%
w = torch.tensor([2.0, -1.0], requires_grad=True)
loss = (w ** 2).sum()
loss.backward()
try:
    w -= 0.1 * w.grad
except RuntimeError as error:
    print(f"{type(error).__name__}: {error}")

# %% [markdown] lang="pt"
# Por isso a atualização é feita dentro de `torch.no_grad()`: ela não faz parte do modelo e não
# entra no grafo. Depois zeramos `w.grad`, senão o próximo `backward()` acumularia em cima dele.

# %% [markdown] lang="en"
# So the update runs inside `torch.no_grad()`: it is not part of the model and stays out of the
# graph. Then we reset `w.grad`, or the next `backward()` would accumulate on top of it.

# %%
with torch.no_grad():
    w -= 0.1 * w.grad
w.grad.zero_()
w, (w ** 2).sum()

# %% [markdown] lang="pt"
# Repetir esse passo muitas vezes, com a perda de um modelo de verdade em vez de
# $\lVert\mathbf{w}\rVert^2$, é treinar uma rede neural: é o que `torch.optim.SGD` faz por você.

# %% [markdown] lang="en"
# Repeating this step many times, with the loss of a real model in place of
# $\lVert\mathbf{w}\rVert^2$, is training a neural network: it is what `torch.optim.SGD` does for
# you.

# %% [markdown] lang="pt"
# ## 6. Para os exercícios: derivar duas vezes e os dois modos
#
# Os exercícios desta lição usam três ferramentas a mais; a lição 2 as aprofunda.
#
# **Derivar duas vezes.** `torch.autograd.grad(y, x)` devolve o gradiente em vez de guardá-lo em
# `x.grad`. Com `create_graph=True`, as operações da própria retropropagação também são
# registradas: o gradiente sai com um `grad_fn` e pode ser derivado de novo. Com $y = x^3$ em
# $x = 1$: $dy/dx = 3x^2 = 3$ e $d^2y/dx^2 = 6x = 6$.

# %% [markdown] lang="en"
# ## 6. For the exercises: differentiating twice, and the two modes
#
# This lesson's exercises use three more tools; lesson 2 goes deeper into them.
#
# **Differentiating twice.** `torch.autograd.grad(y, x)` returns the gradient instead of storing
# it in `x.grad`. With `create_graph=True`, the operations of the backward pass itself are
# recorded too: the gradient comes out with a `grad_fn` and can be differentiated again. With
# $y = x^3$ at $x = 1$: $dy/dx = 3x^2 = 3$ and $d^2y/dx^2 = 6x = 6$.

# %%
x = torch.tensor(1.0, requires_grad=True)
y = x ** 3
(dy,) = torch.autograd.grad(y, x, create_graph=True)
(d2y,) = torch.autograd.grad(dy, x)
dy, d2y

# %% [markdown] lang="pt"
# **Manter o grafo.** A retropropagação libera os tensores que o grafo salvou (como o $x$ de que
# a derivada de $\operatorname{sen}$ precisa), porque em geral ninguém os usa de novo.
# `retain_graph=True` os mantém, para uma segunda retropropagação pelo mesmo grafo; o exercício 2
# mostra o que acontece sem ele.

# %% [markdown] lang="en"
# **Keeping the graph.** The backward pass frees the tensors the graph saved (such as the $x$ the
# derivative of $\sin$ needs), because usually nobody uses them again. `retain_graph=True` keeps
# them, for a second backward pass through the same graph; exercise 2 shows what happens
# without it.

# %%
x = torch.tensor(1.0, requires_grad=True)
z = torch.sin(x)
z.backward(retain_graph=True)
x.grad

# %% [markdown] lang="pt"
# **Os dois modos.** Para uma função com várias entradas e saídas, a derivada é a jacobiana $J$
# (uma linha por saída, uma coluna por entrada). A retropropagação é o **modo reverso**: parte de
# pesos $\mathbf{u}$ para as saídas e volta até as entradas, dando $\mathbf{u}^\top J$, o
# `backward(gradient=u)` da seção 2. O **modo direto** leva uma direção $\mathbf{v}$ das entradas
# junto com o cálculo, da entrada para a saída, e dá $J\mathbf{v}$. Em `torch.func`, `vjp` e
# `jvp` fazem um produto de cada modo, e `jacrev` e `jacfwd` montam $J$ inteira, por linhas (um
# vjp por saída) ou por colunas (um jvp por entrada). Com
# $h(\mathbf{v}) = (v_0 v_1,\ v_0 + v_1)$ em $(2, 3)$, $J = \begin{pmatrix}3 & 2\\ 1 & 1\end{pmatrix}$:
# o jvp na direção $(1, 0)$ é a primeira coluna, e o vjp com pesos $(1, 0)$, a primeira linha.

# %% [markdown] lang="en"
# **The two modes.** For a function with several inputs and outputs, the derivative is the
# Jacobian $J$ (one row per output, one column per input). The backward pass is **reverse mode**:
# it starts from weights $\mathbf{u}$ for the outputs and goes back to the inputs, giving
# $\mathbf{u}^\top J$, section 2's `backward(gradient=u)`. **Forward mode** carries a direction
# $\mathbf{v}$ of the inputs along with the computation, from input to output, and gives
# $J\mathbf{v}$. In `torch.func`, `vjp` and `jvp` compute one product of each mode, and `jacrev`
# and `jacfwd` build the whole $J$, by rows (one vjp per output) or by columns (one jvp per
# input). With $h(\mathbf{v}) = (v_0 v_1,\ v_0 + v_1)$ at $(2, 3)$,
# $J = \begin{pmatrix}3 & 2\\ 1 & 1\end{pmatrix}$: the jvp in the direction $(1, 0)$ is the first
# column, and the vjp with weights $(1, 0)$ is the first row.

# %%
from torch.func import jacfwd, jacrev, jvp, vjp


def h(v):
    return torch.stack([v[0] * v[1], v[0] + v[1]])


v0 = torch.tensor([2.0, 3.0])
_, column = jvp(h, (v0,), (torch.tensor([1.0, 0.0]),))
_, pullback = vjp(h, v0)
(row,) = pullback(torch.tensor([1.0, 0.0]))
column, row, jacrev(h)(v0), jacfwd(h)(v0)

# %% [markdown] lang="pt"
# ## Resumo
#
# - `requires_grad_(True)` pede ao autograd que registre as operações feitas com um tensor e
#   guarde o seu gradiente em `.grad` (o tensor já era uma **folha**, por ter sido criado por
#   nós). As operações formam um **grafo computacional**, e cada resultado aponta, em
#   `grad_fn`, para a derivada da operação que o produziu.
# - `backward()` faz a **retropropagação** e guarda o **gradiente** no `.grad` de cada folha
#   que pede gradiente. Sem argumento, a saída precisa ter um só elemento (um **escalar**);
#   chamadas seguidas **acumulam**, por isso `x.grad.zero_()`.
# - Para uma saída não escalar, `backward(gradient=v)` usa $\mathbf{v}$ como gradiente inicial
#   e calcula $\mathbf{v}^\top J$; com $\mathbf{v} = \mathbf{1}$, é o mesmo que
#   `y.sum().backward()`, a soma das perdas de um lote.
# - `detach()` devolve um tensor com os mesmos valores, sem histórico e na mesma memória: na
#   retropropagação ele é uma constante. O grafo que levou a `y` continua lá.
# - O grafo registra o caminho que o código de fato percorreu, passando pelos laços e
#   condicionais do Python.
# - Conferidas uma a uma, quase todas as afirmações das anotações valem. Duas não valem como
#   estão escritas: `backward()` só chega aos tensores de que `y` depende, e só as folhas guardam
#   `.grad`; e o histórico é um grafo, não uma árvore. As perguntas da lição apontam três
#   cuidados: `u` compartilha a memória de `y`; o "Mais rápido" não dá menos trabalho, só é mais
#   curto de escrever; e `==` entre números de ponto flutuante pode falhar por arredondamento,
#   então prefira `torch.allclose`.
# - O gradiente serve para descer: `w -= lr * w.grad` dentro de `torch.no_grad()`, depois
#   `w.grad.zero_()`.
# - `torch.autograd.grad(..., create_graph=True)` dá uma derivada que pode ser derivada de
#   novo; `retain_graph=True` mantém os tensores salvos para outra retropropagação; o **modo
#   reverso** dá $\mathbf{u}^\top J$ (`vjp`, `jacrev`) e o **modo direto**, $J\mathbf{v}$
#   (`jvp`, `jacfwd`).

# %% [markdown] lang="en"
# ## Summary
#
# - `requires_grad_(True)` asks autograd to record the operations done with a tensor and keep
#   its gradient in `.grad` (the tensor was already a **leaf**, since we created it). The
#   operations form a **computational graph**, and every result points, through `grad_fn`, to
#   the derivative of the operation that produced it.
# - `backward()` runs the **backward pass** and stores the **gradient** in the `.grad` of every
#   leaf that asks for one. Without an argument, the output must have a single element (a
#   **scalar**); repeated calls **accumulate**, hence `x.grad.zero_()`.
# - For a non-scalar output, `backward(gradient=v)` uses $\mathbf{v}$ as the initial gradient and
#   computes $\mathbf{v}^\top J$; with $\mathbf{v} = \mathbf{1}$, it is the same as
#   `y.sum().backward()`, the sum of a batch's losses.
# - `detach()` returns a tensor with the same values, no history and the same memory: in the
#   backward pass it is a constant. The graph that led to `y` is still there.
# - The graph records the path the code actually took, through Python's loops and conditionals.
# - Checked one by one, nearly all of the annotations' claims hold. Two do not as written:
#   `backward()` only reaches the tensors `y` depends on, and only leaves keep `.grad`; and the
#   history is a graph, not a tree. The lesson's questions show three things to watch: `u`
#   shares memory with `y`; "Faster" is not less work, only shorter to write; and `==` between
#   floating-point numbers can fail by rounding, so prefer `torch.allclose`.
# - The gradient is for descending: `w -= lr * w.grad` inside `torch.no_grad()`, then
#   `w.grad.zero_()`.
# - `torch.autograd.grad(..., create_graph=True)` gives a derivative that can be differentiated
#   again; `retain_graph=True` keeps the saved tensors for another backward pass; **reverse
#   mode** gives $\mathbf{u}^\top J$ (`vjp`, `jacrev`) and **forward mode** $J\mathbf{v}$ (`jvp`,
#   `jacfwd`).
