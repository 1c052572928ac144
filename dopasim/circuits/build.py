"""Where and how a session's generated C++ is compiled: build directories, the precompiled header, and a
store of compiled code objects shared by every build directory.

A session is one C++ standalone project (:func:`dopasim.circuits.compiler.simulate`).
Compiling it is most of the time a short run takes, so three things keep it
small:

* one build directory per mode, circuit and project structure
  (:func:`build_dir`): runs that differ only in constants rebuild just the
  files those constants appear in;
* the headers every file includes are compiled once per directory, as a GCC
  precompiled header (:data:`PCH_RULES`);
* a code object compiled once is never compiled again, in any directory
  (:func:`compile_and_run`): a lesion or a new task shape makes a new
  directory, but most of its files are the same as in another one.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import hashlib
import os
import re
import shutil
import subprocess
import zlib
from pathlib import Path


def default_build_root() -> Path:
    """Where compiled code is kept: ``$DOPASIM_BUILD_DIR``, else ``~/.cache/dopasim``."""
    return Path(os.environ.get("DOPASIM_BUILD_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "dopasim"))


def build_dir(root: Path, mode: str, circuit: str, structure: str = "") -> Path:
    """One build directory per mode, circuit and project structure under ``root``.

    ``structure`` (:func:`project_structure`) names what Brian2's ``objects.h``
    and makefile list. Every generated file depends on both, so a run whose
    structure differs from the last one built in a directory (a lesion that
    adds an object, a task with another input size) compiled every file again:
    on a fresh checkout the test suite compiled 1493 files that way, about 480
    s of CPU. With a directory per structure, runs that differ only in
    constants (seeds, settings, lesion factors, trial counts) rebuild just the
    files those constants appear in, and no run undoes another's build.
    """
    name = "standalone-" + mode + "-" + re.sub(r"[^\w.-]", "_", circuit)
    return Path(root) / (name + (f"-{zlib.crc32(structure.encode()):08x}" if structure else ""))


def project_structure(device, sizes: dict[str, int]) -> str:
    """The code objects and arrays of the network ``device`` holds, and the population ``sizes`` (constants of
    every file): what makes two runs' projects differ in more than a few files."""
    arrays = [*device.arrays.values(), *device.dynamic_arrays.values(), *device.dynamic_arrays_2d.values()]
    parts = [f"{region}={n}" for region, n in sorted(sizes.items())]
    return ";".join(parts + sorted(device.code_objects) + sorted(arrays))


#: the headers every generated code object includes: parsing them took 0.46 of the 0.52 s each file took to
#: compile, so they are compiled once, as a GCC precompiled header (a cold build of the actor-critic
#: fell from 47 to 22 s on 2 cores). A header that does not match the flags is skipped by the compiler,
#: which then reads the text: the same code either way.
PCH_HEADER = """#include "objects.h"
#include "brianlib/common_math.h"
#include "brianlib/stdint_compat.h"
#include <cmath>
#include <ctime>
#include <iostream>
#include <fstream>
#include <climits>
"""
PCH_MAKEFILE = "pch.mk"
#: read by make after Brian2's makefile:
#:
#: * every source includes pch.h first, compiled once with the same flags;
#: * each object's header dependencies are written by the compiler as it compiles it (``-MMD``: a ``.d`` file
#:   beside the object). Brian2's ``make.deps`` preprocessed every source again whenever any one changed, and
#:   ``main.cpp`` changes with nearly every run (Brian2 lists the clocks it resets in set order): 20 s of each
#:   spiking two_step run went there. Its rule is replaced by one that writes a comment;
#: * ``objects.cpp`` (which defines, loads and saves every array: 10,000 lines of start-up and file I/O for the
#:   model-based circuit, rewritten whenever the trial count changes) is compiled without optimisation: 1.7 s
#:   instead of 9.6 s.
PCH_RULES = """# dopasim: see dopasim.circuits.build
PCH_FLAGS := $(CXXFLAGS)
CXXFLAGS += -include pch.h -MMD
pch.h.gch: pch.h objects.h synapses_classes.h network.h $(wildcard brianlib/*.h) makefile
\t$(CXX) $(PCH_FLAGS) -x c++-header pch.h -o pch.h.gch
$(OBJS): pch.h.gch
make.deps: $(SRCS) $(H_SRCS)
\techo "# dopasim: each object's dependencies are in its .d file" > make.deps
-include $(OBJS:.o=.d)
objects.o: CXXFLAGS += -O0
"""


def _make_args() -> list[str]:
    # Brian2 runs ``make -j`` with no limit: a fresh build of a large circuit starts a compiler per file at
    # once (about 250, 75 MB each) and runs out of memory; one job per core is as fast
    return [f"-j{os.cpu_count() or 1}", "-f", "makefile", "-f", PCH_MAKEFILE]


@contextlib.contextmanager
def build_lock(directory: Path):
    """Hold ``directory`` for one build and the reading of its results: other processes wait here."""
    directory.parent.mkdir(parents=True, exist_ok=True)
    with open(str(directory) + ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def object_store() -> Path:
    """The compiled code objects of every build directory, by content (under :func:`default_build_root`)."""
    return default_build_root() / "objects"


def compile_and_run(device, directory: Path, with_output: bool) -> None:
    """Write, compile and run the standalone project ``device`` holds, in ``directory`` (held with
    :func:`build_lock`), compiling only the code objects the :func:`object_store` does not hold yet.

    A code object's compiled form depends on its source, its header, the
    compiler flags, the shared headers and, of ``objects.h``, only the
    declarations of the arrays it names: :func:`_object_key` hashes exactly
    those. So a file that reads the same in two build directories (most of
    a lesioned circuit's, or another task shape's) is compiled once.
    """
    import brian2 as b2
    from brian2.codegen.cpp_prefs import get_compiler_and_args

    directory.mkdir(exist_ok=True)
    for name, text in (("pch.h", PCH_HEADER), (PCH_MAKEFILE, PCH_RULES)):
        path = directory / name
        if not path.exists() or path.read_text() != text:  # unchanged files left alone
            path.write_text(text)
    prefs = b2.prefs.devices.cpp_standalone
    prefs.extra_make_args_unix = _make_args()
    device.build(directory=str(directory), compile=False, run=False)
    done = subprocess.run([prefs.make_cmd_unix, *_make_args(), "pch.h.gch"], cwd=directory, capture_output=True,
                          text=True)
    if done.returncode:
        raise RuntimeError(f"make pch.h.gch failed: {done.stderr.strip()[-500:]}")
    shared = _shared_key(directory)
    declarations = _declarations(directory / "objects.h")
    compiled = {}
    for source in sorted((directory / "code_objects").glob("*.cpp")):
        obj, key = source.with_suffix(".o"), _object_key(source, shared, declarations)
        stamp, kept = obj.with_suffix(".o.key"), _kept(key)
        if obj.exists() and stamp.exists() and stamp.read_text() == key:
            _newer_than_its_inputs(obj, directory)
        elif kept.exists():
            shutil.copyfile(kept, obj)
            stamp.write_text(key)
        else:
            # an object without its stamp may be one a killed build left half-written, and newer than its
            # source, so make would link it as it is: it goes, and make compiles it again
            stamp.unlink(missing_ok=True)
            obj.unlink(missing_ok=True)
            compiled[obj] = key
    device.compile_source(str(directory), get_compiler_and_args()[0], False, False)
    for obj, key in compiled.items():
        kept = _kept(key)
        kept.parent.mkdir(parents=True, exist_ok=True)
        partial = kept.with_suffix(f".{os.getpid()}.part")
        shutil.copyfile(obj, partial)
        os.replace(partial, kept)  # whole or not at all: other processes read the store
        obj.with_suffix(".o.key").write_text(key)
    device.run(directory=str(directory), with_output=with_output)


def _kept(key: str) -> Path:
    """Where the object store keeps the compiled code object of ``key``."""
    return object_store() / key[:2] / f"{key}.o"


def _newer_than_its_inputs(obj: Path, directory: Path) -> None:
    """Make ``obj`` newer than the shared headers, which make would otherwise rebuild it for."""
    inputs = ("pch.h.gch", "objects.h", "makefile")
    latest = max(p.stat().st_mtime for p in (*(directory / name for name in inputs), obj.with_suffix(".cpp"),
                                               obj.with_suffix(".h")) if p.exists())
    if obj.stat().st_mtime <= latest:
        os.utime(obj)


@functools.cache
def _compiler_identity() -> str:
    """The compiler's version and what ``-march=native`` means here: a cache in a home directory that several
    machines share must not hand one CPU's objects to another."""
    compiler, out = os.environ.get("CXX", "g++"), []
    for args in (["--version"], ["-march=native", "-Q", "--help=target"]):
        try:
            out.append(subprocess.run([compiler, *args], capture_output=True, text=True, timeout=60).stdout)
        except (OSError, subprocess.TimeoutExpired):
            out.append("")
    return "".join(out)


def _shared_key(directory: Path) -> str:
    """What every code object of ``directory`` is compiled against, but the arrays: compiler, flags and shared
    headers."""
    makefile = (directory / "makefile").read_text()
    flags = [line for line in makefile.splitlines() if line.startswith(("OPTIMISATIONS", "CXXFLAGS"))]
    digest = hashlib.sha256("\n".join([_compiler_identity(), *flags, PCH_HEADER, PCH_RULES]).encode())
    for header in sorted([*directory.glob("brianlib/*.h"), directory / "synapses_classes.h",
                          directory / "network.h"]):
        digest.update(header.name.encode() + header.read_bytes())
    return digest.hexdigest()


def _declarations(objects_h: Path) -> tuple[list[str], dict[str, list[str]]]:
    """``objects.h`` as (its lines other than array declarations and comments, each declaration by the name it
    declares)."""
    fixed, declared = [], {}
    for line in objects_h.read_text().splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("//"):
            continue
        match = re.match(r"extern\b.*?(\w+)\s*(\[[^]]*\])?\s*;$", stripped)
        if match:
            declared.setdefault(match.group(1), []).append(stripped)
        else:
            fixed.append(stripped)
    return fixed, declared


def _object_key(source: Path, shared: str, declarations: tuple[list[str], dict[str, list[str]]]) -> str:
    """The hash of everything the compiled ``source`` depends on."""
    fixed, declared = declarations
    text = source.read_text()
    header = source.with_suffix(".h")
    names = sorted(set(re.findall(r"\w+", text)) & declared.keys())
    digest = hashlib.sha256(shared.encode() + text.encode() + (header.read_bytes() if header.exists() else b""))
    digest.update("\n".join(fixed + [d for name in names for d in declared[name]]).encode())
    return digest.hexdigest()
