"""The bottom layer: types every other part of the publishing system shares."""
