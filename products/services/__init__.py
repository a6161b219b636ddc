"""State changes of products, one module per part of stage 1.

``lifecycle`` (passport, moderation, versions), ``materials``, ``events``,
``interests``, ``reviews`` and ``news``. Each function checks that the actor
may act (``PermissionDenied``), refuses a change the domain forbids with a
message for the person (``ValidationError``), and changes nothing in either
case.
"""
