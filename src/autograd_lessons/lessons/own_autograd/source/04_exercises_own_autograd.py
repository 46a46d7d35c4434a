# %% [markdown] lang="pt"
# # Lição 4 — Exercícios
#
# Exercícios sobre a lição 4 (`04_build_your_own_autograd.ipynb`), que eles supõem. Neles você
# constrói o motor peça por peça e depois treina uma rede com ele. Os exercícios 1 a 6 dão um ponto
# de partida: o `Value` da lição (ou o `Dual`) sem os métodos que o exercício pede, que lá só
# levantam um erro. Você escreve uma subclasse com esses métodos; o resto do motor continua sendo o
# da lição, então cada verificação julga só a sua peça. O exercício 7 junta as peças num motor e
# pede o laço de treino. Cada exercício pergunta também por quê, com três opções; a resposta é a
# letra da opção certa.
#
# Cada exercício tem uma célula para você completar e uma chamada `check(n, answer, lesson=4)`,
# que diz se a resposta está certa e, se não estiver, o que olhar; enquanto a resposta for
# `None`, o verificador só mostra ○, "ainda não respondido". Travou? `hint(n, lesson=4)` dá uma
# dica por chamada, cada uma mais concreta que a anterior, e `solution(n, lesson=4)` mostra a
# solução comentada; as soluções também estão em `04_solutions_own_autograd.ipynb`. Tente antes de
# olhar.
#
# O verificador roda o seu motor em programas escondidos: cada operação sozinha, em formatos com
# broadcasting, relu no ponto anguloso, valores usados duas vezes, losangos e programas
# aleatórios. Ele compara cada gradiente com o do PyTorch e diz a primeira operação errada, a
# entrada, quanto o seu gradiente vale e quanto o do PyTorch vale, e o engano típico por trás. No
# exercício 7, o motor que você montou treina a rede da § 7, e o verificador compara a perda de
# cada passo com a do PyTorch.

# %% [markdown] lang="en"
# # Lesson 4 — Exercises
#
# Exercises on lesson 4 (`04_build_your_own_autograd.ipynb`), which they assume. In them you build
# the engine piece by piece, then train a network with it. Exercises 1 to 6 give a starter: the
# lesson's `Value` (or `Dual`) without the methods the exercise asks for, which there only raise
# an error. You write a subclass with those methods; the rest of the engine stays the lesson's, so
# each check judges your piece only. Exercise 7 puts the pieces together into an engine and asks
# for the training loop. Each exercise also asks why, with three options; the answer is the letter
# of the right one.
#
# Each exercise has a cell for you to complete and a call `check(n, answer, lesson=4)`, which
# tells you whether the answer is right and, if not, what to look at; while the answer is still
# `None`, the checker only shows ○, "not answered yet". Stuck? `hint(n, lesson=4)` gives one hint
# per call, each more concrete than the last, and `solution(n, lesson=4)` shows the worked
# solution; the solutions are also in `04_solutions_own_autograd.ipynb`. Try first.
#
# The checker runs your engine on hidden programs: each operation alone, on broadcast shapes,
# relu at its kink, values used twice, diamonds and random programs. It compares every gradient
# with PyTorch's and names the first wrong operation, the input, what your gradient is and what
# PyTorch's is, and the typical mistake behind it. In exercise 7, the engine you put together
# trains section 7's network, and the checker compares every step's loss with PyTorch's.

# %%
# [pt] Funções auxiliares, com mensagens em português
# [en] Helpers, with messages in English
import torch

from autograd_lessons import check, describe_figures, hint, set_language, solution
from autograd_lessons.lessons.own_autograd.exercises import Dual6, Value, Value1, Value2, Value3, Value4, Value5

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
# *Visto em:* lição 4, § 2.
#
# A § 2 escreveu `__add__` e `__mul__`: cada um transforma um número num valor com `self._lift`,
# calcula o resultado a partir dos dados e devolve `self._result(dados, operandos, nome, regra)`,
# em que a regra recebe `g`, o gradiente do resultado, e devolve uma tupla com um gradiente por
# operando. Em `Value1`, faltam `__sub__` (`a - b`), `__neg__` (`-a`), `__truediv__` (`a / b`) e
# `__pow__` (`a ** p`, com `p` um número do Python). Escreva-os na subclasse `MyValue1`, com as
# suas regras; `self._result` soma cada gradiente de volta ao formato do seu operando.
#
# O verificador também calcula `2.0 - x`, que o Python faz com `x.__rsub__(2.0)`, e o `__rsub__`
# da lição é `self._lift(other) - self`. Por que x recebe o gradiente certo, −1?
#
# - (a) `__rsub__` transforma 2.0 num valor constante e calcula constante − x com o seu
#   `__sub__`, cuja regra manda −g a x, o segundo operando.
# - (b) O Python troca os operandos e calcula x − 2.0; o sinal de um gradiente não importa.
# - (c) Um número não tem gradiente, então a regra dá a x o g inteiro.
#
# Resposta: `{"engine": MyValue1, "why": letra}` (as chaves do dicionário ficam em inglês: são
# código).

# %% [markdown] lang="en"
# ## Exercise 1 — The rules of sub, neg, div and pow
#
# *Taught in:* lesson 4, § 2.
#
# Section 2 wrote `__add__` and `__mul__`: each lifts a number into a value with `self._lift`,
# computes the result from the data and returns `self._result(data, operands, name, rule)`, where
# the rule takes `g`, the gradient of the result, and returns a tuple with one gradient per
# operand. `Value1` lacks `__sub__` (`a - b`), `__neg__` (`-a`), `__truediv__` (`a / b`) and
# `__pow__` (`a ** p`, with `p` a Python number). Write them in the subclass `MyValue1`, with
# their rules; `self._result` sums each gradient back to its operand's shape.
#
# The checker also computes `2.0 - x`, which Python does with `x.__rsub__(2.0)`, and the lesson's
# `__rsub__` is `self._lift(other) - self`. Why does x get the right gradient, −1?
#
# - (a) `__rsub__` lifts 2.0 into a constant value and computes constant − x with your
#   `__sub__`, whose rule sends −g to x, its second operand.
# - (b) Python swaps the operands and computes x − 2.0; the sign of a gradient does not matter.
# - (c) A number has no gradient, so the rule gives x the whole g.
#
# Answer: `{"engine": MyValue1, "why": letter}`.

# %%
class MyValue1(Value1):
    def __sub__(self, other):
        other = self._lift(other)
        # [pt] a regra: lambda g: (gradiente de self, gradiente de other)
        # [en] the rule: lambda g: (gradient of self, gradient of other)
        return self._result(self.data - other.data, (self, other), "sub", lambda g: ...)

    def __neg__(self):
        return self._result(-self.data, (self,), "neg", lambda g: ...)

    def __truediv__(self, other):
        other = self._lift(other)
        a, b = self.data, other.data
        return self._result(a / b, (self, other), "div", lambda g: ...)

    def __pow__(self, exponent):
        a = self.data
        return self._result(a**exponent, (self,), "pow", lambda g: ...)


# [pt] Troque None por {"engine": MyValue1, "why": a letra}
# [en] Replace None with {"engine": MyValue1, "why": the letter}
answer = None
check(1, answer, lesson=4)

# %% [markdown] lang="pt"
# ## Exercício 2 — As regras de exp, log, tanh e relu
#
# *Visto em:* lição 4, § 2.
#
# Em `Value2`, faltam `exp`, `log`, `tanh` e `relu`, quatro operações de um operando cujas
# derivadas estão na tabela da § 2. Escreva-as em `MyValue2`. O verificador testa relu também
# em entradas exatamente iguais a 0, onde ela tem um ponto anguloso.
#
# A derivada de relu em 0 não existe. Qual afirmação sobre o gradiente da sua relu em 0 vale?
#
# - (a) relu(0) = 0, então a derivada dela em 0 também é 0.
# - (b) O gradiente do PyTorch ali é NaN, porque a derivada não existe, e o motor também deve
#   dar NaN.
# - (c) Todo número entre 0 e 1 é um subgradiente ali; o PyTorch toma 0, uma convenção, e a
#   verificação compara com o PyTorch, então a regra deixa o gradiente passar só onde a entrada
#   é > 0.
#
# Resposta: `{"engine": MyValue2, "why": letra}`.

# %% [markdown] lang="en"
# ## Exercise 2 — The rules of exp, log, tanh and relu
#
# *Taught in:* lesson 4, § 2.
#
# `Value2` lacks `exp`, `log`, `tanh` and `relu`, four operations of one operand whose
# derivatives are in section 2's table. Write them in `MyValue2`. The checker also tries relu on
# inputs exactly equal to 0, where it has a kink.
#
# relu has no derivative at 0. Which statement about your relu's gradient at 0 holds?
#
# - (a) relu(0) = 0, so its derivative at 0 is 0 too.
# - (b) PyTorch's gradient there is NaN, since the derivative does not exist, and the engine
#   should give NaN too.
# - (c) Every number between 0 and 1 is a subgradient there; PyTorch takes 0, a convention, and
#   the check compares with PyTorch, so the rule lets the gradient through only where the input
#   is > 0.
#
# Answer: `{"engine": MyValue2, "why": letter}`.

# %%
class MyValue2(Value2):
    def exp(self):
        e = self.data.exp()
        return self._result(e, (self,), "exp", lambda g: ...)

    def log(self):
        return self._result(self.data.log(), (self,), "log", lambda g: ...)

    def tanh(self):
        t = self.data.tanh()
        return self._result(t, (self,), "tanh", lambda g: ...)

    def relu(self):
        return self._result(self.data.clamp(min=0), (self,), "relu", lambda g: ...)


answer = None
check(2, answer, lesson=4)

# %% [markdown] lang="pt"
# ## Exercício 3 — sum, mean e a soma de volta ao formato
#
# *Visto em:* lição 4, § 3 e § 4.
#
# Em `Value3`, faltam `sum`, `mean` e `_accumulate(self, grad)`, o método que toda regra chama,
# por meio de `self._result`, para somar a contribuição de um usuário ao gradiente de um operando.
# Um valor usado duas vezes recebe duas contribuições, e uma contribuição pode ter o formato do
# resultado, maior que o do operando quando o broadcasting o copiou: `_accumulate` soma a
# contribuição de volta ao formato do valor. Escreva os três em `MyValue3` (uma função auxiliar
# sua, como `unbroadcast`, é bem-vinda).
#
# `X` tem formato (3, 4), `b` tem formato (4,), e `out = X + b`. Por que o gradiente de `b` é a
# soma de `out.grad` sobre as linhas, e não a média delas?
#
# - (a) Deveria ser a média: a soma cresce com o tamanho do lote, e o gradiente não pode depender
#   dele.
# - (b) O broadcasting fez uma cópia de `b` por linha, cada cópia recebeu o gradiente da sua
#   linha, e mudar `b` muda todas as cópias ao mesmo tempo: o gradiente de `b` é a soma dos
#   gradientes delas.
# - (c) É só o da primeira linha: as outras linhas contêm cópias, e cópias não têm gradiente
#   próprio.
#
# Resposta: `{"engine": MyValue3, "why": letra}`.

# %% [markdown] lang="en"
# ## Exercise 3 — sum, mean and summing back to a shape
#
# *Taught in:* lesson 4, § 3 and § 4.
#
# `Value3` lacks `sum`, `mean` and `_accumulate(self, grad)`, the method every rule calls,
# through `self._result`, to add one user's contribution to an operand's gradient. A value used
# twice receives two contributions, and a contribution may have the shape of the result, larger
# than the operand's when broadcasting copied it: `_accumulate` sums the contribution back to the
# value's shape. Write the three in `MyValue3` (a helper function of your own, such as
# `unbroadcast`, is welcome).
#
# `X` has shape (3, 4), `b` shape (4,), and `out = X + b`. Why is `b`'s gradient the sum of
# `out.grad` over the rows, and not their mean?
#
# - (a) It should be the mean: the sum grows with the batch size, and the gradient must not
#   depend on it.
# - (b) Broadcasting made one copy of `b` per row, each copy received the gradient of its row,
#   and changing `b` changes every copy at once: `b`'s gradient is the sum of theirs.
# - (c) It is only the first row's: the other rows hold copies, and copies have no gradient of
#   their own.
#
# Answer: `{"engine": MyValue3, "why": letter}`.

# %%
class MyValue3(Value3):
    def sum(self):
        return self._result(self.data.sum(), (self,), "sum", lambda g: ...)

    def mean(self):
        a = self.data
        return self._result(a.mean(), (self,), "mean", lambda g: ...)

    def _accumulate(self, grad):
        # [pt] some grad ao gradiente deste valor, de volta ao formato self.data.shape
        # [en] add grad to this value's gradient, summed back to the shape self.data.shape
        ...


answer = None
check(3, answer, lesson=4)

# %% [markdown] lang="pt"
# ## Exercício 4 — O produto de matrizes
#
# *Visto em:* lição 4, § 5.
#
# Em `Value4`, falta `__matmul__`, o produto `a @ b` de duas matrizes (2-D). Escreva-o em
# `MyValue4`, com a sua regra. O verificador usa matrizes quadradas, em que as transpostas nos
# lugares errados ainda dão contas com o formato certo, e matrizes não quadradas.
#
# Para `out = a @ b`, por que `a` recebe `out.grad @ b.T`?
#
# - (a) out[i, j] = Σₖ a[i, k]·b[k, j], então a[i, k] chega a out[i, j] para todo j com o fator
#   b[k, j]: o gradiente dele é Σⱼ g[i, j]·b[k, j], o elemento (i, k) de g @ bᵀ.
# - (b) O produto de matrizes é comutativo, então o gradiente de `a` também pode ser
#   `b.T @ out.grad`; a ordem é questão de estilo.
# - (c) Qualquer produto de g e b (transpostas ou não) que tenha o formato de `a` é o gradiente
#   de `a`: o formato decide.
#
# Resposta: `{"engine": MyValue4, "why": letra}`.

# %% [markdown] lang="en"
# ## Exercise 4 — The matrix product
#
# *Taught in:* lesson 4, § 5.
#
# `Value4` lacks `__matmul__`, the product `a @ b` of two matrices (2-D). Write it in `MyValue4`,
# with its rule. The checker uses square matrices, where transposes in the wrong places still
# give products of the right shape, and non-square ones.
#
# For `out = a @ b`, why does `a` receive `out.grad @ b.T`?
#
# - (a) out[i, j] = Σₖ a[i, k]·b[k, j], so a[i, k] reaches out[i, j] for every j with the factor
#   b[k, j]: its gradient is Σⱼ g[i, j]·b[k, j], the element (i, k) of g @ bᵀ.
# - (b) The matrix product is commutative, so `a`'s gradient can just as well be
#   `b.T @ out.grad`; the order is a matter of style.
# - (c) Any product of g and b (transposed or not) that has `a`'s shape is `a`'s gradient: the
#   shape decides.
#
# Answer: `{"engine": MyValue4, "why": letter}`.

# %%
class MyValue4(Value4):
    def __matmul__(self, other):
        other = self._lift(other)
        a, b = self.data, other.data
        return self._result(a @ b, (self, other), "matmul", lambda g: ...)


answer = None
check(4, answer, lesson=4)

# %% [markdown] lang="pt"
# ## Exercício 5 — backward()
#
# *Visto em:* lição 4, § 3.
#
# Em `Value5`, faltam `backward()` e `topological_order()`. Escreva `backward()` em `MyValue5`:
# ela preenche o gradiente de cada valor de que a saída depende, partindo do gradiente inicial e
# rodando o `_backward` de cada valor, cada um uma vez, na ordem certa. Sem recursão: o
# verificador usa uma cadeia de milhares de operações, mais funda que o limite de chamadas do
# Python. Uma `topological_order()` sua é opcional; se `backward()` a usar, escreva-a também.
#
# Por que a retropropagação só pode rodar a regra de um nó depois que todas as operações que
# usaram o nó rodaram as suas?
#
# - (a) Porque as regras precisam dos valores do cálculo de ida, que são calculados nessa ordem.
# - (b) Porque o PyTorch as roda nessa ordem, e a verificação compara com o PyTorch: outra ordem
#   daria os mesmos números, com outros arredondamentos.
# - (c) O gradiente de um nó é a soma das contribuições de todos os seus usuários; a regra dele
#   repassa esse gradiente aos operandos, então ela precisa esperar a soma ficar completa.
#
# Resposta: `{"engine": MyValue5, "why": letra}`.

# %% [markdown] lang="en"
# ## Exercise 5 — backward()
#
# *Taught in:* lesson 4, § 3.
#
# `Value5` lacks `backward()` and `topological_order()`. Write `backward()` in `MyValue5`: it
# fills in the gradient of every value the output depends on, starting from the initial gradient
# and running each value's `_backward`, each once, in the right order. Without recursion: the
# checker uses a chain of thousands of operations, deeper than Python's limit on nested calls.
# A `topological_order()` of your own is optional; if `backward()` uses one, write it too.
#
# Why may the backward pass run a node's rule only after every operation that used the node has
# run its own?
#
# - (a) Because the rules need the values of the forward pass, which are computed in that order.
# - (b) Because PyTorch runs them in that order, and the check compares with PyTorch: another
#   order would give the same numbers, with other roundings.
# - (c) A node's gradient is the sum of the contributions of all its users; its rule passes that
#   gradient on to its operands, so it must wait until the sum is complete.
#
# Answer: `{"engine": MyValue5, "why": letter}`.

# %%
class MyValue5(Value5):
    def backward(self):
        # [pt] 1. os valores de que self depende, cada um depois dos seus operandos (sem recursão)
        # [en] 1. the values self depends on, each after its operands (without recursion)
        # [pt] 2. o gradiente inicial; 3. cada _backward, do fim para o começo
        # [en] 2. the initial gradient; 3. each _backward, from the end to the start
        ...


answer = None
check(5, answer, lesson=4)

# %% [markdown] lang="pt"
# ## Exercício 6 — Números duais
#
# *Visto em:* lição 4, § 8.
#
# Em `Dual6`, o `Dual` da lição, faltam `__mul__`, `__truediv__`, `exp`, `tanh` e `__matmul__`.
# Escreva-os em `MyDual6`: cada um devolve `type(self)(valor, tangente)`, o valor do resultado e a
# tangente dele, a partir dos valores (`.value`) e das tangentes (`.tangent`) dos operandos. O
# verificador roda os programas escondidos sobre números duais, com tangentes sorteadas por ele,
# e compara o valor e a tangente da saída com os de `torch.func.jvp`.
#
# A perda de uma rede com um milhão de parâmetros: quantas passagens dão o gradiente dela em
# relação a todos eles, em modo direto e em modo reverso?
#
# - (a) Uma em cada modo: uma passagem, direta ou reversa, visita cada operação uma vez, e cada
#   operação manda derivadas para todos os seus operandos.
# - (b) Um milhão em modo direto, uma por direção das entradas, cada uma dando uma derivada
#   direcional; uma em modo reverso, que dá o gradiente da única saída em relação a todas as
#   entradas.
# - (c) Uma em modo direto, que vai das entradas à saída como a própria conta; um milhão em modo
#   reverso, uma por parâmetro.
#
# Resposta: `{"dual": MyDual6, "why": letra}`.

# %% [markdown] lang="en"
# ## Exercise 6 — Dual numbers
#
# *Taught in:* lesson 4, § 8.
#
# `Dual6`, the lesson's `Dual`, lacks `__mul__`, `__truediv__`, `exp`, `tanh` and `__matmul__`.
# Write them in `MyDual6`: each returns `type(self)(value, tangent)`, the result's value and its
# tangent, from the operands' values (`.value`) and tangents (`.tangent`). The checker runs the
# hidden programs on dual numbers, with tangents it draws itself, and compares the output's value
# and tangent with `torch.func.jvp`'s.
#
# The loss of a network with a million parameters: how many passes give its gradient with
# respect to all of them, in forward mode and in reverse mode?
#
# - (a) One in each mode: a pass, forward or backward, visits each operation once, and each
#   operation sends derivatives to all of its operands.
# - (b) A million in forward mode, one per input direction, each giving one directional
#   derivative; one in reverse mode, which gives the gradient of the one output with respect to
#   every input.
# - (c) One in forward mode, which goes from the inputs to the output as the computation does; a
#   million in reverse mode, one per parameter.
#
# Answer: `{"dual": MyDual6, "why": letter}`.

# %%
class MyDual6(Dual6):
    def __mul__(self, other):
        other = self._lift(other)
        return type(self)(self.value * other.value, ...)

    def __truediv__(self, other):
        other = self._lift(other)
        return type(self)(self.value / other.value, ...)

    def exp(self):
        e = self.value.exp()
        return type(self)(e, ...)

    def tanh(self):
        t = self.value.tanh()
        return type(self)(t, ...)

    def __matmul__(self, other):
        other = self._lift(other)
        return type(self)(self.value @ other.value, ...)


answer = None
check(6, answer, lesson=4)


# %% [markdown] lang="pt"
# ## Exercício 7 — Treine a rede com o seu motor
#
# *Visto em:* lição 4, § 3 e § 7.
#
# A § 7 treinou uma rede de 2 entradas, 8 neurônios ocultos com `tanh` e 1 saída nos dois
# motores, e as duas curvas de perda foram iguais. Agora o motor é o seu: `MyValue` junta as suas
# classes dos exercícios 1 a 5. Escreva `train(params, inputs, targets, steps, learning_rate)`, o
# laço de treino. `params` é a lista `[W1, b1, W2, b2]` dos parâmetros da rede, valores do seu
# motor; `inputs` é um valor com um lote de linhas, e `targets`, um tensor de uma coluna. Cada um
# dos `steps` passos calcula a perda, a média dos erros ao quadrado de
# `(inputs @ W1 + b1).tanh() @ W2 + b2` em relação a `targets`, roda `backward()` e move cada
# parâmetro contra o seu gradiente, `learning_rate` vezes ele, in-place: depois de `train`, os
# valores de `params` são os treinados. `train` devolve a lista das `steps` perdas, cada uma um
# número, calculada antes da atualização do seu passo.
#
# O verificador roda `train` em dados e inicializações escondidos (outros tamanhos de lote, de
# entrada e da camada oculta, outras taxas de aprendizado), primeiro com o `Value` da lição e
# depois com o seu motor, e compara a perda de cada passo com a do mesmo laço no PyTorch, em
# float64. Ele diz o primeiro passo em que as curvas se separam, por quanto e o engano típico por
# trás.
#
# A `train` da § 7 zera o gradiente de cada parâmetro em cada passo, antes de `backward()`. Por
# quê?
#
# - (a) O PyTorch zera `.grad` sozinho depois de cada passo, e a verificação compara com o
#   PyTorch: zerar só imita isso.
# - (b) `backward()` soma (`+=`) em cada `.grad`, como um valor usado duas vezes pede (§ 3): sem
#   zerar, o gradiente do passo k seria a soma dos gradientes dos passos 1 a k, cada um calculado
#   em outros parâmetros.
# - (c) Só para economizar memória: `backward()` sobrescreve cada `.grad` com o gradiente novo, e
#   a curva seria a mesma sem zerar.
#
# Resposta: `{"engine": MyValue, "train": train, "why": letra}`. Se os exercícios 1 a 5 ainda não
# estiverem prontos, `"engine": Value`, o motor da lição, confere `train` sozinha.

# %% [markdown] lang="en"
# ## Exercise 7 — Train the network with your engine
#
# *Taught in:* lesson 4, § 3 and § 7.
#
# Section 7 trained a network of 2 inputs, 8 hidden units with `tanh` and 1 output on both
# engines, and the two loss curves were the same. Now the engine is yours: `MyValue` puts your
# classes of exercises 1 to 5 together. Write `train(params, inputs, targets, steps,
# learning_rate)`, the training loop. `params` is the list `[W1, b1, W2, b2]` of the network's
# parameters, values of your engine; `inputs` is a value holding a batch of rows, and `targets` a
# tensor with one column. Each of the `steps` steps computes the loss, the mean of the squared
# errors of `(inputs @ W1 + b1).tanh() @ W2 + b2` against `targets`, runs `backward()` and moves
# every parameter against its gradient, by `learning_rate` times it, in place: after `train`, the
# values of `params` are the trained ones. `train` returns the list of the `steps` losses, each a
# number, computed before its step's update.
#
# The checker runs `train` on hidden data and initializations (other sizes of batch, of input and
# of the hidden layer, other learning rates), first with the lesson's `Value` and then with your
# engine, and compares every step's loss with the same loop's on PyTorch, in float64. It names the
# first step where the curves separate, by how much, and the typical mistake behind it.
#
# Section 7's `train` resets every parameter's gradient at every step, before `backward()`. Why?
#
# - (a) PyTorch resets `.grad` by itself after every step, and the check compares with PyTorch:
#   the reset only imitates it.
# - (b) `backward()` adds (`+=`) to each `.grad`, as a value used twice needs (§ 3): without the
#   reset, the gradient of step k would be the sum of the gradients of steps 1 to k, each computed
#   at other parameters.
# - (c) Only to save memory: `backward()` overwrites each `.grad` with the new gradient, and the
#   curve would be the same without the reset.
#
# Answer: `{"engine": MyValue, "train": train, "why": letter}`. If exercises 1 to 5 are not done
# yet, `"engine": Value`, the lesson's engine, checks `train` alone.

# %%
class MyValue(MyValue1, MyValue2, MyValue3, MyValue4, MyValue5):
    pass


def train(params, inputs, targets, steps, learning_rate):
    losses = []
    for _ in range(steps):
        W1, b1, W2, b2 = params
        # [pt] a perda, o gradiente de cada parâmetro zerado, backward(), cada parâmetro atualizado
        # [en] the loss, every parameter's gradient reset, backward(), every parameter updated
        # [pt] e a perda do passo acrescentada a losses
        # [en] and the step's loss appended to losses
        ...
    return losses


# [pt] Troque None por {"engine": MyValue, "train": train, "why": a letra}
# [en] Replace None with {"engine": MyValue, "train": train, "why": the letter}
answer = None
check(7, answer, lesson=4)
