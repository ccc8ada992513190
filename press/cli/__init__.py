"""`python -m press.cli.<command>`: parse arguments, call the layers below, print."""
