"""Requests run with room on CPython's frame stack (`dlt_library.stack_room`)."""

import resource
import sys

import pytest

from dlt_library.stack_room import with_stack_room, wsgi_with_stack_room


def dive(depth: int) -> int:
    return 0 if depth == 0 else dive(depth - 1) + 1


def dives() -> int:
    """Calls that go down and back up past every depth up to 400 frames (~40 KiB of stack),
    so somewhere they cross the end of one of CPython's 16 KiB frame-stack chunks."""
    return sum(dive(depth) for _ in range(100) for depth in range(0, 400, 5))


def page_faults(call) -> int:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    call()
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before


def test_calls_through_the_roomy_frame_map_no_memory_per_call():
    in_place = page_faults(dives)
    roomy = page_faults(lambda: with_stack_room(dives))
    if in_place < 1_000:
        pytest.skip(f"this CPython ({sys.version.split()[0]}) keeps a spare chunk: nothing to fix")
    # Without room every crossing maps a fresh chunk and faults its pages in (thousands here).
    assert roomy < in_place / 20, (roomy, in_place)


def test_the_call_gets_its_arguments_and_gives_back_its_result_or_its_error():
    assert with_stack_room(divmod, 17, 5) == (3, 2)
    assert with_stack_room(sorted, [3, 1, 2], reverse=True) == [3, 2, 1]
    with pytest.raises(ZeroDivisionError):
        with_stack_room(divmod, 1, 0)


def test_a_wsgi_application_answers_as_before():
    def application(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [environ["PATH_INFO"].encode()]

    statuses = []
    body = wsgi_with_stack_room(application)({"PATH_INFO": "/x"}, lambda s, h: statuses.append(s))
    assert (statuses, body) == (["200 OK"], [b"/x"])
