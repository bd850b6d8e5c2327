"""The prompt template, applied identically in training, evaluation and generation.

Alpaca-style sections, which Meditron's instruction-tuned variants and most
medical SFT corpora use. The `input` section is left out when a record has no
input, so short MCQ items and long patient dialogues share one format.

Loss is computed on the response tokens only: `encode_example` marks every
prompt token with IGNORE_INDEX in `labels`.
"""

from __future__ import annotations

IGNORE_INDEX = -100

_WITH_INPUT = "### Instruction:\n{instruction}\n\n### Input:\n{input}\n\n### Response:\n"
_NO_INPUT = "### Instruction:\n{instruction}\n\n### Response:\n"


def build_prompt(instruction: str, input: str = "") -> str:
    """The text the model sees before its response."""
    if input and input.strip():
        return _WITH_INPUT.format(instruction=instruction.strip(), input=input.strip())
    return _NO_INPUT.format(instruction=instruction.strip())


def encode_example(tokenizer, instruction: str, input: str, output: str, max_length: int) -> dict:
    """Token ids and labels for one record: [bos] prompt response [eos].

    Prompt and response are tokenized separately so the boundary is exact.
    When the pair is longer than `max_length`, the prompt is cut from the
    left (the end of the prompt, next to the response, matters most) and the
    response keeps at least half the budget; eos is always kept so the model
    learns to stop.
    """
    prompt_ids = tokenizer(build_prompt(instruction, input), add_special_tokens=False)["input_ids"]
    response_ids = tokenizer(output.strip(), add_special_tokens=False)["input_ids"]
    bos = [tokenizer.bos_token_id] if tokenizer.bos_token_id is not None else []
    eos = [tokenizer.eos_token_id]
    budget = max_length - len(bos) - len(eos)
    if budget < 2:
        raise ValueError(f"max_length {max_length} is too short for a prompt and a response")
    if len(prompt_ids) + len(response_ids) > budget:
        keep_response = min(len(response_ids), max(budget // 2, budget - len(prompt_ids)))
        response_ids = response_ids[:keep_response]
        keep_prompt = budget - len(response_ids)
        prompt_ids = prompt_ids[len(prompt_ids) - keep_prompt:] if keep_prompt > 0 else []
    input_ids = bos + prompt_ids + response_ids + eos
    labels = [IGNORE_INDEX] * (len(bos) + len(prompt_ids)) + response_ids + eos
    return {"input_ids": input_ids, "labels": labels}


def encode_prompt(tokenizer, instruction: str, input: str = "", max_length: int | None = None) -> list[int]:
    """Token ids of [bos] prompt, for generation and option scoring."""
    ids = tokenizer(build_prompt(instruction, input), add_special_tokens=False)["input_ids"]
    bos = [tokenizer.bos_token_id] if tokenizer.bos_token_id is not None else []
    if max_length is not None and len(bos) + len(ids) > max_length:
        ids = ids[len(ids) - (max_length - len(bos)):]
    return bos + ids
