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
    "draw.legend.fold": {
        "pt": "cadeia de operações iguais, numa só caixa",
        "en": "chain of identical operations, in one box",
    },
    "draw.legend.pending": {"pt": "ainda não alcançado", "en": "not reached yet"},
    "draw.legend.output": {"pt": "saída", "en": "output"},
    "draw.legend.module": {
        "pt": "submódulo: as operações do seu forward",
        "en": "submodule: the operations of its forward",
    },
    "draw.legend.repeat": {
        "pt": "bloco repetido: desenhado uma vez, × quantas vezes ocorre",
        "en": "repeated block: drawn once, × how many times it occurs",
    },
    "draw.legend.active": {"pt": "nó ativo neste passo", "en": "active node at this step"},
    "draw.title": {
        "pt": "grafo computacional: {nodes} nós, {edges} arestas",
        "en": "computational graph: {nodes} nodes, {edges} edges",
    },
    "draw.title_folded": {
        "pt": "grafo computacional: {boxes} caixas para {nodes} nós ({folds})",
        "en": "computational graph: {boxes} boxes for {nodes} nodes ({folds})",
    },
    "draw.fold_one": {
        "pt": "{items} reunidos numa só caixa",
        "en": "{items} folded into one box",
    },
    "draw.fold_many": {
        "pt": "{chains} cadeias reunidas, uma caixa para cada: {items}",
        "en": "{chains} chains folded, one box each: {items}",
    },
    "draw.fold_item": {"pt": "{count} {op}", "en": "{count} {op}"},
    "draw.fold_repeat": {
        "pt": "um bloco de {size} caixas que se repete {count} vezes, desenhado uma vez com “× {count}”",
        "en": "a block of {size} boxes repeated {count} times, drawn once with “× {count}”",
    },
    "draw.fold_join": {"pt": "; ", "en": "; "},
    "draw.thousands": {"pt": ".", "en": ","},
    "draw.note_frames_left_out": {
        "pt": "As {count} molduras (submódulos, blocos repetidos) foram omitidas: com elas o desenho não "
        "caberia na largura da página.",
        "en": "The {count} frames (submodules, repeated blocks) were left out: with them the picture would "
        "not fit the page's width.",
    },
    "draw.note_retained_grad": {
        "pt": "“grad” numa operação: o .grad do tensor que ela produziu, guardado com retain_grad().",
        "en": "“grad” on an operation: the .grad of the tensor it produced, kept with retain_grad().",
    },
    "draw.fold_item_cuts": {
        "pt": "{count} {op} e {cuts} entradas não rastreadas",
        "en": "{count} {op} and {cuts} untracked inputs",
    },
    "draw.title_step": {
        "pt": "retropropagação, passo {number} de {count}: {op}",
        "en": "backward pass, step {number} of {count}: {op}",
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
    "draw.error.format": {
        "pt": "draw(..., format={value}) não é um formato que draw() produz: escolha "
        'format="{png}" (imagem, o padrão) ou format="{svg}" (vetorial, nítido em qualquer zoom).',
        "en": "draw(..., format={value}) is not a format draw() makes: choose "
        'format="{png}" (a picture, the default) or format="{svg}" (vector graphics, sharp at any zoom).',
    },
    "draw.error.step_range": {
        "pt": "Não existe o passo {step}: esta retropropagação tem {count} passos, numerados "
        "de 1 a {count}. Escolha step entre 1 e {count}.",
        "en": "There is no step {step}: this backward pass has {count} steps, numbered from 1 "
        "to {count}. Choose a step between 1 and {count}.",
    },
    "draw.error.modules_need_tensor": {
        "pt": "modules= agrupa os nós enquanto o grafo é percorrido: passe o tensor, draw(y, modules=modelo), "
        "ou agrupe ao traçar, draw(trace(y, modules=modelo)).",
        "en": "modules= groups the nodes while the graph is walked: pass the tensor, draw(y, modules=model), "
        "or group when tracing, draw(trace(y, modules=model)).",
    },
}
