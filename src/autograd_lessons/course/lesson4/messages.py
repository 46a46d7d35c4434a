"""Messages of lesson 4's claims: the lesson's own sentences they judge, what each checks, and the
evidence and errors their verdicts show.

"quote.l4.<name>" is a sentence of the lesson's markdown, word for word as each edition has it
(the same words stand in the section's markdown cell). "claim.l4.<name>" says what is checked;
for the lesson's own questions (claims without a quote) it is the question itself.
"""

MESSAGES: dict[str, dict[str, str]] = {
    # --- § 1 leaves and non-leaves -----------------------------------------------------------
    "quote.l4.leaf_grad_only": {
        "pt": "Depois da retropropagação, só as folhas recebem o gradiente em .grad: ler y.grad no "
        "tensor intermediário y dá None e um aviso.",
        "en": "After the backward pass only the leaves get a gradient in .grad: reading y.grad on "
        "the intermediate tensor y gives None and a warning.",
    },
    "claim.l4.leaf_grad_only": {
        "pt": "Para y = x·x e z = y.sum(), depois de z.backward(): x.grad comparado com a fórmula 2x "
        "(e com diferenças finitas em float64), y.grad é None e lê-lo emite um UserWarning.",
        "en": "For y = x·x and z = y.sum(), after z.backward(): x.grad compared with the formula 2x "
        "(and with float64 finite differences), y.grad is None and reading it emits a UserWarning.",
    },
    "quote.l4.retain_grad": {
        "pt": "Se chamarmos y.retain_grad() antes da retropropagação, y.grad guarda o gradiente de z em relação a y.",
        "en": "If we call y.retain_grad() before the backward pass, y.grad keeps the gradient of z with respect to y.",
    },
    "claim.l4.retain_grad": {
        "pt": "Com y.retain_grad(), y.grad comparado com ∂z/∂y = 1 em cada elemento (z = y.sum()), "
        "conferido também por diferenças finitas.",
        "en": "With y.retain_grad(), y.grad compared with ∂z/∂y = 1 in every element (z = y.sum()), "
        "also checked by finite differences.",
    },
    "quote.l4.integer_no_grad": {
        "pt": "Um tensor de inteiros não pode exigir gradiente: o PyTorch recusa com um RuntimeError, "
        "e é por isso que a lição 1 escreve torch.arange(4.0), e não torch.arange(4).",
        "en": "An integer tensor cannot require gradients: PyTorch refuses with a RuntimeError, which "
        "is why lesson 1 writes torch.arange(4.0) and not torch.arange(4).",
    },
    "claim.l4.integer_no_grad": {
        "pt": "torch.arange(4, dtype=torch.int64).requires_grad_(True) levanta um RuntimeError que "
        "fala de ponto flutuante, e torch.arange(4.0).requires_grad_(True) funciona.",
        "en": "torch.arange(4, dtype=torch.int64).requires_grad_(True) raises a RuntimeError about "
        "floating point, and torch.arange(4.0).requires_grad_(True) works.",
    },
    # --- § 2 accumulation --------------------------------------------------------------------
    "quote.l4.two_calls_add_up": {
        "pt": "Duas chamadas de backward, uma por perda, deixam em x.grad o mesmo gradiente que uma "
        "só chamada na soma das duas perdas.",
        "en": "Two backward calls, one per loss, leave in x.grad the same gradient as one backward "
        "call on the sum of the two losses.",
    },
    "claim.l4.two_calls_add_up": {
        "pt": "Para as perdas sum(x²) e sum(3x): x.grad depois de duas chamadas comparado com x.grad "
        "de uma chamada na soma, e os dois com a fórmula 2x + 3 (e com diferenças finitas).",
        "en": "For the losses sum(x²) and sum(3x): x.grad after two calls compared with x.grad after "
        "one call on the sum, and both with the formula 2x + 3 (and with finite differences).",
    },
    "quote.l4.forgotten_zero_multiplies": {
        "pt": "Se um laço nunca limpa .grad, depois de k chamadas de backward da mesma perda x.grad "
        "contém k vezes o gradiente.",
        "en": "If a loop never clears .grad, after k backward calls of the same loss x.grad holds k "
        "times the gradient.",
    },
    "claim.l4.forgotten_zero_multiplies": {
        "pt": "Depois de k = 3 chamadas de backward de sum(x²) sem zerar, x.grad comparado com a "
        "fórmula k·2x (e com diferenças finitas).",
        "en": "After k = 3 backward calls of sum(x²) without zeroing, x.grad compared with the "
        "formula k·2x (and with finite differences).",
    },
    "quote.l4.zero_grad_sets_none": {
        "pt": "optimizer.zero_grad() não enche .grad de zeros: volta a deixá-lo None, e a "
        "retropropagação seguinte começa do zero.",
        "en": "optimizer.zero_grad() does not fill .grad with zeros: it sets it back to None, and "
        "the next backward pass starts from scratch.",
    },
    "claim.l4.zero_grad_sets_none": {
        "pt": "Logo depois de optimizer.zero_grad(), x.grad é None; a retropropagação seguinte de "
        "sum(x²) dá x.grad igual à fórmula 2x, e não 4x.",
        "en": "Right after optimizer.zero_grad(), x.grad is None; the next backward pass of sum(x²) "
        "gives x.grad equal to the formula 2x, not 4x.",
    },
    # --- § 3 retain_graph --------------------------------------------------------------------
    "quote.l4.second_backward_fails": {
        "pt": "Uma segunda retropropagação pelo mesmo grafo falha, porque a primeira liberou os "
        "tensores que o grafo tinha salvado.",
        "en": "A second backward through the same graph fails, because the first one freed the "
        "tensors the graph had saved.",
    },
    "claim.l4.second_backward_fails": {
        "pt": "Para b = a.exp(): antes da retropropagação b.grad_fn._saved_result pode ser lido, "
        'depois não; uma segunda retropropagação levanta o RuntimeError que fala em "second time".',
        "en": "For b = a.exp(): before the backward pass b.grad_fn._saved_result can be read, after "
        'it cannot; a second backward pass raises the RuntimeError that says "second time".',
    },
    "quote.l4.retain_graph_adds_again": {
        "pt": "Com retain_graph=True os tensores salvos sobrevivem à primeira retropropagação, e a "
        "segunda soma o mesmo gradiente outra vez.",
        "en": "With retain_graph=True the saved tensors survive the first backward pass, and the "
        "second one adds the same gradient again.",
    },
    "claim.l4.retain_graph_adds_again": {
        "pt": "Com retain_graph=True, _saved_result continua legível e, depois de duas "
        "retropropagações de b = a.exp(), a.grad é comparado com a fórmula 2·exp(a) (e com "
        "diferenças finitas).",
        "en": "With retain_graph=True, _saved_result stays readable and, after two backward passes "
        "of b = a.exp(), a.grad is compared with the formula 2·exp(a) (and with finite differences).",
    },
    # --- § 4 higher order --------------------------------------------------------------------
    "quote.l4.second_derivative": {
        "pt": "Com create_graph=True o próprio gradiente fica registrado num grafo, e podemos "
        "derivá-lo de novo: para y = x³ a derivada segunda é 6x.",
        "en": "With create_graph=True the gradient is itself recorded in a graph, so we can "
        "differentiate it again: for y = x³ the second derivative is 6x.",
    },
    "claim.l4.second_derivative": {
        "pt": "A derivada segunda de x³ obtida com duas chamadas de torch.autograd.grad, comparada "
        "com a fórmula 6x, e 6x conferida por diferenças finitas de 3x².",
        "en": "The second derivative of x³ from two calls of torch.autograd.grad, compared with the "
        "formula 6x, and 6x checked by finite differences of 3x².",
    },
    "quote.l4.hessian_vector_product": {
        "pt": "Derivar o produto interno do gradiente com um vetor v dá o produto hessiana-vetor "
        "H v, sem nunca montar a hessiana H.",
        "en": "Differentiating the inner product of the gradient with a vector v gives the "
        "Hessian-vector product H v, without ever building the Hessian H.",
    },
    "claim.l4.hessian_vector_product": {
        "pt": "Para f(x) = (xᵀx)²/4, o gradiente de ∇f·v comparado com a fórmula "
        "H v = (xᵀx) v + 2 x (xᵀv), e a fórmula conferida por diferenças finitas de v·∇f.",
        "en": "For f(x) = (xᵀx)²/4, the gradient of ∇f·v compared with the formula "
        "H v = (xᵀx) v + 2 x (xᵀv), and the formula checked by finite differences of v·∇f.",
    },
    # --- § 5 recording off -------------------------------------------------------------------
    "quote.l4.no_grad_records_nothing": {
        "pt": "Dentro de torch.no_grad() ou de torch.inference_mode() nada é registrado: o resultado "
        "não tem grad_fn, não exige gradiente e nenhum tensor é salvo para uma retropropagação.",
        "en": "Inside torch.no_grad() or torch.inference_mode() nothing is recorded: the result has "
        "no grad_fn, does not require gradients, and no tensor is saved for a backward pass.",
    },
    "claim.l4.no_grad_records_nothing": {
        "pt": "Numa rede pequena, os tensores salvos são contados com saved_tensors_hooks: com o "
        "registro ligado, a contagem bate com os valores salvos que o grafo mostra; dentro de cada "
        "contexto, ela é zero e a saída não tem grad_fn nem requires_grad.",
        "en": "On a small network, saved tensors are counted with saved_tensors_hooks: with recording "
        "on, the count matches the saved values the graph shows; inside each context it is zero and "
        "the output has neither grad_fn nor requires_grad.",
    },
    "claim.l4.eval_still_records": {
        "pt": "Um modelo passado para o modo eval() ainda registra o grafo da sua saída (a saída tem grad_fn)?",
        "en": "Does a model switched to eval() mode still record the graph of its output (the output has a grad_fn)?",
    },
    # --- § 6 in place and views --------------------------------------------------------------
    "quote.l4.version_counter": {
        "pt": "Cada operação in-place soma um ao contador de versão do tensor, _version.",
        "en": "Every in-place operation adds one to the tensor's version counter, _version.",
    },
    "claim.l4.version_counter": {
        "pt": "add_(1), mul_(2) e clamp_(max=5) aplicadas uma depois da outra: _version sobe "
        "exatamente um a cada operação.",
        "en": "add_(1), mul_(2) and clamp_(max=5) applied one after another: _version goes up by "
        "exactly one at each operation.",
    },
    "quote.l4.inplace_breaks_backward": {
        "pt": "Se uma operação in-place altera um tensor que o grafo salvou, a retropropagação se "
        "recusa a rodar e diz qual versão esperava.",
        "en": "If an in-place operation changes a tensor that the graph saved, the backward pass "
        "refuses to run and names the version it expected.",
    },
    "claim.l4.inplace_breaks_backward": {
        "pt": 'y = x.exp(), depois y.add_(1): y.sum().backward() levanta o RuntimeError "modified by '
        'an inplace operation", e as versões da mensagem são o _version de y depois e antes de add_.',
        "en": 'y = x.exp(), then y.add_(1): y.sum().backward() raises the RuntimeError "modified by '
        "an inplace operation\", and the versions it names are y's _version after and before add_.",
    },
    "quote.l4.view_shares_base": {
        "pt": "Uma visão não tem memória própria: o seu _base é o tensor de onde ela veio, e "
        "escrever pela visão altera esse tensor.",
        "en": "A view has no memory of its own: its _base is the tensor it came from, and writing "
        "through the view changes that tensor.",
    },
    "claim.l4.view_shares_base": {
        "pt": "h = 2x e v = h[1:3]: v._base é h e, depois de v.mul_(10), h é comparado com 2x com "
        "os elementos 1 e 2 multiplicados por 10.",
        "en": "h = 2x and v = h[1:3]: v._base is h and, after v.mul_(10), h is compared with 2x "
        "with elements 1 and 2 multiplied by 10.",
    },
    # --- § 7 hooks ---------------------------------------------------------------------------
    "quote.l4.tensor_hook_replaces": {
        "pt": "Um gancho num tensor recebe o gradiente que chega a esse tensor, e o que o gancho "
        "devolver toma o lugar desse gradiente.",
        "en": "A hook on a tensor receives the gradient that reaches that tensor, and whatever the "
        "hook returns takes that gradient's place.",
    },
    "claim.l4.tensor_hook_replaces": {
        "pt": "Com um gancho em y = x·x que devolve o dobro: o gancho recebe ∂z/∂y = 1 (z = y.sum()) "
        "e x.grad é comparado com 2·2x, e não com 2x.",
        "en": "With a hook on y = x·x that returns twice its input: the hook receives ∂z/∂y = 1 "
        "(z = y.sum()) and x.grad is compared with 2·2x, not 2x.",
    },
    "quote.l4.node_hooks_see_gradients": {
        "pt": "O pré-gancho de um nó vê o gradiente que chega ao nó, e o gancho do nó vê também o "
        "gradiente que ele envia para a sua entrada.",
        "en": "A node's pre-hook sees the gradient arriving at the node, and its hook also sees the "
        "gradient the node sends on to its input.",
    },
    "claim.l4.node_hooks_see_gradients": {
        "pt": "Para y = x.exp() e z = (w·y).sum(): o pré-gancho de ExpBackward0 recebe w, e o seu "
        "gancho envia w·exp(x) (fórmula, conferida por diferenças finitas).",
        "en": "For y = x.exp() and z = (w·y).sum(): ExpBackward0's pre-hook receives w, and its hook "
        "sends on w·exp(x) (formula, checked by finite differences).",
    },
    "quote.l4.pack_hook_counts_saved": {
        "pt": "O gancho de empacotamento de saved_tensors_hooks roda uma vez para cada tensor que o "
        "grafo salva para a retropropagação.",
        "en": "The pack hook of saved_tensors_hooks runs once for every tensor the graph saves for the backward pass.",
    },
    "claim.l4.pack_hook_counts_saved": {
        "pt": "Para y = x.exp() * x, o número de chamadas do gancho de empacotamento comparado com "
        "o número de tensores salvos que se lê percorrendo o grafo (atributos _saved_*).",
        "en": "For y = x.exp() * x, the number of pack-hook calls compared with the number of saved "
        "tensors read by walking the graph (its _saved_* attributes).",
    },
    # --- § 8 custom Function -----------------------------------------------------------------
    "quote.l4.custom_function_gradcheck": {
        "pt": "O nosso backward, o gradiente que chega vezes sigmoid(x), passa no gradcheck em float64.",
        "en": "Our backward, the incoming gradient times sigmoid(x), passes gradcheck in float64.",
    },
    "claim.l4.custom_function_gradcheck": {
        "pt": "torch.autograd.gradcheck de Softplus.apply em float64 (o backward contra diferenças "
        "finitas do forward), e sigmoid(x) contra diferenças finitas de log(1 + eˣ).",
        "en": "torch.autograd.gradcheck of Softplus.apply in float64 (the backward against finite "
        "differences of the forward), and sigmoid(x) against finite differences of log(1 + eˣ).",
    },
    "quote.l4.custom_function_saves_one": {
        "pt": "O grafo guarda exatamente o que save_for_backward recebeu: aqui, um tensor, a entrada x.",
        "en": "The graph keeps exactly what save_for_backward received: here one tensor, the input x.",
    },
    "claim.l4.custom_function_saves_one": {
        "pt": "Durante Softplus.apply(x), o gancho de empacotamento roda uma vez, e o que ele recebe "
        "tem os mesmos valores de x.",
        "en": "During Softplus.apply(x), the pack hook runs once, and what it receives has the same values as x.",
    },
    # --- § 9 forward and reverse mode --------------------------------------------------------
    "quote.l4.jvp_vjp_products": {
        "pt": "jvp dá a jacobiana vezes um vetor, J v, e vjp dá um vetor vezes a jacobiana, uᵀ J, e "
        "nenhum dos dois monta J.",
        "en": "jvp gives the Jacobian times a vector, J v, and vjp gives a vector times the Jacobian, "
        "uᵀ J, and neither builds J.",
    },
    "claim.l4.jvp_vjp_products": {
        "pt": "Para f(x) = A tanh(x): jvp comparado com J v e vjp com uᵀ J, sendo J = A diag(1 − "
        "tanh²x) a fórmula, e uᵀ J conferido por diferenças finitas de u·f.",
        "en": "For f(x) = A tanh(x): jvp compared with J v and vjp with uᵀ J, where J = A diag(1 − "
        "tanh²x) is the formula, and uᵀ J checked by finite differences of u·f.",
    },
    "quote.l4.dual_number_tangent": {
        "pt": "Um número dual leva uma tangente junto com o seu valor, e depois da função a tangente "
        "é a derivada vezes a tangente que pusemos.",
        "en": "A dual number carries a tangent along with its value, and after the function the "
        "tangent is the derivative times the tangent we put in.",
    },
    "claim.l4.dual_number_tangent": {
        "pt": "A tangente de x·eˣ calculada com torch.autograd.forward_ad, comparada com a fórmula "
        "(1 + x)·eˣ vezes a tangente de entrada (e com diferenças finitas).",
        "en": "The tangent of x·eˣ computed with torch.autograd.forward_ad, compared with the formula "
        "(1 + x)·eˣ times the input tangent (and with finite differences).",
    },
    "quote.l4.forward_wins_tall": {
        "pt": "Para uma jacobiana alta, com muitas saídas e poucas entradas, o modo direto vence; "
        "para uma larga, com poucas saídas e muitas entradas, vence o modo reverso.",
        "en": "For a tall Jacobian, with many outputs and few inputs, forward mode wins; for a wide "
        "one, with few outputs and many inputs, reverse mode wins.",
    },
    "claim.l4.forward_wins_tall": {
        "pt": "A jacobiana de tanh(A x) montada coluna a coluna com números duais e linha a linha "
        "com backward, numa forma alta (400×4) e numa larga (4×400): a mediana de 5 execuções "
        "intercaladas do modo perdedor deve ser pelo menos 5 vezes a do vencedor, e as duas "
        "jacobianas devem coincidir.",
        "en": "The Jacobian of tanh(A x) built column by column with dual numbers and row by row with "
        "backward, on a tall shape (400×4) and a wide one (4×400): the median of 5 interleaved runs "
        "of the losing mode must be at least 5 times the winner's, and the two Jacobians must agree.",
    },
    # --- § 10 closing the loop ---------------------------------------------------------------
    "quote.l4.loss_goes_down": {
        "pt": "Com esta taxa de aprendizado a perda cai a cada passo.",
        "en": "With this learning rate the loss goes down at every step.",
    },
    "claim.l4.loss_goes_down": {
        "pt": "20 passos de descida do gradiente com lr = 0.1: a cada passo, o gradiente do autograd "
        "comparado com a fórmula fechada (2/n) Xᵀr e 2·média(r), e a perda menor que a do passo "
        "anterior.",
        "en": "20 steps of gradient descent with lr = 0.1: at every step, autograd's gradient "
        "compared with the closed form (2/n) Xᵀr and 2·mean(r), and the loss lower than at the "
        "step before.",
    },
    "claim.l4.fresh_graph_each_step": {
        "pt": "Cada passo monta um grafo novo, de modo que a perda tem um grad_fn diferente a cada vez?",
        "en": "Does every step build a new graph, so that the loss has a different grad_fn each time?",
    },
    # --- evidence ----------------------------------------------------------------------------
    "lesson4.nothing_raised": {"pt": "nenhum erro", "en": "no error"},
    "lesson4.two_calls": {"pt": "Duas chamadas:", "en": "Two calls:"},
    "lesson4.one_call": {"pt": "uma chamada na soma:", "en": "one call on the sum:"},
    "lesson4.expected_h": {"pt": "2x com h[1:3] × 10 =", "en": "2x with h[1:3] × 10 ="},
    "lesson4.hook_saw": {"pt": "O gancho recebeu", "en": "The hook received"},
    "lesson4.prehook_saw": {"pt": "O pré-gancho recebeu", "en": "The pre-hook received"},
    "lesson4.hook_sent": {"pt": "O gancho enviou", "en": "The hook sent on"},
    "lesson4.tangent": {"pt": "Tangente da saída =", "en": "Output tangent ="},
    "lesson4.evidence.leaf": {
        "pt": "x é folha: {x_leaf}; y é folha: {y_leaf}; y.grad = {y_grad}; ler y.grad emitiu um aviso: {warned}.",
        "en": "x is a leaf: {x_leaf}; y is a leaf: {y_leaf}; y.grad = {y_grad}; reading y.grad warned: {warned}.",
    },
    "lesson4.evidence.no_grad": {
        "pt": "{name}.grad é None: a retropropagação não guardou nada ali.",
        "en": "{name}.grad is None: the backward pass stored nothing there.",
    },
    "lesson4.evidence.integer": {
        "pt": "Com {dtype}: {raised}; com float32, requires_grad fica True: {float_ok}.",
        "en": "With {dtype}: {raised}; with float32, requires_grad becomes True: {float_ok}.",
    },
    "lesson4.evidence.zero_grad": {
        "pt": "Logo depois de zero_grad(), x.grad = {after}.",
        "en": "Right after zero_grad(), x.grad = {after}.",
    },
    "lesson4.evidence.freed": {
        "pt": "_saved_result legível antes: {before}; depois: {after}; a segunda retropropagação deu: {raised}.",
        "en": "_saved_result readable before: {before}; after: {after}; the second backward pass gave: {raised}.",
    },
    "lesson4.evidence.raised": {"pt": "O PyTorch levantou {raised}.", "en": "PyTorch raised {raised}."},
    "lesson4.evidence.kept": {
        "pt": "_saved_result ainda legível depois da primeira retropropagação: {kept}.",
        "en": "_saved_result still readable after the first backward pass: {kept}.",
    },
    "lesson4.evidence.recorded": {
        "pt": "Com o registro ligado, o gancho contou {count} tensores salvos ({bytes} bytes); o grafo mostra {in_graph}.",
        "en": "With recording on, the hook counted {count} saved tensors ({bytes} bytes); the graph shows {in_graph}.",
    },
    "lesson4.evidence.off": {
        "pt": "{context}: grad_fn = {grad_fn}, requires_grad: {requires}, tensores salvos: {count}, tensor de inferência: {inference}.",
        "en": "{context}: grad_fn = {grad_fn}, requires_grad: {requires}, saved tensors: {count}, inference tensor: {inference}.",
    },
    "lesson4.evidence.eval": {
        "pt": "Depois de eval(): grad_fn da saída = {grad_fn}, model.training = {training}; o dropout deixou a saída da camada linear passar intacta: {dropout_off}.",
        "en": "After eval(): the output's grad_fn = {grad_fn}, model.training = {training}; dropout let the linear layer's output through unchanged: {dropout_off}.",
    },
    "lesson4.evidence.versions": {
        "pt": "_version ao longo de {count} operações: {versions}.",
        "en": "_version over {count} operations: {versions}.",
    },
    "lesson4.evidence.inplace": {
        "pt": "_version de y: {before} antes de add_, {after} depois; a retropropagação deu: {raised}.",
        "en": "y's _version: {before} before add_, {after} after; the backward pass gave: {raised}.",
    },
    "lesson4.evidence.base": {
        "pt": "v._base is h: {base}; depois de escrever pela visão, h.grad_fn = {grad_fn}.",
        "en": "v._base is h: {base}; after writing through the view, h.grad_fn = {grad_fn}.",
    },
    "lesson4.evidence.packed": {
        "pt": "O gancho de empacotamento rodou {count} vezes ({bytes} bytes); percorrendo o grafo: {in_graph} tensores salvos.",
        "en": "The pack hook ran {count} times ({bytes} bytes); walking the graph: {in_graph} saved tensors.",
    },
    "lesson4.evidence.gradcheck": {
        "pt": "O gradcheck em float64 no ponto {values}: passou: {passed}.",
        "en": "The gradcheck in float64 at {values}: passed: {passed}.",
    },
    "lesson4.evidence.custom_saved": {
        "pt": "Nó {node}; chamadas do gancho de empacotamento: {count}; o que elas receberam: {values}.",
        "en": "Node {node}; pack-hook calls: {count}; what they received: {values}.",
    },
    "lesson4.evidence.modes": {
        "pt": "Alta {tall}: direto {tall_fp} passagens, {tall_forward}; reverso {tall_rp} passagens, {tall_reverse} "
        "(reverso/direto ≥ {margin}×: {tall_ok}). Larga {wide}: direto {wide_fp} passagens, {wide_forward}; reverso "
        "{wide_rp} passagens, {wide_reverse} (direto/reverso ≥ {margin}×: {wide_ok}). Medianas de {repeat} execuções "
        "intercaladas.",
        "en": "Tall {tall}: forward {tall_fp} passes, {tall_forward}; reverse {tall_rp} passes, {tall_reverse} "
        "(reverse/forward ≥ {margin}×: {tall_ok}). Wide {wide}: forward {wide_fp} passes, {wide_forward}; reverse "
        "{wide_rp} passes, {wide_reverse} (forward/reverse ≥ {margin}×: {wide_ok}). Medians of {repeat} interleaved "
        "runs.",
    },
    "lesson4.evidence.ratio_band": {"pt": "{band}", "en": "{band}"},
    "lesson4.band.wide": {
        "pt": "As duas razões passam da margem de {margin}×.",
        "en": "Both ratios clear the {margin}× margin.",
    },
    "lesson4.band.narrow": {
        "pt": "Pelo menos uma razão fica abaixo da margem de {margin}×: a diferença não é robusta.",
        "en": "At least one ratio falls short of the {margin}× margin: the gap is not robust.",
    },
    "lesson4.evidence.losses": {
        "pt": "lr = {lr}: perda {first} no passo 1 e {last} no passo {steps}; passos em que a perda não caiu: {rises}.",
        "en": "lr = {lr}: loss {first} at step 1 and {last} at step {steps}; steps where the loss did not go down: {rises}.",
    },
    "lesson4.evidence.closed_form": {
        "pt": "Gradiente do autograd igual à fórmula fechada em todos os passos (a menos de arredondamento): {status}.",
        "en": "autograd's gradient equals the closed form at every step (up to rounding): {status}.",
    },
    "lesson4.evidence.fresh": {
        "pt": "{distinct} grad_fn diferentes em {steps} passos.",
        "en": "{distinct} distinct grad_fn objects in {steps} steps.",
    },
    # --- the lesson's plot -------------------------------------------------------------------
    "lesson4.plot.step": {"pt": "passo", "en": "step"},
    "lesson4.plot.loss": {"pt": "perda (escala logarítmica)", "en": "loss (log scale)"},
    "lesson4.plot.title": {
        "pt": "Descida do gradiente com lr = {lr}: a perda a cada passo",
        "en": "Gradient descent with lr = {lr}: the loss at every step",
    },
    # --- errors ------------------------------------------------------------------------------
    "lesson4.error.not_tensor": {
        "pt": "{name} deve ser um tensor do PyTorch (recebi {kind}). Use, por exemplo, torch.tensor([1.0, 2.0]).",
        "en": "{name} must be a PyTorch tensor (got {kind}). Use, for example, torch.tensor([1.0, 2.0]).",
    },
    "lesson4.error.integer": {
        "pt": "{name} tem tipo {dtype}, e só tensores de ponto flutuante podem exigir gradiente. "
        "Escreva os números com ponto (torch.arange(4.0)) ou converta com {name}.float().",
        "en": "{name} has dtype {dtype}, and only floating-point tensors can require gradients. "
        "Write the numbers with a decimal point (torch.arange(4.0)) or convert with {name}.float().",
    },
    "lesson4.error.empty": {
        "pt": "{name} está vazio (formato {shape}); passe pelo menos um número.",
        "en": "{name} is empty (shape {shape}); pass at least one number.",
    },
    "lesson4.error.not_finite": {
        "pt": "{name} = {values} tem NaN ou infinito; as verificações usam números finitos apenas. "
        "Troque esses valores, por exemplo com torch.nan_to_num({name}).",
        "en": "{name} = {values} contains NaN or infinity; the checks use finite numbers only. "
        "Replace those values, for example with torch.nan_to_num({name}).",
    },
    "lesson4.error.like_x": {
        "pt": "{name} tem formato {shape} e tipo {dtype}, mas precisa ser como x: formato {x_shape}, tipo {x_dtype}.",
        "en": "{name} has shape {shape} and dtype {dtype}, but it must be like x: shape {x_shape}, dtype {x_dtype}.",
    },
    "lesson4.error.count": {
        "pt": "{name} deve ser um número inteiro, pelo menos {smallest} (recebi {value!r}).",
        "en": "{name} must be a whole number, at least {smallest} (got {value!r}).",
    },
    "lesson4.error.dtype": {
        "pt": "dtype deve ser um tipo do PyTorch, como torch.int64 (recebi {value!r}).",
        "en": "dtype must be a PyTorch dtype, such as torch.int64 (got {value!r}).",
    },
    "lesson4.error.vector": {
        "pt": "{name} deve ser um vetor com pelo menos {least} elementos (recebi formato {shape}).",
        "en": "{name} must be a vector with at least {least} elements (got shape {shape}).",
    },
    "lesson4.error.shape_pair": {
        "pt": "{name} deve ser um par (saídas, entradas), como (400, 4) (recebi {value!r}).",
        "en": "{name} must be a pair (outputs, inputs), such as (400, 4) (got {value!r}).",
    },
    "lesson4.error.lr": {
        "pt": "a taxa de aprendizado deve ser um número positivo e finito, como 0.1 (recebi {value!r}).",
        "en": "the learning rate must be a positive, finite number, such as 0.1 (got {value!r}).",
    },
}
