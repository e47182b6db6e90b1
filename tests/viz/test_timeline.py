"""Timelines put trace lines in the order of their virtual time."""


def test_trace_lines_sort_by_their_time_not_their_text():
    from minik8s.viz import timeline as draw

    lines = [
        "[  16.044s] kubelet node-1            started web",
        "[   6.044s] kubelet node-1            pulled nginx",
    ]
    source = draw(lines).source
    assert source.index("pulled nginx") < source.index("started web")
