"""Messages of graph.py (tracing the computational graph) and the names of backward operations."""

MESSAGES: dict[str, dict[str, str]] = {
    "graph.leaf": {"pt": "folha", "en": "leaf"},
    "graph.cut": {"pt": "entrada não rastreada", "en": "untracked input"},
    "graph.output": {"pt": "saída {name}", "en": "output {name}"},
    "graph.shape": {"pt": "formato {shape}", "en": "shape {shape}"},
    "graph.norm": {"pt": "formato {shape}, norma {norm}", "en": "shape {shape}, norm {norm}"},
    "graph.data": {"pt": "dados {values}", "en": "data {values}"},
    "graph.grad": {"pt": "grad {values}", "en": "grad {values}"},
    "graph.saved": {"pt": "salvos: {items}", "en": "saved: {items}"},
    "graph.freed": {"pt": "{name} (liberado)", "en": "{name} (freed)"},
    "graph.stale": {"pt": "{name} (alterado in-place)", "en": "{name} (changed in place)"},
    "graph.see_above": {"pt": "(ver acima)", "en": "(see above)"},
    "graph.fold": {"pt": "{op}, cadeia de {count}", "en": "{op}, a chain of {count}"},
    "graph.repeat": {"pt": "× {count}", "en": "× {count}"},
    "graph.fold.error.argument": {
        "pt": "fold(): {name} deve ser um número inteiro maior ou igual a {minimum}, mas recebeu {value}.",
        "en": "fold(): {name} must be a whole number of at least {minimum}, but got {value}.",
    },
    "graph.more_lines": {
        "pt": "… mais {count} linhas (use to_text(limit=None) para ver tudo)",
        "en": "… {count} more lines (use to_text(limit=None) to see everything)",
    },
    "graph.note_freed": {
        "pt": "Nota: uma retropropagação já liberou os valores salvos deste grafo; para mantê-los, "
        "chame backward(retain_graph=True).",
        "en": "Note: a backward pass already freed the saved values of this graph; to keep them, "
        "call backward(retain_graph=True).",
    },
    "graph.error.container": {
        "pt": "{func}() recebe um tensor, ou uma tupla ou lista de tensores, mas recebeu um(a) {kind}. "
        "Para um dicionário de saídas, passe os valores: {func}(tuple(saidas.values())).",
        "en": "{func}() takes a tensor, or a tuple or list of tensors, but got a {kind}. For a "
        "dictionary of outputs, pass its values: {func}(tuple(outputs.values())).",
    },
    "graph.error.empty": {
        "pt": "{func}() recebeu um {kind} vazio. Passe um tensor, ou uma tupla ou lista de tensores, "
        "por exemplo {func}((h, c)).",
        "en": "{func}() got an empty {kind}. Pass a tensor, or a tuple or list of tensors, for example {func}((h, c)).",
    },
    "graph.error.modules_not_module": {
        "pt": "modules= recebe o modelo (um torch.nn.Module), mas recebeu um(a) {kind}.",
        "en": "modules= takes the model (a torch.nn.Module), but got a {kind}.",
    },
    "graph.error.modules_none": {
        "pt": "O {kind} não tem submódulos para agrupar. modules= serve para um modelo feito de "
        "camadas, como nn.Sequential(nn.Linear(4, 8), nn.Tanh()).",
        "en": "The {kind} has no submodules to group. modules= is for a model made of layers, such "
        "as nn.Sequential(nn.Linear(4, 8), nn.Tanh()).",
    },
    "graph.error.modules_not_recorded": {
        "pt": "Nenhuma chamada do {kind} foi registrada: rode o modelo depois de importar o "
        "autograd_lessons (por exemplo, from autograd_lessons import draw) e chame de novo.",
        "en": "No call of the {kind} was recorded: run the model after importing autograd_lessons "
        "(for example, from autograd_lessons import draw) and call this again.",
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
        "en": "{func}() got a tensor with no computational graph: its grad_fn is None and "
        "requires_grad is False. It was probably computed inside torch.no_grad(), cut off "
        "with .detach(), or built from tensors that do not require gradients. Create the "
        "inputs with requires_grad=True (or call x.requires_grad_()) and compute the output "
        "again outside torch.no_grad().",
    },
    # Node labels: what each backward operation differentiates. The class name (SumBackward0)
    # is shown on its own line beside them, as code.
    "op.generic": {"pt": "derivada da operação {op}", "en": "backward of {op}"},
    "op.AccumulateGrad": {"pt": "grava em .grad", "en": "writes .grad"},
    "op.Add": {"pt": "derivada da adição (+)", "en": "backward of +"},
    "op.Sub": {"pt": "derivada da subtração (−)", "en": "backward of −"},
    "op.Rsub": {"pt": "derivada da subtração invertida (c − x)", "en": "backward of − (reversed: c − x)"},
    "op.Mul": {"pt": "derivada da multiplicação (×)", "en": "backward of ×"},
    "op.Div": {"pt": "derivada da divisão (÷)", "en": "backward of ÷"},
    "op.Neg": {"pt": "derivada da troca de sinal (−x)", "en": "backward of −x"},
    "op.Reciprocal": {"pt": "derivada do inverso (1/x)", "en": "backward of reciprocal (1/x)"},
    "op.Dot": {"pt": "derivada do produto interno", "en": "backward of dot"},
    "op.Sum": {"pt": "derivada da soma dos elementos", "en": "backward of sum"},
    "op.Mean": {"pt": "derivada da média", "en": "backward of mean"},
    "op.Pow": {"pt": "derivada da potência (**)", "en": "backward of **"},
    "op.Sqrt": {"pt": "derivada da raiz quadrada", "en": "backward of sqrt"},
    "op.Abs": {"pt": "derivada do valor absoluto", "en": "backward of abs"},
    "op.Tanh": {"pt": "derivada da tangente hiperbólica", "en": "backward of tanh"},
    "op.Sigmoid": {"pt": "derivada da sigmoide", "en": "backward of sigmoid"},
    "op.Relu": {"pt": "derivada da ReLU", "en": "backward of relu"},
    "op.Exp": {"pt": "derivada da exponencial", "en": "backward of exp"},
    "op.Log": {"pt": "derivada do log", "en": "backward of log"},
    "op.Sin": {"pt": "derivada do seno", "en": "backward of sin"},
    "op.Cos": {"pt": "derivada do cosseno", "en": "backward of cos"},
    "op.MatMul": {"pt": "derivada do produto de matrizes (@)", "en": "backward of @"},
    "op.Mm": {"pt": "derivada de @ (matriz × matriz)", "en": "backward of @ (matrix × matrix)"},
    "op.Mv": {"pt": "derivada de @ (matriz × vetor)", "en": "backward of @ (matrix × vector)"},
    "op.Bmm": {"pt": "derivada de @ (em lote)", "en": "backward of @ (batched)"},
    "op.Addmm": {"pt": "derivada de x @ W.T + b", "en": "backward of x @ W.T + b"},
    "op.View": {"pt": "derivada da mudança de formato (view)", "en": "backward of view"},
    "op.UnsafeView": {"pt": "derivada da mudança de formato (view)", "en": "backward of view"},
    "op.Reshape": {"pt": "derivada da mudança de formato (reshape)", "en": "backward of reshape"},
    "op.ReshapeAlias": {"pt": "derivada da mudança de formato (reshape)", "en": "backward of reshape"},
    "op.Expand": {"pt": "derivada da expansão (expand)", "en": "backward of expand"},
    "op.T": {"pt": "derivada da transposta (.T)", "en": "backward of .T"},
    "op.Transpose": {"pt": "derivada da transposta", "en": "backward of transpose"},
    "op.Permute": {"pt": "derivada da permutação de eixos", "en": "backward of permute"},
    "op.Squeeze": {"pt": "derivada da remoção de eixo (squeeze)", "en": "backward of squeeze"},
    "op.Unsqueeze": {"pt": "derivada da inserção de eixo (unsqueeze)", "en": "backward of unsqueeze"},
    "op.Select": {"pt": "derivada da indexação [i]", "en": "backward of indexing [i]"},
    "op.Slice": {"pt": "derivada da fatia [a:b]", "en": "backward of slicing [a:b]"},
    "op.Index": {"pt": "derivada da indexação", "en": "backward of indexing"},
    "op.Cat": {"pt": "derivada da concatenação (cat)", "en": "backward of cat"},
    "op.Stack": {"pt": "derivada do empilhamento (stack)", "en": "backward of stack"},
    "op.Clone": {"pt": "derivada da cópia (clone)", "en": "backward of clone"},
    "op.Copy": {"pt": "derivada da cópia in-place", "en": "backward of in-place copy"},
    "op.Maximum": {"pt": "derivada do máximo elemento a elemento", "en": "backward of maximum"},
    "op.Max": {"pt": "derivada do máximo", "en": "backward of max"},
    "op.Min": {"pt": "derivada do mínimo", "en": "backward of min"},
    "op.LinalgVectorNorm": {"pt": "derivada da norma", "en": "backward of norm"},
    "op.Norm": {"pt": "derivada da norma", "en": "backward of norm"},
    "op.Softmax": {"pt": "derivada da softmax", "en": "backward of softmax"},
    "op.LogSoftmax": {"pt": "derivada da log_softmax", "en": "backward of log_softmax"},
    "op.NllLoss": {"pt": "derivada da perda nll_loss", "en": "backward of nll_loss"},
    "op.MseLoss": {"pt": "derivada do erro quadrático médio", "en": "backward of mse_loss"},
}
