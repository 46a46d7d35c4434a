# %% [markdown] lang="pt"
# # Lição 3 — Exercícios
#
# Exercícios sobre a lição 3 (`03_autograd_gone_wrong.ipynb`), que eles supõem. Cada um é um
# pedaço de um passo de treino que está quebrado: a célula do enunciado mostra a falha, e você
# escreve o pedaço consertado. Cada exercício pergunta também por que o passo quebrou, com três
# opções; a resposta é a letra da opção certa.
#
# Cada exercício tem uma célula para você completar e uma chamada `check(n, answer, lesson=3)`,
# que diz se a resposta está certa e, se não estiver, o que olhar; enquanto a resposta for
# `None`, o verificador só mostra ○, "ainda não respondido". Travou? `hint(n, lesson=3)` dá uma
# dica por chamada, cada uma mais concreta que a anterior, e `solution(n, lesson=3)` mostra a
# solução comentada; as soluções também estão em `03_solutions_gone_wrong.ipynb`. Tente antes de
# olhar.
#
# O verificador roda o seu conserto com entradas próprias, que você não vê (outros formatos,
# outros valores, outros modelos), faz ele mesmo a retropropagação e compara valores e gradientes
# com fórmulas exatas em float64. Esconder o sintoma não passa: um gradiente que some, um NaN
# trocado por zero à força ou uma perda que mudou de valor recebem cada um a sua dica.

# %% [markdown] lang="en"
# # Lesson 3 — Exercises
#
# Exercises on lesson 3 (`03_autograd_gone_wrong.ipynb`), which they assume. Each one is a piece
# of a training step that is broken: the statement's cell shows the failure, and you write the
# fixed piece. Each exercise also asks why the step broke, with three options; the answer is the
# letter of the right one.
#
# Each exercise has a cell for you to complete and a call `check(n, answer, lesson=3)`, which
# tells you whether the answer is right and, if not, what to look at; while the answer is still
# `None`, the checker only shows ○, "not answered yet". Stuck? `hint(n, lesson=3)` gives one hint
# per call, each more concrete than the last, and `solution(n, lesson=3)` shows the worked
# solution; the solutions are also in `03_solutions_gone_wrong.ipynb`. Try first.
#
# The checker runs your fix on inputs of its own, which you do not see (other shapes, other
# values, other models), runs the backward pass itself and compares values and gradients with
# exact float64 formulas. Hiding the symptom does not pass: a gradient that vanishes, a NaN
# forced to zero or a loss whose value changed each get their own hint.

# %%
# [pt] Funções auxiliares, com mensagens em português
# [en] Helpers, with messages in English
import torch

from autograd_lessons import check, describe_figures, hint, set_language, solution
from autograd_lessons.lessons.going_wrong.exercises import (
    A1,
    B1,
    BATCHES5,
    X2,
    X6,
    Y2,
    Y6,
    Z4,
    broken1,
    broken2,
    broken3,
    broken4,
    broken5,
    broken6,
    grad_report,
    graph_size,
    model5,
    model6,
)

set_language("en")
# [pt] Cada figura ganha uma descrição em texto, para leitores de tela e para o site
# [en] Every figure gets a text description, for screen readers and for the site
describe_figures()


def error_text(error):
    # [pt] O tipo e a primeira linha da mensagem, como o aluno os veria
    # [en] The type and the first line of the message, as a learner would see them
    return f"{type(error).__name__}: {str(error).splitlines()[0]}"


# %% [markdown] lang="pt"
# ## Exercício 1 — Uma perda que vira NaN
#
# *Visto em:* lição 3, § 2.
#
# Uma perda de distância, comum quando se aprende uma representação (*embedding*): a distância
# média entre as linhas de `a` e de `b`. No lote `A1`, `B1`, a terceira linha de `A1` é igual à de
# `B1` (um exemplo comparado consigo mesmo). A perda é finita, mas o gradiente não:
#
# ```python
# def broken1(a, b):
#     return torch.sqrt(((a - b) ** 2).sum(dim=1)).mean()
# ```
#
# Escreva `distance_loss(a, b)`, que devolve o mesmo valor que `broken1(a, b)` (exatamente o mesmo,
# mesmo onde duas linhas são iguais) e cujo gradiente em relação a `a` é finito, 0 numa linha em
# que `a` e `b` coincidem. O verificador usa lotes de outros formatos, com uma ou duas linhas
# iguais, e faz ele mesmo a retropropagação.
#
# Por que o gradiente é NaN, se a perda é finita?
#
# - (a) A raiz quadrada de 0 é NaN em ponto flutuante, e o NaN se espalha pela média.
# - (b) A derivada de $\sqrt{s}$ em $s = 0$ é infinita, e a retropropagação a multiplica pela
#   derivada de $s$ em relação a `a`, $2(a - b)$, que é 0 naquela linha: $\infty \cdot 0$ = NaN.
# - (c) A média divide pelo número de linhas, e uma linha de zeros faz dessa divisão um 0/0.
#
# Resposta: `{"loss": distance_loss, "why": letra}`, com a sua função e a letra do motivo (as
# chaves do dicionário ficam em inglês: são código).

# %% [markdown] lang="en"
# ## Exercise 1 — A loss that turns NaN
#
# *Taught in:* lesson 3, § 2.
#
# A distance loss, common when learning an embedding: the mean distance between the rows of `a`
# and those of `b`. In the batch `A1`, `B1`, the third row of `A1` equals that of `B1` (an example
# compared with itself). The loss is finite, but the gradient is not:
#
# ```python
# def broken1(a, b):
#     return torch.sqrt(((a - b) ** 2).sum(dim=1)).mean()
# ```
#
# Write `distance_loss(a, b)`, which returns the same value as `broken1(a, b)` (exactly the same,
# even where two rows are equal) and whose gradient with respect to `a` is finite, 0 on a row
# where `a` and `b` coincide. The checker uses batches of other shapes, with one or two equal
# rows, and runs the backward pass itself.
#
# Why is the gradient NaN, when the loss is finite?
#
# - (a) The square root of 0 is NaN in floating point, and the NaN spreads through the mean.
# - (b) The derivative of $\sqrt{s}$ at $s = 0$ is infinite, and the backward pass multiplies it
#   by the derivative of $s$ with respect to `a`, $2(a - b)$, which is 0 on that row:
#   $\infty \cdot 0$ = NaN.
# - (c) The mean divides by the number of rows, and a row of zeros turns that division into 0/0.
#
# Answer: `{"loss": distance_loss, "why": letter}`, with your function and the letter of the
# reason.

# %%
a = A1.clone().requires_grad_(True)
loss = broken1(a, B1)
loss.backward()
print(f"loss: {loss.item():.4f}")
print(f"a.grad:\n{a.grad}")

# %%
# [pt] Troque None pelo dicionário {"loss": a sua função, "why": a letra}
# [en] Replace None with the dictionary {"loss": your function, "why": the letter}
answer = None
check(1, answer, lesson=3)

# %% [markdown] lang="pt"
# ## Exercício 2 — Uma perda que nunca chega ao modelo
#
# *Visto em:* lição 3, § 1 e § 4.
#
# Alguém escreveu o erro absoluto médio com números do Python. A primeira versão levantava
# `element 0 of tensors does not require grad and does not have a grad_fn` em `loss.backward()`;
# com `requires_grad=True`, o erro sumiu:
#
# ```python
# def broken2(pred, target):
#     errors = [abs(p.item() - t.item()) for p, t in zip(pred, target, strict=True)]
#     return torch.tensor(sum(errors) / len(errors), requires_grad=True)
# ```
#
# A célula abaixo roda um passo de treino com ela: a perda é um número razoável, mas
# `grad_report` (da lição 3, § 1) mostra que nenhum parâmetro do modelo recebeu gradiente.
#
# Escreva `mae(pred, target)`, que devolve o mesmo erro absoluto médio, como um tensor pelo qual o
# gradiente chega a `pred` (e daí ao modelo). O verificador passa outros `pred` e `target` e faz
# ele mesmo a retropropagação.
#
# Por que `requires_grad=True` fez o erro sumir sem fazer o treino funcionar?
#
# - (a) Ele faz da perda uma folha nova: `backward()` agora tem por onde começar, mas a perda não
#   tem `grad_fn`, então a retropropagação para ali mesmo, e nada chega a `pred` nem ao modelo.
# - (b) `.item()` arredonda os valores para números do Python, e o gradiente de um número
#   arredondado é zero.
# - (c) `abs` não tem derivada em 0, e por isso o autograd pula essa operação.
#
# Resposta: `{"loss": mae, "why": letra}`, com a sua função e a letra do motivo (as chaves do
# dicionário ficam em inglês: são código).

# %% [markdown] lang="en"
# ## Exercise 2 — A loss that never reaches the model
#
# *Taught in:* lesson 3, § 1 and § 4.
#
# Someone wrote the mean absolute error with Python numbers. The first version raised
# `element 0 of tensors does not require grad and does not have a grad_fn` in `loss.backward()`;
# with `requires_grad=True`, the error went away:
#
# ```python
# def broken2(pred, target):
#     errors = [abs(p.item() - t.item()) for p, t in zip(pred, target, strict=True)]
#     return torch.tensor(sum(errors) / len(errors), requires_grad=True)
# ```
#
# The cell below runs a training step with it: the loss is a reasonable number, but
# `grad_report` (from lesson 3, § 1) shows that no parameter of the model got a gradient.
#
# Write `mae(pred, target)`, which returns the same mean absolute error, as a tensor through which
# the gradient reaches `pred` (and from there the model). The checker passes other `pred` and
# `target` and runs the backward pass itself.
#
# Why did `requires_grad=True` make the error go away without making training work?
#
# - (a) It makes the loss a new leaf: `backward()` now has somewhere to start, but the loss has no
#   `grad_fn`, so the backward pass stops right there, and nothing reaches `pred` or the model.
# - (b) `.item()` rounds the values to Python numbers, and the gradient of a rounded number is
#   zero.
# - (c) `abs` has no derivative at 0, so autograd skips that operation.
#
# Answer: `{"loss": mae, "why": letter}`, with your function and the letter of the reason.

# %%
torch.manual_seed(0)
model = torch.nn.Linear(3, 1)
loss = broken2(model(X2).squeeze(1), Y2)
loss.backward()
print(f"loss: {loss.item():.4f}, loss.grad_fn: {loss.grad_fn}")
print(grad_report(model))

# %%
# [pt] Troque None pelo dicionário {"loss": a sua função, "why": a letra}
# [en] Replace None with the dictionary {"loss": your function, "why": the letter}
answer = None
check(2, answer, lesson=3)

# %% [markdown] lang="pt"
# ## Exercício 3 — Parâmetros que não são folhas
#
# *Visto em:* lição 3, § 5.
#
# `broken3(generator)` cria os parâmetros de uma camada linear para um modelo em float64: pesos
# pequenos, tirados de `generator`, e um viés nulo.
#
# ```python
# def broken3(generator):
#     weight = torch.randn(4, 3, generator=generator, requires_grad=True).to(torch.float64) * 0.1
#     bias = torch.zeros(3, requires_grad=True).to(torch.float64)
#     return weight, bias
# ```
#
# A célula abaixo tenta treinar com eles: o otimizador do PyTorch os recusa
# (`can't optimize a non-leaf Tensor`), e um passo escrito à mão encontraria `weight.grad` igual a
# `None`.
#
# Escreva `init3(generator)`, que devolve o par `(weight, bias)` com os mesmos valores, o mesmo
# formato e o mesmo dtype que `broken3(generator)` daria, mas como parâmetros que o treino de fato
# atualiza. O verificador chama a sua função com geradores próprios e faz um passo de treino com o
# que ela devolver.
#
# Por que `weight` não serve como parâmetro?
#
# - (a) A folha é o tensor que `torch.randn` criou; `.to(torch.float64)` e `* 0.1` criam tensores
#   novos a partir dele, e `weight` é um tensor intermediário: a retropropagação só escreve `.grad`
#   nas folhas, e um otimizador precisa do `.grad` do que ele atualiza.
# - (b) Multiplicar por 0,1 deixa o gradiente pequeno demais para float32, e ele vira zero.
# - (c) `torch.zeros` e `torch.randn` com `generator` não aceitam `requires_grad=True` de verdade: o
#   argumento é ignorado.
#
# Resposta: `{"init": init3, "why": letra}`, com a sua função e a letra do motivo (as chaves do
# dicionário ficam em inglês: são código).

# %% [markdown] lang="en"
# ## Exercise 3 — Parameters that are not leaves
#
# *Taught in:* lesson 3, § 5.
#
# `broken3(generator)` creates the parameters of a linear layer for a float64 model: small
# weights, drawn from `generator`, and a zero bias.
#
# ```python
# def broken3(generator):
#     weight = torch.randn(4, 3, generator=generator, requires_grad=True).to(torch.float64) * 0.1
#     bias = torch.zeros(3, requires_grad=True).to(torch.float64)
#     return weight, bias
# ```
#
# The cell below tries to train with them: PyTorch's optimizer refuses them (`can't optimize a
# non-leaf Tensor`), and a step written by hand would find `weight.grad` to be `None`.
#
# Write `init3(generator)`, which returns the pair `(weight, bias)` with the same values, shape and
# dtype as `broken3(generator)` would give, but as parameters that training really updates. The
# checker calls your function with generators of its own and takes a training step with what it
# returns.
#
# Why is `weight` no good as a parameter?
#
# - (a) The leaf is the tensor `torch.randn` made; `.to(torch.float64)` and `* 0.1` make new tensors
#   from it, and `weight` is an intermediate tensor: the backward pass writes `.grad` only on leaves,
#   and an optimizer needs the `.grad` of what it updates.
# - (b) Multiplying by 0.1 makes the gradient too small for float32, and it rounds to zero.
# - (c) `torch.zeros` and `torch.randn` with a `generator` do not really accept
#   `requires_grad=True`: the argument is ignored.
#
# Answer: `{"init": init3, "why": letter}`, with your function and the letter of the reason.

# %%
weight, bias = broken3(torch.Generator().manual_seed(0))
print(f"weight.is_leaf: {weight.is_leaf}, bias.is_leaf: {bias.is_leaf}")
print(f"weight.grad_fn: {type(weight.grad_fn).__name__}, bias.grad_fn: {type(bias.grad_fn).__name__}")
try:
    torch.optim.SGD([weight, bias], lr=0.1)
except ValueError as error:
    print(error_text(error))

# %%
# [pt] Troque None pelo dicionário {"init": a sua função, "why": a letra}
# [en] Replace None with the dictionary {"init": your function, "why": the letter}
answer = None
check(3, answer, lesson=3)

# %% [markdown] lang="pt"
# ## Exercício 4 — Uma softmax que quebra a retropropagação
#
# *Visto em:* lição 3, § 2 e § 5.
#
# Uma softmax escrita à mão, linha por linha: subtrai o maior logit (para não estourar a
# exponencial, como `logsumexp` na seção 2) e divide pela soma, in-place, para economizar memória.
#
# ```python
# def broken4(logits):
#     e = torch.exp(logits - logits.max(dim=1, keepdim=True).values)
#     e /= e.sum(dim=1, keepdim=True)
#     return e
# ```
#
# Os valores estão certos, mas a retropropagação falha, como mostra a célula abaixo. Escreva
# `softmax4(logits)`, que devolve os mesmos valores e cuja retropropagação funciona e leva o
# gradiente inteiro até `logits`. O verificador usa outros logits, faz ele mesmo a retropropagação
# com um gradiente inicial que não é de uns, e compara com a fórmula exata do produto
# vetor–jacobiana da softmax.
#
# Por que `e /= ...` quebra a retropropagação?
#
# - (a) A divisão in-place não tem derivada no autograd; só a divisão que cria um tensor novo tem.
# - (b) `exp` salvou o próprio resultado `e` para a retropropagação (a derivada de $e^x$ é $e^x$),
#   e `e /= ...` altera esse tensor salvo: a versão dele vai de 0 para 1, e a retropropagação
#   recusa.
# - (c) Subtrair o maior logit altera `logits` in-place, e `logits` é uma folha que exige
#   gradiente.
#
# Resposta: `{"softmax": softmax4, "why": letra}`, com a sua função e a letra do motivo (as chaves
# do dicionário ficam em inglês: são código).

# %% [markdown] lang="en"
# ## Exercise 4 — A softmax that breaks the backward pass
#
# *Taught in:* lesson 3, § 2 and § 5.
#
# A softmax written by hand, row by row: it subtracts the largest logit (so that the exponential
# does not overflow, as `logsumexp` does in section 2) and divides by the sum, in place, to save
# memory.
#
# ```python
# def broken4(logits):
#     e = torch.exp(logits - logits.max(dim=1, keepdim=True).values)
#     e /= e.sum(dim=1, keepdim=True)
#     return e
# ```
#
# The values are right, but the backward pass fails, as the cell below shows. Write
# `softmax4(logits)`, which returns the same values and whose backward pass works and carries the
# whole gradient to `logits`. The checker uses other logits, runs the backward pass itself with an
# initial gradient that is not all ones, and compares with the exact formula of the softmax's
# vector–Jacobian product.
#
# Why does `e /= ...` break the backward pass?
#
# - (a) In-place division has no derivative in autograd; only the division that makes a new tensor
#   has one.
# - (b) `exp` saved its own result `e` for the backward pass (the derivative of $e^x$ is $e^x$), and
#   `e /= ...` changes that saved tensor: its version goes from 0 to 1, and the backward pass
#   refuses.
# - (c) Subtracting the largest logit changes `logits` in place, and `logits` is a leaf that
#   requires grad.
#
# Answer: `{"softmax": softmax4, "why": letter}`, with your function and the letter of the reason.

# %%
logits = Z4.clone().requires_grad_(True)
probabilities = broken4(logits)
print(probabilities.detach())
try:
    probabilities[:, 0].sum().backward()
except RuntimeError as error:
    print(error_text(error))

# %%
# [pt] Troque None pelo dicionário {"softmax": a sua função, "why": a letra}
# [en] Replace None with the dictionary {"softmax": your function, "why": the letter}
answer = None
check(4, answer, lesson=3)

# %% [markdown] lang="pt"
# ## Exercício 5 — Uma época que não libera memória
#
# *Visto em:* lição 3, § 6.
#
# `broken5` treina um modelo por uma época e devolve a perda média, para acompanhar o treino:
#
# ```python
# def broken5(model, optimizer, batches):
#     total = 0
#     for x, y in batches:
#         optimizer.zero_grad()
#         loss = ((model(x) - y) ** 2).mean()
#         loss.backward()
#         optimizer.step()
#         total += loss
#     return total / len(batches)
# ```
#
# O treino está certo, mas o valor devolvido carrega o grafo de todos os passos da época, como
# `graph_size` (da lição 3, § 6: os nós e os bytes salvos ainda vivos) mostra na célula abaixo.
# Escreva `epoch5(model, optimizer, batches)`, que treina exatamente como `broken5` e devolve a mesma perda média, como um número que não guarda grafo nenhum (um `float`
# ou um tensor sem `grad_fn`). O verificador usa outro modelo, outros lotes e outra taxa de
# aprendizado, e confere a perda devolvida e os parâmetros depois da época.
#
# Por que a memória de `broken5` cresce com o número de lotes?
#
# - (a) `total` é um tensor cujo `grad_fn` segura o grafo de todos os passos: cada `+=` acrescenta
#   um nó de soma que aponta para a perda daquele passo e para o grafo dela, e nada da época pode
#   ser liberado enquanto `total` existir.
# - (b) `backward()` guarda os tensores salvos de todos os passos, e `total += loss` só lê o valor.
# - (c) O otimizador guarda cada perda para calcular o próximo passo.
#
# Resposta: `{"epoch": epoch5, "why": letra}`, com a sua função e a letra do motivo (as chaves do
# dicionário ficam em inglês: são código).

# %% [markdown] lang="en"
# ## Exercise 5 — An epoch that does not free memory
#
# *Taught in:* lesson 3, § 6.
#
# `broken5` trains a model for one epoch and returns the mean loss, to watch training:
#
# ```python
# def broken5(model, optimizer, batches):
#     total = 0
#     for x, y in batches:
#         optimizer.zero_grad()
#         loss = ((model(x) - y) ** 2).mean()
#         loss.backward()
#         optimizer.step()
#         total += loss
#     return total / len(batches)
# ```
#
# Training is right, but the value returned carries the graph of every step of the epoch, as
# `graph_size` (from lesson 3, § 6: the nodes and the saved bytes still alive) shows in the cell
# below. Write `epoch5(model, optimizer, batches)`, which trains exactly as
# `broken5` does and returns the same mean loss, as a number that keeps no graph at all (a `float`
# or a tensor without a `grad_fn`). The checker uses another model, other batches and another
# learning rate, and checks the loss returned and the parameters after the epoch.
#
# Why does the memory of `broken5` grow with the number of batches?
#
# - (a) `total` is a tensor whose `grad_fn` holds the graph of every step: each `+=` adds an
#   addition node that points to that step's loss and to its graph, and nothing of the epoch can be
#   freed while `total` exists.
# - (b) `backward()` keeps the saved tensors of every step, and `total += loss` only reads the
#   value.
# - (c) The optimizer keeps every loss to compute the next step.
#
# Answer: `{"epoch": epoch5, "why": letter}`, with your function and the letter of the reason.

# %%
model = model5()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
mean_loss = broken5(model, optimizer, BATCHES5)
print(f"mean_loss: {mean_loss!r}")
print(f"graph_size(mean_loss): {graph_size(mean_loss, model.parameters())}")

# %%
# [pt] Troque None pelo dicionário {"epoch": a sua função, "why": a letra}
# [en] Replace None with the dictionary {"epoch": your function, "why": the letter}
answer = None
check(5, answer, lesson=3)

# %% [markdown] lang="pt"
# ## Exercício 6 — Um passo que explode
#
# *Visto em:* lição 3, § 8.
#
# `model6()` é uma pilha de 12 camadas lineares sem ativação, com pesos 1,5 vezes maiores que o
# padrão, e `broken6` faz um passo de descida do gradiente com ela, escrito à mão:
#
# ```python
# def broken6(model, x, y, lr):
#     model.zero_grad()
#     loss = ((model(x) - y) ** 2).mean()
#     loss.backward()
#     with torch.no_grad():
#         for p in model.parameters():
#             p -= lr * p.grad
#     return loss.item()
# ```
#
# A célula abaixo dá quatro passos: a perda vira `inf` e depois `nan`. Escreva
# `step6(model, x, y, lr, max_norm)`, que faz o mesmo passo e devolve a mesma perda (a de antes do
# passo), mas antes de mudar os parâmetros limita a norma total do gradiente, de todos os
# parâmetros juntos, a `max_norm`, como `torch.nn.utils.clip_grad_norm_` faz. O verificador usa
# pilhas de outros tamanhos, que chegam com um `.grad` deixado por um passo anterior, e compara os
# parâmetros depois do passo com o passo recortado calculado por ele.
#
# Por que recortar pela norma, e não cada valor?
#
# - (a) Recortar cada valor ao intervalo $[-c, c]$ mantém a direção do passo, e por isso é o
#   recorte mais seguro.
# - (b) `clip_grad_norm_` multiplica todos os gradientes pelo mesmo fator, e o passo continua na
#   direção do gradiente, só mais curto; recortar cada valor muda a direção e, com muitos
#   elementos grandes, transforma o passo num vetor de $\pm c$.
# - (c) `clip_grad_norm_` também aumenta os gradientes pequenos demais, e conserta de uma vez a
#   explosão do gradiente e o desaparecimento do gradiente da seção 8.
#
# Resposta: `{"step": step6, "why": letra}`, com a sua função e a letra do motivo (as chaves do
# dicionário ficam em inglês: são código).

# %% [markdown] lang="en"
# ## Exercise 6 — A step that explodes
#
# *Taught in:* lesson 3, § 8.
#
# `model6()` is a stack of 12 linear layers with no activation, with weights 1.5 times larger than
# the default, and `broken6` takes a gradient-descent step with it, written by hand:
#
# ```python
# def broken6(model, x, y, lr):
#     model.zero_grad()
#     loss = ((model(x) - y) ** 2).mean()
#     loss.backward()
#     with torch.no_grad():
#         for p in model.parameters():
#             p -= lr * p.grad
#     return loss.item()
# ```
#
# The cell below takes four steps: the loss becomes `inf` and then `nan`. Write
# `step6(model, x, y, lr, max_norm)`, which takes the same step and returns the same loss (the one
# before the step), but before changing the parameters limits the total norm of the gradient, of
# all parameters together, to `max_norm`, as `torch.nn.utils.clip_grad_norm_` does. The checker
# uses stacks of other sizes, which arrive with a `.grad` left by an earlier step, and compares
# the parameters after the step with the clipped step it computes itself.
#
# Why clip by the norm, and not each value?
#
# - (a) Clipping each value to the interval $[-c, c]$ keeps the direction of the step, which makes
#   it the safest clipping.
# - (b) `clip_grad_norm_` multiplies every gradient by the same factor, and the step still points
#   along the gradient, only shorter; clipping each value changes the direction and, with many
#   large elements, turns the step into a vector of $\pm c$.
# - (c) `clip_grad_norm_` also enlarges gradients that are too small, and fixes at once the
#   exploding gradient and the vanishing gradient of section 8.
#
# Answer: `{"step": step6, "why": letter}`, with your function and the letter of the reason.

# %%
model = model6()
print([broken6(model, X6, Y6, lr=0.01) for _ in range(4)])

# %%
# [pt] Troque None pelo dicionário {"step": a sua função, "why": a letra}
# [en] Replace None with the dictionary {"step": your function, "why": the letter}
answer = None
check(6, answer, lesson=3)
