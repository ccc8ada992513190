"""The build as steps (pipeline): Pelican runs, shared files, staging, incremental updates."""
