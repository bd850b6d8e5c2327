"""training: LoRA/QLoRA training on transformers.Trainer. May import core only.

train (the stage), loss (the one response-token NLL, shared with
evaluation), packing (the packer/collator), checkpoint (complete-or-absent
checkpoints), modeling (model and tokenizer loading), prompt (chat template
or Alpaca template, the same in training, evaluation and generation), tiny
(the built-in models for laptops and tests).
"""
