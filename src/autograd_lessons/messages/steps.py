"""Messages of steps.py: the backward pass, one node at a time."""

MESSAGES: dict[str, dict[str, str]] = {
    "steps.header": {"pt": "Retropropagação de {name}", "en": "Backward pass of {name}"},
    "steps.header_unnamed": {"pt": "Retropropagação da saída", "en": "Backward pass of the output"},
    "steps.count": {
        "pt": ": {count} passos, na ordem real do motor do autograd",
        "en": ": {count} steps, in the autograd engine's real order",
    },
    "steps.step": {"pt": "passo {number}: {op} · {label}", "en": "step {number}: {op} · {label}"},
    "steps.initial": {
        "pt": "começa com o gradiente inicial {value} (d saída / d saída)",
        "en": "starts with the initial gradient {value} (d output / d output)",
    },
    "steps.initial_given": {
        "pt": "começa com o gradiente inicial {value}: o v de backward(gradient=v)",
        "en": "starts with the initial gradient {value}: the v of backward(gradient=v)",
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
    "steps.error.nonscalar": {
        "pt": "A saída tem formato {shape}, não é escalar, então a retropropagação precisa de "
        "um gradiente inicial: passe gradient=torch.ones_like(y), ou reduza antes com y.sum().",
        "en": "The output has shape {shape}, it is not a scalar, so the backward pass needs an "
        "initial gradient: pass gradient=torch.ones_like(y), or reduce it first with y.sum().",
    },
    "steps.error.number": {
        "pt": "Não existe o passo {number}: esta retropropagação tem {count} passos, numerados de "
        "1 a {count}. Escolha um número entre 1 e {count}.",
        "en": "There is no step {number}: this backward pass has {count} steps, numbered from 1 "
        "to {count}. Choose a number between 1 and {count}.",
    },
    "steps.error.no_steps": {
        "pt": "Esta retropropagação não tem passos: a saída é uma folha, sem operações antes "
        "dela. Calcule algo a partir dela, como (x * x).sum(), e passe esse resultado.",
        "en": "This backward pass has no steps: the output is a leaf, with no operations before "
        "it. Compute something from it, such as (x * x).sum(), and pass that result.",
    },
    "steps.error.freed": {
        "pt": "Os tensores salvos deste grafo computacional já foram liberados por uma "
        "retropropagação anterior, então não dá para passar por ele de novo. Calcule a saída "
        "outra vez (rode de novo as células do cálculo) ou use backward(retain_graph=True) "
        "na primeira vez.",
        "en": "The saved tensors of this computational graph were already freed by an earlier "
        "backward pass, so it cannot be run through again. Compute the output again (re-run "
        "the forward cells) or use backward(retain_graph=True) the first time.",
    },
    "steps.error.gradients": {
        "pt": "Com {count} saídas, gradient= precisa de um gradiente inicial por saída, numa tupla "
        "ou lista de {count} tensores (ou None, se todas forem escalares).",
        "en": "With {count} outputs, gradient= needs one initial gradient per output, in a tuple or "
        "list of {count} tensors (or None, if every output is a scalar).",
    },
}
