"""Run a request with room on CPython's frame stack, so it does not map memory call after call.

CPython 3.11 keeps a thread's Python frames in chunks of 16 KiB, each allocated with mmap and
released with munmap as soon as the frame that opened it returns. Code that keeps calling
across a chunk's end therefore maps, faults in and unmaps memory on every such call: rendering
a catalogue page (Django's template engine recurses through nodes and includes, row after row)
crossed one about 2,400 times per request in a gunicorn worker, measured with strace, and the
system calls, page faults and flushed caches cost about 40 of its ~90 ms of CPU. Whether a
process hits a boundary depends on how deep it already is when the page starts rendering, so
the same code was fast in one process and slow in another. CPython fixed this upstream in 2026
(gh-142183: keep a spare chunk, backported to 3.13); 3.11, fixed by our design, will not get it.

`with_stack_room(call, ...)` makes the call through a function whose frame is too big for the
current chunk (about 17,000 unused local slots): CPython opens a chunk of 256 KiB for it, and
every frame of the call then runs in the ~120 KiB left after it, with no boundary to cross.
Cost per call: one mmap, one munmap and about 80 µs. Remove this module on a Python with the fix.
"""

from __future__ import annotations

import types
from collections.abc import Callable

# 8 bytes each: a frame of ~136 KiB, which CPython places at the start of a fresh 256 KiB chunk.
UNUSED_SLOTS = 17_000


def _call(call, args, kwargs):
    return call(*args, **kwargs)


def _with_unused_slots(function: types.FunctionType, count: int) -> types.FunctionType:
    """`function` with `count` more local variables that it never uses: a bigger frame only."""
    code = function.__code__
    names = code.co_varnames + tuple(f"_unused_{i}" for i in range(count))
    roomy = code.replace(co_varnames=names, co_nlocals=len(names))
    return types.FunctionType(roomy, function.__globals__, function.__name__)


_call_in_new_chunk = _with_unused_slots(_call, UNUSED_SLOTS)


def with_stack_room(call: Callable, *args, **kwargs):
    """`call(*args, **kwargs)`, run in a fresh frame-stack chunk with room for any request."""
    return _call_in_new_chunk(call, args, kwargs)


def wsgi_with_stack_room(application: Callable) -> Callable:
    """The WSGI `application`, each request run by `with_stack_room`."""

    def handle(environ, start_response):
        return with_stack_room(application, environ, start_response)

    return handle
