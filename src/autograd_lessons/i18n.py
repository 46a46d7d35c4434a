"""Every learner-facing string of the package, in Brazilian Portuguese and English.

One catalogue keeps the two languages side by side so that no message exists in only one
of them; `set_language` picks which one the helpers print.
"""

from __future__ import annotations

import os
import string

LANGUAGES = ("pt", "en")
DEFAULT_LANGUAGE = "en"
ENV_VARIABLE = "AUTOGRAD_LESSONS_LANG"

# key -> {"pt": text, "en": text}. Placeholders use str.format fields, the same in both.
MESSAGES: dict[str, dict[str, str]] = {
    "language.unknown": {
        "pt": 'Idioma desconhecido: {value!r}. Use set_language("pt") para português '
        'ou set_language("en") para inglês.',
        "en": 'Unknown language: {value!r}. Use set_language("pt") for Portuguese '
        'or set_language("en") for English.',
    },
    # --- graph.py: tracing the computation graph -------------------------------------------
    "graph.leaf": {"pt": "folha", "en": "leaf"},
    "graph.cut": {"pt": "entrada não rastreada", "en": "untracked input"},
    "graph.output": {"pt": "saída {name}", "en": "output {name}"},
    "graph.shape": {"pt": "formato {shape}", "en": "shape {shape}"},
    "graph.norm": {"pt": "formato {shape}, norma {norm}", "en": "shape {shape}, norm {norm}"},
    "graph.data": {"pt": "dados {values}", "en": "data {values}"},
    "graph.grad": {"pt": "grad {values}", "en": "grad {values}"},
    "graph.saved": {"pt": "salvos: {items}", "en": "saved: {items}"},
    "graph.freed": {"pt": "{name} (liberado)", "en": "{name} (freed)"},
    "graph.see_above": {"pt": "(ver acima)", "en": "(see above)"},
    "graph.fold": {"pt": "{op} ×{count}", "en": "{op} ×{count}"},
    "graph.more_lines": {
        "pt": "… mais {count} linhas (use to_text(limit=None) para ver tudo)",
        "en": "… {count} more lines (use to_text(limit=None) to see everything)",
    },
    "graph.summary": {
        "pt": "grafo computacional: {nodes} nós, {edges} arestas",
        "en": "computation graph: {nodes} nodes, {edges} edges",
    },
    "graph.note_freed": {
        "pt": "Nota: a retropropagação já liberou os tensores salvos deste grafo computacional; "
        "a estrutura continua aqui, mas os valores se perderam. Para mantê-los, chame "
        "backward(retain_graph=True).",
        "en": "Note: a backward pass has already freed the saved tensors of this computation "
        "graph; the structure is still here, but the values are gone. To keep them, call "
        "backward(retain_graph=True).",
    },
    "graph.error.container": {
        "pt": "{func}() recebe um único tensor, mas recebeu um(a) {kind}. Para ver várias saídas "
        "num só grafo computacional, junte-as antes num tensor escalar, por exemplo "
        "{func}((a + b).sum()) ou {func}(sum(t.sum() for t in saidas)).",
        "en": "{func}() takes one tensor, but got a {kind}. To see several outputs in one "
        "computation graph, combine them into one scalar tensor first, for example "
        "{func}((a + b).sum()) or {func}(sum(t.sum() for t in outputs)).",
    },
    "graph.error.module": {
        "pt": "{func}() recebe um tensor, mas recebeu um modelo ({kind}). Chame o modelo com uma "
        "entrada e passe a saída: {func}(modelo(x)). Para ver os parâmetros, use "
        "modelo.named_parameters().",
        "en": "{func}() takes a tensor, but got a model ({kind}). Call the model on an input "
        "and pass its output: {func}(model(x)). To list the parameters, use "
        "model.named_parameters().",
    },
    "graph.error.method": {
        "pt": "{func}() recebeu a função ou método {name} em si, não o seu resultado: faltam os "
        "parênteses. Chame-o primeiro: {func}(y.{name}()) em vez de {func}(y.{name}).",
        "en": "{func}() got the function or method {name} itself, not its result: the "
        "parentheses are missing. Call it first: {func}(y.{name}()) instead of {func}(y.{name}).",
    },
    "graph.error.not_tensor": {
        "pt": "{func}() recebe um tensor do PyTorch, mas recebeu {kind}. Calcule um tensor a "
        "partir de entradas com requires_grad=True e passe o resultado, por exemplo: "
        "x = torch.tensor(2.0, requires_grad=True); {func}(x * x).",
        "en": "{func}() takes a PyTorch tensor, but got {kind}. Compute a tensor from inputs "
        "with requires_grad=True and pass the result, for example: "
        "x = torch.tensor(2.0, requires_grad=True); {func}(x * x).",
    },
    "graph.error.untracked": {
        "pt": "{func}() recebeu um tensor sem grafo computacional: grad_fn é None e "
        "requires_grad é False. Provavelmente ele foi calculado dentro de torch.no_grad(), "
        "separado com .detach(), ou veio de tensores que não pedem gradiente. Crie as "
        "entradas com requires_grad=True (ou chame x.requires_grad_()) e calcule a saída "
        "de novo fora de torch.no_grad().",
        "en": "{func}() got a tensor with no computation graph: its grad_fn is None and "
        "requires_grad is False. It was probably computed inside torch.no_grad(), cut off "
        "with .detach(), or built from tensors that do not require gradients. Create the "
        "inputs with requires_grad=True (or call x.requires_grad_()) and compute the output "
        "again outside torch.no_grad().",
    },
    # --- op.*: what each backward operation does, in words ------------------------------------
    "op.generic": {"pt": "derivada de {op}", "en": "backward of {op}"},
    "op.AccumulateGrad": {"pt": "grava em .grad", "en": "writes .grad"},
    "op.Add": {"pt": "derivada de +", "en": "backward of +"},
    "op.Sub": {"pt": "derivada de −", "en": "backward of −"},
    "op.Rsub": {"pt": "derivada de − (invertida)", "en": "backward of − (reversed)"},
    "op.Mul": {"pt": "derivada de ×", "en": "backward of ×"},
    "op.Div": {"pt": "derivada de ÷", "en": "backward of ÷"},
    "op.Neg": {"pt": "derivada de −x", "en": "backward of −x"},
    "op.Dot": {"pt": "derivada do produto interno", "en": "backward of dot"},
    "op.Sum": {"pt": "derivada de sum", "en": "backward of sum"},
    "op.Mean": {"pt": "derivada de mean", "en": "backward of mean"},
    "op.Pow": {"pt": "derivada de **", "en": "backward of **"},
    "op.Sqrt": {"pt": "derivada de sqrt", "en": "backward of sqrt"},
    "op.Abs": {"pt": "derivada de abs", "en": "backward of abs"},
    "op.Tanh": {"pt": "derivada de tanh", "en": "backward of tanh"},
    "op.Sigmoid": {"pt": "derivada de sigmoid", "en": "backward of sigmoid"},
    "op.Relu": {"pt": "derivada de relu", "en": "backward of relu"},
    "op.Exp": {"pt": "derivada de exp", "en": "backward of exp"},
    "op.Log": {"pt": "derivada de log", "en": "backward of log"},
    "op.Sin": {"pt": "derivada de sin", "en": "backward of sin"},
    "op.Cos": {"pt": "derivada de cos", "en": "backward of cos"},
    "op.MatMul": {"pt": "derivada de @", "en": "backward of @"},
    "op.Mm": {"pt": "derivada de @ (matriz × matriz)", "en": "backward of @ (matrix × matrix)"},
    "op.Mv": {"pt": "derivada de @ (matriz × vetor)", "en": "backward of @ (matrix × vector)"},
    "op.Bmm": {"pt": "derivada de @ (em lote)", "en": "backward of @ (batched)"},
    "op.Addmm": {"pt": "derivada de x @ W.T + b", "en": "backward of x @ W.T + b"},
    "op.View": {"pt": "derivada de view", "en": "backward of view"},
    "op.UnsafeView": {"pt": "derivada de view", "en": "backward of view"},
    "op.Reshape": {"pt": "derivada de reshape", "en": "backward of reshape"},
    "op.ReshapeAlias": {"pt": "derivada de reshape", "en": "backward of reshape"},
    "op.Expand": {"pt": "derivada de expand", "en": "backward of expand"},
    "op.T": {"pt": "derivada de .T", "en": "backward of .T"},
    "op.Transpose": {"pt": "derivada de transpose", "en": "backward of transpose"},
    "op.Permute": {"pt": "derivada de permute", "en": "backward of permute"},
    "op.Squeeze": {"pt": "derivada de squeeze", "en": "backward of squeeze"},
    "op.Unsqueeze": {"pt": "derivada de unsqueeze", "en": "backward of unsqueeze"},
    "op.Select": {"pt": "derivada de indexação [i]", "en": "backward of indexing [i]"},
    "op.Slice": {"pt": "derivada de fatia [a:b]", "en": "backward of slicing [a:b]"},
    "op.Index": {"pt": "derivada de indexação", "en": "backward of indexing"},
    "op.Cat": {"pt": "derivada de cat", "en": "backward of cat"},
    "op.Stack": {"pt": "derivada de stack", "en": "backward of stack"},
    "op.Clone": {"pt": "derivada de clone", "en": "backward of clone"},
    "op.Copy": {"pt": "derivada de cópia in-place", "en": "backward of in-place copy"},
    "op.Maximum": {"pt": "derivada de maximum", "en": "backward of maximum"},
    "op.Max": {"pt": "derivada de max", "en": "backward of max"},
    "op.Min": {"pt": "derivada de min", "en": "backward of min"},
    "op.LinalgVectorNorm": {"pt": "derivada de norm", "en": "backward of norm"},
    "op.Norm": {"pt": "derivada de norm", "en": "backward of norm"},
    "op.Softmax": {"pt": "derivada de softmax", "en": "backward of softmax"},
    "op.LogSoftmax": {"pt": "derivada de log_softmax", "en": "backward of log_softmax"},
    "op.NllLoss": {"pt": "derivada de nll_loss", "en": "backward of nll_loss"},
    "op.MseLoss": {"pt": "derivada de mse_loss", "en": "backward of mse_loss"},
    # --- draw.py: pictures of the computation graph -------------------------------------------
    "draw.legend.title": {
        "pt": "setas: o gradiente desce da saída às folhas",
        "en": "arrows: the gradient flows from the output to the leaves",
    },
    "draw.legend.op": {"pt": "operação (derivada)", "en": "operation (backward)"},
    "draw.legend.accumulate": {"pt": "AccumulateGrad: grava em .grad", "en": "AccumulateGrad: writes .grad"},
    "draw.legend.leaf": {"pt": "folha (tensor com requires_grad)", "en": "leaf (tensor with requires_grad)"},
    "draw.legend.cut": {"pt": "entrada não rastreada (corte)", "en": "untracked input (cut)"},
    "draw.legend.fold": {"pt": "cadeia repetida, dobrada", "en": "repeated chain, folded"},
    "draw.legend.output": {"pt": "saída", "en": "output"},
    "draw.legend.active": {"pt": "nó ativo neste passo", "en": "active node at this step"},
    "draw.legend.pending": {"pt": "ainda não alcançado", "en": "not reached yet"},
    "draw.title": {
        "pt": "grafo computacional: {nodes} nós, {edges} arestas",
        "en": "computation graph: {nodes} nodes, {edges} edges",
    },
    "draw.title_step": {
        "pt": "retropropagação, passo {number} de {last}: {op}",
        "en": "backward pass, step {number} of {last}: {op}",
    },
    "draw.labels_hidden": {
        "pt": "{nodes} nós: rótulos ocultos. Use fold=True ou print(trace(y)) para os detalhes.",
        "en": "{nodes} nodes: labels hidden. Use fold=True or print(trace(y)) for the details.",
    },
    "draw.error.step_needs_tensor": {
        "pt": "draw(..., step={step}) precisa do tensor de saída (ou do resultado de "
        "backward_steps), não de um grafo já traçado: use draw(y, step={step}).",
        "en": "draw(..., step={step}) needs the output tensor (or the result of "
        "backward_steps), not an already traced graph: use draw(y, step={step}).",
    },
    "draw.error.step_range": {
        "pt": "Não existe o passo {step}: esta retropropagação tem {count} passos, numerados "
        "de 0 a {last}. Escolha step entre 0 e {last}.",
        "en": "There is no step {step}: this backward pass has {count} steps, numbered from 0 "
        "to {last}. Choose a step between 0 and {last}.",
    },
    # --- steps.py: the backward pass, one node at a time --------------------------------------
    "steps.header": {"pt": "Retropropagação de {name}", "en": "Backward pass of {name}"},
    "steps.header_unnamed": {"pt": "Retropropagação da saída", "en": "Backward pass of the output"},
    "steps.count": {
        "pt": ": {count} passos, na ordem real do motor do autograd",
        "en": ": {count} steps, in the autograd engine's real order",
    },
    "steps.step": {"pt": "passo {number}: {op} ({label})", "en": "step {number}: {op} ({label})"},
    "steps.seed": {
        "pt": "começa com o gradiente inicial {value} (d saída / d saída)",
        "en": "starts with the seed gradient {value} (d output / d output)",
    },
    "steps.arrival": {"pt": "chega {value} de {source}", "en": "{value} arrives from {source}"},
    "steps.sum": {
        "pt": "soma dos gradientes que chegaram (nó com várias entradas de gradiente): {value}",
        "en": "the arriving gradients sum up (fan-in): {value}",
    },
    "steps.receives": {"pt": "recebe {value}", "en": "receives {value}"},
    "steps.sends": {"pt": "envia {value} para {target}", "en": "sends {value} to {target}"},
    "steps.sends_nothing": {
        "pt": "não envia nada para {target} (entrada não rastreada)",
        "en": "sends nothing to {target} (untracked input)",
    },
    "steps.lands": {"pt": "{name}.grad recebe {value}", "en": "{value} lands in {name}.grad"},
    "steps.restored": {
        "pt": "(backward_steps devolveu .grad ao valor de antes; use accumulate=True para "
        "manter o resultado em .grad)",
        "en": "(backward_steps put .grad back as it was; use accumulate=True to keep the "
        "result in .grad)",
    },
    "steps.error.nonscalar": {
        "pt": "A saída tem formato {shape}, não é escalar, então a retropropagação precisa de "
        "um gradiente inicial: passe gradient=torch.ones_like(y), ou reduza antes com y.sum().",
        "en": "The output has shape {shape}, it is not a scalar, so the backward pass needs a "
        "seed gradient: pass gradient=torch.ones_like(y), or reduce it first with y.sum().",
    },
    "steps.error.freed": {
        "pt": "Os tensores salvos deste grafo computacional já foram liberados por uma "
        "retropropagação anterior, então não dá para passar por ele de novo. Calcule a saída "
        "outra vez (rode de novo as células do cálculo) ou use backward(retain_graph=True) "
        "na primeira vez.",
        "en": "The saved tensors of this computation graph were already freed by an earlier "
        "backward pass, so it cannot be run through again. Compute the output again (re-run "
        "the forward cells) or use backward(retain_graph=True) the first time.",
    },
    # --- claims.py: every claim of lesson 1, checked --------------------------------------------
    "claim.in2.grad_none_before_backward": {
        "pt": "Antes de qualquer retropropagação, x.grad é None; y.backward() o preenche.",
        "en": "Before any backward pass, x.grad is None; y.backward() fills it in.",
    },
    "claim.in3.y_is_28": {
        "pt": "y = 2xᵀx é um escalar, 28 para x = (0, 1, 2, 3).",
        "en": "y = 2xᵀx is a scalar, 28 for x = (0, 1, 2, 3).",
    },
    "claim.in3.grad_fn_is_mul": {
        "pt": "y.grad_fn é MulBackward0: a última operação foi a multiplicação por 2, e ela leva "
        "de volta a DotBackward0 (o produto interno).",
        "en": "y.grad_fn is MulBackward0: the last operation was the multiplication by 2, and it "
        "leads back to DotBackward0 (the inner product).",
    },
    "claim.in4.backward_fills_tracked_only": {
        "pt": "y.backward() calcula as derivadas parciais de y para todo tensor com "
        "requires_grad=True e as guarda em .grad (x.grad = 4x); um tensor sem requires_grad "
        "fica com .grad = None.",
        "en": "y.backward() computes the partial derivatives of y for every tensor with "
        "requires_grad=True and stores them in .grad (x.grad = 4x); a tensor without "
        "requires_grad keeps .grad = None.",
    },
    "claim.in4.untracked_no_grad_fn": {
        "pt": "Sem requires_grad=True nada é registrado: y.grad_fn é None e y.requires_grad é False.",
        "en": "Without requires_grad=True nothing is recorded: y.grad_fn is None and "
        "y.requires_grad is False.",
    },
    "claim.in4.untracked_backward_raises": {
        "pt": "Sem requires_grad=True, y.backward() levanta RuntimeError: não há grafo "
        "computacional a percorrer.",
        "en": "Without requires_grad=True, y.backward() raises RuntimeError: there is no "
        "computational graph to run through.",
    },
    "claim.in5.grad_is_4x": {
        "pt": "O gradiente de 2xᵀx é 4x, logo x.grad == 4 * x.",
        "en": "The gradient of 2xᵀx is 4x, so x.grad == 4 * x.",
    },
    "claim.in5.dot_is_norm_squared": {
        "pt": "O produto interno de x com ele mesmo é o quadrado da sua norma: xᵀx = ‖x‖².",
        "en": "The inner product of x with itself is its squared norm: xᵀx = ‖x‖².",
    },
    "claim.in5.grad_norm_squared_is_2x": {
        "pt": "O gradiente do quadrado da norma é o dobro do vetor: ∇‖x‖² = 2x.",
        "en": "The gradient of the squared norm is twice the vector: ∇‖x‖² = 2x.",
    },
    "claim.in6.zero_resets_grad": {
        "pt": "x.grad.zero_() zera o gradiente guardado, no próprio tensor (in-place).",
        "en": "x.grad.zero_() resets the stored gradient to zeros, in place (the same tensor).",
    },
    "claim.in6.grad_accumulates": {
        "pt": "Sem zero_(), uma segunda retropropagação acumula em x.grad: depois de 2xᵀx e "
        "de x.sum(), x.grad = 4x + 1.",
        "en": "Without zero_(), a second backward pass accumulates into x.grad: after 2xᵀx and "
        "then x.sum(), x.grad = 4x + 1.",
    },
    "claim.in6.grad_of_sum_is_ones": {
        "pt": "A derivada de Σxᵢ em relação a cada xᵢ é 1: x.grad só tem uns.",
        "en": "The derivative of Σxᵢ with respect to each xᵢ is 1: x.grad is all ones.",
    },
    "claim.in11.nonscalar_backward_raises": {
        "pt": 'Quando y = x * x é um vetor, y.backward() sem argumento levanta "grad can be '
        'implicitly created only for scalar outputs"; um tensor de um só elemento conta como '
        "escalar e não levanta erro.",
        "en": 'When y = x * x is a vector, y.backward() without an argument raises "grad can be '
        'implicitly created only for scalar outputs"; a one-element tensor counts as a scalar '
        "and does not raise.",
    },
    "claim.in12.gradient_v_is_vjp": {
        "pt": "y.backward(v) calcula o produto vetor–jacobiana vᵀJ; para y = x * x, vᵀJ = 2x·v.",
        "en": "y.backward(gradient=v) computes the vector–Jacobian product vᵀJ; for y = x * x, "
        "vᵀJ = 2x·v.",
    },
    "claim.in12.ones_equals_sum": {
        "pt": "Com v = torch.ones(len(y)), y.backward(v) dá o mesmo x.grad que "
        "y.sum().backward(): 2x.",
        "en": "With v = torch.ones(len(y)), y.backward(gradient=v) gives the same x.grad as "
        "y.sum().backward(): 2x.",
    },
    "claim.in12.sum_backward_faster": {
        "pt": 'O comentário "Faster": y.sum().backward() leva pelo menos 20 % menos tempo que '
        "y.backward(torch.ones(len(y))).",
        "en": 'The comment "Faster": y.sum().backward() takes at least 20 % less time than '
        "y.backward(gradient=torch.ones(len(y))).",
    },
    "claim.in16.grad_is_u": {
        "pt": "Com u = y.detach() tratado como constante, z = u * x dá x.grad == u (d/dx ux = u).",
        "en": "With u = y.detach() treated as a constant, z = u * x gives x.grad == u (d/dx ux = u).",
    },
    "claim.in16.detach_values_no_graph": {
        "pt": "u = y.detach() tem os valores de y, mas grad_fn None e requires_grad False: a "
        "retropropagação não passa por u.",
        "en": "u = y.detach() has y's values, but grad_fn None and requires_grad False: the "
        "backward pass does not go through u.",
    },
    "claim.in16.detach_shares_storage": {
        "pt": "u = y.detach() compartilha a memória com y (mesmo data_ptr()): uma mudança "
        "in-place em y aparece em u; y.detach().clone() faz uma cópia independente.",
        "en": "u = y.detach() shares storage with y (same data_ptr()): an in-place change of y "
        "shows in u; y.detach().clone() makes an independent copy.",
    },
    "claim.in16.detach_is_snapshot": {
        "pt": "Como diz a anotação, u guarda os valores que y tinha no momento de desanexar, "
        "mesmo que y mude in-place depois.",
        "en": "As the annotation says, u keeps the values y had at the moment of detaching, "
        "even if y later changes in place.",
    },
    "claim.in17.graph_to_y_persists": {
        "pt": "Desanexar u não corta o grafo computacional do próprio y: y.sum().backward() "
        "ainda chega a x e dá x.grad == 2x.",
        "en": "Detaching u does not cut y's own computational graph: y.sum().backward() still "
        "reaches x and gives x.grad == 2x.",
    },
    "claim.in20.piecewise_linear": {
        "pt": "f é linear por partes: f(a) = s·a com inclinação s = 2^k para a > 0 e 100·2^k "
        "para a < 0, onde o número k de duplicações depende de a.",
        "en": "f is piecewise linear: f(a) = s·a with slope s = 2^k for a > 0 and 100·2^k for "
        "a < 0, where the number k of doublings depends on a.",
    },
    "claim.in20.grad_is_d_over_a": {
        "pt": "Para este a, a.grad == d / a: a derivada de um trecho linear é o seu valor "
        "dividido por a.",
        "en": "For this a, a.grad == d / a: the derivative of a linear piece is its value "
        "divided by a.",
    },
    "claim.in20.exact_for_every_a": {
        "pt": "a.grad == d / a dá True (igualdade exata) para todo sorteio a = torch.randn(()).",
        "en": "a.grad == d / a gives True (exact equality) for every draw a = torch.randn(()).",
    },
    "claim.in20.graph_depends_on_a": {
        "pt": "O grafo computacional depende de a: tem k nós MulBackward0 (o primeiro a * 2 e "
        "um por duplicação do laço), e mais um para 100 * b quando a < 0.",
        "en": "The computational graph depends on a: it has k MulBackward0 nodes (the first "
        "a * 2 and one per doubling in the loop), and one more for 100 * b when a < 0.",
    },
    "claims.status.exact": {"pt": "✔ exato", "en": "✔ exact"},
    "claims.status.rounding": {
        "pt": "≈ a menos de arredondamento ({ulps} ulp)",
        "en": "≈ up to rounding ({ulps} ulp)",
    },
    "claims.status.false": {"pt": "✘ falso", "en": "✘ false"},
    "claims.cell": {"pt": "In [{cell}]:", "en": "In [{cell}]:"},
    "claims.fact": {"pt": "o fato verificado", "en": "the fact checked"},
    "claims.compare.statement": {
        "pt": "os dois tensores ({shape}, {dtype}) são iguais",
        "en": "the two tensors ({shape}, {dtype}) are equal",
    },
    "claims.detail.worst": {
        "pt": "pior elemento {index}: obtido {actual}, esperado {expected} ({ulps} ulp de diferença)",
        "en": "worst element {index}: got {actual}, expected {expected} ({ulps} ulp apart)",
    },
    "claims.detail.observed": {"pt": "observado: {observed}", "en": "observed: {observed}"},
    "claims.detail.fd": {
        "pt": "diferenças finitas em float64 discordam da fórmula no elemento {index}: {fd} "
        "em vez de {formula}",
        "en": "float64 finite differences disagree with the formula at element {index}: {fd} "
        "instead of {formula}",
    },
    "claims.detail.faster": {
        "pt": "mediana de {repeat} medições: {sizes} (tempos em .measurements)",
        "en": "median of {repeat} runs: {sizes} (times in .measurements)",
    },
    "claims.faster.size": {"pt": "{n} elementos: {verdict}", "en": "{n} elements: {verdict}"},
    "claims.faster.yes": {"pt": "mais rápido", "en": "faster"},
    "claims.faster.no": {"pt": "não é mais rápido", "en": "not faster"},
    "claims.detail.snapshot": {
        "pt": "y valia {before}; depois de y.add_(1), u vale {u}",
        "en": "y was {before}; after y.add_(1), u is {u}",
    },
    "claims.detail.ratio": {
        "pt": "a = {a}: a.grad = {grad}, d / a = {ratio} ({ulps} ulp de diferença; == dá {equal})",
        "en": "a = {a}: a.grad = {grad}, d / a = {ratio} ({ulps} ulp apart; == gives {equal})",
    },
    "claims.detail.every": {
        "pt": "== dá False em {broken} de {n} sorteios (semente {draws_seed}), por exemplo a = {a}: "
        "a.grad = {grad}, d / a = {ratio} ({ulps} ulp de diferença)",
        "en": "== gives False for {broken} of {n} draws (seed {draws_seed}), for example a = {a}: "
        "a.grad = {grad}, d / a = {ratio} ({ulps} ulp apart)",
    },
    "claims.detail.nodes": {
        "pt": "a = {a}: {count} nós MulBackward0, a fórmula dá {expected}",
        "en": "a = {a}: {count} MulBackward0 nodes, the formula gives {expected}",
    },
    "claims.detail.graph": {
        "pt": "nós MulBackward0: {count} para a = {a}, {small_count} para a = {small}, "
        "{minus_count} para a = {minus}",
        "en": "MulBackward0 nodes: {count} for a = {a}, {small_count} for a = {small}, "
        "{minus_count} for a = {minus}",
    },
    "claims.study.text": {
        "pt": "In [20] com {n} sorteios a = torch.randn(()) (semente {draws_seed}): {negative} "
        "negativos; a.grad == d / a dá False em {broken} deles ({percent} %) e em {positive} "
        "positivos; a maior diferença é {ulps} ulp (arredondamento de 100 * b).",
        "en": "In [20] with {n} draws a = torch.randn(()) (seed {draws_seed}): {negative} negative; "
        "a.grad == d / a gives False for {broken} of them ({percent} %) and for {positive} "
        "positive ones; the largest difference is {ulps} ulp (rounding of 100 * b).",
    },
    "claims.study.example": {
        "pt": "primeiro contraexemplo, sorteio {index}: a = {a}, a.grad = {grad}, d / a = {ratio} "
        "({ulps} ulp)",
        "en": "first counterexample, draw {index}: a = {a}, a.grad = {grad}, d / a = {ratio} "
        "({ulps} ulp)",
    },
    "claims.demo.text": {
        "pt": "y = x * x = {before}; u = y.detach(); c = y.detach().clone()\n"
        "depois de y.add_(1): y = {y}, u = {u} (mesma memória que y: {u_shares}), "
        "c = {c} (mesma memória que y: {c_shares})",
        "en": "y = x * x = {before}; u = y.detach(); c = y.detach().clone()\n"
        "after y.add_(1): y = {y}, u = {u} (same storage as y: {u_shares}), "
        "c = {c} (same storage as y: {c_shares})",
    },
    "claims.error.not_tensor": {
        "pt": "{name} deve ser um tensor do PyTorch (ou um número), mas é {kind}. Converta "
        "antes, por exemplo torch.tensor({name}).",
        "en": "{name} must be a PyTorch tensor (or a number), but it is a {kind}. Convert it "
        "first, for example torch.tensor({name}).",
    },
    "claims.error.shape": {
        "pt": "Os formatos diferem: obtido {actual}, esperado {expected}. Compare tensores do "
        "mesmo formato; se os valores são os mesmos em outra disposição, use "
        ".reshape{expected} no primeiro.",
        "en": "The shapes differ: got {actual}, expected {expected}. Compare tensors of the "
        "same shape; if the values are the same in another layout, use .reshape{expected} "
        "on the first one.",
    },
    "claims.error.dtype": {
        "pt": "Os tipos diferem: obtido {actual}, esperado {expected}. Converta um deles, por "
        "exemplo actual.to({expected}), para comparar no mesmo tipo.",
        "en": "The dtypes differ: got {actual}, expected {expected}. Convert one of them, for "
        "example actual.to({expected}), to compare in one dtype.",
    },
    "claims.error.not_float": {
        "pt": "{name} precisa ser de ponto flutuante para ter gradiente, mas é {dtype}. Use "
        "{name}.float() ou torch.arange(4.0).",
        "en": "{name} must be floating point to have a gradient, but it is {dtype}. Use "
        "{name}.float() or torch.arange(4.0).",
    },
    "claims.error.not_vector": {
        "pt": "{name} deve ser um tensor não vazio (e um vetor, de 1 dimensão, onde a afirmação "
        "usa torch.dot), como torch.arange(4.0), mas tem formato {shape}.",
        "en": "{name} must be a non-empty tensor (and a vector, 1 dimension, where the claim "
        "uses torch.dot), like torch.arange(4.0), but it has shape {shape}.",
    },
    "claims.error.bad_a": {
        "pt": "a deve ser um escalar finito e não nulo (|a| ≥ 1e-30), como torch.randn(()), "
        "mas é {value}. Com a = 0 o laço de f nunca termina.",
        "en": "a must be a finite, nonzero scalar (|a| ≥ 1e-30), like torch.randn(()), but it "
        "is {value}. With a = 0 the loop of f never ends.",
    },
    "claims.error.v_like_x": {
        "pt": "v deve ter o formato e o tipo de x: v tem formato {v}, x tem {x}. Use, por "
        "exemplo, v = torch.ones_like(x).",
        "en": "v must have the shape and dtype of x: v has shape {v}, x has {x}. Use, for "
        "example, v = torch.ones_like(x).",
    },
    "claims.error.timing": {
        "pt": "n e repeat devem ser inteiros positivos (recebi n={n!r}, repeat={repeat!r}).",
        "en": "n and repeat must be positive integers (got n={n!r}, repeat={repeat!r}).",
    },
    "claims.error.study": {
        "pt": "n deve ser um inteiro positivo e a semente um inteiro (recebi n={n!r} e semente {draws_seed!r}).",
        "en": "n must be a positive integer and the seed an integer (got n={n!r} and seed {draws_seed!r}).",
    },
    "claims.error.unknown_claim": {
        "pt": "Afirmação desconhecida: {claim!r}. As afirmações verificáveis são: {valid}.",
        "en": "Unknown claim: {claim!r}. The claims that can be checked are: {valid}.",
    },
    "claims.error.unknown_input": {
        "pt": "{claim} não usa a(s) entrada(s) {names}. Entradas aceitas: {valid}.",
        "en": "{claim} takes no input named {names}. Accepted inputs: {valid}.",
    },
    "claims.error.unknown_cell": {
        "pt": "A célula {cell!r} não tem afirmações verificáveis. Células com afirmações: {valid}.",
        "en": "Cell {cell!r} has no claims to check. Cells with claims: {valid}.",
    },
    # --- widgets.py: explorers to turn a knob and watch the graph and the gradient ------------
    "widgets.control_flow.title": {
        "pt": "Explorador do fluxo de controle: d = f(a), do In [20]",
        "en": "Control flow explorer: d = f(a), from In [20]",
    },
    "widgets.control_flow.doublings": {"pt": "duplicações: {count}", "en": "doublings: {count}"},
    "widgets.control_flow.doublings_none": {"pt": "duplicações: —", "en": "doublings: —"},
    "widgets.control_flow.branch.positive": {
        "pt": "ramo: sum(b) > 0, então c = b",
        "en": "branch: sum(b) > 0, so c = b",
    },
    "widgets.control_flow.branch.negative": {
        "pt": "ramo: sum(b) ≤ 0, então c = 100 * b",
        "en": "branch: sum(b) ≤ 0, so c = 100 * b",
    },
    "widgets.control_flow.nodes": {
        "pt": "grafo computacional: {count} nós MulBackward0",
        "en": "computation graph: {count} MulBackward0 nodes",
    },
    "widgets.control_flow.verdict.exact": {
        "pt": "a.grad == d / a dá True: iguais bit a bit",
        "en": "a.grad == d / a gives True: equal bit for bit",
    },
    "widgets.control_flow.verdict.rounding": {
        "pt": "a.grad == d / a dá False: iguais só até o arredondamento ({ulps} ulps)",
        "en": "a.grad == d / a gives False: equal only up to rounding ({ulps} ulps)",
    },
    "widgets.control_flow.verdict.false": {
        "pt": "a.grad == d / a dá False: diferem em {ulps} ulps",
        "en": "a.grad == d / a gives False: they differ by {ulps} ulps",
    },
    "widgets.control_flow.bad_a": {
        "pt": "a = {value} não serve aqui (em float32 vale {stored}). f dobra b até a norma chegar "
        "a 1000, o que nunca acontece com a = 0, e um valor infinito ou NaN não tem derivada. "
        "Escolha um a finito e não nulo, como 1.5 ou -1e-6.",
        "en": "a = {value} cannot be used here (in float32 it is {stored}). f doubles b until its "
        "norm reaches 1000, which never happens for a = 0, and an infinite or NaN value has no "
        "derivative. Choose a finite, nonzero a, like 1.5 or -1e-6.",
    },
    "widgets.vjp.title": {
        "pt": "Explorador do produto vetor–jacobiana: x.grad = vᵀJ, do In [11] e In [12]",
        "en": "Vector–Jacobian product explorer: x.grad = vᵀJ, from In [11] and In [12]",
    },
    "widgets.vjp.jacobian": {"pt": "jacobiana J = dy/dx:", "en": "Jacobian J = dy/dx:"},
    "widgets.vjp.grad": {
        "pt": "y.backward(gradient=v) deixa x.grad = vᵀJ = {grad}",
        "en": "y.backward(gradient=v) leaves x.grad = vᵀJ = {grad}",
    },
    "widgets.vjp.matches": {
        "pt": "y.sum().backward() dá {sum_grad}: igual (v = 1 soma as linhas de J)",
        "en": "y.sum().backward() gives {sum_grad}: the same (v = 1 adds up the rows of J)",
    },
    "widgets.vjp.differs": {
        "pt": "y.sum().backward() dá {sum_grad}: diferente (isso seria v = 1, que soma as linhas de J)",
        "en": "y.sum().backward() gives {sum_grad}: different (that would be v = 1, which adds up "
        "the rows of J)",
    },
    "widgets.vjp.bad_v": {
        "pt": "v precisa de {count} números finitos separados por vírgulas, como 1, 0, 0, 0, "
        "mas recebeu {text!r}.",
        "en": "v needs {count} finite numbers separated by commas, like 1, 0, 0, 0, but got {text!r}.",
    },
    "widgets.vjp.picture.v": {"pt": "v (a semente)", "en": "v (the seed)"},
    "widgets.vjp.picture.jacobian": {"pt": "jacobiana J", "en": "Jacobian J"},
    "widgets.vjp.picture.grad": {"pt": "x.grad = vᵀJ", "en": "x.grad = vᵀJ"},
    "widgets.stepper.title": {
        "pt": "Retropropagação passo a passo: {count} passos",
        "en": "Backward pass step by step: {count} steps",
    },
    "widgets.stepper.position": {
        "pt": "passo {number} de {last}: {op} ({label})",
        "en": "step {number} of {last}: {op} ({label})",
    },
    "widgets.stepper.prev": {"pt": "◀ anterior", "en": "◀ previous"},
    "widgets.stepper.next": {"pt": "próximo ▶", "en": "next ▶"},
    # --- exercises.py: checking the answers of the exercises ---------------------------------
    "exercises.correct": {"pt": "Exercício {number}: correto", "en": "Exercise {number}: correct"},
    "exercises.wrong": {"pt": "Exercício {number}: ainda não", "en": "Exercise {number}: not yet"},
    "exercises.hint": {"pt": "dica: {hint}", "en": "hint: {hint}"},
    "exercises.unknown": {
        "pt": "Não existe o exercício {number}; os exercícios são numerados de {valid}.",
        "en": "There is no exercise {number}; the exercises are numbered {valid}.",
    },
    "exercises.unanswered": {
        "pt": "ainda não respondido. Substitua o None (ou ...) pela resposta na forma {form}.",
        "en": "not answered yet. Replace the None (or ...) with your answer in the form {form}.",
    },
    "exercises.bad_form": {
        "pt": "a resposta não tem a forma esperada.",
        "en": "the answer does not have the expected form.",
    },
    "exercises.form_hint": {"pt": "a resposta deve ser {form}.", "en": "the answer should be {form}."},
    "exercises.incorrect": {
        "pt": "a resposta não confere com o cálculo independente do verificador.",
        "en": "the answer does not match the checker's independent computation.",
    },
    "exercises.raised": {
        "pt": "a sua função levantou um erro: {error}. Corrija-a e rode a célula de novo.",
        "en": "your function raised an error: {error}. Fix it and run the cell again.",
    },
    "exercises.1.form": {
        "pt": '{{"first_seconds": float, "second_seconds": float, "second_derivative": tensor de '
        "formato (1000,)}}, com a segunda derivada de sin em X1",
        "en": '{{"first_seconds": float, "second_seconds": float, "second_derivative": tensor of '
        "shape (1000,)}}, with the second derivative of sin at X1",
    },
    "exercises.1.ok": {
        "pt": "a segunda derivada é −sin(x), e a segunda retropropagação, que percorre um grafo "
        "computacional maior (criado com create_graph=True), não sai muito mais barata que a primeira.",
        "en": "the second derivative is −sin(x), and the second backward pass, which runs through a "
        "bigger computation graph (built with create_graph=True), does not come out much cheaper than the first.",
    },
    "exercises.1.first_derivative": {
        "pt": "isso é a primeira derivada, cos(x). Calcule a primeira com create_graph=True e derive "
        "o resultado de novo (por exemplo, a soma dele) em relação a x.",
        "en": "that is the first derivative, cos(x). Compute the first one with create_graph=True and "
        "differentiate the result (for example its sum) with respect to x again.",
    },
    "exercises.1.values": {
        "pt": "os valores não são a segunda derivada de sin em X1, que deve dar −sin(X1).",
        "en": "the values are not the second derivative of sin at X1, which should come out as −sin(X1).",
    },
    "exercises.1.times_invalid": {
        "pt": "os tempos devem ser números finitos maiores que zero, em segundos.",
        "en": "the times should be finite numbers greater than zero, in seconds.",
    },
    "exercises.1.times_implausible": {
        "pt": "a segunda retropropagação saiu bem mais rápida que a primeira, o que é implausível: ela "
        "deriva um grafo computacional maior. Meça com mais repetições (por exemplo, timeit com "
        "number=100) e meça só a retropropagação.",
        "en": "the second backward pass came out much faster than the first, which is implausible: it "
        "differentiates a bigger computation graph. Measure with more repetitions (for example timeit "
        "with number=100) and time only the backward pass.",
    },
    "exercises.2.form": {
        "pt": '{{"error": a exceção capturada, "grad": x.grad, um tensor de formato (4,)}}',
        "en": '{{"error": the caught exception, "grad": x.grad, a tensor of shape (4,)}}',
    },
    "exercises.2.ok": {
        "pt": "a retropropagação libera o grafo computacional; retain_graph=True o mantém, e cada "
        "chamada de backward() soma o seu gradiente em .grad.",
        "en": "the backward pass frees the computation graph; retain_graph=True keeps it, and each "
        "call of backward() adds its gradient into .grad.",
    },
    "exercises.2.no_error": {
        "pt": '"error" deve ser o RuntimeError que o PyTorch levanta no segundo y.backward() sem '
        'retain_graph ("Trying to backward through the graph a second time"). Capture-o com '
        "try/except RuntimeError as e.",
        "en": '"error" should be the RuntimeError PyTorch raises on the second y.backward() without '
        'retain_graph ("Trying to backward through the graph a second time"). Catch it with '
        "try/except RuntimeError as e.",
    },
    "exercises.2.once": {
        "pt": "o grad é 2x, o gradiente de uma só chamada. A segunda chamada acumula em .grad: você "
        "zerou o gradiente entre as duas chamadas ou chamou backward só uma vez?",
        "en": "the grad is 2x, the gradient of a single call. The second call accumulates into .grad: "
        "did you zero it in between or call backward only once?",
    },
    "exercises.2.not_zeroed": {
        "pt": "o grad é 6x: x.grad ainda guardava os 2x da primeira parte; zere-o primeiro "
        "(x.grad = None ou x.grad.zero_()).",
        "en": "the grad is 6x: x.grad still held the 2x from the first part; zero it first "
        "(x.grad = None or x.grad.zero_()).",
    },
    "exercises.2.values": {
        "pt": "depois de zerar x.grad e chamar z.backward(retain_graph=True) e z.backward(), o grad "
        "deve ser 2x + 2x = 4x = [0, 4, 8, 12].",
        "en": "after zeroing x.grad and calling z.backward(retain_graph=True) and z.backward(), the "
        "grad should be 2x + 2x = 4x = [0, 4, 8, 12].",
    },
    "exercises.3.form": {
        "pt": "(a, grad): a um tensor float com pelo menos 2 elementos e grad = a.grad depois de "
        "d = f(a); d.sum().backward()",
        "en": "(a, grad): a a float tensor with at least 2 elements and grad = a.grad after "
        "d = f(a); d.sum().backward()",
    },
    "exercises.3.ok": {
        "pt": "com um vetor ou matriz, f continua linear por partes: o gradiente tem o mesmo valor em "
        "todos os elementos, decidido pela norma e pela soma de a inteiro.",
        "en": "with a vector or matrix, f is still piecewise linear: the gradient has the same value "
        "in every element, decided by the norm and the sum of the whole a.",
    },
    "exercises.3.scalar": {
        "pt": "a tem um só elemento; use um vetor ou matriz, por exemplo "
        "a = torch.tensor([0.5, -1.0], requires_grad=True).",
        "en": "a has a single element; use a vector or matrix, for example "
        "a = torch.tensor([0.5, -1.0], requires_grad=True).",
    },
    "exercises.3.shape": {
        "pt": "o gradiente tem formato {actual}, mas deve ter o formato de a, {expected}.",
        "en": "the gradient has shape {actual}, but it should have the shape of a, {expected}.",
    },
    "exercises.3.zero": {
        "pt": "a norma de a deve ser finita e diferente de zero, senão f nunca sai do laço.",
        "en": "the norm of a should be finite and nonzero, otherwise f never leaves its loop.",
    },
    "exercises.3.values": {
        "pt": "para este a, f dobra k = {k} vezes, então cada elemento do gradiente deve ser {slope} "
        "(2^k se a soma for positiva, 100·2^k se não for). Zerou a.grad antes do backward?",
        "en": "for this a, f doubles k = {k} times, so every element of the gradient should be "
        "{slope} (2^k if the sum is positive, 100·2^k otherwise). Did you zero a.grad before backward?",
    },
    "exercises.4.form": {
        "pt": "uma função dsin(x) que recebe um tensor e devolve a derivada de sin em x, calculada "
        "com autograd",
        "en": "a function dsin(x) that takes a tensor and returns the derivative of sin at x, "
        "computed with autograd",
    },
    "exercises.4.ok": {
        "pt": "o autograd reproduz a derivada cos(x) sem que você escreva cos.",
        "en": "autograd reproduces the derivative cos(x) without you writing cos.",
    },
    "exercises.4.uses_cos": {
        "pt": "a sua função usa cos diretamente; o objetivo é obter a derivada pelo autograd: "
        "x.requires_grad_(), y = torch.sin(x), depois y.sum().backward() ou torch.autograd.grad.",
        "en": "your function uses cos directly; the point is to get the derivative from autograd: "
        "x.requires_grad_(), y = torch.sin(x), then y.sum().backward() or torch.autograd.grad.",
    },
    "exercises.4.values": {
        "pt": "os valores não são a derivada de sin. Derive sin(x).sum() em relação a x.",
        "en": "the values are not the derivative of sin. Differentiate sin(x).sum() with respect to x.",
    },
    "exercises.5.form": {
        "pt": '(funcao, ops): a sua implementação de (log x²)·sin x + 1/x e a lista dos nomes de '
        'grad_fn do grafo computacional, por exemplo ["LogBackward0", "MulBackward0", ...]',
        "en": '(function, ops): your implementation of (log x²)·sin x + 1/x and the list of grad_fn '
        'names in its computation graph, for example ["LogBackward0", "MulBackward0", ...]',
    },
    "exercises.5.ok": {
        "pt": "a função confere com f e a lista de operações é exatamente o grafo computacional "
        "que ela constrói.",
        "en": "the function matches f and the list of operations is exactly the computation graph "
        "it builds.",
    },
    "exercises.5.values": {
        "pt": "a sua função não dá os mesmos valores que (log x²)·sin x + 1/x em [0.5, 3].",
        "en": "your function does not give the same values as (log x²)·sin x + 1/x on [0.5, 3].",
    },
    "exercises.5.no_graph": {
        "pt": "com x = torch.tensor(2.0, requires_grad=True), a sua função não devolve um tensor "
        "com grad_fn; use operações do torch sobre x.",
        "en": "with x = torch.tensor(2.0, requires_grad=True), your function does not return a tensor "
        "with a grad_fn; use torch operations on x.",
    },
    "exercises.5.ops": {
        "pt": "a lista não confere com o grafo computacional da sua função (sem contar a folha "
        "AccumulateGrad). Faltam: {missing}. Sobram: {extra}. Use trace(funcao(x)) para conferir.",
        "en": "the list does not match the computation graph of your function (not counting the leaf "
        "AccumulateGrad). Missing: {missing}. Extra: {extra}. Use trace(function(x)) to check.",
    },
    "exercises.6.form": {
        "pt": "uma função dfdx(x) que recebe um tensor e devolve a derivada de f calculada à mão",
        "en": "a function dfdx(x) that takes a tensor and returns the derivative of f worked out by hand",
    },
    "exercises.6.ok": {
        "pt": "a sua derivada pela regra da cadeia confere com o autograd em 50 pontos.",
        "en": "your chain-rule derivative matches autograd at 50 points.",
    },
    "exercises.6.sign": {
        "pt": "em x = {x} a sua derivada dá {actual}, o autograd dá {expected}. Confira o sinal do "
        "último termo: a derivada de x⁻¹ é −x⁻².",
        "en": "at x = {x} your derivative gives {actual}, autograd gives {expected}. Check the sign "
        "of the last term: d/dx x⁻¹ = −x⁻².",
    },
    "exercises.6.values": {
        "pt": "em x = {x} a sua derivada dá {actual}, o autograd dá {expected}. Aplique a regra da "
        "cadeia a log(x²) e a regra do produto a log(x²)·sin x; lembre que a derivada de x⁻¹ é −x⁻².",
        "en": "at x = {x} your derivative gives {actual}, autograd gives {expected}. Apply the chain "
        "rule to log(x²) and the product rule to log(x²)·sin x; recall d/dx x⁻¹ = −x⁻².",
    },
    "exercises.7.form": {
        "pt": '{{"forward": tensor de formato (6,), "backward": tensor de formato (6,)}}, a derivada '
        "de f em X7 por torch.func.jvp e por torch.func.vjp",
        "en": '{{"forward": tensor of shape (6,), "backward": tensor of shape (6,)}}, the derivative '
        "of f at X7 by torch.func.jvp and by torch.func.vjp",
    },
    "exercises.7.ok": {
        "pt": "o modo direto (jvp) e o modo reverso (vjp) dão a mesma derivada, igual à fórmula.",
        "en": "forward mode (jvp) and reverse mode (vjp) give the same derivative, equal to the formula.",
    },
    "exercises.7.both": {
        "pt": "nem forward nem backward conferem com a derivada de f em X7. Use "
        "torch.func.jvp(f5, (X7,), (torch.ones_like(X7),))[1] e "
        "torch.func.vjp(f5, X7)[1](torch.ones_like(X7))[0].",
        "en": "neither forward nor backward matches the derivative of f at X7. Use "
        "torch.func.jvp(f5, (X7,), (torch.ones_like(X7),))[1] and "
        "torch.func.vjp(f5, X7)[1](torch.ones_like(X7))[0].",
    },
    "exercises.7.forward": {
        "pt": '"forward" não confere com a derivada; jvp devolve (f(x), derivada): pegue o índice '
        "[1], com a tangente torch.ones_like(X7).",
        "en": '"forward" does not match the derivative; jvp returns (f(x), derivative): take index '
        "[1], with the tangent torch.ones_like(X7).",
    },
    "exercises.7.backward": {
        "pt": '"backward" não confere com a derivada; vjp devolve (f(x), função): chame a função '
        "com torch.ones_like(X7) e pegue o índice [0].",
        "en": '"backward" does not match the derivative; vjp returns (f(x), function): call the '
        "function with torch.ones_like(X7) and take index [0].",
    },
    "exercises.7.disagree": {
        "pt": "forward e backward conferem com a fórmula, mas não entre si (formato ou tipo diferente).",
        "en": "forward and backward match the formula but not each other (different shape or dtype).",
    },
    "exercises.8.form": {
        "pt": '{{"tall": (segundos_jacfwd, segundos_jacrev), "wide": (segundos_jacfwd, '
        'segundos_jacrev), "conclusion": {{"tall": "forward" ou "reverse", "wide": "forward" ou "reverse"}}}}',
        "en": '{{"tall": (seconds_jacfwd, seconds_jacrev), "wide": (seconds_jacfwd, '
        'seconds_jacrev), "conclusion": {{"tall": "forward" or "reverse", "wide": "forward" or "reverse"}}}}',
    },
    "exercises.8.ok": {
        "pt": "as suas conclusões conferem com as suas medições: o modo direto (jacfwd) paga por "
        "entrada, o modo reverso (jacrev) por saída.",
        "en": "your conclusions match your measurements: forward mode (jacfwd) pays per input, "
        "reverse mode (jacrev) per output.",
    },
    "exercises.8.tall": {"pt": "alta (poucas entradas, muitas saídas)", "en": "tall (few inputs, many outputs)"},
    "exercises.8.wide": {"pt": "larga (muitas entradas, poucas saídas)", "en": "wide (many inputs, few outputs)"},
    "exercises.8.times_invalid": {
        "pt": "os tempos devem ser números finitos maiores que zero, em segundos.",
        "en": "the times should be finite numbers greater than zero, in seconds.",
    },
    "exercises.8.swapped": {
        "pt": 'na forma {shape} você mediu jacfwd {fwd} s e jacrev {rev} s, então o mais rápido é '
        '"{faster}", não "{chosen}".',
        "en": 'for the {shape} shape you measured jacfwd {fwd} s and jacrev {rev} s, so the faster '
        'one is "{faster}", not "{chosen}".',
    },
    "exercises.8.measure_more": {
        "pt": "a sua medição contradiz a teoria (a jacobiana alta favorece o modo direto, a larga o "
        "reverso); meça com tamanhos maiores ou mais repetições.",
        "en": "your measurement contradicts the theory (a tall jacobian favours forward mode, a wide "
        "one reverse mode); measure with larger sizes or more repetitions.",
    },
}


class LessonError(TypeError, ValueError):
    """A helper was given input it cannot use; the message says what to do instead.

    It derives from both TypeError and ValueError so that code catching either still works.
    """


def _normalise(language: object) -> str | None:
    if not isinstance(language, str):
        return None
    code = language.strip().lower().replace("_", "-").split("-")[0]
    return code if code in LANGUAGES else None


def _initial_language() -> str:
    return _normalise(os.environ.get(ENV_VARIABLE, "")) or DEFAULT_LANGUAGE


_current = _initial_language()


def set_language(language: str) -> None:
    """Choose the language of every message the helpers print ("pt" or "en").

    Regional forms such as "pt-BR" or "en_US" are accepted.
    """
    global _current
    code = _normalise(language)
    if code is None:
        both = " / ".join(
            MESSAGES["language.unknown"][lang].format(value=language) for lang in LANGUAGES
        )
        raise LessonError(both)
    _current = code


def get_language() -> str:
    """The language code currently used for messages."""
    return _current


def message(key: str, language: str | None = None, **fields: object) -> str:
    """The catalogue text for `key` in the current (or given) language, with fields filled in."""
    lang = _normalise(language) if language is not None else _current
    return MESSAGES[key][lang or _current].format(**fields)


def placeholders(text: str) -> set[str]:
    """The names of the str.format fields in `text` (used to keep translations in step)."""
    return {field for _, field, _, _ in string.Formatter().parse(text) if field}
