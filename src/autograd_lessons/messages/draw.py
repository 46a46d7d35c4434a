"""Messages of draw.py: pictures of the computational graph."""

MESSAGES: dict[str, dict[str, str]] = {
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
}
