# %% [markdown] lang="pt"
# # Lição 4 — Construa o seu próprio autograd
#
# Nas lições 1 a 3, o autograd do PyTorch foi uma caixa: você escrevia o cálculo de ida, chamava
# `backward()` e lia `.grad`. Nesta lição você abre a caixa e constrói um **motor** de
# diferenciação automática em modo reverso, pequeno, sobre tensores: um valor que lembra de onde
# veio, uma regra local para cada operação, a retropropagação que percorre o grafo computacional
# ao contrário, e o mesmo cálculo em modo direto, com números duais. A cada passo, o resultado é
# conferido com o do PyTorch.
#
# **Como ler esta lição.** Ela pressupõe as lições 1 e 2. No fim de cada seção, `verify_cell(k,
# lesson=4)` confere as frases da seção k, cada uma numa linha: ✔ **vale**, ≈ **vale a menos de
# arredondamento** ou ✘ **não vale**. Clique na linha para ver o que foi conferido e o que foi
# encontrado. Nos exercícios, você escreve as regras que faltam e o verificador compara o seu motor
# com o PyTorch em programas escondidos.
#
# Execute as células em ordem (Shift+Enter). Roteiro:
#
# 1. Um valor que lembra de onde veio
# 2. Regras locais
# 3. Modo reverso
# 4. Broadcasting
# 5. Produto de matrizes
# 6. O nosso grafo ao lado do grafo do PyTorch
# 7. Uma rede pequena, treinada pelos dois motores
# 8. Modo direto com números duais

# %% [markdown] lang="en"
# # Lesson 4 — Build your own autograd
#
# In lessons 1 to 3, PyTorch's autograd was a box: you wrote the forward pass, called
# `backward()` and read `.grad`. In this lesson you open the box and build a small reverse-mode
# automatic differentiation **engine** on tensors: a value that remembers where it came from, a
# local rule for each operation, the backward pass that walks the computational graph in reverse,
# and the same computation in forward mode, with dual numbers. At every step, the result is
# checked against PyTorch's.
#
# **How to read this lesson.** It assumes lessons 1 and 2. At the end of each section,
# `verify_cell(k, lesson=4)` checks the sentences of section k, one line each: ✔ **holds**,
# ≈ **holds up to rounding** or ✘ **does not hold**. Click a line to see what was checked and what
# was found. In the exercises, you write the missing rules and the checker compares your engine
# with PyTorch on hidden programs.
#
# Run the cells in order (Shift+Enter). Outline:
#
# 1. A value that remembers where it came from
# 2. Local rules
# 3. Reverse mode
# 4. Broadcasting
# 5. Matrix product
# 6. Our graph next to PyTorch's
# 7. A tiny network, trained by both engines
# 8. Forward mode with dual numbers

# %%
# [pt] Funções auxiliares da lição, com mensagens em português
# [en] The lesson's helpers, with messages in English
import re
import sys
import textwrap

import matplotlib.pyplot as plt
import torch

from autograd_lessons import describe_figures, draw, draw_side_by_side, set_language, verify_cell
from autograd_lessons.engine_graph import engine_graph
from autograd_lessons.i18n import message
from autograd_lessons.lessons.own_autograd import engine

set_language("en")
# [pt] Cada figura ganha uma descrição em texto, para leitores de tela e para o site
# [en] Every figure gets a text description, for screen readers and for the site
describe_figures()
# [pt] Tudo em float64, o tipo do motor: os tensores aparecem sem "dtype=" e as comparações são justas
# [en] Everything in float64, the engine's dtype: tensors print without "dtype=" and comparisons are fair
torch.set_default_dtype(torch.float64)
# [pt] Duas contas certas em float64 diferem no máximo em alguns arredondamentos: muito menos que isto
# [en] Two right float64 computations differ by a few roundings at most: far less than this
ROUNDING = 1e-12


def same(ours, theirs):
    # [pt] Iguais a menos de arredondamento, e com o mesmo formato
    # [en] Equal up to rounding, and of the same shape
    return ours.shape == theirs.shape and torch.allclose(ours, theirs, rtol=ROUNDING, atol=ROUNDING)


def error_text(error):
    # [pt] O tipo e a primeira linha da mensagem, como o aluno os veria
    # [en] The type and the first line of the message, as a learner would see them
    line = re.sub(r" \(Triggered internally at [^)]*\)", "", str(error).splitlines()[0])
    return textwrap.fill(f"{type(error).__name__}: {line}", width=100, subsequent_indent="    ")


def show(*lines):
    # [pt] Escreve todas as linhas de uma vez: uma só saída por célula, igual em toda execução
    # [en] Writes all the lines at once: a single output per cell, the same on every run
    sys.stdout.write("\n".join(str(line) for line in lines) + "\n")


# %% [markdown] lang="pt"
# ## 1. Um valor que lembra de onde veio
#
# O autograd precisa de duas coisas de cada tensor intermediário: o **valor** calculado no
# cálculo de ida e a **origem** dele, isto é, a operação que o produziu e os valores de que ela
# partiu. Com isso ele monta o grafo computacional que a lição 2 desenhou. O nosso motor guarda
# as duas coisas num objeto, `Value`:
#
# - `data`: o tensor calculado;
# - `_prev`: os valores de que ele foi calculado (os **pais**), em ordem;
# - `_op`: o nome da operação (`""` para uma entrada);
# - `grad`: o gradiente, que começa com zeros e que a retropropagação vai preencher;
# - `_backward`: a regra local da operação, que a seção 2 escreve.
#
# O valor guardado é um tensor do PyTorch, e não um array do NumPy, por três motivos. As contas
# seguem as mesmas regras do PyTorch: o mesmo broadcasting e os mesmos tipos (um `float64` com um
# `float64` dá `float64`). Os resultados podem ser comparados com os do PyTorch número por número,
# porque são as mesmas funções que calculam. E o autograd do PyTorch fica desligado: um tensor
# criado assim não exige gradiente, então todo gradiente que aparecer nesta lição foi o nosso
# motor que calculou.

# %% [markdown] lang="en"
# ## 1. A value that remembers where it came from
#
# Autograd needs two things from every intermediate tensor: the **value** computed in the forward
# pass and its **origin**, that is, the operation that produced it and the values it started from.
# With them it builds the computational graph that lesson 2 drew. Our engine keeps both in an
# object, `Value`:
#
# - `data`: the tensor computed;
# - `_prev`: the values it was computed from (its **parents**), in order;
# - `_op`: the operation's name (`""` for an input);
# - `grad`: the gradient, which starts as zeros and which the backward pass will fill in;
# - `_backward`: the operation's local rule, which section 2 writes.
#
# The value kept is a PyTorch tensor, not a NumPy array, for three reasons. The arithmetic follows
# PyTorch's rules: the same broadcasting and the same dtypes (a `float64` with a `float64` gives a
# `float64`). The results can be compared with PyTorch's number by number, because the same
# functions compute them. And PyTorch's autograd stays off: a tensor made this way does not
# require grad, so every gradient in this lesson was computed by our engine.

# %% shares="Value"
class Value:
    def __init__(self, data, _prev=(), _op=""):
        self.data = torch.as_tensor(data, dtype=torch.float64)
        self.grad = torch.zeros_like(self.data)
        self._prev, self._op = tuple(_prev), _op
        self._backward = lambda: None

    def __repr__(self):
        return f"Value(data={self.data}, grad={self.grad})"


# %% [markdown] lang="pt"
# Por enquanto, um valor só nasce de duas maneiras: como entrada, ou feito à mão a partir de outros.
# Abaixo, `z` é o produto de `x` e `y`, e lembra disso.

# %% [markdown] lang="en"
# For now a value is born in only two ways: as an input, or made by hand from others. Below, `z` is
# the product of `x` and `y`, and remembers it.

# %%
x = Value([1.0, 2.0, 3.0])
y = Value([4.0, 5.0, 6.0])
z = Value(x.data * y.data, (x, y), "mul")
show(z, f"z._op: {z._op!r}", f"z._prev: {[parent.data for parent in z._prev]}",
     f"z.data.requires_grad: {z.data.requires_grad}")

# %% [markdown] lang="pt"
# ## 2. Regras locais
#
# Cada operação faz duas coisas: no cálculo de ida, calcula o resultado; na retropropagação,
# recebe o gradiente do resultado, `out.grad`, e manda para cada operando o gradiente dele. A
# segunda parte é a **regra local** da operação: ela só precisa da derivada da operação em relação a
# cada operando, e a regra da cadeia faz o resto. Para a soma, $\partial(a + b)/\partial a = 1$, e
# o gradiente passa igual para os dois lados. Para o produto, $\partial(a b)/\partial a = b$:
# <q id="l4.add_mul_rules">a regra da soma manda o gradiente do resultado, sem mudança, para os dois
# operandos; a regra do produto manda para cada operando o gradiente do resultado vezes o outro
# operando.</q>
#
# Cada regra vai numa função definida dentro da operação, ao lado do cálculo que ela desfaz: assim
# ela enxerga os operandos e o resultado. Ela **soma** (`+=`) ao gradiente de cada operando em vez
# de atribuir; a seção 3 mostra por quê.

# %% [markdown] lang="en"
# ## 2. Local rules
#
# Every operation does two things: in the forward pass, it computes its result; in the backward
# pass, it receives the result's gradient, `out.grad`, and sends each operand its own gradient.
# The second part is the operation's **local rule**: it only needs the derivative of the operation
# with respect to each operand, and the chain rule does the rest. For a sum,
# $\partial(a + b)/\partial a = 1$, and the gradient goes through unchanged to both sides. For a
# product, $\partial(a b)/\partial a = b$:
# <q id="l4.add_mul_rules">the rule of the sum sends the result's gradient, unchanged, to both
# operands; the rule of the product sends each operand the result's gradient times the other
# operand.</q>
#
# Each rule is a function defined inside the operation, next to the computation it undoes: that
# way it sees the operands and the result. It **adds** (`+=`) to each operand's gradient instead
# of assigning; section 3 shows why.

# %% shares=["add", "mul"]
def add(self, other):
    out = Value(self.data + other.data, (self, other), "add")

    def _backward():
        # [pt] d(a + b)/da = 1 e d(a + b)/db = 1
        # [en] d(a + b)/da = 1 and d(a + b)/db = 1
        self.grad += out.grad
        other.grad += out.grad

    out._backward = _backward
    return out


def mul(self, other):
    out = Value(self.data * other.data, (self, other), "mul")

    def _backward():
        # [pt] d(a·b)/da = b e d(a·b)/db = a
        # [en] d(a·b)/da = b and d(a·b)/db = a
        self.grad += out.grad * other.data
        other.grad += out.grad * self.data

    out._backward = _backward
    return out


# [pt] As duas operações viram os operadores + e * de Value
# [en] The two operations become Value's + and * operators
Value.__add__, Value.__mul__ = add, mul

# %% [markdown] lang="pt"
# Uma regra pode ser chamada à mão: dando ao resultado um gradiente qualquer e chamando
# `_backward()`, vemos o que cada operando recebe.

# %% [markdown] lang="en"
# A rule can be called by hand: giving the result some gradient and calling `_backward()`, we see
# what each operand receives.

# %%
a, b = Value([2.0, -1.0]), Value([3.0, 0.5])
out = a * b
out.grad = torch.tensor([1.0, 10.0])
out._backward()
show(f"a.grad: {a.grad}   (out.grad * b.data)", f"b.grad: {b.grad}   (out.grad * a.data)")

# %% [markdown] lang="pt"
# Toda operação segue esse molde: calcular o resultado, lembrar dos pais e escrever a regra. As
# outras regras do motor são o trabalho dos exercícios. Esta tabela traz as derivadas de que elas
# precisam; $g$ é o gradiente do resultado e as operações são elemento a elemento, menos as duas
# últimas linhas.
#
# | operação | resultado | o que cada operando recebe |
# |---|---|---|
# | `a + b` | $a + b$ | $g$ e $g$ |
# | `a - b` | $a - b$ | $g$ e $-g$ |
# | `-a` | $-a$ | $-g$ |
# | `a * b` | $a b$ | $g b$ e $g a$ |
# | `a / b` | $a / b$ | $g / b$ e $-g a / b^2$ |
# | `a ** p` (número $p$) | $a^p$ | $g p a^{p-1}$ |
# | `a.exp()` | $e^a$ | $g e^a$ |
# | `a.log()` | $\log a$ | $g / a$ |
# | `a.tanh()` | $\tanh a$ | $g (1 - \tanh^2 a)$ |
# | `a.relu()` | $\max(a, 0)$ | $g$ onde $a > 0$, senão 0 |
# | `a.sum()` | $\sum_i a_i$ | $g$ em cada elemento |
# | `a.mean()` | $\frac{1}{n}\sum_i a_i$ | $g / n$ em cada elemento |
# | `a @ b` | $a b$ (matrizes) | $g b^\top$ e $a^\top g$ (seção 5) |

# %% [markdown] lang="en"
# Every operation follows this pattern: compute the result, remember the parents and write the
# rule. The engine's other rules are the exercises' job. This table has the derivatives they need;
# $g$ is the result's gradient and the operations are elementwise, except the last two rows.
#
# | operation | result | what each operand receives |
# |---|---|---|
# | `a + b` | $a + b$ | $g$ and $g$ |
# | `a - b` | $a - b$ | $g$ and $-g$ |
# | `-a` | $-a$ | $-g$ |
# | `a * b` | $a b$ | $g b$ and $g a$ |
# | `a / b` | $a / b$ | $g / b$ and $-g a / b^2$ |
# | `a ** p` (a number $p$) | $a^p$ | $g p a^{p-1}$ |
# | `a.exp()` | $e^a$ | $g e^a$ |
# | `a.log()` | $\log a$ | $g / a$ |
# | `a.tanh()` | $\tanh a$ | $g (1 - \tanh^2 a)$ |
# | `a.relu()` | $\max(a, 0)$ | $g$ where $a > 0$, else 0 |
# | `a.sum()` | $\sum_i a_i$ | $g$ in every element |
# | `a.mean()` | $\frac{1}{n}\sum_i a_i$ | $g / n$ in every element |
# | `a @ b` | $a b$ (matrices) | $g b^\top$ and $a^\top g$ (section 5) |

# %%
verify_cell(2, lesson=4)

# %% [markdown] lang="pt"
# ## 3. Modo reverso
#
# Uma regra só pode rodar quando o gradiente do resultado dela está completo, isto é, quando
# todas as operações que **usam** esse resultado já mandaram a sua parte. A ordem certa é uma
# **ordem topológica** do grafo computacional, de trás para a frente: cada valor vem depois de
# todos os seus pais, e a retropropagação percorre essa lista ao contrário. A função abaixo monta a
# lista com uma busca em profundidade, usando uma pilha em vez de recursão (um grafo pode ser mais
# fundo que o limite de recursão do Python).
#
# A retropropagação começa pelo **gradiente inicial**, $\partial\,\text{out}/\partial\,\text{out}
# = 1$: um tensor de uns do formato da saída, o mesmo `torch.ones_like` que o PyTorch usa em
# `backward()` de um escalar. <q id="l4.seed">Com o gradiente inicial de uns, a retropropagação de
# uma saída que não é escalar dá o gradiente da soma dos seus elementos.</q>

# %% [markdown] lang="en"
# ## 3. Reverse mode
#
# A rule may only run once its result's gradient is complete, that is, once every operation that
# **uses** that result has sent its share. The right order is a **topological order** of the
# computational graph, back to front: every value comes after all of its parents, and the backward
# pass walks that list in reverse. The function below builds the list with a depth-first search,
# using a stack instead of recursion (a graph can be deeper than Python's recursion limit).
#
# The backward pass starts from the **initial gradient**,
# $\partial\,\text{out}/\partial\,\text{out} = 1$: a tensor of ones of the output's shape, the same
# `torch.ones_like` that PyTorch uses in `backward()` of a scalar. <q id="l4.seed">With the initial
# gradient of ones, the backward pass of an output that is not a scalar gives the gradient of the
# sum of its elements.</q>

# %% shares=["topological_order", "backward"]
def topological_order(root):
    order, seen, stack = [], set(), [(root, False)]
    while stack:
        value, parents_done = stack.pop()
        if parents_done:
            # [pt] Todos os pais já estão na lista: agora ele entra
            # [en] All of its parents are already in the list: now it goes in
            order.append(value)
        elif id(value) not in seen:
            seen.add(id(value))
            stack.append((value, True))
            stack.extend((parent, False) for parent in value._prev)
    return order


def backward(root):
    # [pt] O gradiente inicial: d root / d root = 1
    # [en] The initial gradient: d root / d root = 1
    root.grad = torch.ones_like(root.data)
    for value in reversed(topological_order(root)):
        value._backward()


# %% [markdown] lang="pt"
# O primeiro teste é o `x * x` da lição 1: `x` é usado duas vezes pelo mesmo produto, e a regra do
# produto manda ao operando da esquerda `out.grad * x` e ao da direita também `out.grad * x`. Os
# dois são o mesmo valor, e é aqui que o `+=` importa.
# <q id="l4.accumulation">Para `x * x`, as duas parcelas se somam no gradiente de x, que dá 2x;
# com `=` no lugar de `+=`, a segunda parcela apagaria a primeira e o gradiente seria x.</q> Em
# qualquer grafo, um valor usado por várias operações recebe a soma das contribuições delas, como
# o autograd do PyTorch acumula.

# %% [markdown] lang="en"
# The first test is lesson 1's `x * x`: `x` is used twice by the same product, and the product's
# rule sends `out.grad * x` to the left operand and `out.grad * x` to the right one as well. Both
# are the same value, and this is where `+=` matters.
# <q id="l4.accumulation">For `x * x`, the two shares add up in the gradient of x, which gives 2x;
# with `=` instead of `+=`, the second share would wipe out the first and the gradient would be
# x.</q> In any graph, a value used by several operations receives the sum of their contributions,
# just as PyTorch's autograd accumulates.

# %%
x = Value(torch.arange(4.0))
backward(x * x)
ours = x.grad
xt = torch.arange(4.0, requires_grad=True)
(xt * xt).backward(torch.ones(4))
show(f"our x.grad:     {ours}", f"PyTorch x.grad: {xt.grad}", f"same: {same(ours, xt.grad)}")

# %% [markdown] lang="pt"
# O mesmo produto com uma regra que atribui em vez de somar:

# %% [markdown] lang="en"
# The same product with a rule that assigns instead of adding:

# %%
def mul_assigning(self, other):
    out = Value(self.data * other.data, (self, other), "mul")

    def _backward():
        self.grad = out.grad * other.data
        other.grad = out.grad * self.data

    out._backward = _backward
    return out


x = Value(torch.arange(4.0))
backward(mul_assigning(x, x))
show(f"x.grad with '=': {x.grad}")

# %% [markdown] lang="pt"
# Daqui em diante, a lição usa o **motor de referência** do pacote,
# `autograd_lessons.lessons.own_autograd.engine`, que tem todas as operações da tabela (o seu,
# depois dos exercícios, também terá). A sua classe `Value` e a dele se usam do mesmo jeito; só
# `backward` vira um método, `out.backward()`. Com ele, o `2xᵀx` da lição 1, escrito como
# `2 * (x * x).sum()`, tem o gradiente $4x$:

# %% [markdown] lang="en"
# From here on, the lesson uses the package's **reference engine**,
# `autograd_lessons.lessons.own_autograd.engine`, which has every operation of the table (yours
# will too, after the exercises). Your `Value` class and its are used in the same way; only
# `backward` becomes a method, `out.backward()`. With it, lesson 1's `2xᵀx`, written as
# `2 * (x * x).sum()`, has the gradient $4x$:

# %%
x = engine.Value(torch.arange(4.0))
y = 2 * (x * x).sum()
y.backward()
xt = torch.arange(4.0, requires_grad=True)
(2 * torch.dot(xt, xt)).backward()
show(f"y: {y.data}", f"our x.grad:     {x.grad}", f"PyTorch x.grad: {xt.grad}", f"same: {same(x.grad, xt.grad)}")

# %% [markdown] lang="pt"
# Por que uma retropropagação só basta, não importa quantas entradas a perda tenha? Porque a
# regra local de cada operação manda o gradiente a **todos** os operandos de uma vez. Começando da
# perda e seguindo a ordem topológica ao contrário, cada regra roda uma vez, e quando a última
# roda, toda folha já recebeu a sua parte.
# <q id="l4.one_pass">Uma só chamada de `backward()` roda a regra de cada operação uma vez e
# preenche o gradiente de todas as entradas da perda, iguais aos do PyTorch.</q>
# O custo da retropropagação é parecido com o do cálculo de ida, seja a perda função de 3 números
# ou de 3 milhões. Abaixo, três entradas e cinco operações:

# %% [markdown] lang="en"
# Why is one backward pass enough, however many inputs the loss has? Because each operation's
# local rule sends the gradient to **all** of its operands at once. Starting from the loss and
# following the topological order in reverse, every rule runs once, and when the last one runs,
# every leaf has received its share.
# <q id="l4.one_pass">A single call of `backward()` runs each operation's rule once and fills in
# the gradient of every input of the loss, equal to PyTorch's.</q> The backward pass costs about as
# much as the forward pass, whether the loss is a function of 3 numbers or of 3 million. Below,
# three inputs and five operations:

# %%
start = {"a": [0.5, -1.0, 2.0], "b": [1.5, 0.3, -0.7], "c": [0.2, 0.1, -0.4]}
a, b, c = (engine.Value(torch.tensor(values)) for values in start.values())
loss = ((a * b + c).tanh() * a).sum()
loss.backward()
operations = [value._op for value in loss.topological_order() if value._prev]

at, bt, ct = (torch.tensor(values, requires_grad=True) for values in start.values())
((at * bt + ct).tanh() * at).sum().backward()
show(f"operations, in topological order: {operations}",
     *(f"{name}.grad: {ours.grad}  same as PyTorch's: {same(ours.grad, theirs.grad)}"
       for name, ours, theirs in zip(start, (a, b, c), (at, bt, ct), strict=True)))

# %% [markdown] lang="pt"
# O motor de referência passa também pelo teste dos exercícios.
# <q id="l4.programs">Nos programas escondidos do verificador (cada operação sozinha e com
# broadcasting, relu em 0, valores usados duas vezes, losangos e composições aleatórias), os
# gradientes do motor de referência são iguais aos do PyTorch a menos de arredondamento.</q>

# %% [markdown] lang="en"
# The reference engine also passes the exercises' test.
# <q id="l4.programs">On the checker's hidden programs (every operation alone and with
# broadcasting, relu at 0, values used twice, diamonds and random compositions), the reference
# engine's gradients equal PyTorch's up to rounding.</q>

# %%
verify_cell(3, lesson=4)

# %% [markdown] lang="pt"
# ## 4. Broadcasting
#
# Uma camada linear soma um viés `b`, de formato `(4,)`, a cada linha de um lote `X @ W`, de
# formato `(3, 4)`. O PyTorch faz isso com broadcasting: é como se `b` fosse copiado três vezes.
# Na retropropagação, o gradiente do resultado tem o formato do lote, `(3, 4)`, e a regra da soma
# o passa sem mudança para os dois operandos. Para `b`, isso está errado: o gradiente de um tensor
# tem o formato do tensor. A versão da seção 2 tropeça aqui, com o erro abaixo; quem escreve
# `b.grad = b.grad + out.grad` não vê erro nenhum, mas fica com um gradiente do formato do lote
# para o viés, o engano que quase todo mundo comete na primeira vez.

# %% [markdown] lang="en"
# ## 4. Broadcasting
#
# A linear layer adds a bias `b`, of shape `(4,)`, to every row of a batch `X @ W`, of shape
# `(3, 4)`. PyTorch does it by broadcasting: it is as if `b` were copied three times. In the
# backward pass, the result's gradient has the batch's shape, `(3, 4)`, and the sum's rule passes
# it unchanged to both operands. For `b` that is wrong: a tensor's gradient has the tensor's shape.
# The version of section 2 trips here, with the error below; whoever writes
# `b.grad = b.grad + out.grad` sees no error at all, but ends up with a gradient of the batch's
# shape for the bias, the mistake nearly everyone makes the first time.

# %%
batch = Value(torch.arange(12.0).reshape(3, 4) / 10)
bias = Value([0.1, 0.2, 0.3, 0.4])
out = batch + bias
try:
    backward(out)
except RuntimeError as error:
    show(error_text(error))
show(f"out.grad.shape: {tuple(out.grad.shape)}   bias.data.shape: {tuple(bias.data.shape)}",
     f"with '=': (bias.grad + out.grad).shape = {tuple((bias.grad + out.grad).shape)}")

# %% [markdown] lang="pt"
# Cada cópia de `b` recebeu um gradiente, uma linha de `out.grad`; como as cópias são o mesmo
# valor, o gradiente de `b` é a soma delas, pela mesma razão do `+=` da seção 3. **Somar de volta
# ao formato** é o que a função `unbroadcast` faz: ela soma as dimensões que o broadcasting criou à
# esquerda e as que ele esticou a partir de tamanho 1.
# <q id="l4.bias_column_sums">O gradiente do viés somado ao lote é a soma das linhas do gradiente
# do resultado, isto é, as somas das colunas, e tem o formato `(4,)` do viés.</q>

# %% [markdown] lang="en"
# Each copy of `b` received a gradient, one row of `out.grad`; since the copies are the same value,
# the gradient of `b` is their sum, for the same reason as section 3's `+=`. The function
# `unbroadcast` **sums back to shape**: it sums the dimensions that broadcasting created on the
# left and the ones it stretched from size 1.
# <q id="l4.bias_column_sums">The gradient of the bias added to the batch is the sum of the rows
# of the result's gradient, that is, the column sums, and it has the bias's shape `(4,)`.</q>

# %% shares="unbroadcast"
def unbroadcast(grad, shape):
    # [pt] Dimensões que o broadcasting criou à esquerda: somadas
    # [en] Dimensions broadcasting created on the left: summed
    while grad.dim() > len(shape):
        grad = grad.sum(dim=0)
    # [pt] Dimensões esticadas a partir de tamanho 1: somadas, mantendo o 1
    # [en] Dimensions stretched from size 1: summed, keeping the 1
    for dim, size in enumerate(shape):
        if size == 1 and grad.shape[dim] != 1:
            grad = grad.sum(dim=dim, keepdim=True)
    return grad


def add(self, other):
    out = Value(self.data + other.data, (self, other), "add")

    def _backward():
        self.grad += unbroadcast(out.grad, self.data.shape)
        other.grad += unbroadcast(out.grad, other.data.shape)

    out._backward = _backward
    return out


Value.__add__ = add

# %% [markdown] lang="pt"
# Agora a retropropagação do lote mais o viés, multiplicado por `C` para que o gradiente do
# resultado não seja só de uns, confere com as somas das colunas e com o PyTorch:

# %% [markdown] lang="en"
# Now the backward pass of the batch plus the bias, multiplied by `C` so that the result's
# gradient is not all ones, agrees with the column sums and with PyTorch:

# %%
C = torch.tensor([[1.0, -2.0, 0.5, 3.0], [0.0, 1.0, 1.0, -1.0], [2.0, 0.5, -1.0, 1.0]])
batch = Value(torch.arange(12.0).reshape(3, 4) / 10)
bias = Value([0.1, 0.2, 0.3, 0.4])
backward((batch + bias) * Value(C))
bt = torch.tensor([0.1, 0.2, 0.3, 0.4], requires_grad=True)
((torch.arange(12.0).reshape(3, 4) / 10 + bt) * C).sum().backward()
show(f"bias.grad:        {bias.grad}", f"C.sum(dim=0):     {C.sum(dim=0)}",
     f"PyTorch's b.grad: {bt.grad}   same: {same(bias.grad, bt.grad)}")

# %% [markdown] lang="pt"
# O produto tem o mesmo problema quando um operando é esticado (um fator de escala por coluna, por
# exemplo), e a divisão e a subtração também: toda operação de dois operandos soma de volta ao
# formato antes de acumular. No motor de referência, isso é feito num lugar só, no método
# `_accumulate`, que toda regra chama.

# %% [markdown] lang="en"
# The product has the same problem when one operand is stretched (a scale factor per column, say),
# and so do division and subtraction: every operation of two operands sums back to shape before it
# accumulates. In the reference engine this is done in one place, the method `_accumulate`, which
# every rule calls.

# %%
verify_cell(4, lesson=4)

# %% [markdown] lang="pt"
# ## 5. Produto de matrizes
#
# Para `out = A @ B`, com `A` de formato $(2, 3)$ e `B` de formato $(3, 4)$, o resultado tem
# formato $(2, 4)$, e o gradiente dele, `G`, também. A regra tem de devolver a `A` um gradiente de
# formato $(2, 3)$ e a `B` um de formato $(3, 4)$, feitos de `G` e do outro operando. Só há um
# produto de cada que encaixa: $(2, 4) @ (4, 3)$, isto é, $G B^\top$, e $(3, 2) @ (2, 4)$, isto é,
# $A^\top G$. Os formatos quase deduzem a regra; a conta elemento a elemento,
# $\text{out}_{ij} = \sum_k A_{ik} B_{kj}$, confirma: $\partial\,\text{out}_{ij}/\partial A_{ik} =
# B_{kj}$, e somando sobre $j$ vem $(G B^\top)_{ik}$. Por isso a lição usa matrizes que não são
# quadradas: com matrizes quadradas, uma transposta no lugar errado passaria sem erro.
# <q id="l4.matmul_rule">Para `A @ B`, o gradiente de A é G @ Bᵀ e o de B é Aᵀ @ G, de formatos
# (2, 3) e (3, 4), iguais aos do PyTorch.</q>

# %% [markdown] lang="en"
# ## 5. Matrix product
#
# For `out = A @ B`, with `A` of shape $(2, 3)$ and `B` of shape $(3, 4)$, the result has shape
# $(2, 4)$, and so does its gradient `G`. The rule must return to `A` a gradient of shape $(2, 3)$
# and to `B` one of shape $(3, 4)$, made of `G` and the other operand. Only one product of each
# fits: $(2, 4) @ (4, 3)$, that is, $G B^\top$, and $(3, 2) @ (2, 4)$, that is, $A^\top G$. The
# shapes all but derive the rule; the elementwise computation,
# $\text{out}_{ij} = \sum_k A_{ik} B_{kj}$, confirms it:
# $\partial\,\text{out}_{ij}/\partial A_{ik} = B_{kj}$, and summing over $j$ gives
# $(G B^\top)_{ik}$. That is why the lesson uses matrices that are not square: with square ones,
# a transpose in the wrong place would go through without an error.
# <q id="l4.matmul_rule">For `A @ B`, the gradient of A is G @ Bᵀ and that of B is Aᵀ @ G, of
# shapes (2, 3) and (3, 4), equal to PyTorch's.</q>

# %%
A_data = torch.tensor([[1.0, 2.0, 0.5], [-1.0, 0.0, 3.0]])
B_data = torch.arange(12.0).reshape(3, 4) / 4
G = torch.tensor([[1.0, -1.0, 0.5, 2.0], [0.0, 1.0, -2.0, 1.0]])
# [pt] Os produtos de G com B que se pode tentar, e o formato de cada um
# [en] The products of G and B one could try, and the shape of each
candidates = {"G @ B": lambda: G @ B_data, "G @ B.T": lambda: G @ B_data.T,
              "B @ G": lambda: B_data @ G, "B.T @ G": lambda: B_data.T @ G}
rows = []
for name, product in candidates.items():
    try:
        rows.append(f"{name:8} shape {tuple(product().shape)}")
    except RuntimeError:
        rows.append(f"{name:8} shapes do not fit")
show(*rows)

# %%
A, B = engine.Value(A_data), engine.Value(B_data)
(A @ B * G).sum().backward()
At, Bt = A_data.clone().requires_grad_(), B_data.clone().requires_grad_()
(At @ Bt * G).sum().backward()
show(f"A.grad.shape: {tuple(A.grad.shape)}  same as G @ B.T: {same(A.grad, G @ B_data.T)}"
     f"  same as PyTorch's: {same(A.grad, At.grad)}",
     f"B.grad.shape: {tuple(B.grad.shape)}  same as A.T @ G: {same(B.grad, A_data.T @ G)}"
     f"  same as PyTorch's: {same(B.grad, Bt.grad)}")

# %%
verify_cell(5, lesson=4)

# %% [markdown] lang="pt"
# ## 6. O nosso grafo ao lado do grafo do PyTorch
#
# O motor guarda o grafo computacional inteiro: cada valor conhece os pais e o nome da operação.
# `engine_graph(v)` lê esse grafo e o entrega a `draw`, que o desenha com as mesmas caixas que
# usa para o PyTorch: cada operação vira o nó que o PyTorch criaria (`mul` vira `MulBackward0`,
# `@` entre matrizes vira `MmBackward0`), e cada entrada vira uma folha com o seu
# `AccumulateGrad`. Abaixo, o mesmo programa, uma camada com `tanh` e o quadrado da saída, nos dois
# motores, e os dois grafos lado a lado, numa figura só: o nosso à esquerda, o do PyTorch à
# direita. `draw_side_by_side` desenha cada grafo sob o seu título, com as caixas no mesmo formato.
# <q id="l4.same_graph">Os dois grafos são iguais nó por nó: as mesmas operações, na mesma ordem,
# ligadas pelas mesmas arestas às mesmas folhas.</q> O `h * h` aparece como um nó com duas
# arestas para o mesmo `TanhBackward0`: o valor usado duas vezes da seção 3. As caixas do PyTorch
# mostram também os tensores salvos de cada nó; no nosso motor, eles ficam dentro da regra, que os
# enxerga como os operandos (`other.data`, `self.data`).

# %% [markdown] lang="en"
# ## 6. Our graph next to PyTorch's
#
# The engine keeps the whole computational graph: every value knows its parents and the name of
# its operation. `engine_graph(v)` reads that graph and hands it to `draw`, which draws it with the
# same boxes it uses for PyTorch: each operation becomes the node PyTorch would create (`mul`
# becomes `MulBackward0`, `@` between matrices becomes `MmBackward0`), and each input becomes a
# leaf with its `AccumulateGrad`. Below, the same program, a layer with `tanh` and the square of
# its output, in both engines, and the two graphs side by side in one figure: ours on the left,
# PyTorch's on the right. `draw_side_by_side` draws each graph under its title, with boxes of the
# same format.
# <q id="l4.same_graph">The two graphs are the same node for node: the same operations, in the
# same order, joined by the same edges to the same leaves.</q> The `h * h` shows as one node with
# two edges to the same `TanhBackward0`: section 3's value used twice. PyTorch's boxes also show
# the saved tensors of each node; in our engine they live inside the rule, which sees them as the
# operands (`other.data`, `self.data`).

# %%
layer = {"X": torch.tensor([[1.0, -0.5], [0.3, 2.0], [-1.2, 0.7]]),
         "W": torch.tensor([[0.5, -1.0, 0.3], [0.8, 0.2, -0.6]]),
         "b": torch.tensor([0.1, -0.2, 0.05])}
# [pt] No nosso motor: o grafo que os valores guardam
# [en] On our engine: the graph the values keep
X, W, b = (engine.Value(value) for value in layer.values())
h = (X @ W + b).tanh()
loss = (h * h).mean()
ours = engine_graph(loss, names={"X": X, "W": W, "b": b, "h": h, "loss": loss})
# [pt] No PyTorch: o mesmo programa, com folhas que exigem gradiente
# [en] On PyTorch: the same program, with leaves that require grad
X, W, b = (value.clone().requires_grad_() for value in layer.values())
h = (X @ W + b).tanh()
loss = (h * h).mean()
draw_side_by_side({message("lesson4.plot.ours"): ours, message("lesson4.plot.pytorch"): loss})

# %%
verify_cell(6, lesson=4)

# %% [markdown] lang="pt"
# ## 7. Uma rede pequena, treinada pelos dois motores
#
# Com soma, produto, `tanh`, potência, média e produto de matrizes, o motor já treina uma rede: 2
# entradas, 8 neurônios ocultos com `tanh` e 1 saída, ajustada por descida do gradiente a 32
# pontos da função $\operatorname{sen}(x_1)\cos(x_2)$. A mesma função `train` roda nos dois motores:
# `make` transforma um tensor num parâmetro, um `Value` do nosso motor ou uma folha do PyTorch que
# exige gradiente. Os dados e a inicialização vêm da mesma semente, e o passo
# `p.data -= learning_rate * p.grad` é o mesmo nos dois: `p.data` é o tensor do nosso valor e o da
# folha do PyTorch.

# %% [markdown] lang="en"
# ## 7. A tiny network, trained by both engines
#
# With sum, product, `tanh`, power, mean and the matrix product, the engine can already train a
# network: 2 inputs, 8 hidden units with `tanh` and 1 output, fitted by gradient descent to 32
# points of the function $\sin(x_1)\cos(x_2)$. The same function `train` runs on both engines:
# `make` turns a tensor into a parameter, a `Value` of our engine or a PyTorch leaf that requires
# grad. The data and the initialization come from the same random seed, and the step
# `p.data -= learning_rate * p.grad` is the same in both: `p.data` is our value's tensor and the
# PyTorch leaf's.

# %% shares="network_data"
def network_data(seed=0, points=32, hidden=8):
    generator = torch.Generator().manual_seed(seed)
    inputs = torch.rand(points, 2, generator=generator) * 4 - 2
    targets = inputs[:, :1].sin() * inputs[:, 1:].cos()
    # [pt] Pesos com desvio padrão 1/√(entradas da camada), vieses nulos
    # [en] Weights with standard deviation 1/√(the layer's inputs), zero biases
    initial = [torch.randn(2, hidden, generator=generator) / 2**0.5, torch.zeros(hidden),
               torch.randn(hidden, 1, generator=generator) / hidden**0.5, torch.zeros(1)]
    return inputs, targets, initial


# %% shares="train"
def train(make, steps=100, learning_rate=0.3, seed=0):
    inputs, targets, initial = network_data(seed)
    params = [make(p.clone()) for p in initial]
    inputs = make(inputs)
    losses = []
    for _ in range(steps):
        W1, b1, W2, b2 = params
        loss = (((inputs @ W1 + b1).tanh() @ W2 + b2 - targets) ** 2).mean()
        for p in params:
            p.grad = torch.zeros_like(p.data)
        loss.backward()
        with torch.no_grad():
            for p in params:
                p.data -= learning_rate * p.grad
        losses.append(loss.data.item())
    return losses


# %%
ours = train(engine.Value)
theirs = train(lambda tensor: tensor.requires_grad_())
show(f"step 1: ours {ours[0]:.6f}  PyTorch's {theirs[0]:.6f}",
     f"step {len(ours)}: ours {ours[-1]:.6f}  PyTorch's {theirs[-1]:.6f}",
     f"same curve: {same(torch.tensor(ours), torch.tensor(theirs))}")

# %%
_, ax = plt.subplots(figsize=(5.5, 3.2), layout="constrained")
steps = range(1, len(ours) + 1)
ax.plot(steps, ours, linewidth=3, alpha=0.5, label=message("lesson4.plot.ours"))
ax.plot(steps, theirs, linestyle="--", color="black", label=message("lesson4.plot.pytorch"))
ax.set_yscale("log")
ax.set_xlabel(message("lesson4.plot.step"))
ax.set_ylabel(message("lesson4.plot.loss"))
ax.set_title(message("lesson4.plot.curves"))
ax.legend()
ax.grid(True, alpha=0.3)

# %% [markdown] lang="pt"
# As duas curvas se sobrepõem.
# <q id="l4.mlp_same_curve">Treinada com os mesmos dados e a mesma inicialização, a rede dá a mesma
# perda nos dois motores em cada um dos 100 passos, a menos de arredondamento.</q> Não é só o
# primeiro gradiente que confere: um erro numa regra mudaria os parâmetros já no primeiro passo, e
# as curvas se separariam.

# %% [markdown] lang="en"
# The two curves lie on top of each other.
# <q id="l4.mlp_same_curve">Trained on the same data from the same initialization, the network has
# the same loss in both engines at each of the 100 steps, up to rounding.</q> It is not only the
# first gradient that agrees: a mistake in a rule would change the parameters at the first step,
# and the curves would drift apart.

# %%
verify_cell(7, lesson=4)

# %% [markdown] lang="pt"
# ## 8. Modo direto com números duais
#
# O modo reverso manda o gradiente da saída para trás. O **modo direto** (lição 2) leva, junto com
# cada valor, a derivada dele numa direção escolhida das entradas, a **tangente**. Um **número
# dual** é esse par, valor e tangente, e cada operação calcula os dois de uma vez, com as mesmas
# derivadas da tabela da seção 2: para o produto, $(a, \dot a)(b, \dot b) = (a b,\ \dot a b + a
# \dot b)$. No motor de referência, `Dual` faz isso, e `jvp(f, entradas, tangentes)` roda `f`
# sobre números duais e devolve o valor e a jacobiana vezes a tangente, $J v$, como
# `torch.func.jvp`. A mesma função `f` roda sobre `Dual`, sobre `Value` e sobre tensores do PyTorch.
# <q id="l4.dual_jvp">Uma passagem de `f` sobre números duais dá o mesmo valor e a mesma derivada na
# direção `v` que `torch.func.jvp`.</q>

# %% [markdown] lang="en"
# ## 8. Forward mode with dual numbers
#
# Reverse mode sends the output's gradient backwards. **Forward mode** (lesson 2) carries, along
# with each value, its derivative in a chosen direction of the inputs, the **tangent**. A **dual
# number** is that pair, value and tangent, and every operation computes both at once, with the
# same derivatives as section 2's table: for a product,
# $(a, \dot a)(b, \dot b) = (a b,\ \dot a b + a \dot b)$. In the reference engine, `Dual` does
# this, and `jvp(f, inputs, tangents)` runs `f` on dual numbers and returns the value and the
# Jacobian times the tangent, $J v$, like `torch.func.jvp`. The same function `f` runs on
# `Dual`, on `Value` and on PyTorch tensors.
# <q id="l4.dual_jvp">One pass of `f` on dual numbers gives the same value and the same derivative
# in the direction `v` as `torch.func.jvp`.</q>

# %% shares="f"
def f(x):
    w = torch.linspace(-1.0, 1.0, 6)
    return (x * w).tanh().sum() + (x * x).mean()


# %%
x0 = torch.tensor([0.5, -1.0, 2.0, 0.0, 1.5, -0.3])
v = torch.tensor([1.0, 0.0, -1.0, 2.0, 0.5, 1.0])
ours = engine.jvp(f, (x0,), (v,))
theirs = torch.func.jvp(f, (x0,), (v,))
show(f"value:      ours {ours[0]:.6f}  torch.func.jvp {theirs[0]:.6f}",
     f"derivative: ours {ours[1]:.6f}  torch.func.jvp {theirs[1]:.6f}",
     f"same: {same(ours[0], theirs[0]) and same(ours[1], theirs[1])}")

# %% [markdown] lang="pt"
# Quanto custa um gradiente em cada modo? Uma passagem do modo direto dá a derivada numa direção só.
# Para o gradiente de `f`, que tem 6 entradas, são precisas 6 passagens, uma por entrada, com a
# tangente $e_i$ (1 na entrada $i$, 0 nas outras): cada passagem dá um elemento. O modo reverso dá
# os 6 elementos com uma retropropagação. Para uma função com $m$ saídas, a conta se inverte: cada
# retropropagação dá uma linha da jacobiana (o gradiente de uma saída), e são precisas $m$; o modo
# direto continua dando uma coluna por passagem. A célula abaixo conta as passagens de verdade:
# cada chamada de `f` sobre números duais e cada chamada de `backward()`.
# <q id="l4.pass_counts">O gradiente das 6 entradas custa 6 passagens do modo direto e 1
# retropropagação; a jacobiana de uma função com 2 saídas custa 2 retropropagações, e continua
# custando 6 passagens do modo direto.</q> Por isso treinar uma rede, uma perda escalar de milhões
# de parâmetros, usa o modo reverso.

# %% [markdown] lang="en"
# How much does a gradient cost in each mode? One pass of forward mode gives the derivative in a
# single direction. For the gradient of `f`, which has 6 inputs, 6 passes are needed, one per
# input, with the tangent $e_i$ (1 at input $i$, 0 elsewhere): each pass gives one element. Reverse
# mode gives the 6 elements with one backward pass. For a function with $m$ outputs the count is
# reversed: each backward pass gives one row of the Jacobian (the gradient of one output), and $m$
# are needed; forward mode still gives one column per pass. The cell below counts the passes for
# real: each call of `f` on dual numbers and each call of `backward()`.
# <q id="l4.pass_counts">The gradient of the 6 inputs costs 6 passes of forward mode and 1
# backward pass; the Jacobian of a function with 2 outputs costs 2 backward passes, and still 6
# passes of forward mode.</q> That is why training a network, a scalar loss of millions of
# parameters, uses reverse mode.

# %% shares="count_passes"
def count_passes(functions, x0):
    passes = {"forward": 0, "backward": 0}

    class CountedValue(engine.Value):
        def backward(self):
            passes["backward"] += 1
            super().backward()

    # [pt] Modo direto: uma passagem por entrada, com a tangente e_i; cada uma dá uma coluna
    # [en] Forward mode: one pass per input, with the tangent e_i; each gives one column
    columns = []
    for tangent in torch.eye(len(x0)):
        duals = [function(engine.Dual(x0, tangent)) for function in functions]
        passes["forward"] += 1
        columns.append(torch.stack([dual.tangent for dual in duals]))
    # [pt] Modo reverso: uma retropropagação por saída; cada uma dá uma linha
    # [en] Reverse mode: one backward pass per output; each gives one row
    rows = []
    for function in functions:
        x = CountedValue(x0)
        function(x).backward()
        rows.append(x.grad)
    return passes, torch.stack(columns, dim=1), torch.stack(rows)


# %% shares="g"
def g(x):
    return (x * x * x).sum() - x.exp().mean()


for functions in ([f], [f, g]):
    passes, by_columns, by_rows = count_passes(functions, x0)
    theirs = torch.func.jacrev(lambda t: torch.stack([function(t) for function in functions]))(x0)
    show(f"{len(functions)} output(s), {len(x0)} inputs: forward mode {passes['forward']} passes,"
         f" reverse mode {passes['backward']} backward pass(es);"
         f" same Jacobian as torch.func.jacrev: {same(by_columns, theirs) and same(by_rows, theirs)}")

# %%
verify_cell(8, lesson=4)

# %% [markdown] lang="pt"
# ## Resumo
#
# - Um `Value` guarda o tensor calculado, os pais, o nome da operação e a **regra local**: o
#   gradiente que cada operando recebe, dado o do resultado.
# - A retropropagação percorre uma **ordem topológica** ao contrário, a partir do **gradiente
#   inicial** de uns, e cada regra roda uma vez: uma chamada dá o gradiente de todas as entradas.
# - As regras **somam** (`+=`): um valor usado duas vezes, como em `x * x`, recebe as duas parcelas.
# - Um operando esticado por broadcasting recebe o gradiente **somado de volta ao formato**
#   (`unbroadcast`): o viés recebe as somas das colunas.
# - Para `A @ B`, os formatos deduzem a regra: $G B^\top$ e $A^\top G$.
# - `engine_graph` desenha o grafo do motor como o do PyTorch, nó por nó.
# - Uma rede treinada pelos dois motores tem a mesma curva de perda.
# - Um **número dual** leva valor e **tangente**; o **modo direto** custa uma passagem por entrada, o
#   **modo reverso** uma retropropagação por saída.
#
# Nos exercícios, você escreve as regras que faltam no seu próprio motor, e o verificador o compara
# com o PyTorch em programas escondidos; no último, você treina com ele a rede da seção 7.

# %% [markdown] lang="en"
# ## Summary
#
# - A `Value` keeps the tensor computed, its parents, the operation's name and the **local rule**:
#   the gradient each operand receives, given the result's.
# - The backward pass walks a **topological order** in reverse, from the **initial gradient** of
#   ones, and every rule runs once: one call gives the gradient of every input.
# - Rules **add** (`+=`): a value used twice, as in `x * x`, receives both shares.
# - An operand stretched by broadcasting receives the gradient **summed back to shape**
#   (`unbroadcast`): the bias receives the column sums.
# - For `A @ B`, the shapes derive the rule: $G B^\top$ and $A^\top G$.
# - `engine_graph` draws the engine's graph as PyTorch's, node for node.
# - A network trained by both engines has the same loss curve.
# - A **dual number** carries a value and a **tangent**; **forward mode** costs one pass per input,
#   **reverse mode** one backward pass per output.
#
# In the exercises, you write the missing rules in your own engine, and the checker compares it with
# PyTorch on hidden programs; in the last one, you train section 7's network with it.
