from kfp import dsl
from kfp.dsl import Dataset, Output

from imi_lib.kfp.components.images import IMAGE_CPU


@dsl.component(base_image=IMAGE_CPU, install_kfp_package=False)
def ingest(pdf_uri: str, pdf_fingerprint: str, processed: Output[Dataset]):
    """Step 1.2: turn the organisation's WHO/FDA/ICH/EMA/GMP PDFs into regulatory_qa records.

    Args:
        pdf_uri: local path or s3:// prefix with the PDFs; "" ingests none.
        pdf_fingerprint: content hash of the PDFs; unused here, it keys KFP's cache on their content.
        processed: the PDF-derived records.
    """
    from imi_lib.core import config
    from imi_lib.data import ingest as stage

    stage.run(config.from_dict(stage.IngestConfig, {"pdf_dir": pdf_uri, "out_dir": processed.path}))
