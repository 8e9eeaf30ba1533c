"""A sync in a process of its own (the window's): none of its work holds the window's GIL (issue 22).

``parent.py`` starts the child and relays what it says; ``child_main.py`` is the child; ``wire.py``
is the framing both speak over the child's standard input and output.
"""
