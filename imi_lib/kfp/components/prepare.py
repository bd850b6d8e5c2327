from kfp import dsl
from kfp.dsl import Dataset, Input, Output

from imi_lib.kfp.components.images import IMAGE_CPU


@dsl.component(base_image=IMAGE_CPU, install_kfp_package=False)
def prepare(raw: Input[Dataset], processed: Input[Dataset], synthetic: Input[Dataset], seed: int,
            final: Output[Dataset]):
    """Step 2: merge, scrub PHI, deduplicate, guard evaluation contamination, split train/val per adapter.

    Args:
        raw: collected records and evaluation sets.
        processed: PDF-derived records.
        synthetic: generated records.
        seed: seed of the train/validation split.
        final: `{adapter}_train.json`, `{adapter}_val.json`, `stats.json` and `eval/`.
    """
    from imi_lib.core import config
    from imi_lib.data import prepare as stage

    stage.run(config.from_dict(stage.PrepareConfig, {
        "raw_dir": raw.path, "processed_dir": processed.path, "synthetic_dir": synthetic.path,
        "seed": seed, "out_dir": final.path}))
