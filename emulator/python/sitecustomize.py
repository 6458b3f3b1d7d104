"""Python start-up hook of the local OpenShift: the 2017 Python peers (osbs-client 0.43, dockerfile-parse,
atomic-reactor 1.6.26.3) run unchanged on a current Python 3, urllib3 2, docker-py 5 and podman's Docker API.

Put this folder first on PYTHONPATH; Python imports `sitecustomize` at start. What is adapted:
- the ABCs that `collections` re-exported until Python 3.10 (`collections.Iterable`, ...), now only in
  `collections.abc`;
- urllib3's `Retry(method_whitelist=...)`, which urllib3 1.26 renamed to `allowed_methods` and 2.0 removed;
- `inspect.getargspec`, removed in Python 3.11;
- docker-py's `APIClient`, as atomic-reactor (written for docker-py 1.x and 2.x) calls it: `build(stream=...)`,
  `images()` RepoTags compared with short names, `get_image()` read as a raw response;
- add_yum_repo_by_url's repo files kept as text, as Python 2's `response.content` was (inject_yum_repo encodes them).

The docker-py adaptations are made when docker-py itself is imported (see `after_import`), so a program that
never imports docker (osbs-client) neither pays for them nor needs docker-py installed.
"""
import collections
import collections.abc
import importlib.abc
import inspect
import sys

# --- Python and urllib3 -------------------------------------------------------------------------------------

for name in ("Callable", "Iterable", "Mapping", "MutableMapping", "Sequence"):
    if not hasattr(collections, name):
        setattr(collections, name, getattr(collections.abc, name))

try:
    import urllib3.util.retry as urllib3_retry
except ImportError:  # no urllib3: nothing to adapt
    urllib3_retry = None

if urllib3_retry is not None:
    original_retry_init = urllib3_retry.Retry.__init__
    if "method_whitelist" not in original_retry_init.__code__.co_varnames:

        def init_accepting_method_whitelist(self, *args, method_whitelist=None, **kwargs):
            """Retry(method_whitelist=...): urllib3 2 knows the same thing only as allowed_methods."""
            if method_whitelist is not None:
                kwargs.setdefault("allowed_methods", method_whitelist)
            original_retry_init(self, *args, **kwargs)

        urllib3_retry.Retry.__init__ = init_accepting_method_whitelist


if not hasattr(inspect, "getargspec"):
    # The 4-tuple getargspec returned; getfullargspec's `varkw` was its `keywords`.
    ArgSpec = collections.namedtuple("ArgSpec", ["args", "varargs", "keywords", "defaults"])

    def getargspec(func):
        """inspect.getargspec, removed in Python 3.11: atomic-reactor's plugin loader reads plugins' arguments."""
        full = inspect.getfullargspec(func)
        return ArgSpec(full.args, full.varargs, full.varkw, full.defaults)

    inspect.getargspec = getargspec


# --- running code right after a module is imported ----------------------------------------------------------


class AfterImport(importlib.abc.MetaPathFinder):
    """Finds nothing itself: when one of the modules it watches is imported, it lets the other finders find it and
    runs the module's patch right after the module's own code."""

    def __init__(self):
        self.patches = {}  # module name -> function(module)

    def find_spec(self, fullname, path, target=None):
        patch = self.patches.get(fullname)
        if patch is None:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(fullname, path, target)
            if spec is not None:
                break
        else:
            return None
        if spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return spec
        loader_exec = spec.loader.exec_module

        def exec_then_patch(module):
            loader_exec(module)
            patch(module)

        # the loader object belongs to this one module's spec, so only this import is changed
        spec.loader.exec_module = exec_then_patch
        return spec


after_import = AfterImport()
sys.meta_path.insert(0, after_import)


# --- docker-py 5 as atomic-reactor 1.6 calls it, talking to podman ------------------------------------------


def patch_build(module):
    """APIClient.build(stream=...): docker-py 3 removed `stream` (build always streams), atomic-reactor passes it."""
    original_build = module.BuildApiMixin.build

    def build(self, *args, stream=None, **kwargs):
        # docker-py 1.x returned a stream only when asked; every caller in atomic-reactor asks or iterates
        return original_build(self, *args, **kwargs)

    build.__doc__ = original_build.__doc__
    module.BuildApiMixin.build = build


# The prefixes podman puts before a short name (`x:1` is `docker.io/library/x:1` there, `a/x:1` is
# `docker.io/a/x:1`); Docker reports such names short.
DOCKER_HUB_PREFIXES = ("docker.io/library/", "docker.io/")


def short_name(name):
    """A name as Docker reports it: without the docker.io prefix podman adds."""
    for prefix in DOCKER_HUB_PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


class RawImage:
    """What docker-py 1.x/2.x's get_image() returned, the raw HTTP response, made from docker-py 5's generator of
    chunks: a context manager with read(n), tell() and .data (the rest of the archive)."""

    def __init__(self, chunks):
        self.chunks = iter(chunks)
        self.buffer = b""
        self.position = 0  # bytes handed out so far

    def read(self, size=-1):
        while size is None or size < 0 or len(self.buffer) < size:
            chunk = next(self.chunks, None)
            if chunk is None:
                break
            self.buffer += chunk
        if size is None or size < 0:
            size = len(self.buffer)
        data, self.buffer = self.buffer[:size], self.buffer[size:]
        self.position += len(data)
        return data

    def tell(self):
        return self.position

    @property
    def data(self):
        return self.read()

    def close(self):
        close = getattr(self.chunks, "close", None)
        if close is not None:
            close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()
        return False


def patch_image(module):
    """APIClient.images() and get_image(): podman reports RepoTags fully qualified where atomic-reactor compares
    Docker's short names; docker-py 3 made get_image() a generator where atomic-reactor reads a raw response."""
    original_images = module.ImageApiMixin.images
    original_get_image = module.ImageApiMixin.get_image

    def images(self, *args, **kwargs):
        found = original_images(self, *args, **kwargs)
        # a list of dicts, or of ids with quiet=True
        for image in found if isinstance(found, list) else []:
            if isinstance(image, dict) and image.get("RepoTags"):
                image["RepoTags"] = [short_name(tag) for tag in image["RepoTags"]]
        return found

    def get_image(self, image, *args, **kwargs):
        return RawImage(original_get_image(self, image, *args, **kwargs))

    images.__doc__ = original_images.__doc__
    get_image.__doc__ = original_get_image.__doc__
    module.ImageApiMixin.images = images
    module.ImageApiMixin.get_image = get_image


after_import.patches["docker.api.build"] = patch_build
after_import.patches["docker.api.image"] = patch_image


# --- atomic-reactor 1.6 on Python 3 where OSBS ran it on Python 2 ---------------------------------------------


class TextSubprocess:
    """The `subprocess` module as atomic_reactor.util sees it: the same, except that check_output returns text.

    On Python 2, which OSBS ran atomic-reactor 1.6 on, check_output returned str; on Python 3 it returns bytes, and
    clone_git_repo's commit id (`git rev-parse HEAD`) then reaches the labels (add_labels_in_dockerfile fails on
    it) and the annotations (store_metadata_in_osv3 cannot serialize it) as bytes."""

    def __init__(self, module):
        self.module = module

    def __getattr__(self, name):
        return getattr(self.module, name)

    def check_output(self, *args, **kwargs):
        if not any(k in kwargs for k in ("text", "universal_newlines", "encoding", "errors")):
            kwargs["universal_newlines"] = True
        return self.module.check_output(*args, **kwargs)


def patch_util(module):
    """atomic_reactor.util: git's output as text (see TextSubprocess)."""
    module.subprocess = TextSubprocess(module.subprocess)


after_import.patches["atomic_reactor.util"] = patch_util


# --- atomic-reactor's plugins as Python 2 ran them ----------------------------------------------------------


def patch_add_yum_repo_by_url(module):
    """YumRepo.fetch keeps the repo file's text: on Python 2 `response.content` was str, which inject_yum_repo
    writes with `repo_content.encode("utf-8")` and logs as text; on Python 3 it is bytes, which has no encode()."""
    original_fetch = module.YumRepo.fetch

    def fetch(self):
        original_fetch(self)
        if isinstance(self.content, bytes):
            self.content = self.content.decode("utf-8")

    module.YumRepo.fetch = fetch
    original_is_valid = module.YumRepo.is_valid

    def is_valid(self):
        """is_valid reads the content through BytesIO, as the bytes Python 2's str was."""
        text = isinstance(self.content, str)
        if text:
            self.content = self.content.encode("utf-8")
        try:
            return original_is_valid(self)
        finally:
            if text and isinstance(self.content, bytes):
                self.content = self.content.decode("utf-8")

    module.YumRepo.is_valid = is_valid


# atomic-reactor loads its plugins with imp.load_source(<file name>, <path>), which no meta path finder sees
plugin_patches = {"pre_add_yum_repo_by_url": patch_add_yum_repo_by_url}


def patch_imp(module):
    """imp.load_source: the plugin modules of `plugin_patches` are patched each time they are (re)loaded."""
    original_load_source = module.load_source

    def load_source(name, *args, **kwargs):
        loaded = original_load_source(name, *args, **kwargs)
        patch = plugin_patches.get(name)
        if patch is not None:
            patch(loaded)
        return loaded

    module.load_source = load_source


after_import.patches["imp"] = patch_imp
