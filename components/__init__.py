"""One thin KFP component per stage: unpack artifact paths and parameters, call the stage's `run()`.

The bodies are lightweight Python components: KFP embeds each function's
source in the compiled YAML and runs it in `components.images` (where
`imi_lib` is installed) on a cluster, or in this venv under `kfp.local`. So a
body imports `imi_lib` inside itself and holds no logic of its own; the
docstring's `Args:` is what the KFP UI shows.
"""

from components.collect import collect
from components.evaluate import evaluate
from components.fingerprint import fingerprint
from components.ingest import ingest
from components.prepare import prepare
from components.publish import publish
from components.report import report
from components.synthesize import synthesize
from components.train import train

__all__ = ["fingerprint", "collect", "ingest", "synthesize", "prepare", "train", "evaluate", "report", "publish"]
