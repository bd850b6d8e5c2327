"""Prompts: the chat template when the tokenizer has one, Alpaca sections otherwise; labels on the response only."""

import pytest

from imi_lib.training import modeling, prompt
from imi_lib.training.prompt import IGNORE_INDEX, encode_example, encode_prompt

RECORDS = [
    ("You are a doctor. Give safe advice.", "I have had a dry cough for three days.",
     "A dry cough after a cold usually settles within three weeks. Drink fluids and rest."),
    ("What is the first-line drug for type 2 diabetes?", "", "Metformin."),
]


@pytest.fixture(scope="module")
def smol():
    return modeling.load_tokenizer(modeling.resolve_base_model("builtin:smollm2"))


@pytest.fixture(scope="module")
def tiny():
    return modeling.load_tokenizer(modeling.resolve_base_model("builtin:tiny"))


def _labelled(ex):
    return [t for t, lab in zip(ex["input_ids"], ex["labels"]) if lab != IGNORE_INDEX]


@pytest.mark.parametrize("instruction,input,output", RECORDS)
def test_chat_template_labels_cover_exactly_the_assistant_turn(smol, instruction, input, output):
    ex = encode_example(smol, instruction, input, output, 512)
    im_end = smol.convert_tokens_to_ids("<|im_end|>")
    # labelled: the answer's own tokens and the end-of-turn token, nothing else
    assert _labelled(ex) == smol(output, add_special_tokens=False)["input_ids"] + [im_end]
    # unlabelled: exactly the rendered conversation up to "<|im_start|>assistant\n"
    n_prompt = ex["labels"].index(next(lab for lab in ex["labels"] if lab != IGNORE_INDEX))
    assert all(lab == IGNORE_INDEX for lab in ex["labels"][:n_prompt])
    assert smol.decode(ex["input_ids"][:n_prompt]) == smol.apply_chat_template(
        prompt.chat_messages(smol, instruction, input), tokenize=False, add_generation_prompt=True)
    assert smol.decode(ex["input_ids"][:n_prompt]).endswith("<|im_start|>assistant\n")
    assert ex["input_ids"][-1] == im_end and len(ex["input_ids"]) == len(ex["labels"])
    # generation and scoring see exactly the training prompt
    assert encode_prompt(smol, instruction, input) == ex["input_ids"][:n_prompt]


def test_chat_template_roles_and_no_spurious_bos(smol):
    text = smol.decode(encode_example(smol, *RECORDS[0], 512)["input_ids"])
    assert text.startswith("<|im_start|>system\nYou are a doctor. Give safe advice.<|im_end|>\n"
                           "<|im_start|>user\nI have had a dry cough")
    # bos of this tokenizer is the role token <|im_start|>: never prepended on its own
    assert prompt.document_start(smol) == []
    assert not text.startswith("<|im_start|><|im_start|>")
    no_input = smol.decode(encode_example(smol, *RECORDS[1], 512)["input_ids"])
    assert "<|im_start|>user\nWhat is the first-line drug" in no_input
    assert prompt.stop_token_ids(smol) == [smol.convert_tokens_to_ids("<|im_end|>")]


@pytest.mark.parametrize("instruction,input,output", RECORDS)
def test_alpaca_format_labels_cover_exactly_the_response(tiny, instruction, input, output):
    ex = encode_example(tiny, instruction, input, output, 512)
    assert _labelled(ex) == tiny(output, add_special_tokens=False)["input_ids"] + [tiny.eos_token_id]
    assert ex["input_ids"][0] == tiny.bos_token_id  # a real document-start token (<s>)
    text = tiny.decode(ex["input_ids"][1:len(ex["input_ids"]) - len(_labelled(ex))])
    assert text == prompt.build_prompt(instruction, input) and text.endswith("### Response:\n")
    assert ("### Input:" in text) == bool(input)
    assert encode_prompt(tiny, instruction, input) == ex["input_ids"][:len(ex["input_ids"]) - len(_labelled(ex))]
    assert prompt.stop_token_ids(tiny) == [tiny.eos_token_id]


@pytest.mark.parametrize("fixture", ["smol", "tiny"])
def test_truncation_keeps_the_end_of_turn_and_half_the_budget_for_the_response(request, fixture):
    tok = request.getfixturevalue(fixture)
    long_input = "The patient reports " + "intermittent chest pain, " * 80
    long_output = "Assessment: " + "likely musculoskeletal, " * 80
    ex = encode_example(tok, "Triage this message.", long_input, long_output, 96)
    assert len(ex["input_ids"]) == 96
    labelled = _labelled(ex)
    assert labelled[-1] == prompt.end_of_turn_ids(tok)[-1]
    assert len(labelled) >= (96 - len(prompt.document_start(tok)) - 1) // 2
    assert ex["input_ids"][:len(prompt.document_start(tok))] == prompt.document_start(tok)


def test_template_without_system_role_puts_instruction_and_input_in_the_user_turn(smol):
    class NoSystem:
        """A ChatML template that raises on a system message, as Gemma's does."""

        def __init__(self, tok):
            self._tok = tok
            self.chat_template = "x"

        def apply_chat_template(self, messages, **kw):
            if any(m["role"] == "system" for m in messages):
                raise ValueError("System role not supported")
            return self._tok.apply_chat_template(messages, **kw)

        def __getattr__(self, name):
            return getattr(self._tok, name)

        def __call__(self, *a, **kw):
            return self._tok(*a, **kw)

    wrapped = NoSystem(smol)
    msgs = prompt.chat_messages(wrapped, "Instr.", "Some input.")
    assert msgs == [{"role": "user", "content": "Instr.\n\nSome input."}]
    ex = encode_example(wrapped, "Instr.", "Some input.", "Answer.", 256)
    assert smol.decode(_labelled(ex)) == "Answer.<|im_end|>"
