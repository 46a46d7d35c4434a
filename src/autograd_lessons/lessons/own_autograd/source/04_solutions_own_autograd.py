# %% [markdown] lang="pt"
# # Lição 4 — Soluções dos exercícios
#
# Uma solução comentada para cada exercício de `04_exercises_own_autograd.ipynb`, conferida pelo
# mesmo `check(n, answer, lesson=4)`. O código de cada célula é o mesmo que
# `solution(n, lesson=4)` mostra. Outras soluções também passam: o verificador julga os gradientes
# que o seu motor calcula e as perdas que o seu laço de treino dá, em programas e dados próprios, e
# não o texto do código. No fim, as peças formam um motor inteiro, conferido da mesma forma, que
# treina a rede do exercício 7.

# %% [markdown] lang="en"
# # Lesson 4 — Solutions to the exercises
#
# A worked solution for each exercise of `04_exercises_own_autograd.ipynb`, checked by the same
# `check(n, answer, lesson=4)`. The code of each cell is the code `solution(n, lesson=4)` shows.
# Other solutions pass too: the checker judges the gradients your engine computes and the losses
# your training loop gives, on programs and data of its own, not the text of the code. At the end,
# the pieces make a whole engine, checked the same way, which trains exercise 7's network.

# %%
# [pt] Funções auxiliares, com mensagens em português
# [en] Helpers, with messages in English
import torch

from autograd_lessons import check, describe_figures, set_language
from autograd_lessons.lessons.own_autograd.exercises import (
    Dual6,
    Value,
    Value1,
    Value2,
    Value3,
    Value4,
    Value5,
    diagnose,
)

set_language("en")
# [pt] Cada figura ganha uma descrição em texto, para leitores de tela e para o site
# [en] Every figure gets a text description, for screen readers and for the site
describe_figures()
# [pt] Tudo em float64, o tipo do motor, como na lição
# [en] Everything in float64, the engine's dtype, as in the lesson
torch.set_default_dtype(torch.float64)

# %% [markdown] lang="pt"
# ## Exercício 1 — As regras de sub, neg, div e pow
#
# Cada regra é g vezes a derivada do resultado em relação ao operando: $a - b$ manda $(g, -g)$,
# $-a$ manda $-g$, $a / b$ manda $(g / b,\ -g\,a / b^2)$ e $a^p$ manda $g\,p\,a^{p-1}$. Em
# `2.0 - x`, o `__rsub__` da lição transforma 2.0 num valor constante e calcula constante − x com o
# seu `__sub__`, cuja regra manda −g a x, o segundo operando: é a opção (a). A (b) não vale: o
# Python nunca troca os operandos de uma subtração, e o sinal importa (x − 2.0 daria +1). Nem a
# (c): o número não recebe gradiente, mas x recebe −g, e não g.

# %% [markdown] lang="en"
# ## Exercise 1 — The rules of sub, neg, div and pow
#
# Each rule is g times the derivative of the result with respect to the operand: $a - b$ sends
# $(g, -g)$, $-a$ sends $-g$, $a / b$ sends $(g / b,\ -g\,a / b^2)$ and $a^p$ sends
# $g\,p\,a^{p-1}$. In `2.0 - x`, the lesson's `__rsub__` lifts 2.0 into a constant value and
# computes constant − x with your `__sub__`, whose rule sends −g to x, its second operand: that is
# option (a). Option (b) does not hold: Python never swaps a subtraction's operands, and the sign
# matters (x − 2.0 would give +1). Nor does (c): the number gets no gradient, but x gets −g, not g.

# %% solution=1
class MyValue1(Value1):
    def __sub__(self, other):
        other = self._lift(other)
        return self._result(self.data - other.data, (self, other), "sub", lambda g: (g, -g))

    def __neg__(self):
        return self._result(-self.data, (self,), "neg", lambda g: (-g,))

    def __truediv__(self, other):
        other = self._lift(other)
        a, b = self.data, other.data
        return self._result(a / b, (self, other), "div", lambda g: (g / b, -g * a / (b * b)))

    def __pow__(self, exponent):
        a = self.data
        return self._result(a**exponent, (self,), "pow", lambda g: (g * exponent * a ** (exponent - 1),))


answer = {"engine": MyValue1, "why": "a"}
check(1, answer, lesson=4)

# %% [markdown] lang="pt"
# ## Exercício 2 — As regras de exp, log, tanh e relu
#
# As derivadas da tabela da § 2, cada uma vezes g: $e^x$, $1/x$, $1 - \tanh^2 x$ e, para relu, 1
# onde $x > 0$ e 0 no resto. $e^x$ e $\tanh x$ já foram calculados para o resultado, e a regra os
# reutiliza. Em 0, relu tem um ponto anguloso: todo número entre 0 e 1 é um subgradiente, o PyTorch
# toma 0, e a regra deixa o gradiente passar só onde $x > 0$: é a opção (c). A (a) não vale: o
# valor de uma função num ponto não diz nada sobre a derivada ali. Nem a (b): o PyTorch dá 0, e
# não NaN.

# %% [markdown] lang="en"
# ## Exercise 2 — The rules of exp, log, tanh and relu
#
# The derivatives of section 2's table, each times g: $e^x$, $1/x$, $1 - \tanh^2 x$ and, for
# relu, 1 where $x > 0$ and 0 elsewhere. $e^x$ and $\tanh x$ were already computed for the
# result, and the rule reuses them. At 0, relu has a kink: every number between 0 and 1 is a
# subgradient, PyTorch takes 0, and the rule lets the gradient through only where $x > 0$: that is
# option (c). Option (a) does not hold: a function's value at a point says nothing about its
# derivative there. Nor does (b): PyTorch gives 0, not NaN.

# %% solution=2
class MyValue2(Value2):
    def exp(self):
        e = self.data.exp()
        return self._result(e, (self,), "exp", lambda g: (g * e,))

    def log(self):
        return self._result(self.data.log(), (self,), "log", lambda g: (g / self.data,))

    def tanh(self):
        t = self.data.tanh()
        return self._result(t, (self,), "tanh", lambda g: (g * (1 - t * t),))

    def relu(self):
        x = self.data
        return self._result(x.clamp(min=0), (self,), "relu", lambda g: (torch.where(x > 0, g, 0.0),))


answer = {"engine": MyValue2, "why": "c"}
check(2, answer, lesson=4)

# %% [markdown] lang="pt"
# ## Exercício 3 — sum, mean e a soma de volta ao formato
#
# `sum` manda g para cada elemento, `mean` manda g / n. `_accumulate` soma (`+=`, e não `=`: um
# valor usado duas vezes recebe as duas contribuições) a contribuição somada de volta ao formato do
# valor: nas dimensões iniciais que faltam a ele e, com `keepdim=True`, nas suas dimensões de
# tamanho 1. Para um viés somado a um lote, o broadcasting fez uma cópia dele por linha, cada cópia
# recebeu o gradiente da sua linha, e o viés move todas ao mesmo tempo: o gradiente dele é a soma
# delas, a opção (b). A (a) não vale: se a perda for uma média, a regra dela já divide pelo lote.
# Nem a (c): cada cópia é usada pela sua linha e recebe o gradiente dela.

# %% [markdown] lang="en"
# ## Exercise 3 — sum, mean and summing back to a shape
#
# `sum` sends g to every element, `mean` sends g / n. `_accumulate` adds (`+=`, not `=`: a value
# used twice receives both contributions) the contribution summed back to the value's shape: over
# the leading dimensions it lacks and, with `keepdim=True`, over its dimensions of size 1. For a
# bias added to a batch, broadcasting made one copy of it per row, each copy received its row's
# gradient, and the bias moves them all at once: its gradient is their sum, option (b). Option (a)
# does not hold: if the loss is a mean, its own rule already divides by the batch. Nor does (c):
# every copy is used by its row and receives that row's gradient.

# %% solution=3
def unbroadcast(grad, shape):
    while grad.dim() > len(shape):
        grad = grad.sum(dim=0)
    for dim, size in enumerate(shape):
        if size == 1 and grad.shape[dim] != 1:
            grad = grad.sum(dim=dim, keepdim=True)
    return grad


class MyValue3(Value3):
    def sum(self):
        return self._result(self.data.sum(), (self,), "sum", lambda g: (g.expand(self.data.shape),))

    def mean(self):
        a = self.data
        return self._result(a.mean(), (self,), "mean", lambda g: (g.expand(a.shape) / a.numel(),))

    def _accumulate(self, grad):
        self.grad += unbroadcast(grad, self.data.shape)


answer = {"engine": MyValue3, "why": "b"}
check(3, answer, lesson=4)

# %% [markdown] lang="pt"
# ## Exercício 4 — O produto de matrizes
#
# $\text{out}_{ij} = \sum_k a_{ik} b_{kj}$, então $a_{ik}$ chega a cada $\text{out}_{ij}$ com o
# fator $b_{kj}$, e o gradiente dele é $\sum_j g_{ij} b_{kj} = (g\,b^\top)_{ik}$; do mesmo jeito,
# b recebe $a^\top g$: é a opção (a). A (b) não vale: o produto de matrizes não é comutativo. Nem a
# (c): com matrizes quadradas, toda posição errada das transpostas tem o formato certo; os formatos
# confirmam a regra, mas não a provam.

# %% [markdown] lang="en"
# ## Exercise 4 — The matrix product
#
# $\text{out}_{ij} = \sum_k a_{ik} b_{kj}$, so $a_{ik}$ reaches every $\text{out}_{ij}$ with the
# factor $b_{kj}$, and its gradient is $\sum_j g_{ij} b_{kj} = (g\,b^\top)_{ik}$; likewise b
# receives $a^\top g$: that is option (a). Option (b) does not hold: the matrix product is not
# commutative. Nor does (c): with square matrices, every wrong placement of the transposes has the
# right shape; the shapes confirm the rule, but do not prove it.

# %% solution=4
class MyValue4(Value4):
    def __matmul__(self, other):
        other = self._lift(other)
        a, b = self.data, other.data
        return self._result(a @ b, (self, other), "matmul", lambda g: (g @ b.T, a.T @ g))


answer = {"engine": MyValue4, "why": "a"}
check(4, answer, lesson=4)

# %% [markdown] lang="pt"
# ## Exercício 5 — backward()
#
# Uma ordem topológica com uma pilha explícita: cada valor entra na ordem depois dos seus
# operandos, sem recursão (a cadeia do verificador tem milhares de operações). Depois, o gradiente
# inicial, uns no formato da saída, e cada regra uma vez, do fim para o começo: cada nó depois de
# todos os seus usuários. O gradiente de um nó é a soma das contribuições dos seus usuários, e a
# regra dele repassa esse gradiente: ela precisa esperar a soma ficar completa, a opção (c). A (a)
# não vale: o cálculo de ida terminou antes de `backward()` começar. Nem a (b): outra ordem dá
# outros números, e não só outros arredondamentos.

# %% [markdown] lang="en"
# ## Exercise 5 — backward()
#
# A topological order with an explicit stack: each value enters the order after its operands,
# without recursion (the checker's chain has thousands of operations). Then the initial gradient,
# ones of the output's shape, and each rule once, from the end to the start: each node after all
# of its users. A node's gradient is the sum of its users' contributions, and its rule passes that
# gradient on: it must wait until the sum is complete, option (c). Option (a) does not hold: the
# forward pass has finished before `backward()` starts. Nor does (b): another order gives other
# numbers, not only other roundings.

# %% solution=5
class MyValue5(Value5):
    def backward(self):
        order, seen, stack = [], set(), [(self, False)]
        while stack:
            value, operands_done = stack.pop()
            if operands_done:
                order.append(value)
            elif id(value) not in seen:
                seen.add(id(value))
                stack.append((value, True))
                stack.extend((operand, False) for operand in value._prev)
        self.grad = torch.ones_like(self.data)
        for value in reversed(order):
            value._backward()


answer = {"engine": MyValue5, "why": "c"}
check(5, answer, lesson=4)

# %% [markdown] lang="pt"
# ## Exercício 6 — Números duais
#
# Cada operação calcula o valor e, ao lado dele, a tangente, pela regra da cadeia rodada para a
# frente: a regra do produto $(ab)' = a'b + ab'$, a do quociente $(a/b)' = a'/b - a b'/b^2$,
# $(e^x)' = e^x x'$, $(\tanh x)' = (1 - \tanh^2 x)\,x'$ e $(a @ b)' = a' @ b + a @ b'$. Um cálculo
# em modo direto dá uma derivada direcional, uma coluna da jacobiana: o gradiente de uma perda
# de um milhão de parâmetros pede um milhão de passagens em modo direto e uma retropropagação, a
# opção (b). A (a) não vale: uma passagem em modo direto carrega uma só tangente. Nem a (c): é o
# contrário.

# %% [markdown] lang="en"
# ## Exercise 6 — Dual numbers
#
# Each operation computes the value and, beside it, the tangent, by the chain rule run forward:
# the product rule $(ab)' = a'b + ab'$, the quotient rule $(a/b)' = a'/b - a b'/b^2$,
# $(e^x)' = e^x x'$, $(\tanh x)' = (1 - \tanh^2 x)\,x'$ and $(a @ b)' = a' @ b + a @ b'$. A
# forward-mode pass gives one directional derivative, one column of the Jacobian: the gradient of
# a loss of a million parameters takes a million forward-mode passes and one backward pass, option
# (b). Option (a) does not hold: a forward-mode pass carries one tangent only. Nor does (c): it is
# the other way round.

# %% solution=6
class MyDual6(Dual6):
    def __mul__(self, other):
        other = self._lift(other)
        return type(self)(self.value * other.value, self.tangent * other.value + self.value * other.tangent)

    def __truediv__(self, other):
        b = self._lift(other)
        quotient = self.value / b.value
        return type(self)(quotient, (self.tangent - quotient * b.tangent) / b.value)

    def exp(self):
        e = self.value.exp()
        return type(self)(e, e * self.tangent)

    def tanh(self):
        t = self.value.tanh()
        return type(self)(t, (1 - t * t) * self.tangent)

    def __matmul__(self, other):
        other = self._lift(other)
        return type(self)(self.value @ other.value, self.tangent @ other.value + self.value @ other.tangent)


answer = {"dual": MyDual6, "why": "b"}
check(6, answer, lesson=4)

# %% [markdown] lang="pt"
# ## Exercício 7 — Treine a rede com o seu motor
#
# O laço é o da § 7, para os parâmetros que a verificação dá: em cada passo, a perda, o gradiente
# de cada parâmetro zerado, uma retropropagação e depois a atualização de cada parâmetro, in-place
# (`p.data`), para que os parâmetros continuem folhas e o grafo de cada passo comece neles. Os
# gradientes são zerados em cada passo porque `backward()` soma (`+=`) em `.grad`, como um valor
# usado duas vezes pede (§ 3): sem isso, o gradiente do passo k seria a soma dos gradientes dos
# passos 1 a k, a opção (b). A (a) não vale: o PyTorch não zera `.grad` sozinho, é o laço que o
# zera (`optimizer.zero_grad()`). Nem a (c): `backward()` não sobrescreve `.grad`, e sem zerar as
# curvas se separam no passo 3. Aqui, `train` treina com o `Value` da lição; a seção seguinte
# junta as peças dos exercícios 1 a 5 num motor e treina com ele.

# %% [markdown] lang="en"
# ## Exercise 7 — Train the network with your engine
#
# The loop is section 7's, for the parameters the check gives: at every step, the loss, every
# parameter's gradient reset, one backward pass and then every parameter's update, in place
# (`p.data`), so that the parameters stay leaves and each step's graph starts from them. The
# gradients are reset at every step because `backward()` adds (`+=`) to `.grad`, as a value used
# twice needs (§ 3): without the reset, the gradient of step k would be the sum of the gradients
# of steps 1 to k, option (b). Option (a) does not hold: PyTorch does not reset `.grad` by itself,
# the loop does (`optimizer.zero_grad()`). Nor does (c): `backward()` does not overwrite `.grad`,
# and without the reset the curves separate at step 3. Here `train` trains on the lesson's
# `Value`; the next section puts the pieces of exercises 1 to 5 together into an engine and trains
# with it.

# %% solution=7
def train(params, inputs, targets, steps, learning_rate):
    losses = []
    for _ in range(steps):
        W1, b1, W2, b2 = params
        loss = (((inputs @ W1 + b1).tanh() @ W2 + b2 - targets) ** 2).mean()
        for p in params:
            p.grad = torch.zeros_like(p.data)
        loss.backward()
        for p in params:
            p.data -= learning_rate * p.grad
        losses.append(loss.data.item())
    return losses


# [pt] Value: o motor da lição; MyValue, o seu, na seção seguinte
# [en] Value: the lesson's engine; MyValue, yours, in the next section
answer = {"engine": Value, "train": train, "why": "b"}
check(7, answer, lesson=4)

# %% [markdown] lang="pt"
# ## O motor inteiro
#
# As cinco peças do modo reverso formam um motor: uma classe que herda de todas tem as regras, a
# soma de volta ao formato e a retropropagação escritas por você (só `__add__`, `__mul__` e
# `_result` vêm da lição, que os escreveu na § 1 e na § 2). `diagnose` roda nele todos os
# programas escondidos dos exercícios 1 a 5 de uma vez, e o exercício 7 treina a rede com ele.

# %% [markdown] lang="en"
# ## The whole engine
#
# The five pieces of reverse mode make an engine: a class that inherits from all of them has the
# rules, the summing back to a shape and the backward pass written by you (only `__add__`,
# `__mul__` and `_result` come from the lesson, which wrote them in § 1 and § 2). `diagnose` runs
# all the hidden programs of exercises 1 to 5 on it at once, and exercise 7 trains the network
# with it.

# %%
class MyValue(MyValue1, MyValue2, MyValue3, MyValue4, MyValue5):
    pass


print(diagnose(MyValue))
check(7, {"engine": MyValue, "train": train, "why": "b"}, lesson=4)
