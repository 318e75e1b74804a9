"""The staff console: sign in, the handoff inbox (live), a conversation view with reply box.

Served by the gateway (`gateway.console.views.bp`, registered in `create_app`), Jinja pages and
a little JavaScript, no front-end build.
"""
