"""Python start-up hook for the peer tests: the 2017 Python peers (osbs-client 0.43, dockerfile-parse) run
unchanged on a current Python 3 and urllib3 2.

Put this folder first on PYTHONPATH; Python imports `sitecustomize` at start. Two names those libraries use are
given back:
- the ABCs that `collections` re-exported until Python 3.10 (`collections.Iterable`, ...), now only in
  `collections.abc`;
- urllib3's `Retry(method_whitelist=...)`, which urllib3 1.26 renamed to `allowed_methods` and 2.0 removed.
"""
import collections
import collections.abc

for name in ("Callable", "Iterable", "Mapping", "MutableMapping", "Sequence"):
    if not hasattr(collections, name):
        setattr(collections, name, getattr(collections.abc, name))

try:
    import urllib3.util.retry as urllib3_retry
except ImportError:  # no urllib3: nothing to adapt
    urllib3_retry = None

if urllib3_retry is not None:
    original_init = urllib3_retry.Retry.__init__
    if "method_whitelist" not in original_init.__code__.co_varnames:

        def init_accepting_method_whitelist(self, *args, method_whitelist=None, **kwargs):
            if method_whitelist is not None:
                kwargs.setdefault("allowed_methods", method_whitelist)
            original_init(self, *args, **kwargs)

        urllib3_retry.Retry.__init__ = init_accepting_method_whitelist
