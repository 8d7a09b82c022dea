"""The one exception type the CLI turns into a one-line message and a non-zero exit."""


class AssistantError(Exception):
    """A problem the user can fix (bad input, missing model, wrong index); the message is
    shown as a single line."""
