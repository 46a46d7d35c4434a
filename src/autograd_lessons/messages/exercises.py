"""Messages of exercises.py: checking the exercises, progressive hints and worked solutions.

"exercises.<n>.hint.<k>" are the hints of exercise n in the order hint(n) shows them (k = 1, 2,
…; the last is almost the answer); "exercises.<n>.solution" explains the worked solution whose
code lives in exercises.py (code reads the same in both languages). Dictionary keys of the
answers ("first_seconds", "jvp" …) are code: they stay in English in both editions, and the
Portuguese forms say so.
"""

MESSAGES: dict[str, dict[str, str]] = {
    # --- the verdict ---------------------------------------------------------------------------
    "exercises.status.correct": {"pt": "Exercício {number}: correto", "en": "Exercise {number}: correct"},
    "exercises.status.wrong": {"pt": "Exercício {number}: ainda não", "en": "Exercise {number}: not yet"},
    "exercises.status.unanswered": {
        "pt": "Exercício {number}: ainda não respondido",
        "en": "Exercise {number}: not answered yet",
    },
    "exercises.hint": {"pt": "dica: {hint}", "en": "hint: {hint}"},
    "exercises.unknown": {
        "pt": "Não existe o exercício {number} na lição {lesson}; os exercícios dela são numerados de {valid}.",
        "en": "There is no exercise {number} in lesson {lesson}; its exercises are numbered {valid}.",
    },
    "exercises.unknown_lesson": {
        "pt": "A lição {lesson} não tem exercícios; escreva lesson= com uma destas: {valid}.",
        "en": "Lesson {lesson} has no exercises; pass lesson= one of: {valid}.",
    },
    "exercises.label": {"pt": "{number} (lição {lesson})", "en": "{number} (lesson {lesson})"},
    "exercises.unanswered": {
        "pt": "troque o None (ou ...) pela sua resposta, nesta forma: {form}.",
        "en": "replace the None (or ...) with your answer, in this form: {form}.",
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
    # --- the learner's code failed or ran away ---------------------------------------------------
    "exercises.raised_headline": {
        "pt": "a sua função levantou um erro.",
        "en": "your function raised an error.",
    },
    "exercises.raised": {
        "pt": "{error}. Corrija a função e rode a célula de novo.",
        "en": "{error}. Fix the function and run the cell again.",
    },
    "exercises.recursion": {
        "pt": "a função chama a si mesma sem parar ({error}). Toda recursão precisa de um caso base, "
        "que devolve um valor sem chamar a função de novo.",
        "en": "the function calls itself without end ({error}). Every recursion needs a base case, "
        "which returns a value without calling the function again.",
    },
    "exercises.timeout": {
        "pt": "interrompida depois de {seconds} s, o limite de tempo da verificação.",
        "en": "stopped after {seconds} s, the time limit of the check.",
    },
    "exercises.timeout_hint": {
        "pt": "o seu código ainda estava rodando: um laço cuja condição nunca muda, ou um while True "
        "sem break? O kernel continua funcionando; corrija o código e rode a célula de novo.",
        "en": "your code was still running: a loop whose condition never changes, or a while True "
        "without a break? The kernel is fine; fix the code and run the cell again.",
    },
    "exercises.memory": {
        "pt": "interrompida: o seu código pediu mais memória do que a verificação permite ({limit} "
        "além do que o kernel já usa).",
        "en": "stopped: your code asked for more memory than the check allows ({limit} beyond what "
        "the kernel already uses).",
    },
    "exercises.memory_unlimited": {
        "pt": "interrompida: o seu código pediu mais memória do que o computador tem.",
        "en": "stopped: your code asked for more memory than the computer has.",
    },
    "exercises.memory_hint": {
        "pt": "uma lista ou um tensor que cresce sem parar, ou um tensor enorme como "
        "torch.empty(10**13)? O kernel continua funcionando; corrija o código e rode a célula de novo.",
        "en": "a list or a tensor that keeps growing, or a huge tensor such as torch.empty(10**13)? "
        "The kernel is fine; fix the code and run the cell again.",
    },
    "exercises.answer_raised": {
        "pt": "ler a sua resposta levantou um erro: {error}.",
        "en": "reading your answer raised an error: {error}.",
    },
    "exercises.precision_headline": {
        "pt": "a resposta só confere até a precisão de float32.",
        "en": "the answer matches only to float32 precision.",
    },
    "exercises.precision": {
        "pt": "a sua resposta confere com a referência até uns 7 algarismos significativos (a precisão "
        "de float32), mas não em {dtype}: em x = {x}, a sua dá {actual} e a referência dá {expected}. "
        "Em algum ponto o cálculo passa por float32 (x.float(), um torch.tensor criado sem "
        "dtype=x.dtype, um array float32 do numpy); faça as contas no dtype de x.",
        "en": "your answer agrees with the reference to about 7 significant digits (float32 precision) "
        "but not in {dtype}: at x = {x} yours gives {actual} and the reference gives {expected}. "
        "Somewhere the computation goes through float32 (x.float(), a torch.tensor made without "
        "dtype=x.dtype, a numpy float32 array); compute in x's dtype.",
    },
    # --- the form of an answer -------------------------------------------------------------------
    "exercises.form.not_tensor": {
        "pt": "{name} deve ser um tensor, não {kind}.",
        "en": "{name} should be a tensor, not {kind}.",
    },
    "exercises.form.dtype": {
        "pt": "{name} tem dtype {dtype}; é preciso um tensor de ponto flutuante (float32 ou float64).",
        "en": "{name} has dtype {dtype}; a floating-point tensor (float32 or float64) is needed.",
    },
    "exercises.form.shape": {
        "pt": "{name} tem formato {actual}, e o esperado é {expected}.",
        "en": "{name} has shape {actual}, and {expected} is expected.",
    },
    "exercises.form.device": {
        "pt": "{name} está no device {device}, que não guarda valores; devolva um tensor na CPU.",
        "en": "{name} is on device {device}, which holds no values; return a tensor on the CPU.",
    },
    "exercises.form.number": {
        "pt": "{name} deve ser um número simples de segundos (como 0.0012), não {kind}.",
        "en": "{name} should be a plain number of seconds (like 0.0012), not {kind}.",
    },
    "exercises.form.keys": {
        "pt": "faltam no dicionário as chaves {missing}.",
        "en": "the dictionary lacks the keys {missing}.",
    },
    "exercises.form.not_dict": {
        "pt": "a resposta deve ser um dicionário, não {kind}.",
        "en": "the answer should be a dictionary, not {kind}.",
    },
    "exercises.form.not_callable": {
        "pt": "{name} deve ser uma função, não {kind}.",
        "en": "{name} should be a function, not {kind}.",
    },
    "exercises.form.pair": {
        "pt": "a resposta deve ser um par (uma tupla de 2 elementos), não {kind}.",
        "en": "the answer should be a pair (a tuple of 2 items), not {kind}.",
    },
    "exercises.form.names": {
        "pt": '{name} deve ser uma lista de nomes (strings), como "MulBackward0".',
        "en": '{name} should be a list of names (strings), such as "MulBackward0".',
    },
    "exercises.form.choice": {
        "pt": '{name} deve ser "forward" ou "reverse", não {value}.',
        "en": '{name} should be "forward" or "reverse", not {value}.',
    },
    "exercises.form.times": {
        "pt": "{name} deve ser um par de tempos em segundos (t_jacfwd, t_jacrev).",
        "en": "{name} should be a pair of times in seconds (t_jacfwd, t_jacrev).",
    },
    "exercises.name.result": {"pt": "o resultado da sua função", "en": "your function's result"},
    "exercises.name.function": {"pt": "a resposta", "en": "the answer"},
    # --- help: hint(n), solution(n) --------------------------------------------------------------
    "exercises.help.hint": {
        "pt": "Dica {step} de {total} do exercício {number}",
        "en": "Hint {step} of {total} for exercise {number}",
    },
    "exercises.help.last_hint": {
        "pt": "Dica {step} de {total} do exercício {number} (a última)",
        "en": "Hint {step} of {total} for exercise {number} (the last one)",
    },
    "exercises.help.no_more": {
        "pt": "Esta é a última dica; não há outras. solution({call}) mostra a solução comentada.",
        "en": "This is the last hint; there are no more. solution({call}) shows the worked solution.",
    },
    "exercises.help.solution": {
        "pt": "Solução do exercício {number}",
        "en": "Solution to exercise {number}",
    },
    # when the teacher sets AUTOGRAD_LESSONS_SOLUTIONS=hidden: no code, and no pointer to solution()
    "exercises.help.no_more_hidden": {
        "pt": "Esta é a última dica; não há outras, e as soluções comentadas estão desligadas neste "
        "curso. Escreva a sua resposta a partir dela: check diz quando estiver certa.",
        "en": "This is the last hint; there are no more, and the worked solutions are turned off for "
        "this course. Write your answer from it: check tells you when it is right.",
    },
    "exercises.help.solution_hidden_title": {
        "pt": "Exercício {number}: sem solução comentada neste curso",
        "en": "Exercise {number}: no worked solution in this course",
    },
    "exercises.help.solution_hidden": {
        "pt": "O professor ou a professora deste curso desligou as soluções comentadas. hint({call}) "
        "dá mais uma dica a cada chamada, cada uma mais concreta que a anterior.",
        "en": "The teacher of this course has turned the worked solutions off. hint({call}) gives one "
        "more hint per call, each more concrete than the last.",
    },
}
