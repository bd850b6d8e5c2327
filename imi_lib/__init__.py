"""IMI Train: medical LoRA adapters on Meditron, built by a Kubeflow pipeline.

Heavy libraries (torch, transformers, datasets, pymupdf, boto3) are imported
inside the functions that need them so that `imi --help` answers at once.
"""

__version__ = "0.1.0"

import os as _os

# torch's OpenMP threads spin while they wait for work; when the cores are
# shared (two pipeline tasks, a laptop, CI) that made training 10-30x slower.
# Passive waiting costs nothing on an idle machine. A user's setting wins.
_os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
