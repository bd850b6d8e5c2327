"""IMI Train: medical LoRA adapters on Meditron, built by a Kubeflow pipeline.

Heavy libraries (torch, transformers, datasets, pymupdf, boto3) are imported
inside the functions that need them so that `imi --help` answers at once.
"""

__version__ = "0.1.0"
