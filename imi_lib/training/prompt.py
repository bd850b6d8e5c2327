"""The prompt format, applied identically in training, evaluation and generation.

Two formats, chosen by the tokenizer:

- **Chat template** (instruction-tuned models such as builtin:smollm2): the record becomes a
  conversation rendered by `tokenizer.apply_chat_template`: the instruction as the system turn
  and the input as the user turn (or, when the record has no input, the instruction as the user
  turn; when the template refuses a system role, instruction and input share the user turn),
  and the output as the assistant turn. The assistant turn's content and its end-of-turn token
  (`<|im_end|>` for ChatML) carry the loss; what the template writes after the end-of-turn
  token (a newline) is left out. Nothing is prepended: a template that wants a document-start
  token renders it itself.
- **Alpaca-style sections** (base models without a template, e.g. Meditron-7B): the
  `### Instruction / ### Input / ### Response` text, the input section left out when a record
  has none, preceded by the tokenizer's bos token when it is a real document-start token (one
  that differs from eos) and followed by eos after the response.

Loss is computed on the response tokens only: `encode_example` marks every prompt token with
IGNORE_INDEX in `labels`. `encode_prompt` gives the same prompt ids for generation and option
scoring, and `stop_token_ids` the tokens generation stops at (eos and the end-of-turn token).
"""

from __future__ import annotations

IGNORE_INDEX = -100

_WITH_INPUT = "### Instruction:\n{instruction}\n\n### Input:\n{input}\n\n### Response:\n"
_NO_INPUT = "### Instruction:\n{instruction}\n\n### Response:\n"
# stands in for the output while the template's framing of the assistant turn is worked out
_PROBE = "IMI-RESPONSE-PROBE"
_TAKES_SYSTEM: dict = {}


def has_chat_template(tokenizer) -> bool:
    return tokenizer is not None and bool(getattr(tokenizer, "chat_template", None))


def _template_takes_system(tokenizer) -> bool:
    """Whether the chat template renders a system turn (some, e.g. Gemma's, raise on one)."""
    key = (id(tokenizer), tokenizer.chat_template)
    cached = _TAKES_SYSTEM.get(key)
    if cached is None:
        try:
            text = tokenizer.apply_chat_template(
                [{"role": "system", "content": "IMI-SYSTEM-PROBE"}, {"role": "user", "content": "u"}],
                tokenize=False, add_generation_prompt=True)
            cached = "IMI-SYSTEM-PROBE" in text
        except Exception:  # jinja raise_exception / TemplateError: no system role
            cached = False
        _TAKES_SYSTEM[key] = cached
    return cached


def chat_messages(tokenizer, instruction: str, input: str = "") -> list[dict]:
    """The conversation (without the assistant turn) a record becomes under a chat template."""
    instruction, input = instruction.strip(), (input or "").strip()
    if not input:
        return [{"role": "user", "content": instruction}]
    if _template_takes_system(tokenizer):
        return [{"role": "system", "content": instruction}, {"role": "user", "content": input}]
    return [{"role": "user", "content": f"{instruction}\n\n{input}"}]


def build_prompt(instruction: str, input: str = "", tokenizer=None) -> str:
    """The text the model sees before its response (the chat template's when `tokenizer` has one)."""
    if has_chat_template(tokenizer):
        return tokenizer.apply_chat_template(chat_messages(tokenizer, instruction, input), tokenize=False,
                                             add_generation_prompt=True)
    if input and input.strip():
        return _WITH_INPUT.format(instruction=instruction.strip(), input=input.strip())
    return _NO_INPUT.format(instruction=instruction.strip())


def document_start(tokenizer) -> list[int]:
    """[bos] for the Alpaca format when bos is a real document-start token; [] under a chat template."""
    if has_chat_template(tokenizer):
        return []
    bos = tokenizer.bos_token_id
    return [bos] if bos is not None and bos != tokenizer.eos_token_id else []


def _special_ids(tokenizer) -> set[int]:
    ids = set(tokenizer.all_special_ids)
    for tid, tok in getattr(tokenizer, "added_tokens_decoder", {}).items():
        if getattr(tok, "special", False):
            ids.add(int(tid))
    return ids


def _turn_framing(tokenizer, instruction: str, input: str) -> tuple[str, str, list[int]] | None:
    """(prompt text, text the template puts before the output, end-of-turn ids) under a chat template.

    The conversation is rendered once with a probe string as the assistant's content; what lies
    between the generation prompt and the probe is the assistant turn's lead-in (usually
    nothing), and the end-of-turn ids are the tokens after the probe up to and including the
    first special token (eos when the template writes none). None when the template does not
    render the conversation as prompt + assistant turn.
    """
    messages = chat_messages(tokenizer, instruction, input)
    prompt = tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
    full = tokenizer.apply_chat_template(messages + [{"role": "assistant", "content": _PROBE}], tokenize=False)
    if not full.startswith(prompt) or _PROBE not in full[len(prompt):]:
        return None
    lead, _, tail = full[len(prompt):].partition(_PROBE)
    tail_ids = tokenizer(tail, add_special_tokens=False)["input_ids"]
    special = _special_ids(tokenizer)
    end = next((i for i, t in enumerate(tail_ids) if t in special), None)
    end_ids = tail_ids[:end + 1] if end is not None else [tokenizer.eos_token_id]
    return prompt, lead, end_ids


def end_of_turn_ids(tokenizer) -> list[int]:
    """The ids that close a response: the template's end-of-turn sequence, else [eos]."""
    if has_chat_template(tokenizer):
        framing = _turn_framing(tokenizer, "i", "")
        if framing is not None:
            return framing[2]
    return [tokenizer.eos_token_id]


def stop_token_ids(tokenizer) -> list[int]:
    """Token ids that end a generation: eos and the chat template's end-of-turn token."""
    ids = [tokenizer.eos_token_id, end_of_turn_ids(tokenizer)[-1]]
    return [i for n, i in enumerate(ids) if i is not None and i not in ids[:n]]


def _prompt_response_ids(tokenizer, instruction: str, input: str, output: str) -> tuple[list[int], list[int], list[int]]:
    """(prompt ids after the document start, response content ids, end ids), tokenized apart so
    the boundary is exact."""
    output = output.strip()
    if has_chat_template(tokenizer):
        framing = _turn_framing(tokenizer, instruction, input)
        if framing is not None:
            prompt, lead, end_ids = framing
            prompt_ids = tokenizer(prompt, add_special_tokens=False)["input_ids"]
            response_ids = tokenizer(lead + output, add_special_tokens=False)["input_ids"]
            return prompt_ids, response_ids, end_ids
    prompt_ids = tokenizer(build_prompt(instruction, input, tokenizer), add_special_tokens=False)["input_ids"]
    return prompt_ids, tokenizer(output, add_special_tokens=False)["input_ids"], [tokenizer.eos_token_id]


def encode_example(tokenizer, instruction: str, input: str, output: str, max_length: int) -> dict:
    """Token ids and labels for one record: prompt, response, end of turn; labels on the last two.

    When the record is longer than `max_length`, the prompt is cut from the left (the end of
    the prompt, next to the response, matters most) and the response keeps at least half the
    budget; the end-of-turn/eos tokens are always kept so the model learns to stop.
    """
    prompt_ids, response_ids, end_ids = _prompt_response_ids(tokenizer, instruction, input, output)
    start = document_start(tokenizer)
    budget = max_length - len(start) - len(end_ids)
    if budget < 2:
        raise ValueError(f"max_length {max_length} is too short for a prompt and a response")
    if len(prompt_ids) + len(response_ids) > budget:
        keep_response = min(len(response_ids), max(budget // 2, budget - len(prompt_ids)))
        response_ids = response_ids[:keep_response]
        keep_prompt = budget - len(response_ids)
        prompt_ids = prompt_ids[len(prompt_ids) - keep_prompt:] if keep_prompt > 0 else []
    input_ids = start + prompt_ids + response_ids + end_ids
    labels = [IGNORE_INDEX] * (len(start) + len(prompt_ids)) + response_ids + end_ids
    return {"input_ids": input_ids, "labels": labels}


def encode_prompt(tokenizer, instruction: str, input: str = "", max_length: int | None = None) -> list[int]:
    """Token ids of the prompt (and, under a chat template, the assistant turn's lead-in), for
    generation and option scoring: exactly what precedes the response in `encode_example`."""
    prompt_ids, lead_ids, _ = _prompt_response_ids(tokenizer, instruction, input, "")
    start = document_start(tokenizer)
    ids = prompt_ids + lead_ids
    if max_length is not None and len(start) + len(ids) > max_length:
        ids = ids[len(ids) - (max_length - len(start)):]
    return start + ids
