# %% [markdown] lang="pt"
# # Lição 3 — Quando os gradientes dão errado
#
# As lições 1 e 2 mostraram o autograd funcionando. Esta mostra o que acontece quando ele não
# funciona, ou parece funcionar e não funciona: o treino que de repente dá `nan`, o `.grad` que
# fica `None`, o `RuntimeError` sobre uma operação in-place, a memória que cresce a cada passo, o
# gradiente que some nas primeiras camadas de uma rede funda. Cada falha aparece num exemplo
# pequeno, que você reproduz; depois você a **vê** (uma figura do grafo computacional, a
# retropropagação passo a passo, um gráfico), a **conserta** e confere o conserto.
#
# **Como ler esta lição.** Ela pressupõe as lições 1 e 2. No fim de cada seção, `verify_cell(k,
# lesson=3)` confere as frases da seção k, cada uma numa linha: ✔ **vale**, ≈ **vale a menos de
# arredondamento** ou ✘ **não vale**, e, para as perguntas da lição, a **resposta**. Clique na
# linha para ver o que foi conferido e o que foi encontrado. Cada erro que a lição provoca é
# capturado e mostrado como você o veria: o tipo e a primeira linha da mensagem.
#
# Execute as células em ordem (Shift+Enter). Roteiro:
#
# 1. Um passo de treino, e como ele falha
# 2. Gradientes NaN e infinitos
# 3. Pontos angulosos
# 4. Operações que cortam o grafo
# 5. Folhas que dão errado
# 6. Memória que cresce
# 7. Trocar cálculo por memória
# 8. Gradientes que explodem e que desaparecem

# %% [markdown] lang="en"
# # Lesson 3 — When gradients go wrong
#
# Lessons 1 and 2 showed autograd at work. This one shows what happens when it does not work, or
# seems to work and does not: the training run that suddenly prints `nan`, the `.grad` that stays
# `None`, the `RuntimeError` about an in-place operation, the memory that grows at every step, the
# gradient that fades away in the first layers of a deep network. Each failure shows up in a small
# example that you reproduce; then you **see** it (a picture of the computational graph, the
# backward pass step by step, a plot), **fix** it and check the fix.
#
# **How to read this lesson.** It assumes lessons 1 and 2. At the end of each section,
# `verify_cell(k, lesson=3)` checks the sentences of section k, one line each: ✔ **holds**,
# ≈ **holds up to rounding** or ✘ **does not hold**, and, for the lesson's own questions, the
# **answer**. Click a line to see what was checked and what was found. Every error the lesson
# provokes is caught and shown as you would see it: its type and the first line of its message.
#
# Run the cells in order (Shift+Enter). Outline:
#
# 1. A training step, and how it fails
# 2. NaN and infinite gradients
# 3. Kinks
# 4. Operations that cut the graph
# 5. Leaves gone wrong
# 6. Memory that grows
# 7. Trading compute for memory
# 8. Exploding and vanishing gradients

# %%
# [pt] Funções auxiliares da lição, com mensagens em português
# [en] The lesson's helpers, with messages in English
import re
import sys
import textwrap
import warnings

import matplotlib.pyplot as plt
import torch
from torch.utils.checkpoint import checkpoint
from torch.utils.flop_counter import FlopCounterMode

from autograd_lessons import backward_steps, describe_figures, draw, set_language, verify_cell
from autograd_lessons.i18n import message
from autograd_lessons.lessons.autograd.maths import f

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
# ## 1. Um passo de treino, e como ele falha
#
# Quase todo treino repete o mesmo passo: zerar os gradientes, calcular a perda, fazer a
# retropropagação e deixar o otimizador mudar os parâmetros. A rede abaixo é pequena de propósito
# (3 entradas, 8 neurônios ocultos, 1 saída), e a semente fixa faz cada execução dar os mesmos
# números.
#
# Para diagnosticar, a primeira coisa a olhar é o `.grad` de cada parâmetro depois de
# `loss.backward()`. `grad_report` mostra, para cada parâmetro, se o gradiente é `None`, se tem
# NaN ou infinitos e, se estiver tudo bem, a sua norma. Você vai usá-la (ou algo parecido) sempre
# que um treino se comportar mal.

# %% [markdown] lang="en"
# ## 1. A training step, and how it fails
#
# Nearly every training run repeats the same step: zero the gradients, compute the loss, run the
# backward pass and let the optimizer change the parameters. The network below is small on
# purpose (3 inputs, 8 hidden units, 1 output), and the fixed random seed makes every run give the
# same numbers.
#
# To diagnose, the first thing to look at is the `.grad` of every parameter after
# `loss.backward()`. `grad_report` shows, for each parameter, whether its gradient is `None`,
# whether it has NaN or infinite values and, if all is well, its norm. You will use it (or
# something like it) whenever a training run misbehaves.

# %% shares="grad_report"
def grad_report(model):
    # [pt] Para cada parâmetro: None, quantos NaN e infinitos, ou a norma do gradiente
    # [en] For each parameter: None, how many NaN and infinite values, or the gradient's norm
    lines = []
    for name, p in model.named_parameters():
        if p.grad is None:
            lines.append(f"{name:9} grad=None")
        elif not torch.isfinite(p.grad).all():
            nan, inf = int(p.grad.isnan().sum()), int(p.grad.isinf().sum())
            lines.append(f"{name:9} grad.isnan().sum()={nan} grad.isinf().sum()={inf}")
        else:
            lines.append(f"{name:9} grad.norm()={p.grad.norm():.4f}")
    return "\n".join(lines)


# %%
def train_step(model, optimizer, x, y):
    optimizer.zero_grad()
    loss = ((model(x) - y) ** 2).mean()
    loss.backward()
    optimizer.step()
    return loss


torch.manual_seed(0)
model = torch.nn.Sequential(torch.nn.Linear(3, 8), torch.nn.Tanh(), torch.nn.Linear(8, 1))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
x, y = torch.randn(16, 3), torch.randn(16, 1)
loss = train_step(model, optimizer, x, y)
show(f"loss: {loss.item():.4f}", grad_report(model))

# %% [markdown] lang="pt"
# Este passo está saudável: toda perda é um número finito, e todo parâmetro tem um gradiente
# finito. As seções seguintes quebram esse passo de vários jeitos. Um roteiro para quando o seu
# treino falhar:
#
# | O que você vê | Onde procurar |
# |---|---|
# | a perda ou um gradiente vira `nan` ou `inf` | seção 2 |
# | um gradiente que existe, mas não é "a" derivada, num ponto anguloso | seção 3 |
# | `.grad` fica `None`, ou `element 0 of tensors does not require grad` | seções 4 e 5 |
# | `RuntimeError` sobre uma operação in-place, ou `a leaf Variable that requires grad` | seção 5 |
# | a memória cresce a cada passo, ou `Trying to backward through the graph a second time` | seção 6 |
# | falta memória numa rede funda | seção 7 |
# | gradientes minúsculos nas primeiras camadas, ou enormes | seção 8 |
#
# Na lição 2 você viu a ferramenta principal do diagnóstico: o grafo computacional, que `draw`
# desenha. Quase todas as falhas desta lição aparecem no desenho: um nó que não deveria estar lá,
# uma aresta que falta, um grafo maior a cada passo.

# %% [markdown] lang="en"
# This step is healthy: the loss is a finite number, and every parameter has a finite gradient.
# The next sections break this step in several ways. A map for when your own training fails:
#
# | What you see | Where to look |
# |---|---|
# | the loss or a gradient turns `nan` or `inf` | section 2 |
# | a gradient that exists but is not "the" derivative, at a kink | section 3 |
# | `.grad` stays `None`, or `element 0 of tensors does not require grad` | sections 4 and 5 |
# | a `RuntimeError` about an in-place operation, or `a leaf Variable that requires grad` | section 5 |
# | memory grows at every step, or `Trying to backward through the graph a second time` | section 6 |
# | a deep network runs out of memory | section 7 |
# | tiny gradients in the first layers, or huge ones | section 8 |
#
# In lesson 2 you met the main diagnostic tool: the computational graph, which `draw` pictures.
# Nearly every failure of this lesson shows in the picture: a node that should not be there, a
# missing edge, a graph that is bigger at every step.

# %% [markdown] lang="pt"
# ## 2. Gradientes NaN e infinitos
#
# Um único NaN num gradiente basta para estragar um treino: o otimizador o soma ao parâmetro, o
# parâmetro vira NaN, e a partir daí toda perda é NaN. O caso mais traiçoeiro é o de um cálculo
# cujo **valor** é perfeitamente finito. Veja `torch.where(x > 0, torch.sqrt(x), 0)`: onde
# $x \le 0$, o valor escolhido é 0, e a raiz de um número negativo (NaN) nunca aparece no
# resultado. Mas ela foi calculada, e entrou no grafo computacional.
#
# <q id="l3.where_nan_gradient">Em x = −1 e em x = 0 o valor é 0, mas o gradiente é NaN: a
# retropropagação de `where` manda zero para o ramo que não foi usado, e esse zero vezes a
# derivada da raiz ali, NaN ou infinita, dá NaN.</q> Em ponto flutuante, $0 \cdot \infty$ e
# $0 \cdot \text{NaN}$ não são zero: são NaN. A divisão tem a mesma armadilha:
# `torch.where(x != 0, 1 / x, 0)` tem gradiente NaN em $x = 0$, porque a derivada de $1/x$ ali é
# $-\infty$.

# %% [markdown] lang="en"
# ## 2. NaN and infinite gradients
#
# A single NaN in a gradient is enough to ruin a training run: the optimizer adds it to the
# parameter, the parameter turns NaN, and from then on every loss is NaN. The most treacherous
# case is a computation whose **value** is perfectly finite. Take
# `torch.where(x > 0, torch.sqrt(x), 0)`: where $x \le 0$ the value chosen is 0, and the square
# root of a negative number (NaN) never shows in the result. But it was computed, and it entered
# the computational graph.
#
# <q id="l3.where_nan_gradient">At x = −1 and at x = 0 the value is 0, but the gradient is NaN:
# the backward pass of `where` sends a zero to the branch it did not use, and that zero times the
# derivative of the square root there, NaN or infinite, gives NaN.</q> In floating point,
# $0 \cdot \infty$ and $0 \cdot \text{NaN}$ are not zero: they are NaN. Division has the same
# trap: `torch.where(x != 0, 1 / x, 0)` has a NaN gradient at $x = 0$, because the derivative of
# $1/x$ there is $-\infty$.

# %%
x = torch.tensor([-1.0, 0.0, 4.0], requires_grad=True)
y = torch.where(x > 0, torch.sqrt(x), 0.0)
y.sum().backward()
root_grad = x.grad
x = torch.tensor([-1.0, 0.0, 4.0], requires_grad=True)
torch.where(x != 0, 1 / x, 0.0).sum().backward()
show(f"y:      {y.detach()}", f"x.grad: {root_grad}", f"1/x, x.grad: {x.grad}")

# %% [markdown] lang="pt"
# A retropropagação passo a passo mostra onde o NaN nasce: `WhereBackward0` manda `[0, 0, 1]`
# para `SqrtBackward0`, que multiplica isso pela derivada da raiz, $1/(2\sqrt{x})$.

# %% [markdown] lang="en"
# The step-by-step backward pass shows where the NaN is born: `WhereBackward0` sends `[0, 0, 1]`
# to `SqrtBackward0`, which multiplies it by the derivative of the square root, $1/(2\sqrt{x})$.

# %%
x = torch.tensor([-1.0, 0.0, 4.0], requires_grad=True)
y = torch.where(x > 0, torch.sqrt(x), 0.0)
print(backward_steps(y.sum()))

# %% [markdown] lang="pt"
# O conserto é não deixar a raiz ver os pontos perigosos: um **`where` duplo**. O primeiro `where`
# troca $x$ por um valor inofensivo (1, por exemplo) onde o ramo não será usado; a raiz só recebe
# valores seguros; o segundo `where` escolhe como antes.
# <q id="l3.double_where">Com o `where` duplo, o gradiente é 1/(2√x) onde x > 0 e 0 nos outros
# pontos, e os valores não mudam.</q>

# %% [markdown] lang="en"
# The fix is to keep the square root away from the dangerous points: a **double `where`**. The
# first `where` swaps $x$ for a harmless value (1, say) where the branch will not be used; the
# square root only sees safe values; the second `where` chooses as before.
# <q id="l3.double_where">With the double `where`, the gradient is 1/(2√x) where x > 0 and 0
# elsewhere, and the values do not change.</q>

# %%
x = torch.tensor([-1.0, 0.0, 4.0], requires_grad=True)
safe_x = torch.where(x > 0, x, 1.0)
y = torch.where(x > 0, torch.sqrt(safe_x), 0.0)
y.sum().backward()
show(f"y:      {y.detach()}", f"x.grad: {x.grad}")

# %% [markdown] lang="pt"
# A mesma raiz aparece escondida na distância entre dois vetores,
# $\lVert a - b\rVert = \sqrt{\sum_i (a_i - b_i)^2}$, que é zero quando $a = b$ (um exemplo
# comparado consigo mesmo, por exemplo). A derivada de $\sqrt{s}$ em $s = 0$ é infinita, e a de
# $s$ em relação a $a$ é $2(a - b) = 0$: de novo $\infty \cdot 0$.
# <q id="l3.norm_at_zero">No vetor nulo, a raiz da soma dos quadrados tem gradiente NaN, enquanto
# `torch.linalg.vector_norm` dá 0, um subgradiente da norma ali.</q> (Subgradiente é o assunto
# da seção 3.) Somar um ε pequeno dentro da raiz também elimina o NaN, mas muda o valor: a
# distância entre dois pontos iguais passa a ser $\sqrt{\varepsilon}$.

# %% [markdown] lang="en"
# The same square root hides in the distance between two vectors,
# $\lVert a - b\rVert = \sqrt{\sum_i (a_i - b_i)^2}$, which is zero when $a = b$ (an example
# compared with itself, say). The derivative of $\sqrt{s}$ at $s = 0$ is infinite, and that of
# $s$ with respect to $a$ is $2(a - b) = 0$: again $\infty \cdot 0$.
# <q id="l3.norm_at_zero">At the zero vector, the square root of the sum of squares has a NaN
# gradient, while `torch.linalg.vector_norm` gives 0, a subgradient of the norm there.</q>
# (Subgradients are the subject of section 3.) Adding a small ε inside the root also removes the
# NaN, but changes the value: the distance between two equal points becomes
# $\sqrt{\varepsilon}$.

# %%
a = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
b = torch.tensor([1.0, 2.0, 3.0])
torch.sqrt(((a - b) ** 2).sum()).backward()
by_hand = a.grad
a.grad = None
torch.linalg.vector_norm(a - b).backward()
show(f"sqrt(sum((a - b)²)), a.grad: {by_hand}", f"vector_norm(a - b),  a.grad: {a.grad}")

# %% [markdown] lang="pt"
# Outro clássico é tomar o logaritmo de uma softmax. A softmax de logits muito distantes, como 0 e
# 200, arredonda a menor probabilidade para exatamente 0 em float32; o logaritmo dá $-\infty$, e a
# perda, $+\infty$. `torch.log_softmax` (e `torch.logsumexp`) calcula
# $z_0 - \log\sum_j e^{z_j}$ subtraindo antes o maior logit, sem nunca formar a probabilidade
# minúscula. <q id="l3.log_softmax_finite">Com os logits 0 e 200, `log(softmax(z))` dá perda
# infinita e gradiente NaN; `log_softmax` dá a perda 200 e o gradiente softmax(z) − one-hot, que é
# (−1, 1).</q> `torch.nn.functional.cross_entropy` já usa `log_softmax` por dentro: prefira-a a
# escrever a perda à mão.

# %% [markdown] lang="en"
# Another classic is taking the logarithm of a softmax. The softmax of logits far apart, such as 0
# and 200, rounds the smaller probability to exactly 0 in float32; the logarithm gives $-\infty$,
# and the loss $+\infty$. `torch.log_softmax` (and `torch.logsumexp`) computes
# $z_0 - \log\sum_j e^{z_j}$ by subtracting the largest logit first, never forming the tiny
# probability. <q id="l3.log_softmax_finite">With the logits 0 and 200, `log(softmax(z))` gives an
# infinite loss and a NaN gradient; `log_softmax` gives the loss 200 and the gradient softmax(z) −
# one-hot, which is (−1, 1).</q> `torch.nn.functional.cross_entropy` already uses `log_softmax`
# inside: prefer it to writing the loss by hand.

# %%
z = torch.tensor([0.0, 200.0], requires_grad=True)
naive = -torch.log(torch.softmax(z, dim=0))[0]
naive.backward()
naive_grad = z.grad
z.grad = None
stable = -torch.log_softmax(z, dim=0)[0]
stable.backward()
show(f"softmax(z): {torch.softmax(z, dim=0).detach()}",
     f"-log(softmax(z))[0]: {naive.item()}  z.grad: {naive_grad}",
     f"-log_softmax(z)[0]:  {stable.item()}  z.grad: {z.grad}",
     f"logsumexp(z) - z[0]: {(torch.logsumexp(z, dim=0) - z[0]).item()}")

# %% [markdown] lang="pt"
# Num modelo grande, achar a operação que produziu o primeiro NaN é o difícil. A **detecção de
# anomalias** do PyTorch faz isso: dentro de `with torch.autograd.detect_anomaly():` (ou depois de
# `torch.autograd.set_detect_anomaly(True)`), o cálculo de ida guarda, em cada nó, de onde ele foi
# criado, e a retropropagação confere cada gradiente que sai de cada nó.
# <q id="l3.anomaly_names_operation">No modo de detecção de anomalias, a retropropagação para no
# primeiro nó que devolve NaN, diz o nome dele (`SqrtBackward0`) e mostra a linha do cálculo de
# ida que o criou.</q> A linha vem num aviso; abaixo, capturamos o aviso e mostramos só a primeira
# linha e a linha de código que ele aponta. A detecção de anomalias deixa tudo mais lento: ligue-a
# só para procurar o problema.

# %% [markdown] lang="en"
# In a big model, finding the operation that made the first NaN is the hard part. PyTorch's
# **anomaly detection** does it: inside `with torch.autograd.detect_anomaly():` (or after
# `torch.autograd.set_detect_anomaly(True)`), the forward pass records in each node where it was
# created, and the backward pass checks every gradient that comes out of every node.
# <q id="l3.anomaly_names_operation">In anomaly detection mode, the backward pass stops at the
# first node that returns NaN, names it (`SqrtBackward0`) and shows the line of the forward pass
# that created it.</q> That line comes in a warning; below, we catch the warning and show only
# its first line and the line of code it points to. Anomaly detection makes everything slower:
# switch it on only to hunt the problem down.

# %%
def forward_line(warning):
    # [pt] A primeira linha do aviso e a última linha de código do rastro: a do cálculo de ida
    # [en] The warning's first line and the last line of code in its traceback: the forward pass's
    lines = str(warning.message).splitlines()
    code = [line.strip() for line in lines if line.startswith("    ")]
    return f"{lines[0]}\n    {code[-1]}"


x = torch.tensor([-1.0, 0.0, 4.0], requires_grad=True)
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    with torch.autograd.detect_anomaly():
        y = torch.where(x > 0, torch.sqrt(x), 0.0)
        try:
            y.sum().backward()
        except RuntimeError as error:
            stopped = error_text(error)
detected = [w for w in caught if "Error detected" in str(w.message)]
show(stopped, forward_line(detected[0]))

# %%
verify_cell(2, lesson=3)

# %% [markdown] lang="pt"
# ## 3. Pontos angulosos
#
# `relu`, `abs` e `max` não têm derivada em todo ponto: o gráfico de `relu` tem um **ponto
# anguloso** em 0, onde a inclinação à esquerda é 0 e à direita é 1. O autograd precisa devolver
# algum número ali, e devolve, sem aviso. Qual número depende da operação, não da função:
# `torch.relu(x)` e `torch.where(x >= 0, x, 0)` calculam os mesmos valores, mas não o mesmo
# gradiente em 0. <q id="l3.kink_values">Em 0, `relu` e `abs` dão gradiente 0 e
# `where(x >= 0, x, 0)` dá 1; `max` sobre
# um empate reparte o gradiente em partes iguais, enquanto `max` ao longo de uma dimensão o dá
# inteiro ao índice que devolve.</q>

# %% [markdown] lang="en"
# ## 3. Kinks
#
# `relu`, `abs` and `max` do not have a derivative everywhere: the graph of `relu` has a **kink**
# at 0, where the slope is 0 on the left and 1 on the right. Autograd has to return some number
# there, and it does, without a warning. Which number depends on the operation, not on the
# function: `torch.relu(x)` and `torch.where(x >= 0, x, 0)` compute the same values, but not the
# same gradient at 0. <q id="l3.kink_values">At 0, `relu` and `abs` give the gradient 0 and
# `where(x >= 0, x, 0)` gives 1; `max` over a tie splits the gradient into equal parts, while `max` along a dimension gives all
# of it to the index it returns.</q>

# %%
kinks = [
    ("relu", torch.relu, [0.0]),
    ("where(t >= 0, t, 0)", lambda t: torch.where(t >= 0, t, 0.0), [0.0]),
    ("abs", torch.abs, [0.0]),
    ("max", lambda t: t.max(), [1.0, 3.0, 3.0]),
    ("max(dim=0).values", lambda t: t.max(dim=0).values, [1.0, 3.0, 3.0]),
    ("maximum(t[0], t[1])", lambda t: torch.maximum(t[0], t[1]), [2.0, 2.0]),
]
rows = []
for name, function, point in kinks:
    t = torch.tensor(point, requires_grad=True)
    function(t).sum().backward()
    rows.append(f"{name:20} at {point}: grad {t.grad}")
show(*rows)

# %% [markdown] lang="pt"
# Nenhum desses números está errado. Para uma função convexa como essas, um **subgradiente** em
# $x$ é qualquer inclinação $g$ cuja reta (ou plano) por $(x, f(x))$ fica inteira abaixo do
# gráfico: $f(x + d) \ge f(x) + g \cdot d$ para todo passo $d$. Onde existe derivada, ela é o único
# subgradiente; num ponto anguloso há muitos, e o autograd escolhe um. No gráfico, as retas de
# inclinação −1, 0, 0,5 e 1 passam pelo ponto anguloso de $|x|$ sem cruzar o gráfico: todas são
# subgradientes em 0 (e o 0 é o que o autograd escolhe para `abs`).
# <q id="l3.kink_subgradients">Cada um desses números é um subgradiente: a reta (ou o plano) com
# essa inclinação fica abaixo da função, g·d ≤ f(x + d) − f(x) para todo passo d.</q>

# %% [markdown] lang="en"
# None of these numbers is wrong. For a convex function such as these, a **subgradient** at $x$
# is any slope $g$ whose line (or plane) through $(x, f(x))$ stays entirely below the graph:
# $f(x + d) \ge f(x) + g \cdot d$ for every step $d$. Where there is a derivative, it is the only
# subgradient; at a kink there are many, and autograd picks one. In the plot, the lines of slope
# −1, 0, 0.5 and 1 go through the kink of $|x|$ without crossing the graph: all of them are
# subgradients at 0 (and 0 is the one autograd picks for `abs`).
# <q id="l3.kink_subgradients">Each of those numbers is a subgradient: the line (or plane) with
# that slope stays below the function, g·d ≤ f(x + d) − f(x) for every step d.</q>

# %%
# [pt] Os textos do gráfico vêm no idioma desta edição
# [en] The plot's texts come in this edition's language
grid = torch.linspace(-1, 1, 201)
fig, ax = plt.subplots(figsize=(5.5, 3.2), layout="constrained")
ax.plot(grid, grid.abs(), linewidth=2.5, label="|x|")
for slope in (-1, 0, 0.5, 1):
    ax.plot(grid, slope * grid, linestyle="--", linewidth=1, label=message("lesson3.plot.slope", slope=slope))
ax.set_xlabel("x")
ax.set_title(message("lesson3.plot.subgradients"), fontsize=10)
ax.legend(fontsize=8, loc="center left", bbox_to_anchor=(1.0, 0.5))
ax.grid(True, alpha=0.3)

# %% [markdown] lang="pt"
# Há pontos piores que um ponto anguloso: um **salto**, onde a própria função é descontínua. A
# função $f(a)$ da lição 1 multiplica $a$ por 2 até a norma passar de 1000; o número de
# multiplicações muda em $a = 1000/2^{13} \approx 0{,}1221$, e ali $f$ cai de uns 2000 para 1000. O
# autograd deriva só o caminho que o código seguiu naquele $a$, um trecho reto, e não tem como
# saber que um pouco à direita o código seguiria outro caminho.
# <q id="l3.piecewise_jump">Logo abaixo de a = 1000/8192, o autograd dá f′(a) = 16384, a
# inclinação do trecho em que a está, embora f caia de cerca de 2000 para 1000 um fio mais à
# direita: um salto que o autograd não vê.</q>

# %% [markdown] lang="en"
# There are worse points than a kink: a **jump**, where the function itself is discontinuous.
# Lesson 1's $f(a)$ multiplies $a$ by 2 until the norm passes 1000; the number of multiplications
# changes at $a = 1000/2^{13} \approx 0.1221$, and there $f$ drops from about 2000 to 1000.
# Autograd differentiates only the path the code took at that $a$, a straight piece, and has no
# way to know that a little to the right the code would take another path.
# <q id="l3.piecewise_jump">Just below a = 1000/8192, autograd gives f′(a) = 16384, the slope of
# the piece a lies on, although f drops from about 2000 to 1000 a hair further right: a jump
# autograd does not see.</q>

# %%
# [pt] O número de multiplicações por 2 muda onde a · 2¹³ = 1000
# [en] The number of multiplications by 2 changes where a · 2¹³ = 1000
edge = 1000 / 2**13
rows = []
for a_value in (edge - 1e-6, edge + 1e-6):
    a = torch.tensor(a_value, dtype=torch.float64, requires_grad=True)
    value = f(a)
    value.backward()
    rows.append(f"a = {a_value:.7f}: f(a) = {value.item():8.3f}, autograd f'(a) = {a.grad.item():.0f}")
show(*rows)

# %%
grid = torch.linspace(0.11, 0.135, 501, dtype=torch.float64)
values = torch.stack([f(a) for a in grid])
fig, ax = plt.subplots(figsize=(5.5, 3.2), layout="constrained")
for piece in (grid < edge, grid >= edge):
    doublings = round(torch.log2(values[piece][0] / grid[piece][0]).item())
    ax.plot(grid[piece], values[piece], label=message("lesson3.plot.doublings", count=doublings))
ax.legend(fontsize=8)
ax.set_xlabel("a")
ax.set_ylabel("f(a)")
ax.set_title(message("lesson3.plot.jump"))
ax.grid(True, alpha=0.3)

# %% [markdown] lang="pt"
# Na prática, o salto quase nunca cai exatamente no seu ponto, e a descida do gradiente passa por
# ele sem perceber. O cuidado é saber que o gradiente descreve só o trecho em que você está: perto
# de um `if` que depende dos dados, um passo grande pode cair do outro lado.

# %% [markdown] lang="en"
# In practice, a jump almost never falls exactly at your point, and gradient descent walks across
# it without noticing. The care to take is to know that the gradient describes only the piece you
# are on: near an `if` that depends on the data, a large step can land on the other side.

# %% [markdown] lang="pt"
# Resta uma pergunta: o 0 que o autograd dá para `relu` em 0 é a derivada de `relu` ali? Para ser
# a derivada, as inclinações à esquerda e à direita teriam de coincidir.

# %% [markdown] lang="en"
# One question remains: is the 0 autograd gives for `relu` at 0 the derivative of `relu` there? To
# be the derivative, the slopes on the left and on the right would have to agree.

# %%
verify_cell(3, lesson=3)

# %% [markdown] lang="pt"
# ## 4. Operações que cortam o grafo
#
# O gradiente só chega a um parâmetro por um caminho do grafo computacional. Várias operações
# comuns saem do grafo: `.item()` e `.tolist()` devolvem números do Python, `.numpy()` devolve um
# array do NumPy, `argmax` devolve índices inteiros, e `torch.tensor(...)` cria um tensor novo,
# sem histórico, a partir de valores. O que vier depois delas não tem como mandar gradiente para
# trás.
#
# O jeito ruidoso de descobrir isso é o erro de `backward()`:
# <q id="l3.rewrap_has_no_history">`torch.tensor(pred.item())` é um tensor novo, sem `grad_fn`: a
# retropropagação a partir dele levanta `element 0 of tensors does not require grad and does not
# have a grad_fn`.</q> O jeito silencioso é pior: basta que outro termo da perda ainda dependa dos
# pesos, como a penalidade de decaimento de pesos $0{,}01 \sum_i w_i^2$, e `backward()` roda sem
# erro. <q id="l3.silent_cut">Com o decaimento de pesos ao lado, a mesma perda roda sem erro, e
# `w.grad` é só o gradiente do decaimento de pesos, 2 · 0,01 · w: nada do termo dos dados chega a
# w.</q> O treino "funciona", a perda dos dados não cai, e nenhuma mensagem diz por quê.

# %% [markdown] lang="en"
# ## 4. Operations that cut the graph
#
# The gradient reaches a parameter only along a path of the computational graph. Several common
# operations leave the graph: `.item()` and `.tolist()` return Python numbers, `.numpy()` returns a
# NumPy array, `argmax` returns integer indices, and `torch.tensor(...)` makes a new tensor, with
# no history, out of values. Whatever comes after them has no way of sending a gradient back.
#
# The loud way to find out is the error from `backward()`:
# <q id="l3.rewrap_has_no_history">`torch.tensor(pred.item())` is a new tensor with no `grad_fn`:
# a backward pass from it raises `element 0 of tensors does not require grad and does not have a
# grad_fn`.</q> The silent way is worse: it is enough that another term of the loss still depends
# on the weights, such as the weight decay penalty $0.01 \sum_i w_i^2$, and `backward()` runs
# without an error. <q id="l3.silent_cut">With the weight decay beside it, the same loss runs
# without an error, and `w.grad` is just the weight decay's gradient, 2 · 0.01 · w: nothing of the
# data term reaches w.</q> Training "works", the data loss does not go down, and no message says
# why.

# %%
w = torch.tensor([1.0, -2.0, 0.5], requires_grad=True)
inputs = torch.tensor([2.0, 1.0, -1.0])
pred = (w * inputs).sum()
rebuilt = torch.tensor(pred.item())
try:
    ((rebuilt - 1.0) ** 2).backward()
except RuntimeError as error:
    refused = error_text(error)
loss = (rebuilt - 1.0) ** 2 + 0.01 * (w ** 2).sum()
loss.backward()
show(refused, f"rebuilt.grad_fn: {rebuilt.grad_fn}", f"w.grad:   {w.grad}", f"2·0.01·w: {0.02 * w.detach()}")

# %% [markdown] lang="pt"
# A figura mostra o corte. À esquerda, o grafo de `pred` vai até a folha `w`; à direita, o grafo
# da perda só alcança `w` pelo decaimento de pesos, e o termo dos dados entra como uma entrada não
# rastreada (✂), sem caminho de volta até `pred`.

# %% [markdown] lang="en"
# The picture shows the cut. On the left, the graph of `pred` reaches the leaf `w`; on the right,
# the graph of the loss reaches `w` only through the weight decay, and the data term comes in as
# an untracked input (✂), with no path back to `pred`.

# %%
draw((pred, loss))

# %% [markdown] lang="pt"
# Os outros cortes avisam, ou não, cada um do seu jeito.
# <q id="l3.numpy_refused">`numpy()` recusa um tensor que exige gradiente (`Can't call numpy() on
# Tensor that requires grad`); `detach().numpy()` funciona, e o array compartilha a memória de
# `w`, mas fora do grafo.</q> <q id="l3.argmax_integer">`argmax` devolve um tensor de inteiros que
# não exige gradiente: nenhum gradiente passa por uma escolha.</q> Uma acurácia calculada com
# `argmax` serve para acompanhar o treino, não como perda. E montar um tensor com
# `torch.tensor([...])` a partir de tensores copia os números:
# <q id="l3.stack_keeps_graph">`torch.tensor([...])` de tensores que exigem gradiente copia os
# valores num tensor novo, que não exige gradiente; `torch.stack` mantém o grafo, e o gradiente
# chega a `w`.</q> O PyTorch até avisa (`Converting a tensor with requires_grad=True to a scalar
# may lead to unexpected behavior`), mas só na primeira vez em cada sessão: não conte com o aviso.

# %% [markdown] lang="en"
# The other cuts warn, or do not, each in its own way.
# <q id="l3.numpy_refused">`numpy()` refuses a tensor that requires grad (`Can't call numpy() on
# Tensor that requires grad`); `detach().numpy()` works, and the array shares the memory of `w`,
# but outside the graph.</q> <q id="l3.argmax_integer">`argmax` returns an integer tensor that
# does not require grad: no gradient flows through a choice.</q> An accuracy computed with
# `argmax` is for watching training, not a loss. And building a tensor with `torch.tensor([...])`
# out of tensors copies the numbers:
# <q id="l3.stack_keeps_graph">`torch.tensor([...])` of tensors that require grad copies the values
# into a new tensor that does not require grad; `torch.stack` keeps the graph, and the gradient
# reaches `w`.</q> PyTorch even warns (`Converting a tensor with requires_grad=True to a scalar may
# lead to unexpected behavior`), but only the first time in each session: do not count on the
# warning.

# %%
lines = []
try:
    w.numpy()
except RuntimeError as error:
    lines.append(error_text(error))
lines.append(f"w.detach().numpy(): {w.detach().numpy()}")
choice = w.argmax()
lines.append(f"w.argmax(): {choice}, dtype {choice.dtype}, requires_grad {choice.requires_grad}")
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    copied = torch.tensor([w[0] * 2, w[1] * 3])
lines.append(f"torch.tensor([...]): {copied}, requires_grad {copied.requires_grad}")
stacked = torch.stack([w[0] * 2, w[1] * 3])
w.grad = None
stacked.sum().backward()
lines.append(f"torch.stack([...]): grad_fn {type(stacked.grad_fn).__name__}, w.grad {w.grad}")
show(*lines)

# %% [markdown] lang="pt"
# Por fim, `.data` e `detach()`. Os dois dão um tensor que compartilha a memória e fica fora do
# grafo; a diferença é o que acontece quando você o altera in-place. `detach()` compartilha também
# o contador de versão da lição 2: o autograd percebe a mudança. `.data` não compartilha: o
# autograd não percebe nada.
# <q id="l3.data_hides_change">Uma mudança feita por `.data` passa despercebida: o contador de
# versão não se mexe, e a retropropagação de `exp` usa o resultado alterado, dando 2·exp(x) em vez
# de exp(x); a mesma mudança por `detach()` incrementa a versão, e a retropropagação
# recusa.</q> Um erro é melhor que um gradiente errado: use `detach()`, e para mudar parâmetros
# sem registrar, `with torch.no_grad():`.

# %% [markdown] lang="en"
# Last, `.data` and `detach()`. Both give a tensor that shares the memory and stays outside the
# graph; the difference is what happens when you change it in place. `detach()` also shares
# lesson 2's version counter: autograd notices the change. `.data` does not: autograd notices
# nothing.
# <q id="l3.data_hides_change">A change made through `.data` goes unnoticed: the version counter
# does not move, and the backward pass of `exp` uses the changed result, giving 2·exp(x) instead of
# exp(x); the same change through `detach()` bumps the version, and the backward pass
# refuses.</q> An error is better than a wrong gradient: use `detach()`, and to change parameters
# without recording, `with torch.no_grad():`.

# %%
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x.exp()
y.data.mul_(2)
y.sum().backward()
lines = [f".data:    y._version {y._version}, x.grad {x.grad}, exp(x) {x.detach().exp()}"]
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x.exp()
y.detach().mul_(2)
try:
    y.sum().backward()
except RuntimeError as error:
    lines.append(f"detach(): y._version {y._version}")
    lines.append(error_text(error))
show(*lines)

# %%
verify_cell(4, lesson=3)

# %% [markdown] lang="pt"
# ## 5. Folhas que dão errado
#
# Um parâmetro treinável tem de ser uma **folha** que exige gradiente: só as folhas recebem
# `.grad` (lição 2, seção 1), e é o `.grad` delas que o otimizador lê. Um jeito comum de
# inicializar pesos pequenos quebra isso sem aviso: `w = torch.randn(3, requires_grad=True) * 0.01`.
# A folha é o tensor que `torch.randn` criou; `w` é o resultado da multiplicação, um tensor
# intermediário.
# <q id="l3.scaled_not_leaf">`w = torch.randn(3, requires_grad=True) * 0.01` não é uma folha:
# depois da retropropagação, `w.grad` é `None`, e o gradiente foi para a folha sem nome que
# `torch.randn` criou; `(torch.randn(3) * 0.01).requires_grad_()` é uma folha, e o `.grad` dela é
# o gradiente.</q> A folha sem nome ainda pode ser alcançada pelo grafo, em
# `w.grad_fn.next_functions`, mas o otimizador nunca a vê. Os otimizadores do PyTorch até recusam
# um tensor assim (`can't optimize a non-leaf Tensor`); um passo escrito à mão encontra `w.grad`
# igual a `None`.

# %% [markdown] lang="en"
# ## 5. Leaves gone wrong
#
# A trainable parameter must be a **leaf** that requires grad: only leaves get a `.grad`
# (lesson 2, section 1), and it is their `.grad` the optimizer reads. A common way of initialising
# small weights breaks this without a warning: `w = torch.randn(3, requires_grad=True) * 0.01`.
# The leaf is the tensor `torch.randn` made; `w` is the result of the multiplication, an
# intermediate tensor.
# <q id="l3.scaled_not_leaf">`w = torch.randn(3, requires_grad=True) * 0.01` is not a leaf: after
# the backward pass, `w.grad` is `None`, and the gradient went to the nameless leaf that
# `torch.randn` made; `(torch.randn(3) * 0.01).requires_grad_()` is a leaf, and its `.grad` is the
# gradient.</q> The nameless leaf can still be reached through the graph, in
# `w.grad_fn.next_functions`, but the optimizer never sees it. PyTorch's optimizers even refuse
# such a tensor (`can't optimize a non-leaf Tensor`); a step written by hand finds `w.grad` to be
# `None`.

# %%
torch.manual_seed(0)
w = torch.randn(3, requires_grad=True) * 0.01
inputs = torch.tensor([1.0, 2.0, 3.0])
(w * inputs).sum().backward()
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    lost = w.grad
nameless = w.grad_fn.next_functions[0][0].variable
torch.manual_seed(0)
fixed = (torch.randn(3) * 0.01).requires_grad_()
(fixed * inputs).sum().backward()
show(f"w.is_leaf: {w.is_leaf}, w.grad_fn: {type(w.grad_fn).__name__}, w.grad: {lost}",
     error_text(caught[0].message),
     f"w.grad_fn.next_functions[0][0].variable.grad: {nameless.grad}",
     f"fixed.is_leaf: {fixed.is_leaf}, fixed.grad: {fixed.grad}")

# %% [markdown] lang="pt"
# O mesmo acontece com `.to(...)`. Mudar o dispositivo (`.to("cuda")`) ou o dtype de uma folha
# cria uma cópia, e a cópia é o resultado de uma operação registrada.
# <q id="l3.to_copies">`.to(torch.float64)`, como `.to(device)` para outro dispositivo, devolve um
# tensor novo, que não é folha; `.to("cpu")` de um tensor que já está na CPU devolve o próprio
# tensor; e `module.to(...)` troca os dados dos parâmetros no lugar, e eles continuam
# folhas.</q> Por isso os dois jeitos seguros são criar o tensor já no dispositivo e no dtype
# certos (`torch.randn(3, dtype=torch.float64, requires_grad=True)`), ou mover o modelo inteiro com
# `model.to(device)` antes de criar o otimizador.

# %% [markdown] lang="en"
# The same happens with `.to(...)`. Changing the device (`.to("cuda")`) or the dtype of a leaf
# makes a copy, and the copy is the result of a recorded operation.
# <q id="l3.to_copies">`.to(torch.float64)`, like `.to(device)` to another device, returns a new
# tensor that is not a leaf; `.to("cpu")` of a tensor already on the CPU returns the tensor
# itself; and `module.to(...)` swaps its parameters' data in place, and they stay leaves.</q>
# That is why the two safe ways are to create the tensor on the right device and dtype from the
# start (`torch.randn(3, dtype=torch.float64, requires_grad=True)`), or to move the whole model
# with `model.to(device)` before creating the optimizer.

# %%
w = torch.randn(3, requires_grad=True)
as_double = w.to(torch.float64)
layer = torch.nn.Linear(3, 1)
weight_before = layer.weight
layer.to(torch.float64)
show(f"w.to(torch.float64): is_leaf {as_double.is_leaf}, grad_fn {type(as_double.grad_fn).__name__}",
     f"w.to('cpu') is w: {w.to('cpu') is w}",
     f"after layer.to(torch.float64): layer.weight is weight_before {layer.weight is weight_before}, "
     f"is_leaf {layer.weight.is_leaf}, dtype {layer.weight.dtype}")

# %% [markdown] lang="pt"
# Uma folha que exige gradiente também não pode ser alterada in-place num cálculo registrado: o
# autograd não teria como derivar o que veio antes da mudança. O passo de descida do gradiente
# escrito à mão esbarra nisso.
# <q id="l3.leaf_update_needs_no_grad">`w -= lr * w.grad` fora de `torch.no_grad()` levanta `a leaf
# Variable that requires grad is being used in an in-place operation`; dentro de
# `torch.no_grad()`, a mesma linha atualiza `w`, que continua folha.</q>

# %% [markdown] lang="en"
# A leaf that requires grad cannot be changed in place in a recorded computation either: autograd
# would have no way to differentiate what came before the change. A gradient-descent step written
# by hand runs into this.
# <q id="l3.leaf_update_needs_no_grad">`w -= lr * w.grad` outside `torch.no_grad()` raises `a leaf
# Variable that requires grad is being used in an in-place operation`; inside `torch.no_grad()`,
# the same line updates `w`, which stays a leaf.</q>

# %%
w = torch.tensor([1.0, -2.0, 0.5], requires_grad=True)
(w ** 2).sum().backward()
lr = 0.1
try:
    w -= lr * w.grad
except RuntimeError as error:
    refused = error_text(error)
with torch.no_grad():
    w -= lr * w.grad
show(refused, f"with torch.no_grad(): w = {w}, is_leaf {w.is_leaf}")

# %% [markdown] lang="pt"
# Por último, a operação in-place dentro do modelo. `torch.nn.ReLU(inplace=True)` economiza
# memória escrevendo o resultado por cima da entrada; logo depois de uma camada que salvou a
# própria saída, isso estraga a retropropagação. A sigmoide salva a saída $\sigma$, porque a
# derivada dela é $\sigma(1 - \sigma)$.
# <q id="l3.inplace_relu_after_sigmoid">`nn.ReLU(inplace=True)` logo depois de uma sigmoide quebra a
# retropropagação: a sigmoide salvou a própria saída para calcular a derivada σ(1 − σ), e a ReLU a
# sobrescreveu (versão 0 → 1); com `inplace=False`, ou depois de uma camada linear, que não salva
# a saída, o gradiente é o de sempre.</q> A mensagem diz de quem era o tensor (`output 0 of
# Sigmoid`); a detecção de anomalias da seção 2 mostra, além disso, a linha do cálculo de ida que
# o criou.

# %% [markdown] lang="en"
# Last, an in-place operation inside the model. `torch.nn.ReLU(inplace=True)` saves memory by
# writing the result over its input; right after a layer that saved its own output, that breaks
# the backward pass. The sigmoid saves its output $\sigma$, because its derivative is
# $\sigma(1 - \sigma)$.
# <q id="l3.inplace_relu_after_sigmoid">`nn.ReLU(inplace=True)` right after a sigmoid breaks the
# backward pass: the sigmoid saved its own output to compute its derivative σ(1 − σ), and the ReLU
# overwrote it (version 0 → 1); with `inplace=False`, or after a linear layer, which does not save
# its output, the gradient is the usual one.</q> The message says whose tensor it was (`output 0
# of Sigmoid`); the anomaly detection of section 2 also shows the line of the forward pass that
# created it.

# %%
torch.manual_seed(0)
model = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Sigmoid(), torch.nn.ReLU(inplace=True),
                            torch.nn.Linear(4, 1))
x = torch.randn(5, 3)
lines = []
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    with torch.autograd.detect_anomaly():
        try:
            model(x).sum().backward()
        except RuntimeError as error:
            lines.append(error_text(error))
detected = [w for w in caught if "Error detected" in str(w.message)]
lines.append(forward_line(detected[0]))
model[2].inplace = False
model(x).sum().backward()
lines.append(f"inplace=False: model[0].weight.grad.norm() = {model[0].weight.grad.norm():.4f}")
show(*lines)

# %%
verify_cell(5, lesson=3)

# %% [markdown] lang="pt"
# ## 6. Memória que cresce
#
# Cada passo de treino monta um grafo novo, e a retropropagação libera os tensores salvos dele
# (lição 2, seção 3). O grafo inteiro só some quando nada mais aponta para ele. Um acumulador
# inocente aponta: `total_loss += loss` soma tensores, e o resultado guarda o `grad_fn` de cada
# perda somada.
#
# `graph_size` percorre o grafo de um tensor e conta os nós e os bytes dos tensores salvos que
# ainda estão vivos (cada bloco de memória uma vez, fora os parâmetros, que vivem de qualquer
# jeito).
# <q id="l3.total_loss_keeps_graphs">Depois de k passos de treino, `total_loss` alcança k cópias do
# grafo do passo: o número de nós cresce a mesma quantidade a cada passo; com `loss.item()`,
# `total_loss` é um número e não guarda nada.</q> No treino, a retropropagação já liberou os
# tensores salvos, e o que se acumula são os nós. Numa avaliação sem `torch.no_grad()`, em que
# ninguém chama `backward()`, é pior:
# <q id="l3.eval_loop_keeps_saved">num laço de avaliação sem `torch.no_grad()`, `total += loss`
# mantém vivos os tensores salvos de cada passo: os bytes crescem a mesma quantidade a cada passo;
# dentro de `torch.no_grad()`, nada é salvo.</q>

# %% [markdown] lang="en"
# ## 6. Memory that grows
#
# Every training step builds a new graph, and the backward pass frees its saved tensors (lesson 2,
# section 3). The whole graph goes away only when nothing points to it any more. An innocent
# accumulator does point to it: `total_loss += loss` adds tensors, and the result keeps the
# `grad_fn` of every loss added.
#
# `graph_size` walks a tensor's graph and counts the nodes and the bytes of the saved tensors that
# are still alive (each block of memory once, leaving out the parameters, which live anyway).
# <q id="l3.total_loss_keeps_graphs">After k training steps, `total_loss` reaches k copies of the
# step's graph: the number of nodes grows by the same amount at every step; with `loss.item()`,
# `total_loss` is a number and keeps nothing.</q> In training, the backward pass has already freed
# the saved tensors, and what piles up are the nodes. In an evaluation without `torch.no_grad()`,
# where nobody calls `backward()`, it is worse:
# <q id="l3.eval_loop_keeps_saved">in an evaluation loop without `torch.no_grad()`,
# `total += loss` keeps every step's saved tensors alive: the bytes grow by the same amount at
# every step; inside `torch.no_grad()`, nothing is saved.</q>

# %% shares="graph_size"
def graph_size(tensor, parameters=()):
    # [pt] Os nós alcançáveis a partir de tensor.grad_fn, e os bytes dos tensores salvos ainda vivos
    # [en] The nodes reachable from tensor.grad_fn, and the bytes of the saved tensors still alive
    if not isinstance(tensor, torch.Tensor) or tensor.grad_fn is None:
        return 0, 0
    own = {p.untyped_storage().data_ptr() for p in parameters}
    seen, stack, blocks = set(), [tensor.grad_fn], {}
    while stack:
        node = stack.pop()
        if node is None or node in seen:
            continue
        seen.add(node)
        for name in dir(node):
            if not name.startswith("_saved_"):
                continue
            try:
                value = getattr(node, name)
            except RuntimeError:
                # [pt] Liberado por uma retropropagação
                # [en] Freed by a backward pass
                continue
            if isinstance(value, torch.Tensor) and value.untyped_storage().data_ptr() not in own:
                blocks[value.untyped_storage().data_ptr()] = value.untyped_storage().nbytes()
        stack.extend(child for child, _ in node.next_functions)
    return len(seen), sum(blocks.values())


# %%
def batches(steps):
    generator = torch.Generator().manual_seed(1)
    return [(torch.randn(16, 3, generator=generator), torch.randn(16, 1, generator=generator))
            for _ in range(steps)]


def run(steps, keep, train):
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Linear(3, 8), torch.nn.Tanh(), torch.nn.Linear(8, 1))
    optimizer = torch.optim.SGD(net.parameters(), lr=0.1)
    total, sizes = 0, []
    for x, y in batches(steps):
        loss = ((net(x) - y) ** 2).mean()
        if train:
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        total += keep(loss)
        sizes.append(graph_size(total, net.parameters()))
    return sizes


steps = 30
leaking = run(steps, lambda loss: loss, train=True)
fixed = run(steps, lambda loss: loss.item(), train=True)
evaluating = run(steps, lambda loss: loss, train=False)
show(f"leaking:    nodes={[n for n, _ in leaking[:4]]} … {leaking[-1][0]}",
     f"fixed:      nodes={[n for n, _ in fixed[:4]]} … {fixed[-1][0]}",
     f"evaluating: saved_bytes={[b for _, b in evaluating[:4]]} … {evaluating[-1][1]}")

# %% [markdown] lang="pt"
# O mesmo vazamento aparece numa rede recorrente, de um jeito mais sutil: o **estado oculto** `h`
# de um passo entra no passo seguinte e leva junto o grafo que o produziu. Sem `detach()`, a
# segunda retropropagação tenta passar de novo pelo grafo do primeiro passo, já liberado. Quem
# acrescenta `retain_graph=True` para calar o erro ganha outro: `optimizer.step()` mudou in-place
# os pesos que o grafo antigo tinha salvado.
# <q id="l3.rnn_second_backward">Levado ao passo seguinte sem `detach()`, o estado oculto carrega o
# grafo do passo anterior: a segunda retropropagação levanta `Trying to backward through the graph
# a second time`; com `retain_graph=True`, uma retropropagação mais adiante levanta o erro de
# operação in-place, porque `optimizer.step()` mudou os pesos que o grafo antigo salvou.</q>

# %% [markdown] lang="en"
# The same leak shows up in a recurrent network, more subtly: the **hidden state** `h` of one step
# enters the next step and brings along the graph that produced it. Without `detach()`, the second
# backward pass tries to go through the first step's graph again, already freed. Whoever adds
# `retain_graph=True` to silence the error gets another one: `optimizer.step()` changed in place
# the weights the old graph had saved.
# <q id="l3.rnn_second_backward">Carried into the next step without `detach()`, the hidden state
# brings the previous step's graph along: the second backward pass raises `Trying to backward
# through the graph a second time`; with `retain_graph=True`, a later backward pass raises the
# in-place error, because `optimizer.step()` changed the weights the old graph saved.</q>

# %%
sequence = torch.randn(40, 1, 4, generator=torch.Generator().manual_seed(2))
lines = []
for retain in (False, True):
    torch.manual_seed(0)
    cell = torch.nn.RNNCell(4, 8)
    optimizer = torch.optim.SGD(cell.parameters(), lr=0.1)
    h = torch.zeros(1, 8)
    for t, x in enumerate(sequence):
        h = cell(x, h)
        loss = h.pow(2).mean()
        optimizer.zero_grad()
        try:
            loss.backward(retain_graph=retain)
        except RuntimeError as error:
            lines.append(f"retain_graph={retain}, step {t}: {error_text(error)}")
            break
        optimizer.step()
show(*lines)

# %% [markdown] lang="pt"
# Desenhado depois de 40 passos sem `detach()` (e sem retropropagação no meio), o grafo da perda
# guarda os 40: `draw` dobra a repetição num quadro só, com o número de vezes que o bloco se
# repete. O primeiro passo fica de fora do quadro porque começou de um `h` de zeros, sem grafo.
# (A célula do desenho não tem vieses, para a figura ficar menor.)

# %% [markdown] lang="en"
# Drawn after 40 steps without `detach()` (and with no backward pass in between), the loss's graph
# holds all 40: `draw` folds the repetition into one frame, with the number of times the block
# repeats. The first step stays outside the frame because it started from an `h` of zeros, with no
# graph. (The cell in the picture has no biases, to keep the picture small.)

# %%
torch.manual_seed(0)
cell = torch.nn.RNNCell(4, 8, bias=False)
h = torch.zeros(1, 8)
for x in sequence:
    h = cell(x, h)
loss = h.pow(2).mean()
draw(loss)

# %% [markdown] lang="pt"
# O conserto é a **retropropagação truncada no tempo**: a cada k passos, calcular a perda desses k
# passos, fazer a retropropagação e cortar o estado oculto com `h = h.detach()`. O valor de `h`
# segue adiante; o grafo, não. O gradiente deixa de ver mais de k passos para trás, e em troca a
# memória fica limitada.
# <q id="l3.truncated_bptt_bounded">Com o estado oculto separado do grafo a cada k passos, o grafo
# nunca guarda mais que k passos: o número de nós se repete com período k, enquanto sem
# `detach()` ele cresce a mesma quantidade a cada passo.</q> O gráfico mostra as duas contagens
# passo a passo (sem `detach()`, com `retain_graph=True` e sem `optimizer.step()`, para o erro não
# parar o laço).

# %% [markdown] lang="en"
# The fix is **truncated backpropagation through time**: every k steps, compute the loss of those
# k steps, run the backward pass and cut the hidden state with `h = h.detach()`. The value of `h`
# goes on; the graph does not. The gradient no longer sees more than k steps back, and in exchange
# memory stays bounded.
# <q id="l3.truncated_bptt_bounded">With the hidden state detached every k steps, the graph never
# holds more than k steps: its number of nodes repeats with period k, while without `detach()` it
# grows by the same amount at every step.</q> The plot shows both counts step by step (without
# `detach()`, with `retain_graph=True` and no `optimizer.step()`, so that the error does not stop
# the loop).

# %%
def rnn_sizes(chunk):
    torch.manual_seed(0)
    cell = torch.nn.RNNCell(4, 8)
    optimizer = torch.optim.SGD(cell.parameters(), lr=0.1)
    h, chunk_loss, sizes = torch.zeros(1, 8), 0, []
    for t, x in enumerate(sequence):
        h = cell(x, h)
        chunk_loss = chunk_loss + h.pow(2).mean()
        sizes.append(graph_size(chunk_loss, cell.parameters())[0])
        if chunk is None:
            chunk_loss.backward(retain_graph=True)
            chunk_loss = 0
        elif (t + 1) % chunk == 0:
            optimizer.zero_grad()
            chunk_loss.backward()
            optimizer.step()
            h, chunk_loss = h.detach(), 0
    return sizes


carried, truncated = rnn_sizes(None), rnn_sizes(5)
fig, ax = plt.subplots(figsize=(5.5, 3.2), layout="constrained")
ax.plot(range(1, len(carried) + 1), carried, label=message("lesson3.plot.carried"))
ax.plot(range(1, len(truncated) + 1), truncated, label=message("lesson3.plot.truncated", k=5))
ax.set_xlabel(message("lesson3.plot.time_step"))
ax.set_ylabel(message("lesson3.plot.nodes"))
ax.set_title(message("lesson3.plot.rnn_title"))
ax.legend(fontsize=8)
ax.grid(True, alpha=0.3)

# %%
verify_cell(6, lesson=3)

# %% [markdown] lang="pt"
# ## 7. Trocar cálculo por memória
#
# Numa rede funda, o que mais ocupa memória no treino são os tensores salvos: as ativações de cada
# camada, guardadas do cálculo de ida até a retropropagação. O **checkpointing de ativações**
# (`torch.utils.checkpoint.checkpoint`) troca memória por cálculo: dentro de um bloco marcado, o
# cálculo de ida não salva nada além da entrada do bloco, e a retropropagação roda o bloco de novo
# para recuperar o que precisa.
#
# Abaixo, seis blocos residuais, cada um com duas camadas lineares (64 → 256 → 64) e uma GELU no
# meio. Um gancho de empacotamento conta os bytes salvos (fora os parâmetros), e
# `torch.utils.flop_counter.FlopCounterMode` conta as operações de ponto flutuante (FLOPs) das
# multiplicações de matrizes no cálculo de ida e na retropropagação. As duas contagens são exatas:
# não dependem da máquina, ao contrário de um tempo medido.

# %% [markdown] lang="en"
# ## 7. Trading compute for memory
#
# In a deep network, what takes the most memory in training is the saved tensors: each layer's
# activations, kept from the forward pass until the backward pass. **Activation checkpointing**
# (`torch.utils.checkpoint.checkpoint`) trades memory for compute: inside a marked block, the
# forward pass saves nothing but the block's input, and the backward pass runs the block again to
# get back what it needs.
#
# Below, six residual blocks, each with two linear layers (64 → 256 → 64) and a GELU in between. A
# pack hook counts the saved bytes (leaving out the parameters), and
# `torch.utils.flop_counter.FlopCounterMode` counts the floating-point operations (FLOPs) of the
# matrix products in the forward and backward passes. Both counts are exact: they do not depend
# on the machine, unlike a measured time.

# %% shares=["residual_blocks", "saved_bytes"]
def residual_blocks():
    torch.manual_seed(0)
    return torch.nn.ModuleList(
        torch.nn.Sequential(torch.nn.Linear(64, 256), torch.nn.GELU(), torch.nn.Linear(256, 64)) for _ in range(6)
    )


def saved_bytes(run, parameters):
    own = {p.untyped_storage().data_ptr() for p in parameters}
    blocks = {}

    def pack(tensor):
        if tensor.untyped_storage().data_ptr() not in own:
            blocks[tensor.untyped_storage().data_ptr()] = tensor.untyped_storage().nbytes()
        return tensor

    with torch.autograd.graph.saved_tensors_hooks(pack, lambda tensor: tensor):
        out = run()
    return out, sum(blocks.values())


# %%
blocks = residual_blocks()
batch = torch.randn(32, 64, generator=torch.Generator().manual_seed(3))


def plain(x):
    for block in blocks:
        x = x + block(x)
    return x


def checkpointed(x):
    for block in blocks:
        x = x + checkpoint(block, x, use_reentrant=False)
    return x


rows, grads = [], []
for forward in (plain, checkpointed):
    x = batch.clone().requires_grad_(True)
    out, size = saved_bytes(lambda: forward(x), blocks.parameters())
    with FlopCounterMode(display=False) as flops:
        blocks.zero_grad()
        forward(x).pow(2).mean().backward()
    grads.append([p.grad.clone() for p in blocks.parameters()])
    rows.append(f"{forward.__name__:12} saved_bytes={size:6}  flops={flops.get_total_flops()}")
same = all(torch.equal(a, b) for a, b in zip(*grads, strict=True))
show(*rows, f"same gradients: {same}")

# %% [markdown] lang="pt"
# <q id="l3.checkpoint_saves_inputs">Com checkpointing, o cálculo de ida só salva a entrada de cada
# bloco, 6 × 32 × 64 números de 4 bytes, nove vezes menos que sem ele.</q>
# <q id="l3.checkpoint_same_gradients">Os gradientes são exatamente os mesmos, bit a bit: a
# retropropagação refaz as mesmas contas, na mesma ordem.</q> O preço é o cálculo.
# <q id="l3.checkpoint_recomputes">Na retropropagação, cada bloco roda de novo até o último tensor de
# que ela precisa, aqui a primeira camada linear e a GELU: são 2 × 32 × 64 × 256 FLOPs a mais por
# bloco, 7/6 do total sem checkpointing.</q> A segunda camada não é refeita porque a saída dela não
# é salva por ninguém; com `torch.utils.checkpoint.set_checkpoint_early_stop(False)`, o bloco
# inteiro seria refeito. Numa rede grande, a troca costuma valer a pena: memória é o que limita o
# tamanho do lote e do modelo.

# %% [markdown] lang="en"
# <q id="l3.checkpoint_saves_inputs">With checkpointing, the forward pass saves only each block's
# input, 6 × 32 × 64 numbers of 4 bytes, nine times less than without it.</q>
# <q id="l3.checkpoint_same_gradients">The gradients are exactly the same, bit for bit: the backward
# pass redoes the same computations, in the same order.</q> The price is compute.
# <q id="l3.checkpoint_recomputes">In the backward pass, each block runs again up to the last tensor
# the backward pass needs, here the first linear layer and the GELU: that is 2 × 32 × 64 × 256 more
# FLOPs per block, 7/6 of the total without checkpointing.</q> The second layer is not redone
# because nobody saves its output; with `torch.utils.checkpoint.set_checkpoint_early_stop(False)`,
# the whole block would be redone. In a big network the trade is usually worth it: memory is what
# limits the size of the batch and of the model.

# %%
verify_cell(7, lesson=3)

# %% [markdown] lang="pt"
# ## 8. Gradientes que explodem e que desaparecem
#
# Numa rede funda, o gradiente que chega à primeira camada é um produto de muitos fatores, um por
# camada (a regra da cadeia da lição 1). Se esses fatores são quase sempre menores que 1, o
# produto encolhe exponencialmente: é o **desaparecimento do gradiente**, e as primeiras camadas
# quase não aprendem. Se são maiores que 1, o produto cresce exponencialmente: é a **explosão do
# gradiente**, e um único passo joga os pesos longe.
#
# Um gancho de módulo (lição 2, seção 7) em cada camada linear anota a norma do gradiente em
# relação à saída dela. Abaixo, quatro pilhas de 20 camadas de largura 32: com sigmoide; com ReLU
# e a inicialização de He (pesos com desvio padrão $\sqrt{2/n}$); com ReLU e conexões residuais,
# cujos ramos começam com pesos pequenos (0,2 do padrão); e sem ativação, com pesos 1,5 vezes
# maiores que o padrão.

# %% [markdown] lang="en"
# ## 8. Exploding and vanishing gradients
#
# In a deep network, the gradient that reaches the first layer is a product of many factors, one
# per layer (lesson 1's chain rule). If these factors are mostly below 1, the product shrinks
# exponentially: that is the **vanishing gradient**, and the first layers hardly learn. If they are
# above 1, the product grows exponentially: that is the **exploding gradient**, and a single step
# throws the weights far away.
#
# A module hook (lesson 2, section 7) on each linear layer notes the norm of the gradient with
# respect to its output. Below, four stacks of 20 layers of width 32: with sigmoid; with ReLU and
# He initialization (weights with standard deviation $\sqrt{2/n}$); with ReLU and residual
# connections, whose branches start with small weights (0.2 of the default); and with no
# activation, with weights 1.5 times larger than the default.

# %% shares="layer_norms"
def layer_norms(activation, gain, residual=False, depth=20, width=32):
    generator = torch.Generator().manual_seed(4)
    layers = [torch.nn.Linear(width, width, bias=False) for _ in range(depth)]
    norms = [None] * depth

    def note(i):
        def hook(module, grad_input, grad_output):
            norms[i] = grad_output[0].norm().item()
        return hook

    for i, layer in enumerate(layers):
        with torch.no_grad():
            layer.weight.copy_(torch.randn(width, width, generator=generator) * gain / width ** 0.5)
        layer.register_full_backward_hook(note(i))
    # [pt] A entrada exige gradiente: assim o gancho de cada camada recebe também o gradiente da entrada dela
    # [en] The input requires grad: so every layer's hook also receives the gradient of its input
    inputs = torch.randn(16, width, generator=generator, requires_grad=True)
    h = inputs
    for layer in layers:
        h = h + activation(layer(h)) if residual else activation(layer(h))
    h.pow(2).mean().backward()
    return norms, layers, inputs


# %%
# [pt] (nome no gráfico, ativação, ganho dos pesos, conexões residuais)
# [en] (name in the plot, activation, gain of the weights, residual connections)
stacks = {
    "sigmoid": (torch.sigmoid, 1.0, False),
    "relu": (torch.relu, 2 ** 0.5, False),
    "residual": (torch.relu, 0.2, True),
    "linear": (lambda t: t, 1.5, False),
}
norms = {name: layer_norms(*stack)[0] for name, stack in stacks.items()}
show(*(f"{name:9} norms[0]={values[0]:.2e}  norms[-1]={values[-1]:.2e}" for name, values in norms.items()))


def plot_stacks(names, title):
    # [pt] Uma figura por par de pilhas: o eixo vertical é logarítmico
    # [en] One figure per pair of stacks: the vertical axis is logarithmic
    _, ax = plt.subplots(figsize=(5.5, 3.2), layout="constrained")
    for name in names:
        ax.plot(range(1, len(norms[name]) + 1), norms[name], marker=".",
                label=message(f"lesson3.plot.stack_{name}", gain=stacks[name][1]))
    ax.set_yscale("log")
    ax.set_xticks([1, 5, 10, 15, 20])
    ax.set_xlabel(message("lesson3.plot.layer"))
    ax.set_ylabel(message("lesson3.plot.grad_norm"))
    ax.set_title(message(title))
    ax.legend(fontsize=8)
    ax.grid(True, alpha=0.3)


# %%
plot_stacks(["sigmoid", "relu"], "lesson3.plot.vanishing")

# %%
plot_stacks(["linear", "residual"], "lesson3.plot.exploding")

# %% [markdown] lang="pt"
# A sigmoide explica o próprio desaparecimento: a derivada dela nunca passa de 1/4, o valor em 0.
# Voltando uma camada, o gradiente é multiplicado pelos pesos e pela derivada da ativação, e a
# norma do resultado não passa do produto das normas.
# <q id="l3.sigmoid_bound">Voltando uma camada com sigmoide, a norma do gradiente é multiplicada no
# máximo por 1/4 vezes o maior valor singular dos pesos da camada: aqui isso fica abaixo de 1, e o
# gradiente encolhe camada após camada.</q>
# <q id="l3.vanishing_and_stable">Depois de 20 camadas com sigmoide, o gradiente na primeira camada é
# mais de um bilhão de vezes menor que na última; com ReLU e a inicialização de He, ele fica dentro
# de um fator 10.</q> Por isso redes fundas usam ReLU (ou parentes dela), inicializações como a de
# He, conexões residuais e normalização.

# %% [markdown] lang="en"
# The sigmoid explains its own vanishing: its derivative never exceeds 1/4, its value at 0. Going
# back one layer, the gradient is multiplied by the weights and by the activation's derivative,
# and the norm of the result does not exceed the product of the norms.
# <q id="l3.sigmoid_bound">Going back through a sigmoid layer, the gradient's norm is multiplied by
# at most 1/4 times the largest singular value of the layer's weights: here that stays below 1, and
# the gradient shrinks layer after layer.</q>
# <q id="l3.vanishing_and_stable">After 20 sigmoid layers, the gradient at the first layer is more
# than a billion times smaller than at the last; with ReLU and He initialization it stays within a
# factor of 10.</q> That is why deep networks use ReLU (or its relatives), initializations such as
# He's, residual connections and normalization.

# %% [markdown] lang="pt"
# Para a explosão, o remédio de emergência é o **recorte do gradiente**: antes de
# `optimizer.step()`, limitar o gradiente. Há dois jeitos, e eles não são equivalentes.
# `torch.nn.utils.clip_grad_norm_` calcula a norma de todos os gradientes juntos e, se ela passar
# do limite, multiplica todos pelo mesmo fator. `torch.nn.utils.clip_grad_value_` limita cada
# elemento ao intervalo $[-c, c]$, um por um.
# <q id="l3.clip_norm_keeps_direction">`clip_grad_norm_` devolve a norma total antes do recorte e
# multiplica todos os gradientes pelo mesmo fator: depois dele a norma total é o limite, e a direção
# é a mesma; `clip_grad_value_` limita cada elemento, e a direção muda.</q> O passo recortado pela
# norma ainda desce na direção do gradiente, só que mais curto.

# %% [markdown] lang="en"
# For exploding gradients, the emergency remedy is **gradient clipping**: before
# `optimizer.step()`, limit the gradient. There are two ways, and they are not equivalent.
# `torch.nn.utils.clip_grad_norm_` computes the norm of all the gradients together and, if it
# exceeds the limit, multiplies all of them by the same factor. `torch.nn.utils.clip_grad_value_`
# limits each element to the interval $[-c, c]$, one by one.
# <q id="l3.clip_norm_keeps_direction">`clip_grad_norm_` returns the total norm before clipping and
# multiplies every gradient by the same factor: afterwards the total norm is the limit, and the
# direction is the same; `clip_grad_value_` limits each element, and the direction changes.</q> A
# step clipped by norm still goes down along the gradient, only shorter.

# %%
def flat_grads(layers):
    return torch.cat([layer.weight.grad.reshape(-1) for layer in layers])


_, layers, _ = layer_norms(lambda t: t, 1.5)
before = flat_grads(layers)
total = torch.nn.utils.clip_grad_norm_([layer.weight for layer in layers], max_norm=1.0)
by_norm = flat_grads(layers)
_, layers, _ = layer_norms(lambda t: t, 1.5)
torch.nn.utils.clip_grad_value_([layer.weight for layer in layers], clip_value=0.01)
by_value = flat_grads(layers)
cosine = torch.nn.functional.cosine_similarity
show(f"before.norm(): {before.norm():.4g}  clip_grad_norm_ returned: {total:.4g}",
     f"by_norm.norm():  {by_norm.norm():.4f}  cosine(by_norm, before):  {cosine(by_norm, before, dim=0):.4f}",
     f"by_value.norm(): {by_value.norm():.4f}  cosine(by_value, before): {cosine(by_value, before, dim=0):.4f}")

# %%
verify_cell(8, lesson=3)

# %% [markdown] lang="pt"
# ## Resumo
#
# - Olhe o `.grad` de cada parâmetro depois de `backward()`: `None`, NaN ou infinitos, ou uma norma
#   fora do comum dizem onde procurar.
# - Um **gradiente NaN** com valores finitos vem de um ramo não usado (`where`), de uma raiz ou de
#   uma divisão em 0, ou de `log(softmax)`. Conserte com o `where` duplo,
#   `torch.linalg.vector_norm`, `log_softmax` e `logsumexp`; a **detecção de anomalias** aponta a
#   operação culpada.
# - Num **ponto anguloso**, o autograd devolve um **subgradiente** e não avisa; num salto, ele só
#   vê o trecho em que você está.
# - `.item()`, `.numpy()`, `argmax` e `torch.tensor(...)` cortam o grafo; `torch.stack` não. Prefira
#   `detach()` a `.data`: um erro é melhor que um gradiente errado.
# - Um parâmetro tem de ser uma folha: escale antes de `requires_grad_()`, crie no dispositivo certo,
#   atualize dentro de `torch.no_grad()`, e cuidado com `inplace=True` depois de uma camada que
#   salva a saída.
# - `total_loss += loss.item()`, não `+= loss`; avalie dentro de `torch.no_grad()`; numa rede
#   recorrente, `h.detach()` a cada k passos (**retropropagação truncada no tempo**).
# - O **checkpointing de ativações** troca memória por cálculo, com os mesmos gradientes.
# - **Explosão do gradiente** e **desaparecimento do gradiente** se veem com ganchos, camada por
#   camada; o **recorte do gradiente** pela norma mantém a direção, o recorte por valor não.

# %% [markdown] lang="en"
# ## Summary
#
# - Look at every parameter's `.grad` after `backward()`: `None`, NaN or infinite values, or an
#   unusual norm tell you where to look.
# - A **NaN gradient** with finite values comes from an unused branch (`where`), a square root or a
#   division at 0, or `log(softmax)`. Fix it with the double `where`, `torch.linalg.vector_norm`,
#   `log_softmax` and `logsumexp`; **anomaly detection** points to the guilty operation.
# - At a **kink**, autograd returns a **subgradient** and does not warn; at a jump, it only sees the
#   piece you are on.
# - `.item()`, `.numpy()`, `argmax` and `torch.tensor(...)` cut the graph; `torch.stack` does not.
#   Prefer `detach()` to `.data`: an error is better than a wrong gradient.
# - A parameter must be a leaf: scale before `requires_grad_()`, create it on the right device,
#   update it inside `torch.no_grad()`, and beware of `inplace=True` after a layer that saves its
#   output.
# - `total_loss += loss.item()`, not `+= loss`; evaluate inside `torch.no_grad()`; in a recurrent
#   network, `h.detach()` every k steps (**truncated backpropagation through time**).
# - **Activation checkpointing** trades memory for compute, with the same gradients.
# - **Exploding gradients** and **vanishing gradients** show up with hooks, layer by layer;
#   **gradient clipping** by norm keeps the direction, clipping by value does not.
