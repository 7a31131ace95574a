"""The gRPC stubs generated from the repository's .proto files.

They are built, never committed: Maven's build of clients/python runs grpc_tools.protoc into
``clients/python/target/stubs``. This module finds them there (or where ``EARTHLING_PY_STUBS`` says), and when
they are missing but the .proto files are at hand (a source checkout run without Maven) it generates them the
same way first.
"""

import importlib
import os
import sys

_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))
_PROJECT_DIR = os.path.dirname(os.path.dirname(_PACKAGE_DIR))  # clients/python
_DEFAULT_DIR = os.path.join(_PROJECT_DIR, "target", "stubs")
_PROTO_DIR = os.path.join(os.path.dirname(os.path.dirname(_PROJECT_DIR)), "earthling-protocol", "src", "main", "proto")
PROTOS = ("worker.proto", "jobs.proto", "EarthlingProtocol.proto")


def generate(out_dir=_DEFAULT_DIR, proto_dir=_PROTO_DIR):
    """Runs grpc_tools.protoc over the protocol's .proto files into out_dir; raises if it fails."""
    from grpc_tools import protoc  # Debian: python3-grpc-tools

    os.makedirs(out_dir, exist_ok=True)
    args = ["protoc", "-I", proto_dir, "--python_out=" + out_dir, "--grpc_python_out=" + out_dir]
    code = protoc.main(args + [os.path.join(proto_dir, p) for p in PROTOS])
    if code != 0:
        raise RuntimeError("grpc_tools.protoc failed (exit %d) on %s" % (code, proto_dir))
    return out_dir


def _ensure_path():
    wanted = os.environ.get("EARTHLING_PY_STUBS") or _DEFAULT_DIR
    if not os.path.exists(os.path.join(wanted, "worker_pb2.py")):
        if os.environ.get("EARTHLING_PY_STUBS") or not os.path.isdir(_PROTO_DIR):
            raise ImportError("the earthling gRPC stubs are missing from %s: build clients/python with Maven"
                              " (it runs grpc_tools.protoc) or set EARTHLING_PY_STUBS" % wanted)
        generate(wanted)
    if wanted not in sys.path:
        sys.path.insert(0, wanted)


def load(name):
    """The generated module ``name`` (for example ``worker_pb2``)."""
    _ensure_path()
    return importlib.import_module(name)
