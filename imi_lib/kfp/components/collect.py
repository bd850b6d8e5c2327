from kfp import dsl
from kfp.dsl import Dataset, Output

from imi_lib.kfp.components.images import IMAGE_CPU


@dsl.component(base_image=IMAGE_CPU, install_kfp_package=False)
def collect(hub_mirror_uri: str, hub_fingerprint: str, max_rows_per_source: int, raw: Output[Dataset]):
    """Step 1.1: collect the open medical datasets (MedQA, MedMCQA, PubMedQA, ChatDoctor) as records.

    Args:
        hub_mirror_uri: local path or s3:// prefix holding a mirror of the hub datasets; "" reads the hub.
        hub_fingerprint: content hash of the mirror; unused here, it keys KFP's cache on the mirror's content.
        max_rows_per_source: cap on rows taken from each dataset (0 = all).
        raw: `<source>.jsonl` records and `eval/<evalset>.jsonl` evaluation items.
    """
    from imi_lib.data import collect as stage
    from imi_lib.core import config

    stage.run(config.from_dict(stage.CollectConfig, {  # "" and 0 mean the stage's default (None)
        "hub_mirror": hub_mirror_uri or None, "max_rows_per_source": max_rows_per_source or None,
        "out_dir": raw.path}))
