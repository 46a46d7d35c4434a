# %% [markdown] lang="pt"
# # Lição 3 — Soluções dos exercícios
#
# Uma solução comentada para cada exercício de `03_exercises_gone_wrong.ipynb`, conferida pelo
# mesmo `check(n, answer, lesson=3)`. O código de cada célula é o mesmo que
# `solution(n, lesson=3)` mostra. Outras soluções também passam: o verificador julga o que o seu
# conserto calcula, em entradas próprias, não o texto do código.

# %% [markdown] lang="en"
# # Lesson 3 — Solutions to the exercises
#
# A worked solution for each exercise of `03_exercises_gone_wrong.ipynb`, checked by the same
# `check(n, answer, lesson=3)`. The code of each cell is the code `solution(n, lesson=3)` shows.
# Other solutions pass too: the checker judges what your fix computes, on inputs of its own, not
# the text of the code.

# %%
# [pt] Funções auxiliares, com mensagens em português
# [en] Helpers, with messages in English
import torch

from autograd_lessons import check, describe_figures, set_language
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

# %% [markdown] lang="pt"
# ## Exercício 1 — Uma perda que vira NaN
#
# Na linha em que `a` e `b` coincidem, a soma dos quadrados $s$ é 0 e $\sqrt{0} = 0$: o valor
# está certo. O problema está na retropropagação: a derivada de $\sqrt{s}$ é $1/(2\sqrt{s})$,
# infinita em $s = 0$, e ela é multiplicada pela derivada de $s$ em relação a `a`, $2(a - b)$, que
# é 0 ali. Em ponto flutuante, $\infty \cdot 0$ é NaN: é a opção (b). A opção (a) não vale, porque
# $\sqrt{0} = 0$ e a perda é finita; nem a (c), porque a média divide pelo número de linhas, que
# nunca é zero.
#
# `torch.linalg.vector_norm` calcula a mesma distância e tem uma retropropagação própria, que
# define o gradiente em 0 como 0, um subgradiente da norma. O `where` duplo da seção 2 também
# funciona. Somar um ε dentro da raiz elimina o NaN, mas muda o valor da perda nas linhas iguais:
# o verificador recusa.

# %% [markdown] lang="en"
# ## Exercise 1 — A loss that turns NaN
#
# On the row where `a` and `b` coincide, the sum of squares $s$ is 0 and $\sqrt{0} = 0$: the value
# is right. The trouble is in the backward pass: the derivative of $\sqrt{s}$ is $1/(2\sqrt{s})$,
# infinite at $s = 0$, and it is multiplied by the derivative of $s$ with respect to `a`,
# $2(a - b)$, which is 0 there. In floating point, $\infty \cdot 0$ is NaN: that is option (b).
# Option (a) does not hold, since $\sqrt{0} = 0$ and the loss is finite; nor does (c), since the
# mean divides by the number of rows, which is never zero.
#
# `torch.linalg.vector_norm` computes the same distance and has a backward pass of its own, which
# defines the gradient at 0 as 0, a subgradient of the norm. The double `where` of section 2 also
# works. Adding an ε inside the root removes the NaN, but changes the value of the loss on equal
# rows: the checker refuses it.

# %% solution=1
def distance_loss(a, b):
    return torch.linalg.vector_norm(a - b, dim=1).mean()


point = A1.clone().requires_grad_(True)
loss = distance_loss(point, B1)
loss.backward()
print(f"loss: {loss.item():.4f}  broken1: {broken1(A1, B1).item():.4f}")
print(f"point.grad:\n{point.grad}")
answer = {"loss": distance_loss, "why": "b"}
check(1, answer, lesson=3)

# %% [markdown] lang="pt"
# ## Exercício 2 — Uma perda que nunca chega ao modelo
#
# `.item()` devolve um número do Python, sem histórico, e `torch.tensor(...)` embrulha o resultado
# num tensor novo. Com `requires_grad=True`, esse tensor vira uma folha: `backward()` tem por onde
# começar, mas a perda não tem `grad_fn`, e a retropropagação para nela mesma. É a opção (a). A (b)
# não vale: um número do Python guarda o valor em float64, e o que se perdeu foi o histórico, não
# a precisão. Nem a (c): `abs` tem um subgradiente em 0 (seção 3), e o autograd não pula
# operações.
#
# O conserto é fazer a conta inteira com operações do PyTorch sobre `pred` e `target`: subtração,
# `abs` e `mean` entram no grafo computacional, e o gradiente de cada elemento é
# $\operatorname{sinal}(p_i - t_i)/n$.

# %% [markdown] lang="en"
# ## Exercise 2 — A loss that never reaches the model
#
# `.item()` returns a Python number, with no history, and `torch.tensor(...)` wraps the result in
# a new tensor. With `requires_grad=True`, that tensor becomes a leaf: `backward()` has somewhere
# to start, but the loss has no `grad_fn`, and the backward pass stops at the loss itself. That is
# option (a). Option (b) does not hold: a Python number keeps the value in float64, and what was
# lost is the history, not the precision. Nor does (c): `abs` has a subgradient at 0 (section 3),
# and autograd does not skip operations.
#
# The fix is to do the whole computation with PyTorch operations on `pred` and `target`:
# subtraction, `abs` and `mean` enter the computational graph, and the gradient of each element is
# $\operatorname{sign}(p_i - t_i)/n$.

# %% solution=2
def mae(pred, target):
    return (pred - target).abs().mean()


torch.manual_seed(0)
fixed_model = torch.nn.Linear(3, 1)
loss = mae(fixed_model(X2).squeeze(1), Y2)
loss.backward()
print(f"loss: {loss.item():.4f}, loss.grad_fn: {type(loss.grad_fn).__name__}")
print(grad_report(fixed_model))
answer = {"loss": mae, "why": "a"}
check(2, answer, lesson=3)

# %% [markdown] lang="pt"
# ## Exercício 3 — Parâmetros que não são folhas
#
# Em `broken3`, a folha que exige gradiente é o tensor que `torch.randn` criou; `.to(torch.float64)`
# e `* 0.1` são operações registradas, e `weight` é o resultado delas, um tensor intermediário. O
# mesmo vale para `bias`, por causa do `.to`. A retropropagação só escreve `.grad` nas folhas, e o
# `.grad` de `weight` fica `None`; os otimizadores do PyTorch nem aceitam um tensor assim: é a
# opção (a). A (b) não vale: o modelo é
# float64, e um gradiente multiplicado por 0,1 está longe de virar zero. Nem a (c): os dois tensores
# de `torch.randn` e `torch.zeros` exigem gradiente de verdade; só não são eles que `broken3`
# devolve.
#
# O conserto é fazer todas as contas antes e só então pedir gradiente: `requires_grad_()` no
# resultado faz dele uma folha. Sortear em float32 e converter mantém os mesmos valores de
# `broken3`.

# %% [markdown] lang="en"
# ## Exercise 3 — Parameters that are not leaves
#
# In `broken3`, the leaf that requires grad is the tensor `torch.randn` made; `.to(torch.float64)`
# and `* 0.1` are recorded operations, and `weight` is their result, an intermediate tensor. The
# same holds for `bias`, because of the `.to`. The backward pass writes `.grad` only on leaves, and
# the `.grad` of `weight` stays `None`; PyTorch's optimizers do not even accept such a tensor: that
# is option (a). Option (b)
# does not hold: the model is float64, and a gradient multiplied by 0.1 is far from rounding to
# zero. Nor does (c): the two tensors from `torch.randn` and `torch.zeros` do require grad; they are
# just not the ones `broken3` returns.
#
# The fix is to do all the arithmetic first and only then ask for gradients: `requires_grad_()` on
# the result makes it a leaf. Drawing in float32 and converting keeps the same values as `broken3`.

# %% solution=3
def init3(generator):
    weight = (torch.randn(4, 3, generator=generator).to(torch.float64) * 0.1).requires_grad_()
    bias = torch.zeros(3, dtype=torch.float64, requires_grad=True)
    return weight, bias


fixed_weight, fixed_bias = init3(torch.Generator().manual_seed(0))
sgd = torch.optim.SGD([fixed_weight, fixed_bias], lr=0.1)
start = fixed_weight.detach().clone()
((torch.ones(2, 4, dtype=torch.float64) @ fixed_weight + fixed_bias) ** 2).mean().backward()
sgd.step()
print(f"is_leaf: {fixed_weight.is_leaf}, {fixed_bias.is_leaf}")
print(f"moved: {not torch.equal(fixed_weight.detach(), start)}")
answer = {"init": init3, "why": "a"}
check(3, answer, lesson=3)

# %% [markdown] lang="pt"
# ## Exercício 4 — Uma softmax que quebra a retropropagação
#
# A derivada de $e^x$ é o próprio $e^x$, por isso `ExpBackward0` salva o resultado `e`. `e /= ...`
# altera esse tensor salvo e incrementa o contador de versão dele; na volta, o autograd confere a
# versão e recusa: é a opção (b). A (a) não vale: divisões in-place são derivadas normalmente quando
# não estragam um tensor salvo. Nem a (c): `logits - ...` cria um tensor novo, e `logits` fica
# intacto.
#
# O conserto é dividir num tensor novo, `e / e.sum(...)`, que deixa intacto o resultado que `exp`
# salvou (ou usar `torch.softmax`, que faz o mesmo). Fazer a divisão por `.data`, ou separar do
# grafo a soma, faz o erro sumir, mas perde uma parte do gradiente: a que passa pela soma.

# %% [markdown] lang="en"
# ## Exercise 4 — A softmax that breaks the backward pass
#
# The derivative of $e^x$ is $e^x$ itself, so `ExpBackward0` saves the result `e`. `e /= ...`
# changes that saved tensor and bumps its version counter; on the way back, autograd checks the
# version and refuses: that is option (b). Option (a) does not hold: in-place divisions are
# differentiated as usual when they do not spoil a saved tensor. Nor does (c): `logits - ...` makes
# a new tensor, and `logits` stays intact.
#
# The fix is to divide into a new tensor, `e / e.sum(...)`, which leaves intact the result `exp`
# saved (or to use `torch.softmax`, which does the same). Dividing through `.data`, or detaching the
# sum, makes the error go away but loses part of the gradient: the part that goes through the sum.

# %% solution=4
def softmax4(logits):
    shifted = logits - logits.max(dim=1, keepdim=True).values
    e = shifted.exp()
    return e / e.sum(dim=1, keepdim=True)


z = Z4.clone().requires_grad_(True)
p = softmax4(z)
p[:, 0].sum().backward()
print(f"same values: {torch.allclose(p, torch.softmax(Z4, dim=1))}")
print(f"z.grad:\n{z.grad}")
answer = {"softmax": softmax4, "why": "b"}
check(4, answer, lesson=3)

# %% [markdown] lang="pt"
# ## Exercício 5 — Uma época que não libera memória
#
# `total` começa como o inteiro 0, mas `0 + loss` já é um tensor com `grad_fn`, e cada `+=`
# acrescenta um nó de soma que aponta para a perda do passo e, por ela, para o grafo do passo: é a
# opção (a). A (b) não vale: `backward()` libera os tensores salvos de cada passo; o que fica preso
# são os nós, por causa de `total`. Nem a (c): o SGD não guarda perdas.
#
# O conserto é somar o valor, não o tensor: `loss.item()` devolve um número do Python, sem
# histórico. O treino continua o mesmo, porque `backward()` e `optimizer.step()` usam `loss`, e não
# `total`.

# %% [markdown] lang="en"
# ## Exercise 5 — An epoch that does not free memory
#
# `total` starts as the integer 0, but `0 + loss` is already a tensor with a `grad_fn`, and each
# `+=` adds an addition node that points to the step's loss and, through it, to the step's graph:
# that is option (a). Option (b) does not hold: `backward()` frees the saved tensors of each step;
# what stays held are the nodes, because of `total`. Nor does (c): SGD keeps no losses.
#
# The fix is to add the value, not the tensor: `loss.item()` returns a Python number, with no
# history. Training stays the same, because `backward()` and `optimizer.step()` use `loss`, not
# `total`.

# %% solution=5
def epoch5(model, optimizer, batches):
    losses = []
    for x, y in batches:
        optimizer.zero_grad()
        loss = torch.nn.functional.mse_loss(model(x), y)
        loss.backward()
        optimizer.step()
        # [pt] O valor, um número do Python: nenhum grafo fica preso à lista
        # [en] The value, a Python number: no graph stays attached to the list
        losses.append(loss.item())
    return sum(losses) / len(losses)


net = model5()
print(f"mean loss: {epoch5(net, torch.optim.SGD(net.parameters(), lr=0.1), BATCHES5):.6f}")
answer = {"epoch": epoch5, "why": "a"}
check(5, answer, lesson=3)

# %% [markdown] lang="pt"
# ## Exercício 6 — Um passo que explode
#
# `torch.nn.utils.clip_grad_norm_` calcula a norma de todos os gradientes juntos e, se ela passar de
# `max_norm`, multiplica todos pelo mesmo fator, `max_norm / norma`: o passo fica mais curto e
# continua na direção do gradiente. É a opção (b). A (a) não vale: recortar cada valor muda a
# direção, como a seção 8 mostrou (o cosseno com o gradiente cai para 0,63). Nem a (c):
# `clip_grad_norm_` só diminui gradientes, nunca os aumenta.
#
# O recorte vem entre `loss.backward()` e a atualização dos parâmetros: depois da retropropagação,
# que preenche os `.grad`, e antes de usá-los. Com ele, a perda da pilha que explodia cai a cada
# passo.

# %% [markdown] lang="en"
# ## Exercise 6 — A step that explodes
#
# `torch.nn.utils.clip_grad_norm_` computes the norm of all the gradients together and, if it
# exceeds `max_norm`, multiplies all of them by the same factor, `max_norm / norm`: the step gets
# shorter and still points along the gradient. That is option (b). Option (a) does not hold:
# clipping each value changes the direction, as section 8 showed (the cosine with the gradient drops
# to 0.63). Nor does (c): `clip_grad_norm_` only shrinks gradients, never enlarges them.
#
# The clipping goes between `loss.backward()` and the update of the parameters: after the backward
# pass, which fills the `.grad`s, and before using them. With it, the loss of the stack that
# exploded goes down at every step.

# %% solution=6
def step6(model, x, y, lr, max_norm):
    model.zero_grad()
    loss = torch.nn.functional.mse_loss(model(x), y)
    loss.backward()
    # [pt] Entre a retropropagação e a atualização: todos os gradientes, pelo mesmo fator
    # [en] Between the backward pass and the update: every gradient, by the same factor
    torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm)
    with torch.no_grad():
        for parameter in model.parameters():
            parameter -= lr * parameter.grad
    return loss.item()


stack = model6()
print([round(step6(stack, X6, Y6, lr=0.01, max_norm=1.0), 2) for _ in range(4)])
answer = {"step": step6, "why": "b"}
check(6, answer, lesson=3)
