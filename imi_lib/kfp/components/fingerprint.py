from kfp import dsl

from imi_lib.kfp.components.images import IMAGE_CPU


@dsl.component(base_image=IMAGE_CPU, install_kfp_package=False)
def fingerprint(uri: str) -> str:
    """Content hash of everything under a local path or s3:// prefix ("" for an empty URI).

    Tasks that read the outside world take it as an input: KFP's cache keys on
    the URI string, not on what it points to, so the hash is what makes them
    rerun exactly when the content changed. This task itself is never cached.

    Args:
        uri: the directory or prefix to hash (a hub mirror, a PDF prefix).
    """
    from imi_lib.core import storage

    return storage.fingerprint(uri)
